"""A live server and Debian's Chromium driven by Playwright.

CHROMIUM_PATH names the browser. By default it is Debian's headless shell
(/usr/bin/chromium-headless-shell, package chromium-headless-shell: the same
Blink without the browser's window, as Playwright itself uses for headless runs;
the suite's browser tests took 38% less time in it than in the whole browser),
else Debian's whole browser (/usr/bin/chromium). Playwright's own browser
downloads are never used. ``live_server`` serves an app on SQLite;
``live_server_postgres`` one on PostgreSQL, in a database of its own.
"""

import os
import re
from functools import cache
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import build_app, postgres_url, reset_schema, unavailable, worker_database_url
from tests.servers import serve

HEADLESS_SHELL, WHOLE_BROWSER = "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or (HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else WHOLE_BROWSER)
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@cache
def axe_script():
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app that ``live_server`` serves, for tests that add to its database (staff users)."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'familyhub.db'}", ANALYTICS_ENABLED=True)


@pytest.fixture(scope="session")
def live_server(live_app):
    yield from serve(live_app)


@pytest.fixture(scope="session")
def live_app_postgres():
    """The app that ``live_server_postgres`` serves. Its database is this process's PostgreSQL database
    (the one the ``app`` fixture uses) with ``_browser`` added to its name (``familyhub_test_browser``,
    ``familyhub_test_gw0_browser`` … under pytest-xdist), made if missing and emptied first: a database
    of its own, so emptying it never touches the one the other tests are using."""
    app = build_app(reset_schema(worker_database_url(postgres_url(), "browser")))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server_postgres(live_app_postgres):
    yield from serve(live_app_postgres)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        unavailable("Chromium", "Install Debian's chromium-headless-shell package (apt-get install chromium-headless-shell) "
                                "or set CHROMIUM_PATH.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def headings_as_drawn(page):
    """Each h1's text, font, size and colour, and the width of the page it is on."""
    return page.evaluate("""() => [document.documentElement.clientWidth, ...[...document.querySelectorAll('h1')].map(h => {
        const style = getComputedStyle(h);
        return [h.innerText, style.fontFamily, style.fontSize, style.color];
    })]""")


class Visit:
    """A browser tab that records requests to other sites and script errors."""

    def __init__(self, page, base):
        self.page, self.base = page, base
        self.foreign_requests, self.errors = [], []
        self._copies = None  # the tab that axe_violations_as_shown checks copies in, made when first needed
        self._axe_on_every_page = False
        page.on("request", self._request)
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _request(self, request):
        if not request.url.startswith((self.base, "data:")):
            self.foreign_requests.append(request.url)

    def open(self, path):
        response = self.page.goto(self.base + path)
        return response

    def axe_violations(self):
        if not AXE.exists():
            unavailable("axe-core", "Run `make install` to install node_modules.")
        if not self._axe_on_every_page:
            # From the first check on, Chromium puts axe into each page this tab's context
            # opens, before the page's own scripts: sending its 560 KB again for each check
            # was 40% of the check's time.
            self.page.context.add_init_script(axe_script())
            self._axe_on_every_page = True
        if not self.page.evaluate("() => typeof axe === 'object'"):
            self.page.evaluate(axe_script())
        result = self.page.evaluate(
            """async () => {
                const results = await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
                    resultTypes: ['violations']
                });
                return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }"""
        )
        return result

    def axe_violations_as_shown(self):
        """axe's findings on the page as this tab shows it, with scripts on or off.

        Where scripts are off axe cannot run (its timers never fire), so the page
        as drawn, its scripts left out, is written into a tab of its own where
        scripts run: a tab on this site, as wide and as tall as this one, so that
        the page's stylesheets load and lay it out as they did here. (Writing it
        into an open tab took a quarter of the time of loading it afresh.) One such
        tab serves the whole visit; the copy must show the same headings in the
        same font, size and colour as the page, or the check fails.
        """
        if self.page.evaluate("() => document.body.classList.contains('js-enabled')"):
            return self.axe_violations()
        shown = re.sub(r"<script\b.*?</script>", "", self.page.content(), flags=re.S | re.I)
        if self._copies is None:
            context = self.page.context.browser.new_context(viewport=self.page.viewport_size)
            self._copies = Visit(context.new_page(), self.base)
            self._copies.page.goto(self.base + "/")
        copy = self._copies
        copy.page.set_content(shown)
        assert headings_as_drawn(copy.page) == headings_as_drawn(self.page)
        found = copy.axe_violations()
        self.foreign_requests += copy.foreign_requests
        self.errors += copy.errors
        copy.foreign_requests, copy.errors = [], []
        return found

    def close(self):
        """Close this tab's browser context (and the one its copies were checked in)."""
        if self._copies is not None:
            self._copies.close()
        self.page.context.close()


WEATHER = "https://www.bbc.co.uk/weather"  # the demo settings' exit page

# How an element is drawn: what a person would see of it if its styles were missing.
_DRAWN = """(selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const style = getComputedStyle(element);
    return {font: style.fontFamily, size: style.fontSize, colour: style.color, background: style.backgroundColor,
            borderTop: style.borderTopWidth, borderBottom: style.borderBottomWidth, listStyle: style.listStyleType,
            paddingLeft: style.paddingLeft, align: style.textAlign, decoration: style.textDecorationLine,
            borderLeft: style.borderLeftWidth, display: style.display, width: element.getBoundingClientRect().width,
            height: element.getBoundingClientRect().height};
}"""
SITE_FONT = "system-ui"  # the first of the site's system font stack (assets/scss/application.scss)


def drawn(page, selector):
    """The computed look of the first element ``selector`` finds (None when there is none)."""
    return page.evaluate(_DRAWN, selector)


def rgb(colour):
    """(red, green, blue) of a computed colour such as ``rgb(15, 122, 82)``; (0, 0, 0) when transparent."""
    numbers = [int(float(n)) for n in re.findall(r"[\d.]+", colour)]
    if len(numbers) == 4 and numbers[3] == 0:
        return (0, 0, 0)
    return tuple(numbers[:3])


def in_the_site_font(look):
    """True when the element is drawn in the site's font stack, never a browser's default serif."""
    return look["font"].startswith(SITE_FONT) and look["font"].endswith("sans-serif")


def stand_in_for_the_exit_page(page, answers):
    """Let /exit do its work on the server, then show a stand-in for the neutral page it sends the browser to.

    (A browser here has no DNS, and Playwright cannot catch the request a redirect
    makes.) Each of /exit's answers is added to ``answers``."""

    def exit_page(route):
        response = route.fetch(max_redirects=0)
        answers.append(response)
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>")

    page.route("**/exit", exit_page)


@pytest.fixture(params=["javascript", "no-javascript"])
def visit(request, browser, live_server):
    context = browser.new_context(java_script_enabled=request.param == "javascript")
    visit = Visit(context.new_page(), live_server)
    yield visit
    visit.close()


@pytest.fixture
def visit_with_javascript(browser, live_server):
    visit = Visit(browser.new_context().new_page(), live_server)
    yield visit
    visit.close()

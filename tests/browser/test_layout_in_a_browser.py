"""Every page as drawn, on a phone (390×844) and on a computer (1280×900), in Debian's Chromium.

One walk per width, and one more on a phone with JavaScript off, visits each public template, every
step of the journey and its result (a parent's, with a service added to the list, and a young
person's), every page of the self-referral and its confirmation, pages showing errors, the list of
services and its print view, and the staff area (the inbox, a referral and the dashboard). On each page:

- nothing scrolls sideways;
- no text is drawn in a browser's fallback font (a serif, where the site's styles did not reach);
- no text is smaller than 14 px on screen (SVG text at the size it is drawn, after scaling), nor than
  9 pt on paper;
- every phone number is a ``tel:`` link;
- axe finds nothing against WCAG 2.2 AA (with JavaScript off, in a copy of the page as drawn).

``make screenshots`` runs this walk with FAMILYHUB_SCREENSHOTS set to a folder, and a PNG of each page
at each width is saved there for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import SITE_FONT, Visit
from tests.browser.test_referral_in_a_browser import a_parent, pages_of, path_of, sign_in, worcester_member
from tests.journey.test_journey import PARENT_OF_BABY_LOW, young_person
from tests.referral.walk import fill_in, reference_on

WIDTHS = {"phone": (390, 844), "computer": (1280, 900)}
WALKS = {"phone": ("phone", True), "computer": ("computer", True), "phone without javascript": ("phone", False)}
SHOTS = os.environ.get("FAMILYHUB_SCREENSHOTS")

PUBLIC = {
    "home": "/",
    "find a service": "/services",
    "search results with a postcode": "/services?q=baby+blues&postcode=WR5+1AA",
    "search with a wrong postcode": "/services?q=chaterbox&postcode=banana",
    "no results": "/services?q=submarine",
    "a service": "/services/bromsgrove-baby-cafe",
    "Start for Life": "/start-for-life",
    "a stage": "/start-for-life/pregnancy",
    "a Start for Life page": "/start-for-life/antenatal-care",
    "urgent help": "/pages/urgent-help",
    "privacy": "/pages/privacy",
    "for professionals": "/professionals",
    "the teams' numbers": "/refer/teams",
    "a page in Polish": "/pl/services",
    "a Start for Life page in Polish": "/pl/start-for-life/safe-sleep",
    "a page in Romanian": "/ro/services?q=copil&postcode=WR5+1AA",
    "urgent help in Romanian": "/ro/pages/urgent-help",
    "a page in Urdu": "/ur/services?q=%D8%A8%DA%86%DB%81",
    "a service in Urdu": "/ur/services/bromsgrove-baby-cafe",
    "urgent help in Urdu": "/ur/pages/urgent-help",
    "a Start for Life page in Urdu": "/ur/start-for-life/crying-and-soothing",
    "an untranslated page in Urdu": "/ur/start-for-life/toilet-training",
    "the list in Urdu": "/ur/shortlist?s=bromsgrove-baby-cafe,kinship-care-advice-line",
    "not found": "/no-such-page",
    "the list of services": "/shortlist?s=bromsgrove-baby-cafe,kinship-care-advice-line,infant-feeding-helpline",
    "staff sign in": "/staff/sign-in",
}

CHECK = """(siteFont) => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
        const widest = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > root.clientWidth + 1);
        const name = widest.length ? widest[widest.length - 1] : null;
        problems.push(`scrolls sideways: ${root.scrollWidth} px for ${root.clientWidth}` +
                      (name ? ` (${name.tagName.toLowerCase()}.${[...name.classList].join('.')}` +
                      ` in #${(name.closest('[id]') || {}).id})` : ''));
    }
    const number = /(?<![\\d£,.])(?:0\\d{2,4}(?: ?\\d{3,4}){1,2}|116 ?123|999|111)(?![\\d,.]\\d)/g;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const element = node.parentElement;
        if (!text || !element || element.closest('script, style, noscript, template')) continue;
        if (!element.getClientRects().length) continue;  // not drawn (hidden, or in a closed disclosure)
        const style = getComputedStyle(element);
        if (style.visibility === 'hidden') continue;
        if (element.closest('.govuk-visually-hidden, .govuk-skip-link')) continue;  // read out, not drawn
        const words = text.slice(0, 40);
        // The site's stack on screen, GOV.UK's plain sans-serif on paper; never a browser's default serif.
        const font = style.fontFamily;
        const urdu = element.closest('[lang]').lang === 'ur';  // Urdu in the system's Nastaliq
        const ours = matchMedia('print').matches ? /sans-serif$/.test(font) : font.startsWith(urdu ? '"Noto Nastaliq Urdu"' : siteFont);
        if (!element.closest('code, pre, kbd') && !ours) {
            problems.push(`in ${style.fontFamily}: "${words}"`);
        }
        let size = parseFloat(style.fontSize);
        const svg = element.closest('svg');
        if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
            size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        }
        // 14 px on screen; on paper, where a handout holds five services a page, 9 pt (12 px).
        if (size < (matchMedia('print').matches ? 11.95 : 13.95)) problems.push(`${size.toFixed(1)} px: "${words}"`);
        for (const found of text.matchAll(number)) {
            const link = element.closest('a');
            const href = link ? link.getAttribute('href') || '' : '';
            const digits = found[0].replace(/\\D/g, '');
            const calls = href.startsWith('tel:') && href.replace(/\\D/g, '').includes(digits);
            if (!calls && !(href && !href.startsWith('tel:'))) problems.push(`not a tel: link: ${found[0]}`);
        }
    }
    return [...new Set(problems)];
}"""


@pytest.fixture(scope="module")
def member(live_app):
    """A team member for Worcester who can see the inbox and the dashboard, and a referral to open."""
    return worcester_member(live_app, "layout", "Lay Out"), reference_on(fill_in(live_app.test_client(), a_parent()))


class Walk:
    """Looks at each page the tab is on, noting what is wrong with it by name."""

    def __init__(self, visit, width, javascript=True):
        self.visit, self.page, self.width = visit, visit.page, width
        self.name = width if javascript else f"{width}-no-js"
        self.problems, self.looked = {}, []

    def look(self, name):
        self.page.wait_for_load_state("load")
        found = self.page.evaluate(CHECK, SITE_FONT)
        if not self.page.evaluate("() => matchMedia('print').matches"):
            # From the top, as the page opens: further down, the sticky Exit this page button covers
            # part of whatever is beneath it, which axe would count against that link's size.
            self.page.evaluate("() => window.scrollTo(0, 0)")
            found += [f"axe: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}" for v in self.visit.axe_violations_as_shown()]
        self.looked.append(name)
        if found:
            self.problems[name] = found
        if SHOTS:
            folder = Path(SHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            self.page.screenshot(path=str(folder / f"{self.name}-{len(self.looked):02d}-{slug}.png"), full_page=True)


def walk_the_journey(walk, answers=PARENT_OF_BABY_LOW, look_at_steps=True):
    """Every step of "Get help for your family" (by default with a parent of a baby), then the result."""
    page = walk.page
    page.goto(walk.base + "/get-help")
    for answer in answers:
        if look_at_steps:
            walk.look(f"journey: {answer['step']}")
        for name, value in answer.items():
            if name in ("step", "action"):
                continue
            for each in value if isinstance(value, list) else [value]:
                field = page.locator(f"main form [name='{name}'][value='{each}']")
                if field.count():
                    field.check()
                else:
                    page.fill(f"main form [name='{name}']", each)
        button = "skip" if answer.get("action") == "skip" else "continue"
        with page.expect_navigation():
            page.click(f"main form button[value={button}]")
    if look_at_steps:
        walk.look("journey: the result")


def answer(page, answers):
    """Fill in a page of the form with the mouse (the keyboard's walk is tested elsewhere), then continue."""
    for name, value in answers.items():
        for each in value if isinstance(value, list) else [value]:
            if not each:
                continue
            choice = page.locator(f"main form input[name='{name}'][value='{each}']")
            if choice.count():
                choice.check()
            else:
                page.fill(f"main form [name='{name}']", each)
    with page.expect_navigation():
        page.click("main form[novalidate] button.govuk-button")


def walk_the_referral(walk):
    """Each page of the self-referral, one sent empty to show its errors, and the confirmation."""
    page = walk.page
    page.goto(walk.base + "/refer")
    walk.look("refer: start")
    with page.expect_navigation():
        page.click("main form button.govuk-button--start")
    for number, (path, answers) in enumerate(pages_of(a_parent())):
        assert path_of(page) == path, (path, page.locator("h1").inner_text())
        walk.look(f"refer: {path.removeprefix('/refer/')}")
        if number == 0:
            with page.expect_navigation():
                page.click("main form[novalidate] button.govuk-button")  # nothing chosen: the errors
            walk.look("refer: an error")
        answer(page, answers)
    walk.look("refer: sent")


@pytest.mark.parametrize("walked", WALKS)
def test_every_page_fits_the_screen_in_the_sites_font_and_every_number_can_be_tapped(browser, live_server, member, walked):
    width, javascript = WALKS[walked]
    columns, rows = WIDTHS[width]
    context = browser.new_context(viewport={"width": columns, "height": rows}, is_mobile=width == "phone",
                                  has_touch=width == "phone", java_script_enabled=javascript)
    visit = Visit(context.new_page(), live_server)
    page = visit.page
    walk = Walk(visit, width, javascript)
    walk.base = live_server
    for name, path in PUBLIC.items():
        page.goto(live_server + path)
        walk.look(name)
        if name == "not found":
            visit.errors.clear()  # the browser's own note of the 404 it was meant to get
    page.goto(live_server + PUBLIC["the list of services"])
    page.emulate_media(media="print")
    walk.look("the list as printed")
    page.goto(live_server + PUBLIC["the list in Urdu"])
    walk.look("the list in Urdu as printed")
    page.emulate_media(media="screen")
    walk_the_journey(walk)
    first = page.locator("[data-services] button[data-list-toggle]").first
    if javascript:
        first.click()
    else:
        with page.expect_navigation():
            first.click()
    walk.look("journey: the result, a service added to the list")
    walk_the_journey(walk, young_person(15, ["hurts-or-frightens", "school"]), look_at_steps=False)
    walk.look("journey: a young person's result")
    walk_the_referral(walk)

    email, reference = member
    walk.open = lambda path: page.goto(live_server + path)
    sign_in(walk, email)
    for name, path in (("staff: the inbox", "/staff/referrals"), ("staff: a referral", f"/staff/referrals/{reference}"),
                       ("staff: the dashboard", "/staff/analytics")):
        page.goto(live_server + path)
        walk.look(name)
    visit.close()

    assert len(walk.looked) >= 57, walk.looked
    assert walk.problems == {}
    assert visit.errors == [] and visit.foreign_requests == []

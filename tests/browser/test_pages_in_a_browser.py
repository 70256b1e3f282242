"""Real pages in Debian's Chromium: accessibility (axe), no JavaScript needed, nothing from elsewhere."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import clock
from tests.browser.conftest import WEATHER, Visit, drawn, in_the_site_font, stand_in_for_the_exit_page
from tests.browser.test_referral_in_a_browser import Keyboard

PAGES = {
    "home": "/",
    "directory": "/services",
    "filtered directory": "/services?category=pregnancy-birth-and-early-years&district=worcester&cost=free",
    "not found": "/no-such-page",
    "Polish directory": "/pl/services",
    "search results": "/services?q=speach+therapy&postcode=WR1+2AB",
    "filtered search": "/services?q=baby&postcode=WR5+2NP&radius=5&language=pl&day=monday&delivery=in-person&cost=free",
    "no results": "/services?q=crying&language=pl&cost=free&district=malvern-hills",
    "search with a suggestion and a bad postcode": "/services?q=chaterbox&postcode=banana",
}


def a_service_path(visit):
    visit.open("/services?district=wyre-forest")
    return visit.page.locator(".app-result h2 a").first.get_attribute("href")


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(visit_with_javascript, name):
    visit = visit_with_javascript
    response = visit.open(PAGES[name])
    assert response.status in (200, 404)
    assert visit.axe_violations() == []
    assert visit.foreign_requests == []
    assert visit.errors == [] or name == "not found" and all("404" in e for e in visit.errors)


# Wrong only as the site's stylesheet draws it (grey hint text on the green panel; black on white
# without styles), and wrong in any style (an image with no text alternative).
PLANTED = ('<div class="govuk-panel govuk-panel--confirmation"><p class="govuk-hint">Planted: hard to read</p></div>'
           '<img src="/static/planted.png" width="40" height="40">')


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_what_is_wrong_on_a_page_as_drawn_with_or_without_javascript(visit, width):
    """The check itself can fail: with scripts off too, axe sees the page with its styles."""
    visit.page.set_viewport_size({"width": width, "height": 844})

    def planted(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("</main>", PLANTED + "</main>"))

    visit.page.route("**/services", planted)
    visit.open("/services")
    found = {violation["id"]: violation["nodes"] for violation in visit.axe_violations_as_shown()}
    assert set(found) == {"color-contrast", "image-alt"}, found
    assert found["color-contrast"] == [".govuk-panel > .govuk-hint"], found
    visit.page.unroute("**/services")
    visit.open("/services")
    assert visit.axe_violations_as_shown() == []


def test_axe_finds_no_violations_on_a_service_page(visit_with_javascript):
    visit = visit_with_javascript
    visit.open(a_service_path(visit))
    assert visit.page.locator("h1").count() == 1
    assert visit.axe_violations() == []
    assert visit.foreign_requests == []
    assert visit.errors == []


@pytest.mark.parametrize("name", PAGES)
def test_pages_show_their_content_with_or_without_javascript(visit, name):
    response = visit.open(PAGES[name])
    assert response.status in (200, 404)
    assert visit.page.locator("h1").count() == 1
    assert visit.page.locator(".govuk-exit-this-page a").is_visible()
    if "directory" in name:
        assert visit.page.locator(".app-result").count() > 0
    assert visit.foreign_requests == []


def test_search_and_filter_work_with_or_without_javascript(visit):
    page = visit.page
    visit.open("/")
    page.fill("#q", "baby")
    page.click("form[role=search] button")
    page.wait_for_url("**/services?q=baby*")
    total = int(page.locator("#result-count").inner_text().split()[0])
    assert total > 0
    scripts = page.evaluate("() => document.body.classList.contains('js-enabled')")
    filters = page.locator("details.app-filters__more")
    assert filters.evaluate("details => details.open") == scripts  # a wide screen: the script shows the filters
    if not scripts:
        page.click("details.app-filters__more summary")  # without it, "Filter results" opens them
    page.check("input[name=cost][value=free]")
    page.click("form.app-filters button")
    page.wait_for_url("**cost=free*")
    filtered = int(page.locator("#result-count").inner_text().split()[0])
    assert 0 < filtered <= total
    with page.expect_navigation():
        page.locator(".app-result h2 a").first.click()
    assert page.locator("h2", has_text="How to get this help").count() == 1
    assert visit.errors == []


def test_on_a_phone_the_results_come_first_and_the_filters_wait_behind_a_disclosure(browser, live_server):
    """At 390×844 the count and the first service's name are on the first screen (they were about 3,700 px
    down, below every filter); the filters are behind "Filter results", and open with it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server + "/services?q=baby+blues&postcode=WR5+1AA")
    count, name = (page.locator(selector).first.bounding_box() for selector in ("#result-count", ".app-result h2 a"))
    assert count["y"] < name["y"] < 1000, (count, name)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not page.locator("details.app-filters__more").evaluate("details => details.open")
    assert not page.locator("#category").is_visible()
    page.click("details.app-filters__more summary")
    assert page.locator("#category").is_visible() and page.locator("#language").is_visible()
    context.close()


def test_exit_this_page_is_a_plain_link_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page, answered = context.new_page(), []
    stand_in_for_the_exit_page(page, answered)
    page.goto(live_server + "/services")
    link = page.locator(".govuk-exit-this-page a")
    assert link.get_attribute("href") == "/exit"  # the site ends what this browser had, then sends it on
    with page.expect_navigation():
        link.click()
    assert page.title() == "Weather"
    assert [(response.status, response.headers["location"]) for response in answered] == [(303, WEATHER)]
    context.close()


def test_exit_this_page_leaves_on_three_shift_presses(visit_with_javascript):
    page, answered = visit_with_javascript.page, []
    stand_in_for_the_exit_page(page, answered)
    visit_with_javascript.open("/services")
    page.locator("main").click()
    with page.expect_navigation():
        for _ in range(3):
            page.keyboard.press("Shift")
    assert page.title() == "Weather"
    assert [(response.status, response.headers["location"]) for response in answered] == [(303, WEATHER)]


def content_urls():
    from tests.content.test_pages import EVERY_URL

    return EVERY_URL + ["/start-for-life/breastfeeding?postcode=WR1+2AB", "/pl/start-for-life/safe-sleep",
                        "/pl/pages/urgent-help", "/pl/pages/staying-safe-online"]


def test_axe_finds_no_violations_on_any_content_page(visit_with_javascript):
    """/start-for-life, every stage, every Start for Life page and every site page."""
    visit = visit_with_javascript
    failures = {}
    for url in content_urls():
        response = visit.open(url)
        assert response.status == 200, url
        found = visit.axe_violations()
        if found:
            failures[url] = found
    assert failures == {}
    assert visit.foreign_requests == []
    assert visit.errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
def test_a_date_of_birth_leads_to_its_stage_and_a_wrong_one_is_explained(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    visit = Visit(context.new_page(), live_server)
    page = visit.page
    born = clock.today() - timedelta(days=100)  # a baby of about 3 months
    visit.open("/start-for-life")
    page.fill("#born-day", "31")
    page.fill("#born-month", "2")  # there is never a 31 February
    page.fill("#born-year", str(born.year))
    with page.expect_navigation():
        page.click("button[name=born-submit]")
    summary = page.locator(".govuk-error-summary")
    assert "Date of birth must be a real date" in summary.inner_text()
    assert visit.axe_violations_as_shown() == []
    page.fill("#born-day", str(born.day))
    page.fill("#born-month", str(born.month))
    page.click("button[name=born-submit]")
    page.wait_for_url("**/start-for-life/*")
    assert page.locator("h1").inner_text() == "Birth to 6 months"
    assert visit.foreign_requests == []
    visit.close()


def _walk_with_the_keyboard(visit):
    """Tab and Space/Enter only: choose, continue, and go back once on the way."""
    page = visit.page
    checked = []

    def choose(selector):
        page.focus(selector)
        page.keyboard.press("Space")
        checked.append(selector)

    def go_on():
        page.focus("main form button[value=continue]")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    visit.open("/get-help")
    pages = [page.locator("h1").inner_text()]
    choose("#who")  # the first option: a parent or carer
    go_on()
    pages.append(page.locator("h1").inner_text())
    choose("input[name=safety][value=no]")
    go_on()
    choose("input[name=age][value=under-1]")
    go_on()
    page.focus("button.app-back-button")  # back once, and forward again: the answer is still there
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "How old are your children?"
    assert page.locator("input[type=checkbox][name=age][value=under-1]").is_checked()
    go_on()
    choose("input[name=need][value=feeding-and-sleep]")
    go_on()
    choose("input[name=impact][value=a-little]")
    go_on()
    page.focus("#postcode")
    page.keyboard.type("WR1 2AB")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in the postcode box continues, not skips
    return pages


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
def test_the_journey_works_with_the_keyboard_alone_and_axe_finds_nothing(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    visit = Visit(context.new_page(), live_server)
    page = visit.page
    pages = _walk_with_the_keyboard(visit)
    assert pages[0] == "Who is asking for help?"
    assert page.locator("h1").inner_text() == "Help that fits"
    assert page.locator("#journey-pages a").count() >= 2
    assert page.url.endswith("/get-help")
    assert visit.axe_violations_as_shown() == []

    # "Add to list" on a service offered: the list changes here, and the answers never go into the address.
    keyboard = Keyboard(page)
    slug = page.locator("[data-services] button[data-list-toggle]").first.get_attribute("data-list-toggle")
    name = page.locator("[data-services] .app-result h4 a").first.inner_text()
    assert not page.locator("[data-your-list]").is_visible()
    keyboard.tab_to(f"button[data-list-toggle='{slug}']")
    if javascript:
        page.keyboard.press("Enter")
        assert page.locator("#list-status").inner_text() == f"Added to your list: {name}"
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert urlsplit(page.url).fragment == f"list-{slug}"
    assert urlsplit(page.url).path == "/get-help" and not urlsplit(page.url).query
    assert page.locator(f"button[data-list-toggle='{slug}']").inner_text().startswith("Remove from list")
    assert page.locator(f"#list-{slug} .app-list-toggle__tag").is_visible()
    assert page.locator("[data-your-list]").inner_text() == "Your list (1)"
    assert page.locator("h1").inner_text() == "Help that fits"
    keyboard.tab_to("a[data-your-list]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/shortlist" and parse_qs(urlsplit(page.url).query)["s"] == [slug]
    assert page.locator(".app-handout__service .govuk-summary-card__title").all_inner_texts() == [name]
    assert visit.foreign_requests == []
    visit.close()


def test_axe_finds_no_violations_on_any_step_of_the_journey(visit_with_javascript):
    visit = visit_with_javascript
    page = visit.page
    visit.open("/get-help")
    found = {"who": visit.axe_violations()}
    with page.expect_navigation():
        page.click("main form button[value=continue]")  # nothing chosen: the error state
    found["who, with an error"] = visit.axe_violations()
    answers = [("#who-3", "safety"), ("input[name=safety][value=no]", "ages"), ("#my-age", "needs"),
               ("input[name=need][value=hurts-or-frightens]", "impact"), ("input[name=impact][value=struggling]", "where")]
    for selector, name in answers:
        if selector == "#my-age":
            page.fill(selector, "15")
        else:
            page.check(selector)
        with page.expect_navigation():
            page.click("main form button[value=continue]")
        found[name] = visit.axe_violations()
    with page.expect_navigation():
        page.click("main form button[value=skip]")
    assert page.locator("h1").inner_text() == "Help for you"
    found["result"] = visit.axe_violations()
    assert found == {name: [] for name in found}
    assert visit.errors == []


def test_breadcrumbs_and_the_journeys_back_are_drawn_as_gov_uk_draws_them(visit):
    """Breadcrumbs are one line of links in the site's font, not a numbered list; the journey's Back (a
    button, as it posts) looks exactly like the back link of a service page (a link)."""
    page = visit.page
    visit.open("/start-for-life/antenatal-care")
    crumbs, item = drawn(page, ".govuk-breadcrumbs__list"), drawn(page, ".govuk-breadcrumbs__list-item")
    assert crumbs["listStyle"] == "none" and in_the_site_font(item), (crumbs, item)
    tops = page.eval_on_selector_all(".govuk-breadcrumbs__list-item", "items => items.map(i => i.getBoundingClientRect().top)")
    assert len(tops) >= 2 and len(set(tops)) == 1, tops  # side by side on one line at 1280 px, not a list down the page

    visit.open(a_service_path(visit))
    link = drawn(page, "a.govuk-back-link")
    visit.open("/get-help")
    page.check("#who")
    with page.expect_navigation():
        page.click("main form button[value=continue]")
    button = drawn(page, "button.app-back-button")
    assert in_the_site_font(button), button
    for part in ("font", "size", "colour", "background", "borderTop", "borderBottom", "paddingLeft", "decoration"):
        assert button[part] == link[part], (part, button[part], link[part])
    assert abs(button["height"] - link["height"]) <= 2, (button, link)


LAYOUT_SHIFTS = """() => new Promise(resolve => {
  let total = 0
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value
  }).observe({type: 'layout-shift', buffered: true})
  setTimeout(() => resolve(total), 500)
})"""


@pytest.mark.parametrize("path", ["/", "/services?q=sleep&postcode=WR1+2AB", "/start-for-life/safe-sleep", "/get-help"])
def test_nothing_moves_once_a_page_on_a_phone_is_drawn(browser, live_server, path):
    """Chromium's layout-shift entries add up to 0 on a phone: the menu is drawn folded from the start
    (it used to fold when the script started, moving the page up: 0.106 in Lighthouse); and the menu opens.
    The scripts arrive 400 ms late, as on a slow connection, so the page is drawn before they run."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()

    def late(route):
        page.wait_for_timeout(400)
        route.continue_()

    page.route("**/*.js", late)
    page.route("**/*.mjs", late)
    page.goto(live_server + path, wait_until="load")
    assert page.evaluate(LAYOUT_SHIFTS) == 0
    menu = page.locator(".govuk-service-navigation__toggle")
    assert menu.is_visible() and not page.locator(".govuk-service-navigation__list").is_visible()
    menu.click()
    assert page.locator(".govuk-service-navigation__list a", has_text="Start for Life").is_visible()
    context.close()


def test_without_javascript_the_menu_on_a_phone_is_an_open_list(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/services")
    assert not page.locator(".govuk-service-navigation__toggle").is_visible()
    assert page.locator(".govuk-service-navigation__list a", has_text="Refer yourself").is_visible()
    context.close()

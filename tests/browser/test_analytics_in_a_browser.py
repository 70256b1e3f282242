"""The usage dashboard and "Was this page useful?" in Debian's Chromium: keyboard, axe, and the chart's text."""


import pytest

from tests.analytics.visitors import COMPUTER, PHONE, visitor
from tests.browser.test_referral_in_a_browser import path_of, sign_in, worcester_member


@pytest.fixture(scope="module")
def analyst(live_app):
    """A staff member, and some visits today from people (the browser itself is headless, so never counted)."""
    email = worcester_member(live_app, "analyst", "Ana Lyst")
    for n, agent in enumerate((PHONE, COMPUTER, PHONE)):
        person = visitor(live_app, address=f"198.51.100.{n + 1}", agent=agent)
        person.get("/", headers={"Referer": "https://www.example.org/"})
        person.get("/services?q=baby+groups")
        person.get("/services?q=submarine")
        person.get("/get-help")
        person.post("/useful", data={"page": "/pages/privacy", "useful": "yes" if n else "no"})
    return email


def test_axe_finds_no_violations_on_the_dashboard(visit, analyst):
    page = visit.page
    sign_in(visit, analyst)
    found = {}
    with page.expect_navigation():
        page.click("a:text('Website use')")
    assert path_of(page) == "/staff/analytics"
    assert page.locator("h1").inner_text() == "Website use"
    assert int(page.locator("#total-views").inner_text().replace(",", "")) >= 12
    assert "baby groups" in page.locator("#searches").inner_text()
    assert "submarine" in page.locator("#no-results").inner_text()
    found["dashboard"] = visit.axe_violations_as_shown()

    # The chart is an image with a title and a description, and the same figures are in a table.
    # At 1280 px the wide chart is drawn and the phone's is not (neither shown nor read out).
    chart = page.locator("svg.app-chart__svg--wide")
    assert chart.is_visible() and not page.locator("svg.app-chart__svg--narrow").is_visible()
    assert chart.get_attribute("role") == "img"
    title_id, description_id = chart.get_attribute("aria-labelledby").split()
    assert "Page views and visitors each day" in page.locator(f"#{title_id}").text_content()
    description = page.locator(f"#{description_id}").text_content()
    assert "page views" in description and "busiest day" in description
    assert page.locator("#days tbody tr").count() == 30
    page.locator("summary", has_text="Show the figures for each day as a table").click()
    assert page.locator("#days").is_visible()
    found["dashboard, table open"] = visit.axe_violations_as_shown()

    # A wrong date, by keyboard: the error summary and the field say what to do.
    page.locator("#from-day").fill("31")
    page.locator("#from-month").fill("2")
    page.locator("#from-month").press("Enter")
    page.wait_for_load_state()
    assert "Enter the start of the period as a real date" in page.locator(".govuk-error-summary").inner_text()
    found["dashboard, wrong date"] = visit.axe_violations_as_shown()
    assert found == {name: [] for name in found}
    assert visit.foreign_requests == [] and visit.errors == []


def test_was_this_page_useful_by_keyboard(visit):
    page = visit.page
    visit.open("/pages/what-is-early-help")
    question = page.locator(".app-useful")
    assert "Was this page useful?" in question.inner_text()
    question.locator("button", has_text="Yes").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    assert visit.axe_violations_as_shown() == []
    with page.expect_navigation():
        page.locator("main a", has_text="Go back to the page").click()
    assert path_of(page) == "/pages/what-is-early-help"
    assert page.context.cookies() == []
    assert visit.foreign_requests == [] and visit.errors == []

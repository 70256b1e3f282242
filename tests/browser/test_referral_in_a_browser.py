"""The self-referral form (/refer) and the staff area (/staff) in Debian's Chromium.

A family fills in the form with the keyboard alone, with and without JavaScript;
axe checks every page on the way; nothing is fetched from other sites and no
script fails. Staff sign in and find the referral in their inbox.
"""

import copy
import re
import uuid
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import WEATHER, drawn, in_the_site_font, rgb, stand_in_for_the_exit_page
from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, reference_on
from tests.staff import factors

REFERENCE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")
START = "main form button.govuk-button--start"
CONTINUE = "main form[novalidate] button.govuk-button"  # "Continue", or "Send request" on check your answers
PASSWORD = "a-long-test-password"
TEAM, ELSEWHERE, ADMIN = "team@example.org", "wyre.team@example.org", "admin@example.org"
STEPS = ("address", "help", "tried", "language", "contact", "safe-contact", "consent")


def a_parent():
    """PARENT (whose unborn baby is due 12 weeks from today), to change freely."""
    return copy.deepcopy(PARENT)


class Keyboard:
    """What someone without a mouse uses: Tab and Shift+Tab, arrow keys, Space, Enter and typing."""

    def __init__(self, page):
        self.page = page

    def focused(self, selector):
        return self.page.evaluate("s => document.activeElement.matches(s)", selector)

    def tab_to(self, selector, most=120):
        """Tab (or Shift+Tab, if it is behind the focus) until ``selector`` has the focus."""
        behind = self.page.evaluate(
            """s => { const now = document.activeElement, there = document.querySelector(s);
                      return !!there && now !== document.body
                          && !!(now.compareDocumentPosition(there) & Node.DOCUMENT_POSITION_PRECEDING); }""",
            selector,
        )
        for _ in range(most):
            if self.focused(selector):
                return
            self.page.keyboard.press("Shift+Tab" if behind else "Tab")
        raise AssertionError(f"{most} presses of {'Shift+Tab' if behind else 'Tab'} never reached {selector} on {self.page.url}")

    def type_into(self, name, text):
        self.tab_to(f"[name='{name}']")
        self.page.keyboard.type(text)

    def choose(self, name, value):
        """A radio button: Tab to its group, then the arrow keys (which select) to the answer."""
        self.tab_to(f"input[type=radio][name='{name}']")
        for _ in range(5):
            if self.focused(f"[value='{value}']"):
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        assert self.page.is_checked(f"input[name='{name}'][value='{value}']"), (name, value)

    def tick(self, name, value):
        self.tab_to(f"input[type=checkbox][name='{name}'][value='{value}']")
        self.page.keyboard.press("Space")
        assert self.page.is_checked(f"input[name='{name}'][value='{value}']"), (name, value)

    def press(self, button):
        self.tab_to(button)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def answer(self, answers):
        """Fill in a page from walk.py's answers (names and values, as posted), then continue."""
        for name, value in answers.items():
            kind = self.page.get_attribute(f"[name='{name}']", "type") if value else None
            if isinstance(value, list):
                for each in value:
                    self.tick(name, each)
            elif kind == "radio":
                self.choose(name, value)
            elif kind == "checkbox":
                self.tick(name, value)
            elif value:
                self.type_into(name, value)
        self.press(CONTINUE)


def pages_of(persona):
    """Each page of the form in order, with what the persona answers there."""
    yield "/refer/who", persona["who"]
    if "child" in persona:
        for number, child in enumerate(persona["child"], start=1):
            yield f"/refer/child/{number}", child
            yield "/refer/children", {"another": "yes" if number < len(persona["child"]) else "no"}
    else:
        yield "/refer/about-you", persona["about-you"]
    for number, adult in enumerate(persona["adults"], start=1):
        yield "/refer/adults", {"another": "yes"}
        yield f"/refer/adult/{number}", adult
    yield "/refer/adults", {"another": "no"}
    for step in STEPS:
        yield f"/refer/{step}", persona[step]
    yield "/refer/check", {}


def path_of(page):
    return urlparse(page.url).path


def walked_by_the_layout_check():
    """The form's pages that the layout check (test_layout_in_a_browser.py) walks with a_parent, running
    axe on each at both widths and with scripts off: the keyboard's walks need not run it there again."""
    return {"/refer", "/refer/sent", *(path for path, _answers in pages_of(a_parent()))}


def refer_with_the_keyboard(visit, persona, axe=True):
    """The whole form, keyboard only. Returns (reference, {(number, path, heading): axe's violations}): one entry
    for each page, None where axe was not run (``axe`` False, or a page the layout check checks)."""
    page, keyboard = visit.page, Keyboard(visit.page)
    found = {}
    visit.drawn = {}
    elsewhere = walked_by_the_layout_check()

    def look(number):
        checked = axe and path_of(page) not in elsewhere
        found[(number, path_of(page), page.locator("h1").inner_text())] = visit.axe_violations_as_shown() if checked else None
        if path_of(page) == "/refer/help":
            visit.drawn["textarea"] = drawn(page, "textarea.govuk-textarea")
            visit.drawn["back link"] = drawn(page, "a.govuk-back-link")

    visit.open("/refer")
    look(0)
    keyboard.press(START)
    for number, (path, answers) in enumerate(pages_of(persona), start=1):
        assert path_of(page) == path, (path, page.locator("h1").inner_text(), page.locator(".govuk-error-summary").all_inner_texts())
        look(number)
        keyboard.answer(answers)
    assert path_of(page) == "/refer/sent"
    assert re.search(r"within 5 working days, by \d{1,2} [A-Z][a-z]+ \d{4}\.", page.locator("main").inner_text())
    look("sent")
    return page.locator(".app-reference").inner_text().strip(), found


def test_a_parent_refers_their_family_with_the_keyboard_alone(visit):
    reference, violations = refer_with_the_keyboard(visit, a_parent())
    assert REFERENCE.fullmatch(reference), reference
    assert visit.page.locator("h1").inner_text() == "Your request has been sent"
    assert len(violations) == 18  # the start page, 16 pages of questions and the confirmation
    # Every page of the walk is one the layout check runs axe on (so none is left unchecked here).
    assert {path for _number, path, _heading in violations} == walked_by_the_layout_check()
    assert {name: found for name, found in violations.items() if found} == {}
    # The confirmation is GOV.UK's green panel, white text centred; the box for what help is wanted is
    # GOV.UK's textarea, as wide as the column, not a small box in the browser's own font.
    panel, title = drawn(visit.page, ".govuk-panel--confirmation"), drawn(visit.page, ".govuk-panel__title")
    red, green, blue = rgb(panel["background"])
    assert green > 1.2 * max(red, blue) and rgb(panel["colour"]) == (255, 255, 255) and panel["align"] == "center", panel
    assert in_the_site_font(title) and float(title["size"][:-2]) >= 32, title
    textarea = visit.drawn["textarea"]
    assert in_the_site_font(textarea) and textarea["borderTop"] == "2px" and textarea["height"] >= 100, textarea
    assert textarea["width"] >= 0.6 * visit.page.evaluate("() => document.querySelector('main').clientWidth")
    assert visit.foreign_requests == []
    assert visit.errors == []


def test_a_young_person_refers_themselves_with_the_keyboard_alone(visit):
    reference, violations = refer_with_the_keyboard(visit, YOUNG_PERSON)
    assert REFERENCE.fullmatch(reference), reference
    assert len(violations) == 13  # the start page, 11 pages of questions and the confirmation
    axed = [path for (_number, path, _heading), found in violations.items() if found is not None]
    assert axed == ["/refer/about-you"]  # the one page of theirs that a parent's walk never reaches
    assert {name: found for name, found in violations.items() if found} == {}
    assert visit.foreign_requests == []
    assert visit.errors == []


def test_answers_are_kept_when_going_back_with_the_keyboard(visit_with_javascript):
    visit, page = visit_with_javascript, visit_with_javascript.page
    keyboard = Keyboard(page)
    visit.open("/refer")
    keyboard.press(START)
    keyboard.answer(PARENT["who"])
    keyboard.answer(PARENT["child"][0])
    assert path_of(page) == "/refer/children"
    assert "Amelia Testperson" in page.locator("main").inner_text()
    keyboard.press("main a[href$='/refer/child/1']")  # "Change"
    assert page.input_value("#name") == "Amelia Testperson"
    assert page.input_value("#birth-year") == PARENT["child"][0]["birth-year"]
    keyboard.tab_to("#school")
    keyboard.press("a.govuk-back-link")  # Shift+Tab, from the bottom of the form: not "Exit this page"
    assert path_of(page) == "/refer/children"
    keyboard.press("a.govuk-back-link")
    assert path_of(page) == "/refer/who"
    assert page.is_checked("input[name=who][value=parent]")
    assert visit.foreign_requests == []
    assert visit.errors == []


@pytest.mark.parametrize("path", ["/refer", "/refer/professional", "/refer/teams"])
def test_axe_finds_no_violations_on_the_pages_around_the_form(visit, path):
    response = visit.open(path)
    assert response.status == 200
    assert visit.page.locator("h1").count() == 1
    assert visit.axe_violations_as_shown() == []
    assert visit.foreign_requests == []
    assert visit.errors == []


def test_axe_finds_no_violations_when_pages_show_errors(visit):
    """Pages sent empty, or with a wrong answer, show GOV.UK's error summary, linked to the fields."""
    page = visit.page
    found = {}

    def send_and_look(name, message):
        with page.expect_navigation():
            page.click(CONTINUE)
        summary = page.locator(".govuk-error-summary")
        assert message in summary.inner_text(), (name, summary.inner_text())
        for link in summary.locator("a").all():
            assert page.locator(link.get_attribute("href")).count() == 1, (name, link.get_attribute("href"))
        assert page.title().startswith("Error: ")
        found[name] = visit.axe_violations_as_shown()

    visit.open("/refer")
    with page.expect_navigation():
        page.click(START)
    send_and_look("who, empty", "Select who is asking for help")
    page.check("input[name=who][value=parent]")
    with page.expect_navigation():
        page.click(CONTINUE)
    send_and_look("child, empty", "Select yes if the child has been born")
    page.check("input[name=born][value=yes]")
    for name, value in (("birth-day", "31"), ("birth-month", "2"), ("birth-year", "2020")):
        page.fill(f"[name={name}]", value)
    send_and_look("child, not a real date", "Enter the child’s name")
    assert page.locator(".govuk-error-summary").inner_text().count("Date of birth must be a real date") == 1
    page.fill("#name", "Amelia Testperson")
    page.fill("#birth-day", "28")
    with page.expect_navigation():
        page.click(CONTINUE)
    send_and_look("children, nothing chosen", "Select yes or no")
    page.check("input[name=another][value=no]")
    with page.expect_navigation():
        page.click(CONTINUE)
    page.check("input[name=another][value=no]")
    with page.expect_navigation():
        page.click(CONTINUE)
    page.fill("#postcode", "B1 1AA")  # Birmingham: another council
    send_and_look("address, outside the county", "Enter address line 1")
    assert found == {name: [] for name in found}
    assert visit.foreign_requests == []
    assert visit.errors == []


# The staff area.

@pytest.fixture(scope="module")
def staff(live_app):
    """A team member for Worcester, one for Wyre Forest and an admin who is a team member for all districts, in the live server's database."""
    runner = live_app.test_cli_runner()
    for email, name, more in ((TEAM, "Team Member", ["--district", "worcester"]),
                              (ELSEWHERE, "Wyre Forest Member", ["--district", "wyre-forest"]),
                              (ADMIN, "Admin Person", ["--role", "team", "--role", "admin", "--all-districts"])):
        result = runner.invoke(args=["users", "create", email, "--name", name, *more, "--password", PASSWORD])
        assert result.exit_code == 0, result.output
    return {"team": TEAM, "elsewhere": ELSEWHERE, "admin": ADMIN}


@pytest.fixture(scope="module")
def parents_reference(live_app):
    """PARENT's referral (WR1 2AB, in Worcester), sent with the test client."""
    return reference_on(fill_in(live_app.test_client(), a_parent()))


def worcester_member(live_app, prefix, name):
    """A new team member for Worcester in the live server's database (made with the CLI): their email."""
    email = f"{prefix}-{uuid.uuid4().hex[:6]}@example.org"
    result = live_app.test_cli_runner().invoke(
        args=["users", "create", email, "--name", name, "--district", "worcester", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return email


def sign_in(visit, email, password=PASSWORD, look=None):
    """Both steps, as a member of staff does them: the password, then a code from the app.

    The first time, the authenticator app is set up from the key the page shows
    and the recovery codes are kept. ``look(name)`` is called on each page of the way."""
    page = visit.page
    visit.open("/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main form button.govuk-button")
    if path_of(page) == "/staff/sign-in/set-up":
        look and look("set up")
        factors.learn(email, page.locator("#secret").inner_text())
        page.fill("#code", factors.app_code(email))
        with page.expect_navigation():
            page.click("main form button.govuk-button")
        look and look("recovery codes")
        factors.keep_recovery_codes(email, page.locator(".app-recovery-codes code").all_inner_texts())
        with page.expect_navigation():
            page.get_by_role("button", name="I have saved my recovery codes").click()
    elif path_of(page) == "/staff/sign-in/code":
        look and look("code")
        page.fill("#code", factors.next_code(email))
        with page.expect_navigation():
            page.click("main form button.govuk-button")


def inbox_row(page, reference):
    return page.locator("table#inbox tbody tr", has=page.locator("a", has_text=reference))


def test_a_team_member_finds_the_referral_in_their_inbox_and_opens_it(visit, staff, parents_reference):
    page = visit.page
    sign_in(visit, staff["team"])
    assert path_of(page) == "/staff/referrals"
    row = inbox_row(page, parents_reference)
    assert row.count() == 1
    assert "Worcester" in row.inner_text() and "Parent or carer" in row.inner_text()
    with page.expect_navigation():
        row.locator("a").click()
    assert path_of(page) == f"/staff/referrals/{parents_reference}"
    assert page.locator("h1").inner_text() == f"Referral {parents_reference}"
    answers = page.locator("main").inner_text()
    assert "Amelia Testperson" in answers and "WR1 2AB" in answers and "Brookfield Primary" in answers
    assert visit.foreign_requests == []
    assert visit.errors == []


def test_a_team_member_for_another_district_does_not_see_it(visit_with_javascript, staff, parents_reference):
    visit, page = visit_with_javascript, visit_with_javascript.page
    sign_in(visit, staff["elsewhere"])
    assert path_of(page) == "/staff/referrals"
    assert inbox_row(page, parents_reference).count() == 0
    assert visit.open(f"/staff/referrals/{parents_reference}").status == 404
    assert "Amelia Testperson" not in page.content()


def test_axe_finds_no_violations_in_the_staff_area(visit, staff, parents_reference):
    page = visit.page
    found = {}
    visit.open("/staff/sign-in")
    found["sign in"] = visit.axe_violations_as_shown()
    with page.expect_navigation():
        page.click("main form button.govuk-button")
    assert "Enter your email address" in page.locator(".govuk-error-summary").inner_text()
    found["sign in, empty"] = visit.axe_violations_as_shown()
    sign_in(visit, "nobody@example.org")
    assert "Enter the email address and password" in page.locator(".govuk-error-summary").inner_text()
    found["sign in, refused"] = visit.axe_violations_as_shown()
    sign_in(visit, staff["admin"])
    assert inbox_row(page, parents_reference).count() == 1
    found["inbox"] = visit.axe_violations_as_shown()
    for name, path in (("referral", f"/staff/referrals/{parents_reference}"),
                       ("printable", f"/staff/referrals/{parents_reference}/print"), ("audit log", "/staff/audit")):
        assert visit.open(path).status == 200, path
        assert parents_reference in page.locator("main").inner_text(), path
        found[name] = visit.axe_violations_as_shown()
    assert page.locator("table#audit-log tbody tr").count() >= 2  # opened, and printed
    assert found == {name: [] for name in found}
    assert visit.foreign_requests == []
    assert visit.errors == []


def test_after_exit_this_page_back_shows_nothing_of_the_draft(visit):
    """With and without JavaScript: leave mid-form, then press Back or open the site again."""
    page, keyboard = visit.page, Keyboard(visit.page)
    visit.open("/refer")
    keyboard.press(START)
    keyboard.answer(PARENT["who"])
    keyboard.answer(PARENT["child"][0])
    assert "Amelia Testperson" in page.locator("main").inner_text()
    answered = []
    stand_in_for_the_exit_page(page, answered)
    with page.expect_navigation(url="**/exit"):
        if visit.page.evaluate("() => document.body.classList.contains('js-enabled')"):
            page.locator("main").click()
            for _ in range(3):
                page.keyboard.press("Shift")
        else:
            page.click(".govuk-exit-this-page a")
    assert page.title() == "Weather"
    assert [(response.status, response.headers["location"]) for response in answered] == [(303, WEATHER)]
    page.go_back()
    assert path_of(page) == "/refer/children" and "Amelia" not in page.content()
    for path in ("/refer/children", "/refer/child/1", "/refer/check"):  # reopened from the history
        visit.open(path)
        assert "Amelia" not in page.content(), path
    visit.open("/refer")
    assert page.locator("h1").inner_text() != "Check your answers"
    assert visit.foreign_requests == []


def test_a_child_page_asks_only_for_the_date_its_answer_needs(visit):
    """"Has this child been born yet?": Yes shows the date of birth, No the due date, never both, with
    or without a script; each is GOV.UK's conditional reveal, set in beside the answer."""
    page, keyboard = visit.page, Keyboard(visit.page)
    visit.open("/refer")
    keyboard.press(START)
    keyboard.answer(PARENT["who"])
    assert path_of(page) == "/refer/child/1"
    birth, due = page.locator("#birth-day"), page.locator("#due-day")
    assert not birth.is_visible() and not due.is_visible()  # nothing chosen yet
    keyboard.choose("born", "yes")
    assert birth.is_visible() and not due.is_visible()
    reveal = drawn(page, ".govuk-radios__item:has(input:checked) + .govuk-radios__conditional")
    legend = drawn(page, ".govuk-radios__item:has(input:checked) + .govuk-radios__conditional legend")
    assert reveal["borderLeft"] == "4px" and in_the_site_font(legend), (reveal, legend)
    keyboard.choose("born", "no")
    assert due.is_visible() and not birth.is_visible()
    assert visit.errors == []

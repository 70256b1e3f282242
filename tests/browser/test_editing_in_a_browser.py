"""Editors keep the directory true, in Debian's Chromium, by keyboard alone, with and without JavaScript.

One editor changes a service's phone number and session times, a second approves,
and the public page and the API show the change; a visitor reports a problem and
an editor resolves it. axe checks every staff page on the way, in each state.
"""

import uuid

import pytest

from app.directory.demo import load_demo
from app.extensions import db
from app.models import Service, ServiceReport
from tests.browser.conftest import Visit
from tests.browser.test_referral_in_a_browser import PASSWORD, Keyboard, path_of, sign_in

SERVICE = "Stay and Play at Warndon"
NEW_PHONE = "01632 960444"


def make_staff(live_app, *roles, district="worcester"):
    email = f"{roles[0]}-{uuid.uuid4().hex[:6]}@example.org"
    args = ["users", "create", email, "--name", f"{roles[0].title()} {email[-18:-12]}", "--password", PASSWORD]
    for role in roles:
        args += ["--role", role]
    args += ["--district", district] if district else []
    result = live_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return email


@pytest.fixture
def demo_back(live_app):
    """The live server's directory (and its history and reports) as the demo has them, after the test."""
    yield
    with live_app.app_context():
        db.session.execute(db.delete(ServiceReport))
        load_demo(live_app.config["CONTENT_DIR"])


def another_tab(visit):
    """A second person's browser, with scripts on or off as the first."""
    scripts = visit.page.evaluate("() => document.body.classList.contains('js-enabled')")
    context = visit.page.context.browser.new_context(java_script_enabled=scripts)
    return Visit(context.new_page(), visit.base)


class Keys(Keyboard):
    """The keyboard, reaching an element that Playwright's selectors find (text and all): marked, then tabbed to."""

    marks = 0

    def tab_to(self, selector, most=600):  # the service form is long: every category is a checkbox
        super().tab_to(selector, most)

    def press(self, button):
        super().press(self.marked(button))

    def marked(self, selector):
        if selector.startswith(("[name=", "main form button.govuk-button")) and ":text" not in selector:
            return selector
        Keys.marks += 1
        self.page.locator(selector).first.evaluate("(element, mark) => element.setAttribute('data-keys', mark)", str(Keys.marks))
        return f"[data-keys='{Keys.marks}']"


def replace_text(keyboard, name, text):
    keyboard.tab_to(f"[name='{name}']")
    keyboard.page.keyboard.press("Control+A")
    keyboard.page.keyboard.type(text)


def service_id(live_app):
    with live_app.app_context():
        return db.session.scalar(db.select(Service.id).where(Service.name == SERVICE))


def test_an_editor_changes_a_service_a_second_approves_and_families_see_it(visit, live_app, demo_back):
    found = {}
    page, keyboard = visit.page, Keys(visit.page)
    first, second = make_staff(live_app, "editor"), make_staff(live_app, "editor")
    sign_in(visit, first)
    assert path_of(page) == "/staff/services"
    found["services"] = visit.axe_violations_as_shown()
    keyboard.press(f"#services a:text-is('{SERVICE}')")
    found["service"] = visit.axe_violations_as_shown()
    keyboard.press("a.govuk-button:text-is('Change this service')")
    assert page.locator("h1").inner_text() == f"Change {SERVICE}"
    found["form"] = visit.axe_violations_as_shown()
    # A wrong time first: the error summary, then the fix.
    replace_text(keyboard, "sessions-0-opens", "25:00")
    keyboard.press("main form button.govuk-button:text-is('Save and send for approval')")
    assert "Enter the time the session starts" in page.locator(".govuk-error-summary").inner_text()
    found["form with an error"] = visit.axe_violations_as_shown()
    replace_text(keyboard, "phone", NEW_PHONE)
    replace_text(keyboard, "sessions-0-opens", "10:15")
    replace_text(keyboard, "sessions-0-closes", "12:00")
    keyboard.type_into("summary", "New number and later times")
    keyboard.press("main form button.govuk-button:text-is('Save and send for approval')")
    assert "when another editor approves it" in page.locator(".govuk-notification-banner").inner_text()
    differences = page.locator("#differences tbody").inner_text()
    assert NEW_PHONE in differences and "10:15 to 12:00" in differences
    found["change, waiting"] = visit.axe_violations_as_shown()
    # The second editor, in their own browser.
    other = another_tab(visit)
    try:
        sign_in(other, second)
        keys = Keys(other.page)
        keys.press("a:text-is('Changes')")
        found["changes"] = other.axe_violations_as_shown()
        keys.press(f"#to-approve a:text-is('{SERVICE}')")
        keys.press("button:text-is('Approve and publish')")
        assert "The change is published" in other.page.locator(".govuk-notification-banner").inner_text()
        found["change, published"] = other.axe_violations_as_shown()
        keys.press(f"a:text-is('{SERVICE}')")
        keys.press("a:text-is('History (2 versions)')")
        found["history"] = other.axe_violations_as_shown()
        keys.press("button:text-is('Compare the two versions')")
        assert other.page.locator("h1").inner_text() == "Version 1 and version 2"
        found["compare"] = other.axe_violations_as_shown()
    finally:
        other.close()
    # Families see it: the service's page and the API.
    slug = live_app.test_client().get(f"/api/services/{service_id(live_app)}").get_json()
    assert slug["phones"][0]["number"] == NEW_PHONE
    assert any(schedule.get("opens_at") == "10:15:00" for schedule in slug["schedules"])
    visit.open("/services?q=stay+and+play+warndon")
    keyboard.press(f"main a:text-is('{SERVICE}')")
    shown = page.locator("main").inner_text()
    assert NEW_PHONE in shown and "10:15am to midday" in shown
    assert found == {name: [] for name in found}
    assert visit.foreign_requests == [] and visit.errors == []


def test_a_visitor_reports_a_problem_and_an_editor_resolves_it(visit, live_app, demo_back):
    found = {}
    page, keyboard = visit.page, Keys(visit.page)
    visit.open("/services?q=stay+and+play+warndon")
    keyboard.press(f"main a:text-is('{SERVICE}')")
    keyboard.press("a:text-is('Report a problem with this page')")
    found["report form"] = visit.axe_violations_as_shown()
    keyboard.press("main form button.govuk-button")
    assert "Select what is wrong" in page.locator(".govuk-error-summary").inner_text()
    found["report form with an error"] = visit.axe_violations_as_shown()
    keyboard.choose("topic", "times")
    keyboard.type_into("details", "It starts at 10 now")
    keyboard.press("main form button.govuk-button")
    assert page.locator("h1").inner_text() == "Thank you for telling us"
    assert page.context.cookies() == []  # the public form set no cookie
    found["thanks"] = visit.axe_violations_as_shown()
    editor = another_tab(visit)
    try:
        sign_in(editor, make_staff(live_app, "editor"))
        keys = Keys(editor.page)
        keys.press("a:text-is('Reports')")
        found["reports"] = editor.axe_violations_as_shown()
        keys.press(f"#reports a:text-is('{SERVICE}')")
        assert "It starts at 10 now" in editor.page.locator("main").inner_text()
        found["report"] = editor.axe_violations_as_shown()
        keys.choose("outcome", "resolved")
        keys.type_into("note", "Checked with the centre")
        keys.press("main form button.govuk-button")
        assert "The report is resolved" in editor.page.locator(".govuk-notification-banner").inner_text()
        found["reports, resolved"] = editor.axe_violations_as_shown()
        for name, path in (("review", "/staff/review"), ("pages", "/staff/pages")):
            editor.open(path)
            found[name] = editor.axe_violations_as_shown()
    finally:
        editor.close()
    assert found == {name: [] for name in found}
    assert visit.foreign_requests == [] and visit.errors == []


def test_an_admins_pages_pass_axe(visit, live_app):
    found = {}
    page, keyboard = visit.page, Keys(visit.page)
    sign_in(visit, make_staff(live_app, "admin", district=None))
    assert path_of(page) == "/staff/users"
    found["users"] = visit.axe_violations_as_shown()
    keyboard.press("a:text-is('Invite a staff member')")
    found["invite"] = visit.axe_violations_as_shown()
    keyboard.press("main form button.govuk-button")
    found["invite with errors"] = visit.axe_violations_as_shown()
    keyboard.type_into("name", "Robin Demo")
    keyboard.type_into("email", f"robin-{uuid.uuid4().hex[:6]}@example.org")
    keyboard.tick("roles", "editor")
    keyboard.tick("districts", "worcester")
    keyboard.press("main form button.govuk-button")
    assert "is invited" in page.locator(".govuk-notification-banner").inner_text()
    found["invited"] = visit.axe_violations_as_shown()
    keyboard.press("a[href$='/access']")
    found["access"] = visit.axe_violations_as_shown()
    visit.open("/staff/audit/accounts")
    assert "Invited" in page.locator("#account-changes").inner_text()
    found["account audit"] = visit.axe_violations_as_shown()
    assert found == {name: [] for name in found}


def test_the_other_editors_pages_and_states_pass_axe(visit, live_app, demo_back):
    found = {}
    page, keyboard = visit.page, Keys(visit.page)
    first, second = make_staff(live_app, "editor"), make_staff(live_app, "editor")
    sign_in(visit, first)
    keyboard.press("a.govuk-button:text-is('Add a service')")
    found["new service"] = visit.axe_violations_as_shown()
    visit.open(f"/staff/services/new?copy={service_id(live_app)}")
    assert page.locator("#name").input_value() == f"Copy of {SERVICE}"
    found["duplicate"] = visit.axe_violations_as_shown()
    visit.open(f"/staff/services/{service_id(live_app)}")
    keyboard.choose("status", "defunct")
    keyboard.choose("when", "date")
    keyboard.press("main form button:text-is('Save and send for approval')")
    assert "Enter the date" in page.locator(".govuk-error-summary").inner_text()
    found["status with an error"] = visit.axe_violations_as_shown()
    keyboard.choose("when", "now")
    keyboard.press("main form button:text-is('Save and send for approval')")
    number = page.url.rsplit("/", 1)[1]
    other = another_tab(visit)
    try:
        sign_in(other, second)
        other.open(f"/staff/changes/{number}")
        keys = Keys(other.page)
        keys.press("button:text-is('Reject')")
        assert "Say why the change is rejected" in other.page.locator(".govuk-error-summary").inner_text()
        found["reject without a note"] = other.axe_violations_as_shown()
        keys.type_into("note", "It is still open on Thursdays")
        keys.press("button:text-is('Reject')")
        found["rejected"] = other.axe_violations_as_shown()
    finally:
        other.close()
    visit.open(f"/staff/changes/{number}")
    assert "It is still open on Thursdays" in page.locator("main").inner_text()
    assert found == {name: [] for name in found}


def test_an_invited_member_accepts_by_keyboard_and_the_pages_pass_axe(visit, live_app):
    import re

    from app.models import OutboxMessage

    found = {}
    page, keyboard = visit.page, Keys(visit.page)
    sign_in(visit, make_staff(live_app, "admin", district=None))
    email = f"invited-{uuid.uuid4().hex[:6]}@example.org"
    visit.open("/staff/users/invite")
    keyboard.type_into("name", "Invited Demo")
    keyboard.type_into("email", email)
    keyboard.tick("roles", "team")
    keyboard.tick("districts", "worcester")
    keyboard.press("main form button.govuk-button")
    visit.page.context.clear_cookies()  # the admin's browser, now someone else's: the invited member's
    with live_app.app_context():
        body = db.session.scalar(db.select(OutboxMessage.body).where(OutboxMessage.to_address == email))
    link = re.search(r"(/staff/invitation/[A-Za-z0-9_-]+)", body).group(1)
    visit.open(link)
    assert page.locator("h1").inner_text() == "Choose your password"
    found["choose your password"] = visit.axe_violations_as_shown()
    keyboard.type_into("new", PASSWORD)
    keyboard.type_into("confirm", PASSWORD)
    keyboard.press("main form button.govuk-button")
    assert path_of(page) == "/staff/sign-in/set-up"
    visit.open(link)
    assert page.locator("h1").inner_text() == "This invitation no longer works"
    found["invitation used"] = visit.axe_violations_as_shown()
    assert found == {name: [] for name in found}

"""Staff sessions in Chromium: ended by signing out everywhere, a password change or an admin."""

import uuid
from urllib.parse import urlparse

import pytest

from tests.browser.test_referral_in_a_browser import sign_in

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-test-password"


def path_of(page):
    return urlparse(page.url).path


def add(live_app, role="team"):
    email = f"{uuid.uuid4().hex[:8]}@example.org"
    more = ["--role", "admin"] if role == "admin" else ["--district", "worcester"]
    result = live_app.test_cli_runner().invoke(
        args=["users", "create", email, "--name", f"Staff {email[:4]}", *more, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return email


@pytest.fixture
def second_browser(browser, live_server):
    """Another Chromium profile (another device, say), with JavaScript."""
    from tests.browser.conftest import Visit

    visit = Visit(browser.new_context().new_page(), live_server)
    yield visit
    visit.close()


def signed_in(visit):
    visit.open("/staff/referrals")
    return path_of(visit.page) == "/staff/referrals"


def press(page, name):
    """Reach a button by keyboard and press it, as someone without a mouse would."""
    button = page.get_by_role("button", name=name)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_sign_out_everywhere_ends_a_copied_session_too(visit, second_browser, live_app):
    email = add(live_app)
    sign_in(visit, email)
    sign_in(second_browser, email)
    # A third: the first browser's cookie, copied (what the signed cookie alone once allowed).
    copy = visit.page.context.browser.new_context()
    copy.add_cookies(visit.page.context.cookies())
    copied = copy.new_page()
    copied.goto(visit.base + "/staff/referrals")
    assert path_of(copied) == "/staff/referrals"

    visit.open("/staff/account")
    assert visit.page.locator("h1").inner_text() == "Your account"
    press(visit.page, "Sign out everywhere")
    assert path_of(visit.page) == "/staff/sign-in"
    assert "You have been signed out on every device" in visit.page.locator("main").inner_text()
    assert not signed_in(second_browser)
    copied.goto(visit.base + "/staff/referrals")
    assert path_of(copied) == "/staff/sign-in"
    copy.close()


def test_a_password_change_signs_out_the_other_browser(visit_with_javascript, second_browser, live_app):
    visit, page = visit_with_javascript, visit_with_javascript.page
    email = add(live_app)
    sign_in(visit, email)
    sign_in(second_browser, email)
    visit.open("/staff/account")
    page.fill("#current", PASSWORD)
    page.fill("#new", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    press(page, "Change password")
    assert "Your password has been changed" in page.locator(".govuk-notification-banner").inner_text()
    assert signed_in(visit)
    assert not signed_in(second_browser)
    sign_in(second_browser, email, NEW_PASSWORD)
    assert path_of(second_browser.page) == "/staff/referrals"


def test_an_admin_signs_a_member_out_and_deactivates_them(visit, second_browser, live_app):
    admin, member = add(live_app, "admin"), add(live_app)
    sign_in(second_browser, member)
    sign_in(visit, admin)
    page = visit.page
    visit.open("/staff/users")
    with page.expect_navigation():
        page.locator("main table a", has_text=f"Staff {member[:4]}").click()
    assert "In 1 browser" in page.locator("main").inner_text()
    press(page, "Sign out everywhere")
    assert "has been signed out everywhere" in page.locator(".govuk-notification-banner").inner_text()
    assert not signed_in(second_browser)
    sign_in(second_browser, member)
    assert path_of(second_browser.page) == "/staff/referrals"
    visit.page.reload()
    press(page, "Deactivate account")
    assert not signed_in(second_browser)
    sign_in(second_browser, member)
    assert path_of(second_browser.page) == "/staff/sign-in"
    assert visit.foreign_requests == [] and visit.errors == []


def test_axe_finds_nothing_on_the_account_and_staff_pages(visit, live_app):
    admin, member = add(live_app, "admin"), add(live_app)
    page, found = visit.page, {}
    look = lambda name: found.__setitem__(name, visit.axe_violations_as_shown())  # noqa: E731
    sign_in(visit, admin, look=look)  # setting up the app, and the recovery codes
    page.context.clear_cookies()
    sign_in(visit, admin, look=look)  # a code from the app
    assert {"set up", "recovery codes", "code"} <= set(found)
    visit.open("/staff/account")
    found["account"] = visit.axe_violations_as_shown()
    press(page, "Change password")
    assert page.locator(".govuk-error-summary a").count() == 3
    found["account, errors"] = visit.axe_violations_as_shown()
    visit.open("/staff/users")
    found["staff"] = visit.axe_violations_as_shown()
    with page.expect_navigation():
        page.locator("main table a", has_text=f"Staff {member[:4]}").click()
    found["member"] = visit.axe_violations_as_shown()
    press(page, "Deactivate account")
    found["member, deactivated"] = visit.axe_violations_as_shown()
    assert found == {name: [] for name in found}
    assert visit.foreign_requests == [] and visit.errors == []


def test_a_forgotten_password_is_reset_from_the_emailed_link(visit, second_browser, live_app):
    from tests.staff.test_password_reset import link_in

    email = add(live_app)
    sign_in(second_browser, email)  # signed in somewhere else all along
    page = visit.page
    visit.open("/staff/sign-in")
    with page.expect_navigation():
        page.get_by_role("link", name="Forgotten your password?").click()
    found = {"ask": visit.axe_violations_as_shown()}
    page.fill("#email", email)
    press(page, "Send the link")
    assert page.locator("h1").inner_text() == "Check your email"
    found["sent"] = visit.axe_violations_as_shown()
    visit.open(link_in(live_app, email))
    assert path_of(page) == "/staff/reset-password/new"  # the token has left the address bar
    found["choose"] = visit.axe_violations_as_shown()
    page.fill("#new", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    press(page, "Change password")
    assert "Your password has been changed" in page.locator("main").inner_text()
    assert not signed_in(second_browser)
    sign_in(visit, email, NEW_PASSWORD)
    assert path_of(page) == "/staff/referrals"
    assert found == {name: [] for name in found}
    assert visit.foreign_requests == [] and visit.errors == []

"""Staff sessions live on the server: sign-out, a password change, deactivation and an admin end them."""

from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface

from app.extensions import db
from app.models import StaffSession, StaffUser
from tests.pages import heading, parse, text_of
from tests.staff.test_staff import PASSWORD, add_user, move_sessions_back, sign_in, token_on

NEW_PASSWORD = "a different horse battery staple"


def cookie_of(client):
    return client.get_cookie("session").value


def browser_with(app, cookie):
    """Another browser, holding a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def signed_in(client):
    response = client.get("/staff/referrals")
    return response.status_code == 200 and heading(parse(response)) == "Referrals"


def read_cookie(app, cookie):
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)


def test_the_cookie_holds_a_random_token_and_the_database_only_its_hash(app, client, runner):
    email = add_user(runner)
    sign_in(client, email)
    contents = read_cookie(app, cookie_of(client))
    assert set(contents) <= {"staff_session", "csrf_token"}
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        rows = db.session.scalars(db.select(StaffSession).where(StaffSession.staff_id == user.id)).all()
    assert len(rows) == 1 and len(contents["staff_session"]) >= 40
    assert rows[0].token_hash != contents["staff_session"] and contents["staff_session"] not in rows[0].token_hash


def test_a_copied_cookie_stops_working_at_sign_out(app, client, runner):
    sign_in(client, add_user(runner))
    copy = browser_with(app, cookie_of(client))
    assert signed_in(copy)
    client.post("/staff/sign-out", data={"csrf_token": token_on(client.get("/staff/referrals"))})
    assert not signed_in(client)
    assert not signed_in(copy)  # before, the signed cookie alone kept working


def test_a_session_ends_8_hours_after_signing_in_however_busy(app, client, runner):
    email = add_user(runner)
    sign_in(client, email)
    move_sessions_back(app, email, hours=7, minutes=59)
    with app.app_context():  # busy all along: last used just now
        for row in db.session.scalars(db.select(StaffSession)):
            row.seen_at += timedelta(hours=7, minutes=59)
        db.session.commit()
    assert signed_in(client)
    move_sessions_back(app, email, minutes=2)
    assert not signed_in(client)
    assert "You were signed out because you had been signed in for 8 hours" in text_of(parse(client.get("/staff/sign-in")))


def change_password(client, current, new, confirm=None):
    page = client.get("/staff/account")
    return client.post("/staff/account", data={"current": current, "new": new, "confirm": confirm or new,
                                               "csrf_token": token_on(page)})


def test_changing_your_password_signs_you_out_everywhere_else(app, client, runner):
    email = add_user(runner)
    sign_in(client, email)
    elsewhere = app.test_client()
    sign_in(elsewhere, email)
    old_cookie = cookie_of(client)
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303
    page = parse(client.get("/staff/account"))
    assert "Your password has been changed" in text_of(page.select_one(".govuk-notification-banner"))
    assert signed_in(client)  # this browser carries on, with a new session
    assert not signed_in(elsewhere)
    assert not signed_in(browser_with(app, old_cookie))
    assert sign_in(app.test_client(), email).status_code == 200  # the old password no longer works
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize("current, new, confirm, problems", [
    ("wrong", NEW_PASSWORD, NEW_PASSWORD, [("Your current password is not right", "current")]),
    (PASSWORD, "short", "short", [("Your new password must be 12 characters or more", "new")]),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!", [("The two new passwords must match", "confirm")]),
    (PASSWORD, PASSWORD, PASSWORD, [("Your new password must be different from your current one", "new")]),
    ("", "", "", [("Enter your current password", "current"), ("Enter a new password", "new"),
                  ("Type the new password again", "confirm")]),
])
def test_a_password_change_that_cannot_be_made_says_why(client, runner, current, new, confirm, problems):
    from tests.fuzzing import error_summary

    sign_in(client, add_user(runner))
    response = change_password(client, current, new, confirm)
    assert response.status_code == 200
    page = parse(response)
    assert error_summary(page) == problems
    assert [field.get("value", "") for field in page.select("input[type=password]")] == ["", "", ""]  # nothing typed comes back


def test_sign_out_everywhere_ends_every_session_of_yours(app, client, runner):
    email = add_user(runner)
    sign_in(client, email)
    elsewhere = app.test_client()
    sign_in(elsewhere, email)
    someone_else = app.test_client()
    sign_in(someone_else, add_user(runner))
    response = client.post("/staff/account/sign-out-everywhere", data={"csrf_token": token_on(client.get("/staff/account"))})
    assert response.headers["Location"].endswith("/staff/sign-in")
    assert "You have been signed out on every device" in text_of(parse(client.get("/staff/sign-in")))
    assert not signed_in(client) and not signed_in(elsewhere)
    assert signed_in(someone_else)


def admin_acts(client, member_id, what):
    page = client.get(f"/staff/users/{member_id}")
    return client.post(f"/staff/users/{member_id}/{what}", data={"csrf_token": token_on(page)})


def member_id(app, email):
    with app.app_context():
        return db.session.scalar(db.select(StaffUser.id).where(StaffUser.email == email))


def test_an_admin_signs_a_member_out_everywhere_and_deactivates_them(app, client, runner):
    sign_in(client, add_user(runner, role="admin"))
    email = add_user(runner)
    member, number = app.test_client(), member_id(app, email)
    sign_in(member, email)
    staff_list = parse(client.get("/staff/users"))
    row = next(tr for tr in staff_list.select("tbody tr") if email in text_of(tr))
    assert "Active" in text_of(row) and "Worcester" in text_of(row)
    assert "In 1 browser" in text_of(parse(client.get(row.find("a")["href"])))

    admin_acts(client, number, "sign-out")
    assert "has been signed out everywhere" in text_of(parse(client.get(f"/staff/users/{number}")))
    assert not signed_in(member)
    assert sign_in(member, email).status_code == 303  # they may sign in again

    admin_acts(client, number, "deactivate")
    assert not signed_in(member)
    assert sign_in(member, email).status_code == 200  # and now they cannot
    assert "Deactivated" in text_of(parse(client.get("/staff/users")))
    admin_acts(client, number, "reactivate")
    assert sign_in(member, email).status_code == 303


def test_an_admin_unlocks_a_locked_member(app, client, runner):
    sign_in(client, add_user(runner, role="admin"))
    email = add_user(runner)
    for _ in range(5):
        sign_in(app.test_client(), email, "guess")
    assert "Locked" in text_of(parse(client.get(f"/staff/users/{member_id(app, email)}")))
    admin_acts(client, member_id(app, email), "unlock")
    assert sign_in(app.test_client(), email).status_code == 303


def test_only_admins_see_the_staff_list(app, client, runner):
    team = add_user(runner)
    sign_in(client, team)
    for path in ("/staff/users", f"/staff/users/{member_id(app, team)}"):
        assert client.get(path).status_code == 404
    page = client.get("/staff/account")
    assert client.post(f"/staff/users/{member_id(app, team)}/unlock", data={"csrf_token": token_on(page)}).status_code == 404
    assert client.get("/staff/users/99999999999").status_code == 404


def test_purge_deletes_sessions_that_can_no_longer_be_used(app, client, runner):
    idle, long_ago, current = add_user(runner), add_user(runner), add_user(runner)
    for email in (idle, long_ago, current):
        sign_in(app.test_client(), email)
    move_sessions_back(app, idle, minutes=31)
    move_sessions_back(app, long_ago, hours=9)
    with app.app_context():
        for row in db.session.scalars(db.select(StaffSession).where(StaffSession.staff_id == member_id(app, long_ago))):
            row.seen_at = row.started_at + timedelta(hours=8, minutes=59)  # busy to the end
        db.session.commit()
    result = runner.invoke(args=["referrals", "purge"])
    assert result.exit_code == 0 and "ended staff sessions" in result.output
    with app.app_context():
        left = {db.session.scalar(db.select(StaffUser.email).where(StaffUser.id == row.staff_id))
                for row in db.session.scalars(db.select(StaffSession))}
    assert current in left and idle not in left and long_ago not in left

"""Signing in takes a code from an authenticator app as well as the password, with real codes from the secret."""

from datetime import timedelta

import pyotp

from app.extensions import db
from app.models import RecoveryCode, StaffSession, StaffUser
from tests.fuzzing import error_summary
from tests.pages import heading, parse, text_of
from tests.staff import factors
from tests.staff.test_sessions import admin_acts, member_id, signed_in
from tests.staff.test_staff import (
    add_user,
    password_step,
    set_up_second_factor,
    sign_in,
    site_now,
    token_on,
)


def send_code(client, code):
    page = client.get("/staff/sign-in/code")
    return client.post("/staff/sign-in/code", data={"code": code, "csrf_token": token_on(page)})


def test_the_first_sign_in_sets_up_the_app_from_a_qr_code_or_a_key(app, client, runner):
    email = add_user(runner, set_up=False)
    response = password_step(client, email)
    assert response.headers["Location"].endswith("/staff/sign-in/set-up")
    assert not signed_in(client)  # the password alone opens nothing
    page = parse(client.get("/staff/sign-in/set-up"))
    assert heading(page) == "Set up your authenticator app"
    assert page.select_one("main figure svg") is not None  # the QR code, drawn in the page
    key = text_of(page.select_one("#secret")).replace(" ", "")
    assert len(key) == 32 and key.isalnum()
    with app.app_context():
        stored = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)).totp_secret
    assert key not in stored  # kept encrypted
    wrong = client.post("/staff/sign-in/set-up", data={"code": "000000", "csrf_token": token_on(client.get("/staff/sign-in/set-up"))})
    assert error_summary(parse(wrong)) == [("Enter the 6-digit code your authenticator app shows for Family Hub now", "code")]
    assert not signed_in(client)
    codes = set_up_second_factor(client, email, response)
    assert heading(parse(codes)) == "Your recovery codes"
    assert len(set(factors.RECOVERY[email])) == 10
    assert signed_in(client)


def test_a_code_works_once_and_only_near_its_time(app, client, runner):
    email = add_user(runner)
    now = site_now(client)
    totp = pyotp.TOTP(factors.SECRETS[email])
    password_step(client, email)
    stale = send_code(client, totp.at(now - timedelta(minutes=2)))  # a code from 2 minutes ago
    assert error_summary(parse(stale)) == [
        ("Enter the 6-digit code your authenticator app shows now, or one of your recovery codes", "code")]
    code = factors.app_code(email, now)
    assert send_code(client, code).headers["Location"].endswith("/staff/referrals")
    other = app.test_client()
    password_step(other, email)
    assert send_code(other, code).status_code == 200  # seen once already: refused
    assert not signed_in(other)


def test_a_recovery_code_works_once(app, client, runner):
    email = add_user(runner)
    code = factors.RECOVERY[email][0]
    password_step(client, email)
    assert send_code(client, code.lower().replace("-", " ")).headers["Location"].endswith("/staff/referrals")
    other = app.test_client()
    password_step(other, email)
    assert send_code(other, code).status_code == 200
    with app.app_context():
        used = db.session.scalars(db.select(RecoveryCode).where(
            RecoveryCode.staff_id == member_id(app, email), RecoveryCode.used_at.is_not(None))).all()
        assert len(used) == 1 and code.replace("-", "") not in used[0].code_hash
    page = parse(client.get("/staff/account"))
    assert "You have 9 recovery codes left" in text_of(page)


def test_wrong_codes_count_towards_the_lock(app, client, runner):
    email = add_user(runner)
    password_step(client, email)
    for _ in range(4):
        assert send_code(client, "123456").status_code == 200
    locked = send_code(client, "654321")
    assert locked.headers["Location"].endswith("/staff/sign-in")  # back to the start, the account locked
    assert client.get("/staff/sign-in/code").headers["Location"].endswith("/staff/sign-in")
    assert sign_in(app.test_client(), email).status_code == 200  # even the password and a right code: locked
    with app.app_context():
        assert db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)).locked_until is not None


def test_the_password_step_lasts_ten_minutes(app, client, runner):
    email = add_user(runner)
    password_step(client, email)
    with app.app_context():
        for row in db.session.scalars(db.select(StaffSession).where(StaffSession.staff_id == member_id(app, email))):
            row.started_at -= timedelta(minutes=11)
        db.session.commit()
    assert client.get("/staff/sign-in/code").headers["Location"].endswith("/staff/sign-in")


def test_an_admin_resets_a_members_second_factor(app, client, runner):
    sign_in(client, add_user(runner, role="admin"))
    email = add_user(runner)
    member = app.test_client()
    sign_in(member, email)
    admin_acts(client, member_id(app, email), "reset-second-factor")
    assert "second factor is reset" in text_of(parse(client.get(f"/staff/users/{member_id(app, email)}")))
    assert not signed_in(member)
    again = password_step(app.test_client(), email)
    assert again.headers["Location"].endswith("/staff/sign-in/set-up")  # they set up the app again
    fresh = app.test_client()
    password_step(fresh, email)
    assert fresh.get("/staff/sign-in/code").headers["Location"].endswith("/staff/sign-in/set-up")
    with app.app_context():  # the old recovery codes went with it
        assert not db.session.scalars(db.select(RecoveryCode).where(RecoveryCode.staff_id == member_id(app, email))).all()


def test_new_recovery_codes_stop_the_old_ones(app, client, runner):
    email = add_user(runner)
    sign_in(client, email)
    old = factors.RECOVERY[email][0]
    made = client.post("/staff/account/recovery-codes", data={"csrf_token": token_on(client.get("/staff/account"))})
    new = [text_of(code) for code in parse(made).select(".app-recovery-codes code")]
    assert len(new) == 10 and old not in new
    other = app.test_client()
    password_step(other, email)
    assert send_code(other, old).status_code == 200
    assert send_code(other, new[0]).headers["Location"].endswith("/staff/referrals")


def test_codes_pages_are_refused_without_the_password(client):
    for path in ("/staff/sign-in/code", "/staff/sign-in/set-up"):
        assert client.get(path).headers["Location"].endswith("/staff/sign-in")
        assert client.post(path, data={"code": "123456"}).status_code in (303, 400)

"""A forgotten password: a single-use link by email, for 30 minutes, that never says whether an email has an account."""

import re
from datetime import timedelta

from app.extensions import db
from app.models import OutboxMessage, PasswordReset, StaffUser
from tests.fuzzing import error_summary
from tests.pages import heading, parse, text_of
from tests.staff.test_sessions import member_id, signed_in
from tests.staff.test_staff import PASSWORD, add_user, sign_in, token_on

NEW_PASSWORD = "a brand new horse battery staple"
LINK = re.compile(r"http://family-hub\.test(/staff/reset-password/[A-Za-z0-9_-]+)")


def ask_for_link(client, email):
    page = client.get("/staff/reset-password")
    return client.post("/staff/reset-password", data={"email": email, "csrf_token": token_on(page)})


def emails_to(app, email):
    with app.app_context():
        return [message.body for message in db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == email))]


def link_in(app, email):
    return LINK.search(emails_to(app, email)[-1]).group(1)


def choose(client, link, password=NEW_PASSWORD, confirm=None):
    page = client.get(link, follow_redirects=True)
    return client.post("/staff/reset-password/new", data={"new": password, "confirm": confirm or password,
                                                         "csrf_token": token_on(page)})


def test_asking_says_the_same_whether_or_not_the_email_has_an_account(app, client, runner):
    email = add_user(runner)
    known = ask_for_link(client, email)
    unknown = ask_for_link(app.test_client(), "no-one-here@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = lambda response: re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))  # noqa: E731
    assert strip(known) == strip(unknown)
    assert heading(parse(known)) == "Check your email"
    assert len(emails_to(app, email)) == 1 and emails_to(app, "no-one-here@example.org") == []
    body = emails_to(app, email)[0]
    assert "within 30 minutes" in body and LINK.search(body)


def test_the_link_lets_you_choose_a_new_password_once_and_ends_every_session(app, client, runner):
    email = add_user(runner)
    elsewhere = app.test_client()
    sign_in(elsewhere, email)
    ask_for_link(client, email)
    link = link_in(app, email)
    moved = client.get(link)
    assert moved.status_code == 303 and moved.headers["Location"].endswith("/staff/reset-password/new")  # out of the address bar
    with app.app_context():
        stored = db.session.scalars(db.select(PasswordReset).where(PasswordReset.staff_id == member_id(app, email))).all()
    assert len(stored) == 1 and link.rsplit("/", 1)[1] not in stored[0].token_hash
    done = choose(client, link)
    assert done.headers["Location"].endswith("/staff/sign-in")
    assert "Your password has been changed" in text_of(parse(client.get("/staff/sign-in")))
    assert not signed_in(elsewhere)
    assert sign_in(app.test_client(), email).status_code == 200  # the old password no longer works
    assert sign_in(app.test_client(), email, NEW_PASSWORD).headers["Location"].endswith("/staff/referrals")
    again = app.test_client().get(link)
    assert again.status_code == 410 and heading(parse(again)) == "This link no longer works"


def test_a_link_older_than_30_minutes_no_longer_works(app, client, runner):
    email = add_user(runner)
    ask_for_link(client, email)
    with app.app_context():
        for row in db.session.scalars(db.select(PasswordReset).where(PasswordReset.staff_id == member_id(app, email))):
            row.expires_at -= timedelta(minutes=31)
        db.session.commit()
    assert client.get(link_in(app, email)).status_code == 410
    assert client.get("/staff/reset-password/made-up-token").status_code == 410
    assert client.get("/staff/reset-password/new").status_code == 410


def test_a_reset_lifts_a_lock_but_the_second_factor_is_still_needed(app, client, runner):
    email = add_user(runner)
    for _ in range(5):
        sign_in(app.test_client(), email, "guess")
    ask_for_link(client, email)
    choose(client, link_in(app, email))
    with app.app_context():
        assert db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)).locked_until is None
    from tests.staff.test_staff import password_step

    assert password_step(app.test_client(), email, NEW_PASSWORD).headers["Location"].endswith("/staff/sign-in/code")


def test_a_new_password_that_will_not_do_says_why(app, client, runner):
    email = add_user(runner)
    ask_for_link(client, email)
    short = choose(client, link_in(app, email), "short")
    assert error_summary(parse(short)) == [("Your new password must be 12 characters or more", "new")]
    assert sign_in(app.test_client(), email, PASSWORD).headers["Location"].endswith("/staff/referrals")  # unchanged


def test_one_account_gets_at_most_three_links_an_hour(app, client, runner):
    email = add_user(runner)
    answers = [ask_for_link(app.test_client(), email).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert len(emails_to(app, email)) == 3

"""The staff area: signing in, seeing only your districts' referrals, deciding, exporting, auditing."""

import json
import uuid
from datetime import UTC, timedelta

import pytest

from app.config import Production
from app.extensions import db
from app.models import RecoveryCode, Referral, ReferralAudit, ReferralDraft, ReferralEvent, StaffSession, StaffUser
from tests import clock
from tests.pages import heading, parse, text_of
from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, reference_on
from tests.staff import factors

PASSWORD = "correct horse battery staple"
# Tests hash at a fraction of the cost (app/config.py): these settings hash as the site does.
PRODUCTION_HASHING = {"PASSWORD_HASH": Production.PASSWORD_HASH, "RECOVERY_CODE_HASH": Production.RECOVERY_CODE_HASH}


def utc_now():
    """The test clock's now as the database stores times: UTC, without a time zone."""
    return clock.now().astimezone(UTC).replace(tzinfo=None)


def add_user(runner, role="team", districts=("worcester",), set_up=True):
    """A new staff member (with their authenticator app set up, unless ``set_up`` is false): their email.

    ``role`` is one role or several ("team", "editor", "admin"); ``districts`` may be "all"."""
    email = f"{uuid.uuid4().hex[:8]}@example.org"
    args = ["users", "create", email, "--name", f"Staff {email[:4]}", "--password", PASSWORD]
    for one in (role,) if isinstance(role, str) else role:
        args += ["--role", one]
    if districts == "all":
        args.append("--all-districts")
    else:
        for district in districts:
            args += ["--district", district]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    if set_up:
        client = runner.app.test_client()
        set_up_second_factor(client, email, password_step(client, email))
        client.post("/staff/sign-out", data={"csrf_token": token_on(client.get("/staff/account"))})
    return email


def password_step(client, email, password=PASSWORD):
    page = client.get("/staff/sign-in")
    token = parse(page).find("input", attrs={"name": "csrf_token"})["value"]
    return client.post("/staff/sign-in", data={"email": email, "password": password, "csrf_token": token})


def set_up_second_factor(client, email, response):
    """From the password's answer, through the set-up page with a real code: the recovery codes page."""
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/sign-in/set-up"), response.headers
    page = client.get("/staff/sign-in/set-up")
    factors.learn(email, text_of(parse(page).select_one("#secret")))
    codes = client.post("/staff/sign-in/set-up", data={"code": factors.app_code(email, site_now(client)),
                                                       "csrf_token": token_on(page)})
    shown = [text_of(code) for code in parse(codes).select(".app-recovery-codes code")]
    assert codes.status_code == 200 and len(shown) == 10, text_of(parse(codes).find("main"))
    factors.keep_recovery_codes(email, shown)
    return codes


def sign_in(client, email, password=PASSWORD):
    """Both steps, with a real code: the final answer (a 303 to the inbox), or the refusal where it stopped."""
    response = password_step(client, email, password)
    if response.status_code != 303 or not response.headers["Location"].endswith("/staff/sign-in/code"):
        return response
    page = client.get("/staff/sign-in/code")
    return client.post("/staff/sign-in/code", data={"code": factors.next_code(email, site_now(client)),
                                                    "csrf_token": token_on(page)})


def site_now(client):
    """Now, by the clock of the app the client talks to."""
    return client.application.config["CLOCK"]()


def token_on(page):
    return parse(page).find("input", attrs={"name": "csrf_token"})["value"]


@pytest.fixture
def worcester_referral(app):
    return reference_on(fill_in(app.test_client(), PARENT))


@pytest.fixture
def redditch_referral(app):
    return reference_on(fill_in(app.test_client(), YOUNG_PERSON))


def test_users_create_checks_what_it_is_given(runner):
    short = runner.invoke(args=["users", "create", "a@example.org", "--name", "A", "--district", "worcester", "--password", "short"])
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    nowhere = runner.invoke(args=["users", "create", "b@example.org", "--name", "B", "--district", "atlantis", "--password", PASSWORD])
    assert nowhere.exit_code != 0 and "unknown district atlantis" in nowhere.output
    no_district = runner.invoke(args=["users", "create", "c@example.org", "--name", "C", "--password", PASSWORD])
    assert no_district.exit_code != 0 and "needs at least one --district" in no_district.output
    email = add_user(runner)
    again = runner.invoke(args=["users", "create", email, "--name", "D", "--district", "worcester", "--password", PASSWORD])
    assert again.exit_code != 0 and "already a staff member" in again.output


def test_passwords_are_stored_hashed(app, runner):
    email = add_user(runner)
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt:")


def test_on_the_production_settings_passwords_and_recovery_codes_are_hashed_at_full_cost(app_with):
    """Tests hash at a fraction of the cost; the site as run keeps a stolen table slow to guess at."""
    site = app_with(**PRODUCTION_HASHING)
    email = add_user(site.test_cli_runner())
    with site.app_context():
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        method, cost = user.password_hash.split("$")[0].split(":", 1)
        assert method == "scrypt" and int(cost.split(":")[0]) >= 2 ** 15
        codes = db.session.scalars(db.select(RecoveryCode).where(RecoveryCode.staff_id == user.id)).all()
        assert len(codes) == 10
        assert all(code.code_hash.startswith("pbkdf2:sha256:") and int(code.code_hash.split("$")[0].split(":")[2]) >= 60000
                   for code in codes)
    client = site.test_client()  # and the owner still gets in with them
    assert sign_in(client, email, PASSWORD).status_code == 303


def test_signing_in_and_out(client, runner):
    email = add_user(runner)
    wrong = sign_in(client, email, "not the password")
    assert wrong.status_code == 200
    assert [text_of(a) for a in parse(wrong).select(".govuk-error-summary__list a")] == ["Enter the email address and password for your account"]
    unknown = sign_in(client, "nobody@example.org")
    assert text_of(parse(unknown).select_one(".govuk-error-summary__list a")) == "Enter the email address and password for your account"
    response = sign_in(client, email.upper())
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/referrals")
    inbox = client.get("/staff/referrals")
    assert heading(parse(inbox)) == "Referrals" and "Signed in as" in text_of(parse(inbox))
    client.post("/staff/sign-out", data={"csrf_token": token_on(inbox)})
    assert client.get("/staff/referrals").headers["Location"].endswith("/staff/sign-in")


REFUSED = "Enter the email address and password for your account"


def refusal_on(page):
    """The sign-in page's error summary, checked to point at the email field, which is marked as wrong."""
    soup = parse(page)
    assert page.status_code == 200 and soup.select_one("#email").find_parent(class_="govuk-form-group--error")
    return [text_of(a) for a in soup.select(".govuk-error-summary__list a")]


def test_an_account_locks_after_five_failures_and_says_no_more_than_a_wrong_password(app, client, runner):
    email = add_user(runner)
    for _ in range(5):
        assert refusal_on(sign_in(client, email, "guess")) == [REFUSED]
    still = sign_in(client, email)  # the right password does not open a locked account
    assert refusal_on(still) == [REFUSED]  # word for word what an unknown email gets
    assert refusal_on(sign_in(client, "nobody@example.org")) == [REFUSED]
    assert "After 5 wrong attempts in a row, an account is locked for 15 minutes" in text_of(parse(still))
    assert client.get("/staff/referrals").headers["Location"].endswith("/staff/sign-in")
    assert runner.invoke(args=["users", "unlock", email]).exit_code == 0
    assert sign_in(client, email).status_code == 303


def test_a_lock_ends_after_15_minutes(app, client, runner):
    email = add_user(runner)
    for _ in range(5):
        sign_in(client, email, "guess")
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        assert user.locked_until > utc_now() + timedelta(minutes=14)
        user.locked_until = utc_now() - timedelta(seconds=1)
        db.session.commit()
    assert sign_in(client, email).status_code == 303


def test_the_password_typed_is_never_shown_back(client, runner):
    page = sign_in(client, add_user(runner), "my secret guess")
    assert "my secret guess" not in page.get_data(as_text=True)


def move_sessions_back(app, email, **ago):
    """Make every session of ``email`` look as if it started and was last used this long ago."""
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        for row in db.session.scalars(db.select(StaffSession).where(StaffSession.staff_id == user.id)):
            row.started_at -= timedelta(**ago)
            row.seen_at -= timedelta(**ago)
        db.session.commit()


def test_a_session_ends_after_30_minutes_without_activity(app, client, runner):
    email = add_user(runner)
    sign_in(client, email)
    assert client.get("/staff/referrals").status_code == 200
    move_sessions_back(app, email, minutes=29)
    assert client.get("/staff/referrals").status_code == 200
    move_sessions_back(app, email, minutes=31)
    response = client.get("/staff/referrals")
    assert response.headers["Location"].endswith("/staff/sign-in")
    assert "You were signed out because you had not done anything for a while" in text_of(parse(client.get("/staff/sign-in")))


def test_no_one_signed_out_sees_any_referral(client, worcester_referral):
    for path in ("/staff/referrals", f"/staff/referrals/{worcester_referral}",
                 f"/staff/referrals/{worcester_referral}/export.json", f"/staff/referrals/{worcester_referral}/print", "/staff/audit"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"].endswith("/staff/sign-in"), path
        assert "Amelia" not in response.get_data(as_text=True)


def test_a_team_member_sees_only_their_districts(app, client, runner, worcester_referral, redditch_referral):
    sign_in(client, add_user(runner, districts=("worcester",)))
    inbox = parse(client.get("/staff/referrals?status=new"))
    listed = [text_of(a) for a in inbox.select("#inbox tbody th a")]
    assert worcester_referral in listed and redditch_referral not in listed
    for path in (f"/staff/referrals/{redditch_referral}", f"/staff/referrals/{redditch_referral}/export.json",
                 f"/staff/referrals/{redditch_referral}/print", "/staff/referrals/AAAA-AAAA", "/staff/referrals/not-a-reference"):
        assert client.get(path).status_code == 404, path
    page = client.get(f"/staff/referrals/{worcester_referral}")
    main = text_of(parse(page).find("main"))
    assert "Amelia Testperson" in main and "12 Quillwort Lane" in main and "Safe to leave a voicemail No" in main
    with app.app_context():
        assert not db.session.scalar(db.select(ReferralAudit).where(ReferralAudit.reference == redditch_referral))


def as_the_team_sees_it(client, reference):
    """What a team member who may open the referral sees: its status, its history and its inbox row."""
    page = parse(client.get(f"/staff/referrals/{reference}"))
    assert heading(page) == f"Referral {reference}"
    status = text_of(page.select_one("#status"))
    history = [[text_of(td) for td in tr.select("td")] for tr in page.select("main table tbody tr")]
    inbox = parse(client.get(f"/staff/referrals?status={STATUS_SLUGS[status]}"))
    rows = [text_of(tr) for tr in inbox.select("#inbox tbody tr") if reference in text_of(tr)]
    return {"status": status, "history": history, "inbox": rows}


STATUS_SLUGS = {"New": "new", "In review": "in-review", "Accepted": "accepted", "Signposted": "signposted",
                "Declined": "declined", "Closed": "closed"}


def as_stored(app, reference):
    with app.app_context():
        referral = db.session.scalar(db.select(Referral).where(Referral.reference == reference))
        return {"status": referral.status, "closed_at": referral.closed_at,
                "events": [(e.at, e.user_id, e.status_from, e.status_to, e.note) for e in referral.events]}


def test_a_team_member_cannot_change_close_export_or_print_another_districts_referral(
        app, client, runner, worcester_referral, redditch_referral):
    redditch = app.test_client()
    sign_in(redditch, add_user(runner, districts=("redditch",)))
    page = redditch.get(f"/staff/referrals/{redditch_referral}")
    moved = redditch.post(f"/staff/referrals/{redditch_referral}",
                          data={"status": "in-review", "note": "Left a message for Riley", "csrf_token": token_on(page)})
    assert moved.status_code == 303  # the referral has a history that must stay as it is
    seen_before, stored_before = as_the_team_sees_it(redditch, redditch_referral), as_stored(app, redditch_referral)
    assert seen_before["status"] == "In review" and len(seen_before["history"]) == 1 and len(seen_before["inbox"]) == 1

    worcester = add_user(runner, districts=("worcester",))
    sign_in(client, worcester)
    own = parse(client.get(f"/staff/referrals/{worcester_referral}"))  # real tokens, from a page this member may open
    status_token = own.select_one("form:not([action]) input[name=csrf_token]")["value"]
    close_token = own.select_one(f'form[action="/staff/referrals/{worcester_referral}/close"] input[name=csrf_token]')["value"]
    read = client.get(f"/staff/referrals/{redditch_referral}")
    assert read.status_code == 404
    attempts = {}
    for reference in (redditch_referral, redditch_referral.lower()):
        attempts[f"decline {reference}"] = client.post(
            f"/staff/referrals/{reference}", data={"status": "declined", "note": "Not for us", "csrf_token": status_token})
        attempts[f"note only {reference}"] = client.post(
            f"/staff/referrals/{reference}", data={"status": "in-review", "note": "Worcester was here", "csrf_token": status_token})
        attempts[f"close {reference}"] = client.post(f"/staff/referrals/{reference}/close", data={"csrf_token": close_token})
        attempts[f"export {reference}"] = client.get(f"/staff/referrals/{reference}/export.json")
        attempts[f"print {reference}"] = client.get(f"/staff/referrals/{reference}/print")
    for name, response in attempts.items():
        assert response.status_code == read.status_code, name
        assert heading(parse(response)) == "Page not found", name
        body = response.get_data(as_text=True)
        assert "Riley" not in body and "Left a message" not in body and "B97 4QQ" not in body, name

    assert as_stored(app, redditch_referral) == stored_before
    assert as_the_team_sees_it(redditch, redditch_referral) == seen_before
    with app.app_context():
        touched = db.session.scalars(db.select(ReferralAudit).join(StaffUser).where(StaffUser.email == worcester)).all()
        assert [(row.reference, row.action) for row in touched] == [(worcester_referral, "view")]
    # The same tokens change this member's own referral: the refusals above were the district check, not CSRF.
    mine = client.post(f"/staff/referrals/{worcester_referral}", data={"status": "accepted", "csrf_token": status_token})
    assert mine.status_code == 303
    assert client.post(f"/staff/referrals/{worcester_referral}/close", data={"csrf_token": close_token}).status_code == 303
    assert as_stored(app, worcester_referral)["status"] == "closed"


def test_a_team_member_for_two_districts_and_one_for_all_see_both_and_an_admin_alone_sees_none(
        client, runner, worcester_referral, redditch_referral):
    sign_in(client, add_user(runner, districts=("worcester", "redditch")))
    listed = text_of(parse(client.get("/staff/referrals")).find("main"))
    assert worcester_referral in listed and redditch_referral in listed
    admin = parse(client.get("/staff/audit"))
    assert heading(admin) == "Page not found"  # team members have no audit log
    everywhere = client.application.test_client()
    sign_in(everywhere, add_user(runner, role=("team", "admin"), districts="all"))
    assert client.get(f"/staff/referrals/{redditch_referral}").status_code == 200
    assert everywhere.get(f"/staff/referrals/{redditch_referral}").status_code == 200
    # An admin who is not a team member looks after accounts, and reads no referral.
    admin_only = client.application.test_client()
    signed_in = sign_in(admin_only, add_user(runner, role="admin", districts=()))
    assert signed_in.headers["Location"].endswith("/staff/users")
    for path in ("/staff/referrals", f"/staff/referrals/{redditch_referral}", f"/staff/referrals/{redditch_referral}/print",
                 f"/staff/referrals/{redditch_referral}/export.json"):
        page = admin_only.get(path)
        assert page.status_code == 404 and heading(parse(page)) == "Page not found", path
    assert "Referrals" not in text_of(parse(admin_only.get("/staff/users")).select_one(".app-staff-bar"))


def test_every_view_is_audited_and_admins_can_list_them(app, client, runner, worcester_referral):
    email = add_user(runner)
    sign_in(client, email)
    client.get(f"/staff/referrals/{worcester_referral}")
    client.get(f"/staff/referrals/{worcester_referral}")
    client.get(f"/staff/referrals/{worcester_referral}/print")
    client.get(f"/staff/referrals/{worcester_referral}/export.json")
    with app.app_context():
        rows = db.session.scalars(db.select(ReferralAudit).where(ReferralAudit.reference == worcester_referral).order_by(ReferralAudit.id)).all()
        assert [row.action for row in rows] == ["view", "view", "print", "export"]
        assert {row.user.email for row in rows} == {email}
    admin = app.test_client()
    sign_in(admin, add_user(runner, role="admin", districts=()))
    page = parse(admin.get(f"/staff/audit?reference={worcester_referral.lower()}"))
    lines = [[text_of(td) for td in tr.select("td")] for tr in page.select("#audit-log tbody tr")]
    assert [line[3] for line in lines] == ["Exported", "Printed", "Opened", "Opened"]
    assert all(line[1] == email and line[2] == worcester_referral for line in lines)
    for bad in ("?page=0", "?page=abc", "?page=99999999999", "?reference=%00", "?page=²"):
        assert admin.get(f"/staff/audit{bad}").status_code == 200, bad


def test_changing_status_records_who_when_and_a_note(app, client, runner, worcester_referral):
    email = add_user(runner)
    sign_in(client, email)
    page = client.get(f"/staff/referrals/{worcester_referral}")
    note = "Spoke to mum, offered a family support worker"
    response = client.post(f"/staff/referrals/{worcester_referral}", data={"status": "accepted", "note": note, "csrf_token": token_on(page)})
    assert response.status_code == 303
    page = parse(client.get(f"/staff/referrals/{worcester_referral}"))
    assert text_of(page.select_one("#status")) == "Accepted"
    history = [text_of(td) for td in page.select("main table tbody tr td")]
    assert history[2] == "New → Accepted" and history[3] == note and history[1].startswith("Staff ")
    with app.app_context():
        event = db.session.scalar(db.select(ReferralEvent).join(Referral).where(Referral.reference == worcester_referral))
        assert event.user.email == email and note not in event.note  # the note is encrypted
    bad = client.post(f"/staff/referrals/{worcester_referral}", data={"status": "lost", "csrf_token": token_on(client.get(f"/staff/referrals/{worcester_referral}"))})
    assert bad.status_code == 200 and parse(bad).select_one(".govuk-error-summary")
    assert "Accepted" in text_of(parse(client.get("/staff/referrals?status=accepted")).find("main"))


def test_overdue_referrals_are_highlighted(app, client, runner, worcester_referral):
    with app.app_context():
        referral = db.session.scalar(db.select(Referral).where(Referral.reference == worcester_referral))
        referral.decide_by = clock.today() - timedelta(days=1)
        db.session.commit()
    sign_in(client, add_user(runner))
    row = [tr for tr in parse(client.get("/staff/referrals")).select("#inbox tbody tr") if worcester_referral in text_of(tr)][0]
    assert "app-inbox__overdue" in row["class"] and "Overdue" in text_of(row)


def test_export_then_close(app, client, runner, worcester_referral):
    sign_in(client, add_user(runner))
    exported = client.get(f"/staff/referrals/{worcester_referral}/export.json")
    assert exported.headers["Content-Disposition"] == f'attachment; filename="referral-{worcester_referral}.json"'
    data = json.loads(exported.get_data())
    assert data["reference"] == worcester_referral and data["district"]["name"] == "Worcester"
    assert data["answers"]["children"][0]["name"] == "Amelia Testperson"
    printed = parse(client.get(f"/staff/referrals/{worcester_referral}/print"))
    assert "Amelia Testperson" in text_of(printed.find("main")) and "Official – sensitive" in text_of(printed.find("main"))
    page = client.get(f"/staff/referrals/{worcester_referral}")
    close = parse(page).select_one(f'form[action="/staff/referrals/{worcester_referral}/close"] input[name="csrf_token"]')["value"]
    client.post(f"/staff/referrals/{worcester_referral}/close", data={"csrf_token": close})
    assert text_of(parse(client.get(f"/staff/referrals/{worcester_referral}")).select_one("#status")) == "Closed"
    with app.app_context():
        assert db.session.scalar(db.select(Referral.closed_at).where(Referral.reference == worcester_referral)) is not None


def test_purge_deletes_old_closed_referrals_and_expired_drafts(app, runner, worcester_referral, redditch_referral):
    with app.app_context():
        old = db.session.scalar(db.select(Referral).where(Referral.reference == worcester_referral))
        old.status, old.closed_at = "closed", utc_now() - timedelta(days=31)
        db.session.add(ReferralEvent(referral=old, at=old.closed_at, status_from="new", status_to="closed"))
        db.session.add(ReferralAudit(at=old.closed_at, reference=old.reference, action="view"))
        recent = db.session.scalar(db.select(Referral).where(Referral.reference == redditch_referral))
        recent.status, recent.closed_at = "closed", utc_now() - timedelta(days=2)
        db.session.add(ReferralDraft(key="f" * 64, answers="x", started_at=utc_now() - timedelta(days=2),
                                     expires_at=utc_now() - timedelta(days=1), trapped=False))
        db.session.commit()
        old_id = old.id
    result = runner.invoke(args=["referrals", "purge"])
    assert result.exit_code == 0
    assert "Deleted 1 closed referrals (closed 30 or more days ago)" in result.output and worcester_referral in result.output
    assert redditch_referral not in result.output
    with app.app_context():
        assert db.session.scalar(db.select(Referral).where(Referral.reference == worcester_referral)) is None
        assert db.session.scalar(db.select(Referral).where(Referral.reference == redditch_referral)) is not None
        assert db.session.get(ReferralDraft, "f" * 64) is None
        assert db.session.scalar(db.select(ReferralAudit).where(ReferralAudit.reference == worcester_referral))  # the audit stays
        assert not db.session.scalars(db.select(ReferralEvent).where(ReferralEvent.referral_id == old_id)).all()


def test_staff_pages_are_never_stored_or_indexed(client, runner, worcester_referral):
    assert client.get("/staff/sign-in").headers["Cache-Control"] == "no-store"
    sign_in(client, add_user(runner))
    for path in ("/staff/referrals", f"/staff/referrals/{worcester_referral}", f"/staff/referrals/{worcester_referral}/export.json"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store" and "noindex" in response.headers["X-Robots-Tag"], path


def test_a_form_with_a_stale_token_says_sign_in_again(client, runner, worcester_referral):
    sign_in(client, add_user(runner))
    response = client.post(f"/staff/referrals/{worcester_referral}", data={"status": "accepted", "csrf_token": "stale"})
    assert response.status_code == 400 and heading(parse(response)) == "This page timed out"
    assert parse(response).select_one("main a")["href"] == "/staff/sign-in"

"""Admins invite staff by email, give them roles and districts, and every change is in the audit log."""

import re
from datetime import timedelta

from app.extensions import db
from app.models import PasswordReset, StaffAudit, StaffUser
from tests.fuzzing import error_summary
from tests.pages import heading, parse, text_of
from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, reference_on
from tests.staff import factors
from tests.staff.test_password_reset import emails_to
from tests.staff.test_staff import add_user, sign_in, site_now, token_on

INVITE_LINK = re.compile(r"http://family-hub\.test(/staff/invitation/[A-Za-z0-9_-]+)")
NEW_PASSWORD = "ferry lantern orchard pebble"


def admin_client(app, runner):
    client = app.test_client()
    email = add_user(runner, role="admin", districts=())
    sign_in(client, email)
    return client, email


def invite(client, name, email, roles=("team",), districts=("worcester",)):
    page = client.get("/staff/users/invite")
    return client.post("/staff/users/invite", data={"name": name, "email": email, "roles": list(roles),
                                                    "districts": list(districts), "csrf_token": token_on(page)})


def member(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        db.session.expunge(user)
        return user


def accept(app, email, password=NEW_PASSWORD):
    """Follow the invitation's link, choose a password and set up the app: the client, signed in."""
    link = INVITE_LINK.search(emails_to(app, email)[-1]).group(1)
    client = app.test_client()
    page = client.get(link, follow_redirects=True)
    assert heading(parse(page)) == "Choose your password"
    chosen = client.post("/staff/invitation/new", data={"new": password, "confirm": password, "csrf_token": token_on(page)})
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/staff/sign-in/set-up")
    set_up = client.get("/staff/sign-in/set-up")
    factors.learn(email, text_of(parse(set_up).select_one("#secret")))
    codes = client.post("/staff/sign-in/set-up", data={"code": factors.app_code(email, site_now(client)),
                                                       "csrf_token": token_on(set_up)})
    assert codes.status_code == 200 and heading(parse(codes)) == "Your recovery codes"
    return client, link


def test_an_admin_invites_a_member_who_chooses_a_password_and_sets_up_a_second_factor(app, runner):
    admin, admin_email = admin_client(app, runner)
    sent = invite(admin, "Priya Demo", "Priya.Demo@example.org", roles=("team", "editor"), districts=("worcester", "redditch"))
    assert sent.status_code == 303
    page = parse(admin.get(sent.headers["Location"]))
    assert "Priya Demo is invited" in text_of(page.select_one(".govuk-notification-banner"))
    shown = text_of(page.find("main"))
    assert "Team member, Editor" in shown and "Worcester, Redditch" in shown and "Invited" in shown
    body = emails_to(app, "priya.demo@example.org")[-1]
    assert "within 7 days" in body and NEW_PASSWORD not in body
    client, link = accept(app, "priya.demo@example.org")
    assert client.get("/staff").headers["Location"].endswith("/staff/referrals")  # signed in, a team member first
    assert client.get("/staff/services").status_code == 200  # and an editor
    assert client.get("/staff/users").status_code == 404  # not an admin
    # The link worked once.
    again = app.test_client().get(link)
    assert again.status_code == 410 and heading(parse(again)) == "This invitation no longer works"
    # Signing in later takes the password chosen and the app set up.
    later = app.test_client()
    assert sign_in(later, "priya.demo@example.org", NEW_PASSWORD).headers["Location"].endswith("/staff/referrals")
    with app.app_context():
        rows = db.session.scalars(db.select(StaffAudit).order_by(StaffAudit.id)).all()
        invited = [row for row in rows if row.action == "invite" and row.member.email == "priya.demo@example.org"]
        assert len(invited) == 1 and invited[0].admin.email == admin_email
        assert invited[0].detail == "Team member, Editor; Worcester, Redditch"


def test_an_invitation_expires_after_7_days_and_a_new_one_replaces_it(app, runner):
    admin, _ = admin_client(app, runner)
    invite(admin, "Sam Demo", "sam.demo@example.org")
    first = INVITE_LINK.search(emails_to(app, "sam.demo@example.org")[-1]).group(1)
    with app.app_context():
        for row in db.session.scalars(db.select(PasswordReset).where(PasswordReset.purpose == "invite")):
            row.expires_at -= timedelta(days=7, minutes=1)
        db.session.commit()
    expired = app.test_client().get(first)
    assert expired.status_code == 410 and "ask the admin who invited you" in text_of(parse(expired).find("main"))
    sam = member(app, "sam.demo@example.org")
    page = admin.get(f"/staff/users/{sam.id}")
    resent = admin.post(f"/staff/users/{sam.id}/resend-invitation", data={"csrf_token": token_on(page)})
    assert resent.status_code == 303
    assert "has been sent a new invitation" in text_of(parse(admin.get(resent.headers["Location"])).find("main"))
    assert len(emails_to(app, "sam.demo@example.org")) == 2
    accept(app, "sam.demo@example.org")
    # Once they have signed in, there is no invitation to send.
    page = admin.get(f"/staff/users/{sam.id}")
    assert "Send the invitation again" not in text_of(parse(page).find("main"))
    assert admin.post(f"/staff/users/{sam.id}/resend-invitation", data={"csrf_token": token_on(page)}).status_code == 404


def test_a_reset_link_is_not_an_invitation_and_an_invitation_is_not_a_reset_link(app, runner):
    admin, _ = admin_client(app, runner)
    invite(admin, "Lee Demo", "lee.demo@example.org")
    link = INVITE_LINK.search(emails_to(app, "lee.demo@example.org")[-1]).group(1)
    token = link.rsplit("/", 1)[1]
    assert app.test_client().get(f"/staff/reset-password/{token}").status_code == 410


def test_the_invite_form_says_what_is_wrong(app, runner):
    admin, admin_email = admin_client(app, runner)
    cases = {
        ("", "", (), ()): ["Enter their full name", "Enter their email address", "Select at least one role"],
        ("Kim", "not-an-email", ("team",), ()): ["Enter an email address in the correct format, like name@example.com",
                                                  "Select the districts they work in, or all districts"],
        ("Kim", "kim@example.org", ("editor",), ("*", "worcester")): ["Select all districts, or some districts, but not both"],
        ("Kim", admin_email.upper(), ("admin",), ()): ["There is already a staff member with this email address"],
        ("Kim", "kim@example.org", ("owner",), ("worcester",)): ["Select one of the options given"],
    }
    for (name, email, roles, districts), expected in cases.items():
        page = invite(admin, name, email, roles, districts)
        assert page.status_code == 200 and [text for text, _ in error_summary(parse(page))] == expected, (name, email, roles)
    with app.app_context():
        assert db.session.scalar(db.select(StaffUser).where(StaffUser.email == "kim@example.org")) is None


def test_an_admin_changes_roles_and_districts_and_it_takes_effect_at_once(app, runner):
    worcester_referral = reference_on(fill_in(app.test_client(), PARENT))
    redditch_referral = reference_on(fill_in(app.test_client(), YOUNG_PERSON))
    admin, _ = admin_client(app, runner)
    email = add_user(runner)
    client = app.test_client()
    sign_in(client, email)
    assert client.get(f"/staff/referrals/{redditch_referral}").status_code == 404
    assert client.get("/staff/services").status_code == 404
    someone = member(app, email)
    page = admin.get(f"/staff/users/{someone.id}/access")
    assert heading(parse(page)) == "Change roles and districts"
    saved = admin.post(f"/staff/users/{someone.id}/access", data={"roles": ["team", "editor"], "districts": ["redditch"],
                                                                  "csrf_token": token_on(page)})
    assert saved.status_code == 303
    assert client.get(f"/staff/referrals/{redditch_referral}").status_code == 200
    assert client.get(f"/staff/referrals/{worcester_referral}").status_code == 404
    assert client.get("/staff/services").status_code == 200
    audit = parse(admin.get("/staff/audit/accounts"))
    rows = [[text_of(cell) for cell in row.select("td")] for row in audit.select("#account-changes tbody tr")]
    assert rows[0][2] == email and rows[0][3] == "Changed roles or districts Team member; Worcester → Team member, Editor; Redditch"


def test_an_admin_cannot_take_away_their_own_admin_role(app, runner):
    admin, admin_email = admin_client(app, runner)
    me = member(app, admin_email)
    page = admin.get(f"/staff/users/{me.id}/access")
    refused = admin.post(f"/staff/users/{me.id}/access", data={"roles": ["team"], "districts": ["worcester"], "csrf_token": token_on(page)})
    assert error_summary(parse(refused)) == [("You cannot take away your own admin role. Ask another admin to do it.", "roles")]
    assert member(app, admin_email).roles == ["admin"]


def test_account_actions_are_audited_and_only_admins_reach_them(app, runner):
    admin, _ = admin_client(app, runner)
    email = add_user(runner, role=("team", "editor"))
    someone = member(app, email)
    page = admin.get(f"/staff/users/{someone.id}")
    for what in ("sign-out", "deactivate", "reactivate"):
        assert admin.post(f"/staff/users/{someone.id}/{what}", data={"csrf_token": token_on(page)}).status_code == 303
    shown = parse(admin.get(f"/staff/users/{someone.id}"))
    listed = [text_of(row.select("td")[2]) for row in shown.select("#account-changes tbody tr")]
    assert listed == ["Reactivated", "Deactivated", "Signed out everywhere"]
    editor = app.test_client()
    sign_in(editor, email)
    for path in ("/staff/users", "/staff/users/invite", f"/staff/users/{someone.id}/access", "/staff/audit/accounts"):
        assert editor.get(path).status_code == 404, path


def test_the_first_admin_is_made_on_the_command_line(runner):
    made = runner.invoke(args=["users", "create", "first.admin@example.org", "--name", "First Admin", "--role", "admin",
                               "--password", "a long enough password"])
    assert made.exit_code == 0 and "(admin; no districts)" in made.output
    refused = runner.invoke(args=["users", "create", "editor@example.org", "--name", "Ed", "--role", "editor",
                                  "--password", "a long enough password"])
    assert refused.exit_code != 0 and "needs at least one --district" in refused.output

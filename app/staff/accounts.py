"""Your account (change your password, sign out everywhere) and, for admins, the staff list.

Admins invite staff by email, give them roles and districts, and deactivate
them; every change an admin makes to an account is kept in the audit log
(``StaffAudit``), with what it was before.
"""

import secrets

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app import clock
from app.domain.whole_numbers import is_whole_number
from app.extensions import db
from app.models import StaffAudit, StaffUser
from app.models.staff import ALL_DISTRICTS, ROLES
from app.referral.forms import options
from app.staff import bp, second_factor, sessions
from app.staff.auth import admin_required, staff_required
from app.staff.forms import ROLE_HINTS, ROLE_NAMES, AccessForm, ActionForm, InviteForm, PasswordForm
from app.staff.resets import send_invitation
from app.templating import form_error_list

AUDIT_PAGE_SIZE = 100


@bp.route("/account", methods=["GET", "POST"])
@staff_required
def account():
    form = PasswordForm()
    if request.method == "POST" and form.validate_on_submit():
        if not g.staff.password_is(form.current.data):
            form.current.errors = [_("Your current password is not right")]
        elif form.new.data == form.current.data:
            form.new.errors = [_("Your new password must be different from your current one")]
        else:
            user = g.staff
            user.set_password(form.new.data)
            db.session.commit()
            current_app.logger.info("Staff member %s changed their password", user.id)
            # Every other browser signed in as you is signed out; this one starts again.
            sessions.end_all(user.id)
            sessions.begin(user, second_factor=True)  # both were given in this browser already
            session["staff_notice"] = "password-changed"
            return redirect(url_for("staff.account"), 303)
    problems = form_error_list(form)
    return render_template("staff/account.html", form=form, problems=problems, error_title=bool(problems),
                           notice=session.pop("staff_notice", None), everywhere=ActionForm(),
                           codes_left=second_factor.recovery_codes_left(g.staff))


@bp.post("/account/sign-out-everywhere")
@staff_required
def sign_out_everywhere():
    if ActionForm().validate_on_submit():
        sessions.end_all(g.staff.id)
        sessions.end()
        session["staff_signed_out"] = "everywhere"
        return redirect(url_for("staff.sign_in"), 303)
    return redirect(url_for("staff.account"), 303)


@bp.get("/users")
@admin_required
def users():
    members = db.session.scalars(db.select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name, StaffUser.id)).all()
    return render_template("staff/users.html", members=members, now=clock.utc_now(),
                           districts=_district_names())


@bp.get("/users/<member_id>")
@admin_required
def user(member_id):
    member = _member(member_id)
    changes = db.session.scalars(db.select(StaffAudit).where(StaffAudit.member_id == member.id)
                                 .order_by(StaffAudit.at.desc(), StaffAudit.id.desc()).limit(20)).all()
    return render_template("staff/user.html", member=member, now=clock.utc_now(), sessions=sessions.count(member.id),
                           districts=_district_names(), action_form=ActionForm(),
                           notice=session.pop("staff_notice", None), changes=changes)


@bp.post("/account/recovery-codes")
@staff_required
def new_recovery_codes():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.account"), 303)
    codes = second_factor.new_recovery_codes(g.staff)
    current_app.logger.info("Staff member %s made new recovery codes", g.staff.id)
    return render_template("staff/recovery_codes.html", codes=codes, first_time=False)


@bp.post("/users/<member_id>/<any('sign-out', 'unlock', 'deactivate', 'reactivate', 'reset-second-factor', 'resend-invitation'):what>")
@admin_required
def change_user(member_id, what):
    member = _member(member_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.user", member_id=member.id), 303)
    if what in ("deactivate", "sign-out", "reset-second-factor") and member.id == g.staff.id:
        abort(404)  # your own sessions end from Your account; no admin can deactivate themself
    if what == "resend-invitation":
        if member.last_sign_in_at is not None or member.totp_enabled_at is not None or not member.active:
            abort(404)  # they have an account already: a forgotten password has its own link
        send_invitation(member)
    elif what == "sign-out":
        sessions.end_all(member.id)
    elif what == "unlock":
        member.locked_until, member.failed_sign_ins = None, 0
    elif what == "reset-second-factor":
        second_factor.reset(member)
        sessions.end_all(member.id)
    elif what == "deactivate":
        member.active = False
        sessions.end_all(member.id)
    else:
        member.active = True
    record(member, what)
    db.session.commit()
    current_app.logger.info("Admin %s: %s for staff member %s", g.staff.id, what, member.id)
    session["staff_notice"] = what
    return redirect(url_for("staff.user", member_id=member.id), 303)


def _member(member_id):
    if not (is_whole_number(member_id) and len(member_id) < 10):
        abort(404)
    return db.get_or_404(StaffUser, int(member_id))


def _district_names():
    """For a member, the names of the districts they work in, as shown."""
    names = {district.slug: district.name for district in current_app.extensions["site_settings"].districts}

    def shown(member):
        if member.all_districts:
            return _("All districts")
        return ", ".join(names.get(slug, slug) for slug in member.districts) or _("None")

    return shown


def record(member, action, detail=""):
    """Keep an admin's change to an account in the audit log (committed with the change)."""
    db.session.add(StaffAudit(at=clock.utc_now(), admin_id=g.staff.id, member_id=member.id, action=action, detail=detail[:500]))


def _access_choices(form):
    form.roles.choices = options([(role, ROLE_NAMES[role]) for role in ROLES])
    districts = current_app.extensions["site_settings"].districts
    form.districts.choices = options([(ALL_DISTRICTS, _("All districts, including any added later"))]
                                     + [(district.slug, district.name) for district in districts])
    return form


def _access_of(member):
    return {"roles": member.roles, "districts": [ALL_DISTRICTS] if member.all_districts else member.districts}


def _describe(access):
    names = {district.slug: district.name for district in current_app.extensions["site_settings"].districts}
    districts = [str(_("All districts")) if slug == ALL_DISTRICTS else names.get(slug, slug) for slug in access["districts"]]
    return f"{', '.join(str(ROLE_NAMES[role]) for role in access['roles'])}; {', '.join(districts) or _('no districts')}"


def _apply_access(member, form):
    member.roles = form.roles.data
    chosen = form.districts.data or []
    member.district_slugs = ALL_DISTRICTS if ALL_DISTRICTS in chosen else ",".join(chosen)


@bp.route("/users/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = _access_choices(InviteForm())
    if request.method == "POST" and form.validate_on_submit():
        email = form.email.data.strip().lower()
        if db.session.scalar(db.select(StaffUser.id).where(StaffUser.email == email)) is not None:
            form.email.errors = [_("There is already a staff member with this email address")]
        else:
            # No one knows this password: the invitation's link chooses the real one.
            member = StaffUser(email=email, name=form.name.data.strip(), active=True, failed_sign_ins=0)
            member.set_password(secrets.token_urlsafe(32))
            _apply_access(member, form)
            db.session.add(member)
            db.session.flush()
            record(member, "invite", _describe(_access_of(member)))
            send_invitation(member)  # commits
            current_app.logger.info("Admin %s invited staff member %s", g.staff.id, member.id)
            session["staff_notice"] = "invited"
            return redirect(url_for("staff.user", member_id=member.id), 303)
    problems = form_error_list(form)
    return render_template("staff/invite.html", form=form, problems=problems, error_title=bool(problems), role_hints=ROLE_HINTS)


@bp.route("/users/<member_id>/access", methods=["GET", "POST"])
@admin_required
def access(member_id):
    member = _member(member_id)
    form = _access_choices(AccessForm(data=_access_of(member)))
    if request.method == "POST" and form.validate_on_submit():
        if member.id == g.staff.id and "admin" not in form.roles.data:
            form.roles.errors = [_("You cannot take away your own admin role. Ask another admin to do it.")]
        else:
            before = _access_of(member)
            _apply_access(member, form)
            after = _access_of(member)
            if after != before:
                record(member, "access", f"{_describe(before)} → {_describe(after)}")
            db.session.commit()
            current_app.logger.info("Admin %s changed the roles or districts of staff member %s", g.staff.id, member.id)
            session["staff_notice"] = "access"
            return redirect(url_for("staff.user", member_id=member.id), 303)
    problems = form_error_list(form)
    return render_template("staff/access.html", member=member, form=form, problems=problems, error_title=bool(problems),
                           role_hints=ROLE_HINTS)


@bp.get("/audit/accounts")
@admin_required
def account_audit():
    page = request.args.get("page", "1")
    page = int(page) if is_whole_number(page) and 0 < len(page) < 6 and int(page) > 0 else 1
    query = db.select(StaffAudit).order_by(StaffAudit.at.desc(), StaffAudit.id.desc())
    rows = db.session.scalars(query.offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE + 1)).all()
    return render_template("staff/account_audit.html", rows=rows[:AUDIT_PAGE_SIZE], page=page, more=len(rows) > AUDIT_PAGE_SIZE)

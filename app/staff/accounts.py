"""Your account (change your password, sign out everywhere) and, for admins, the staff list."""

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app import clock
from app.domain.whole_numbers import is_whole_number
from app.extensions import db
from app.models import StaffUser
from app.staff import bp, second_factor, sessions
from app.staff.auth import admin_required, staff_required
from app.staff.forms import ActionForm, PasswordForm
from app.templating import form_error_list


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
    return render_template("staff/user.html", member=member, now=clock.utc_now(), sessions=sessions.count(member.id),
                           districts=_district_names(), action_form=ActionForm(), notice=session.pop("staff_notice", None))


@bp.post("/account/recovery-codes")
@staff_required
def new_recovery_codes():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.account"), 303)
    codes = second_factor.new_recovery_codes(g.staff)
    current_app.logger.info("Staff member %s made new recovery codes", g.staff.id)
    return render_template("staff/recovery_codes.html", codes=codes, first_time=False)


@bp.post("/users/<member_id>/<any('sign-out', 'unlock', 'deactivate', 'reactivate', 'reset-second-factor'):what>")
@admin_required
def change_user(member_id, what):
    member = _member(member_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.user", member_id=member.id), 303)
    if what in ("deactivate", "sign-out", "reset-second-factor") and member.id == g.staff.id:
        abort(404)  # your own sessions end from Your account; no admin can deactivate themself
    if what == "sign-out":
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
    return lambda member: _("All districts") if member.is_admin else ", ".join(names.get(slug, slug) for slug in member.districts)

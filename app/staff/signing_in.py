"""The second step of signing in: a code from the authenticator app, or setting one up the first time."""

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.staff import bp, second_factor, sessions
from app.staff.auth import SignInRefused, give_second_factor, home_for
from app.staff.forms import CodeForm
from app.templating import form_error_list


def _waiting():
    """Whoever gave their password here and has yet to give the second factor (or None: back to the password)."""
    return sessions.pending_user()


@bp.route("/sign-in/code", methods=["GET", "POST"])
def code():
    user = _waiting()
    if user is None:
        return redirect(url_for("staff.sign_in"), 303)
    if not user.totp_enabled_at:
        return redirect(url_for("staff.set_up"), 303)
    form = CodeForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            user = give_second_factor(user, form.code.data)
        except SignInRefused:
            if sessions.pending_user() is None:  # locked after too many tries: start again
                return redirect(url_for("staff.sign_in"), 303)
            form.code.errors = [_("Enter the 6-digit code your authenticator app shows now, or one of your recovery codes")]
        else:
            return redirect(home_for(user), 303)
    problems = form_error_list(form)
    return render_template("staff/code.html", form=form, problems=problems, error_title=bool(problems))


@bp.route("/sign-in/set-up", methods=["GET", "POST"])
def set_up():
    user = _waiting()
    if user is None:
        return redirect(url_for("staff.sign_in"), 303)
    if user.totp_enabled_at:
        return redirect(url_for("staff.code"), 303)
    form = CodeForm()
    if request.method == "POST" and form.validate_on_submit() and user.totp_secret:
        codes = second_factor.confirm_set_up(user, form.code.data)
        if codes is not None:
            sessions.complete(user)
            current_app.logger.info("Staff member %s set up their second factor", user.id)
            # Shown once, in this answer, never stored where they could be read again.
            return render_template("staff/recovery_codes.html", codes=codes, staff=user, first_time=True)
        form.code.errors = [_("Enter the 6-digit code your authenticator app shows for Family Hub now")]
    secret = second_factor.secret_of(user) if request.method == "POST" and user.totp_secret else None
    secret = secret or second_factor.new_secret(user)
    uri = second_factor.provisioning_uri(user, secret)
    problems = form_error_list(form)
    return render_template("staff/set_up.html", form=form, problems=problems, error_title=bool(problems),
                           qr_code=second_factor.qr_code_svg(uri), secret=second_factor.grouped(secret))

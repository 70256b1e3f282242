"""Forgotten passwords and invitations: a single-use link by email, valid for 30 minutes (7 days to accept an invitation).

Asking for a link says the same whether or not the email has an account. The
link's token is random; only its hash is kept. Following it moves the token
out of the address bar into the session, so it is not left in the browser's
history. Choosing a new password ends every session of the account and lifts
a lock (the email proves who they are), and the second factor is still needed
to sign in.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app import clock
from app.domain.tokens import token_hash as _hash
from app.extensions import db, limiter
from app.models import PasswordReset, StaffUser
from app.referral.outbox import queue_email
from app.staff import bp, sessions
from app.staff.forms import NewPasswordForm, ResetRequestForm
from app.templating import form_error_list

RESET_MINUTES = 30
INVITE_DAYS = 7
SESSION_KEY = "staff_reset"
INVITE_SESSION_KEY = "staff_invitation"


def _address_limit():
    return current_app.config["STAFF_RESET_RATE_LIMIT"]


def _the_email_asked_about():
    """A rate-limit key for the account asked about (a keyed hash of the email)."""
    import hmac

    email = (request.form.get("email") or "").strip().lower()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), email.encode(), hashlib.sha256).hexdigest()[:32]


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(lambda: current_app.config["STAFF_RESET_ACCOUNT_LIMIT"], methods=["POST"], key_func=_the_email_asked_about)
def reset_password():
    form = ResetRequestForm()
    if request.method == "POST" and form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)) if email.isprintable() else None
        if user is not None and user.active:
            _send_link(user)
        return render_template("staff/reset_sent.html", minutes=RESET_MINUTES)
    problems = form_error_list(form)
    return render_template("staff/reset_request.html", form=form, problems=problems, error_title=bool(problems))


def _send_link(user):
    token, now = secrets.token_urlsafe(32), clock.utc_now()
    db.session.add(PasswordReset(token_hash=_hash(token), staff_id=user.id, created_at=now,
                                 expires_at=now + timedelta(minutes=RESET_MINUTES)))
    link = f"{current_app.config['SITE_URL']}{url_for('staff.follow_reset_link', token=token)}"
    with force_locale("en"):
        queue_email(user.email, _("Choose a new Family Hub password"), "\n\n".join([
            _("Someone asked to choose a new password for your Family Hub staff account."),
            _("To choose one, open this link within %(minutes)s minutes. It works once: %(link)s",
              minutes=RESET_MINUTES, link=link),
            _("If it was not you, you need do nothing: your password has not changed. Tell your admin if it happens again."),
        ]))
    db.session.commit()
    current_app.logger.info("Password reset link queued for staff member %s", user.id)


def send_invitation(user):
    """Email a new staff member a link to choose their password and set up their second factor (and commit)."""
    token, now = secrets.token_urlsafe(32), clock.utc_now()
    db.session.execute(db.delete(PasswordReset).where(PasswordReset.staff_id == user.id, PasswordReset.purpose == "invite"))
    db.session.add(PasswordReset(token_hash=_hash(token), staff_id=user.id, created_at=now, purpose="invite",
                                 expires_at=now + timedelta(days=INVITE_DAYS)))
    link = f"{current_app.config['SITE_URL']}{url_for('staff.follow_invitation', token=token)}"
    with force_locale("en"):
        queue_email(user.email, _("You are invited to Family Hub’s staff area"), "\n\n".join([
            _("Hello %(name)s,", name=user.name),
            _("You have been given an account in Family Hub’s staff area."),
            _("To choose your password and set up the authenticator app on your phone, open this link within "
              "%(days)s days. It works once: %(link)s", days=INVITE_DAYS, link=link),
            _("If you were not expecting this, you need do nothing, and no one can use the account without the link."),
        ]))
    db.session.commit()


def _usable(token_hash, purpose="reset"):
    row = db.session.get(PasswordReset, token_hash) if token_hash else None
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= clock.utc_now():
        return None
    return row


@bp.get("/reset-password/<token>")
def follow_reset_link(token):
    if len(token) > 100 or _usable(_hash(token)) is None:
        return render_template("staff/reset_expired.html", minutes=RESET_MINUTES), 410
    sessions.end()
    session[SESSION_KEY] = _hash(token)
    return redirect(url_for("staff.choose_password"), 303)


@bp.route("/reset-password/new", methods=["GET", "POST"])
def choose_password():
    return _choose(SESSION_KEY, "reset")


@bp.get("/invitation/<token>")
def follow_invitation(token):
    if len(token) > 100 or _usable(_hash(token), "invite") is None:
        return render_template("staff/invitation_expired.html", days=INVITE_DAYS), 410
    sessions.end()
    session[INVITE_SESSION_KEY] = _hash(token)
    return redirect(url_for("staff.accept_invitation"), 303)


@bp.route("/invitation/new", methods=["GET", "POST"])
def accept_invitation():
    return _choose(INVITE_SESSION_KEY, "invite")


def _choose(key, purpose):
    """Choose a password from a link's token kept in the session: a reset signs in afresh; an invitation
    goes on to set up the second factor, since the link and the new password are both proof."""
    row = _usable(session.get(key) if isinstance(session.get(key), str) else None, purpose)
    if row is None:
        session.pop(key, None)
        if purpose == "invite":
            return render_template("staff/invitation_expired.html", days=INVITE_DAYS), 410
        return render_template("staff/reset_expired.html", minutes=RESET_MINUTES), 410
    form = NewPasswordForm()
    if request.method == "POST" and form.validate_on_submit():
        now = clock.utc_now()
        table = PasswordReset.__table__
        taken = db.session.execute(table.update().where(
            table.c.token_hash == row.token_hash, table.c.used_at.is_(None), table.c.expires_at > now,
        ).values(used_at=now)).rowcount
        user = db.session.get(StaffUser, row.staff_id) if taken == 1 else None
        if user is not None and user.active:
            user.set_password(form.new.data)
            user.failed_sign_ins, user.locked_until = 0, None
            db.session.execute(db.delete(PasswordReset).where(PasswordReset.staff_id == user.id,
                                                              PasswordReset.token_hash != row.token_hash))
            db.session.commit()
            sessions.end_all(user.id)
            current_app.logger.info("Staff member %s chose a new password from %s link", user.id,
                                    "an invitation" if purpose == "invite" else "a reset")
        else:
            db.session.commit()
        session.clear()
        if purpose == "invite" and user is not None and user.active:
            sessions.begin(user)  # the second factor comes next, as after a password
            return redirect(url_for("staff.set_up"), 303)
        session["staff_signed_out"] = "password-reset" if user is not None else None
        return redirect(url_for("staff.sign_in"), 303)
    problems = form_error_list(form)
    return render_template("staff/reset_choose.html", form=form, problems=problems, error_title=bool(problems),
                           invitation=purpose == "invite")


def purge():
    """Delete reset links that can no longer be used."""
    now = clock.utc_now()
    done = db.session.execute(db.delete(PasswordReset).where(
        (PasswordReset.expires_at <= now) | PasswordReset.used_at.is_not(None))).rowcount
    db.session.commit()
    return done

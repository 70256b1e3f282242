"""Staff sign-in: hashed passwords, a lock after repeated failures, and an idle timeout.

The session (Flask's signed cookie) holds the staff member's id and when they
last did something. Signing in starts a fresh session, so nothing from before
carries over.
"""

import time
from datetime import timedelta
from functools import wraps

from flask import abort, current_app, g, redirect, session, url_for
from werkzeug.security import check_password_hash

from app import clock
from app.extensions import db
from app.models import StaffUser

# A hash to check against when the email is unknown, so that both take as long.
_UNKNOWN = "scrypt:32768:8:1$DeEhsNLXkJPahaHt$" + "0" * 128


class SignInRefused(Exception):
    def __init__(self, reason, minutes=0):
        super().__init__(reason)
        self.reason, self.minutes = reason, minutes


def sign_in(email, password):
    """The staff member, signed in; ``SignInRefused`` ("wrong" or "locked") otherwise."""
    config = current_app.config
    email = (email or "").strip().lower()
    if not email.isprintable():  # a NUL or other control character: no one's address (PostgreSQL refuses NUL)
        email = ""
    user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)) if email else None
    now = clock.utc_now()
    if user is None or not user.active:
        check_password_hash(_UNKNOWN, password or "")
        raise SignInRefused("wrong")
    if user.locked_until and user.locked_until > now:
        raise SignInRefused("locked", config["STAFF_LOCK_MINUTES"])
    if not user.password_is(password or ""):
        user.failed_sign_ins += 1
        if user.failed_sign_ins >= config["STAFF_MAX_FAILED_SIGN_INS"]:
            user.locked_until = now + timedelta(minutes=config["STAFF_LOCK_MINUTES"])
            user.failed_sign_ins = 0
            db.session.commit()
            current_app.logger.warning("Staff account %s locked after repeated failed sign-ins", user.id)
            raise SignInRefused("locked", config["STAFF_LOCK_MINUTES"])
        db.session.commit()
        raise SignInRefused("wrong")
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    db.session.commit()
    session.clear()
    session["staff_id"] = user.id
    session["staff_seen"] = int(time.time())
    return user


def sign_out():
    session.clear()


def signed_in_user():
    """The signed-in staff member, or None (never signed in, timed out, or no longer active)."""
    staff_id = session.get("staff_id")
    seen = session.get("staff_seen")
    if not isinstance(staff_id, int) or not isinstance(seen, int):
        return None
    if time.time() - seen > current_app.config["STAFF_IDLE_MINUTES"] * 60:
        session.clear()
        session["staff_timed_out"] = True
        return None
    user = db.session.get(StaffUser, staff_id)
    if user is None or not user.active:
        session.clear()
        return None
    session["staff_seen"] = int(time.time())
    return user


def staff_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = signed_in_user()
        if user is None:
            return redirect(url_for("staff.sign_in"), 303)
        g.staff = user
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    @wraps(view)
    @staff_required
    def wrapper(*args, **kwargs):
        if not g.staff.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapper

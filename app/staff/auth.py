"""Staff sign-in: hashed passwords, a lock after repeated failures, sessions kept on the server.

Every attempt on an account is counted in the database, atomically, before its
password is checked: so a burst of guesses sent at once, over several workers
or servers, is counted in full, and a right password gets in only if no other
attempt was counted while it was checked. Every refusal looks and takes the
same: an unknown email, a wrong password and a locked account all check a
password hash and all get the same message, so the page never tells which
emails have accounts.
"""

from datetime import timedelta
from functools import wraps

from flask import abort, current_app, g, redirect, url_for
from werkzeug.security import check_password_hash

from app import clock
from app.extensions import db
from app.models import StaffUser
from app.staff import second_factor, sessions


def _unknown_hash():
    """A hash, made the way passwords are, to check against when the email is unknown: so both take as long."""
    return current_app.config["PASSWORD_HASH"] + "$DeEhsNLXkJPahaHt$" + "0" * 128


class SignInRefused(Exception):
    """Wrong email, wrong password or a locked account: deliberately not told apart."""


def sign_in(email, password):
    """The staff member, now signed in; ``SignInRefused`` otherwise."""
    email = (email or "").strip().lower()
    if not email.isprintable():  # a NUL or other control character: no one's address (PostgreSQL refuses NUL)
        email = ""
    user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)) if email else None
    if user is None or not user.active:
        check_password_hash(_unknown_hash(), password or "")
        raise SignInRefused()
    user_id, now = user.id, clock.utc_now()
    attempt = _count_attempt(user_id, now)  # None: locked
    right = user.password_is(password or "")  # checked even when locked, so that it takes as long
    maximum = current_app.config["STAFF_MAX_FAILED_SIGN_INS"]
    if attempt is None:
        raise SignInRefused()
    # A right password gets in only if the count still stands at this attempt:
    # if another came in while it was checked, the account is under attack.
    if right and attempt <= maximum and _uncount(user_id, attempt):
        db.session.expire(user)
        sessions.begin(user)  # the second factor comes next
        return user
    if attempt >= maximum:
        _lock(user_id, now)
    raise SignInRefused()


def _count_attempt(user_id, now):
    """Count one more attempt on an unlocked account: its number since the last success, or None if locked."""
    table = StaffUser.__table__
    number = db.session.execute(
        table.update()
        .where(table.c.id == user_id, (table.c.locked_until.is_(None)) | (table.c.locked_until <= now))
        .values(failed_sign_ins=table.c.failed_sign_ins + 1)
        .returning(table.c.failed_sign_ins)
    ).scalar()
    db.session.commit()
    return number


def _lock(user_id, now):
    config = current_app.config
    table = StaffUser.__table__
    db.session.execute(table.update().where(table.c.id == user_id).values(
        locked_until=now + timedelta(minutes=config["STAFF_LOCK_MINUTES"]), failed_sign_ins=0))
    db.session.commit()
    current_app.logger.warning("Staff account %s locked after repeated failed sign-ins", user_id)


def _uncount(user_id, attempt):
    """A right password is not a failure: take it off the count, if the count still stands at it.

    Failures before it stay counted until the second factor is given, so that
    someone who has the password cannot guess at codes without end."""
    table = StaffUser.__table__
    done = db.session.execute(
        table.update().where(table.c.id == user_id, table.c.failed_sign_ins == attempt)
        .values(failed_sign_ins=attempt - 1)
    ).rowcount
    db.session.commit()
    return done == 1


def give_second_factor(user, code):
    """Finish signing in with a code from the authenticator app, or a recovery code; ``SignInRefused`` otherwise.

    Counted with the password attempts: five failures of either kind lock the account."""
    user_id, now = user.id, clock.utc_now()
    attempt = _count_attempt(user_id, now)
    right = second_factor.accepts(user, code, now)  # checked even when locked, so that it takes as long
    maximum = current_app.config["STAFF_MAX_FAILED_SIGN_INS"]
    if attempt is not None and right and attempt <= maximum:
        table = StaffUser.__table__
        db.session.execute(table.update().where(table.c.id == user_id).values(
            failed_sign_ins=0, locked_until=None, last_sign_in_at=now))
        db.session.commit()
        db.session.expire(user)
        sessions.complete(user)
        return user
    if attempt is not None and attempt >= maximum:
        _lock(user_id, now)
    if attempt is None or attempt >= maximum:
        sessions.end()  # locked: back to the password
    raise SignInRefused()


def sign_out():
    sessions.end()


def signed_in_user():
    """The signed-in staff member, or None (never signed in, signed out, timed out, or no longer active)."""
    return sessions.current_user()


def staff_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = signed_in_user()
        if user is None:
            return redirect(url_for("staff.sign_in"), 303)
        g.staff = user
        return view(*args, **kwargs)

    return wrapper


def role_required(role):
    """A view for staff who hold ``role``; anyone else gets "Page not found", as a guessed address would."""

    def decorator(view):
        @wraps(view)
        @staff_required
        def wrapper(*args, **kwargs):
            if role not in g.staff.roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapper

    return decorator


admin_required = role_required("admin")
editor_required = role_required("editor")
team_required = role_required("team")


def home_for(user):
    """Where a staff member starts: the first area their roles open."""
    if user.is_team_member:
        return url_for("staff.referrals")
    if user.is_editor:
        return url_for("staff.directory")
    return url_for("staff.users")

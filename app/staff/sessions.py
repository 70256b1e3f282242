"""Staff sessions kept on the server, so that they can be ended.

The browser's (signed) session cookie holds a random token; the database holds
its SHA-256 hash, who it belongs to, when it started and when it was last used.
A session ends when its row goes: on sign-out, on a password change, when the
account is deactivated, when an admin signs someone out everywhere, after
``STAFF_IDLE_MINUTES`` without a request, and ``STAFF_SESSION_HOURS`` after
signing in whatever happens.
"""

import secrets
from datetime import timedelta

from flask import current_app, g, session

from app import clock
from app.domain.tokens import token_hash as _hash
from app.extensions import db
from app.models import StaffSession, StaffUser

COOKIE_KEY = "staff_session"
# How often a session's last-used time is written: a request within this of the
# last write changes nothing in the database.
SEEN_EVERY = timedelta(seconds=60)


def begin(user, second_factor=False):
    """Start a session for ``user`` in this browser, ending whatever the browser had before.

    Until ``second_factor`` is given (see ``complete``), the session opens nothing
    but the second-factor pages, and only for ``STAFF_SECOND_FACTOR_MINUTES``."""
    end_this_browsers()
    now = clock.utc_now()
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=_hash(token), staff_id=user.id, started_at=now, seen_at=now,
                                second_factor_at=now if second_factor else None))
    db.session.commit()
    session.clear()
    session[COOKIE_KEY] = token
    g.pop("staff_session_user", None)
    if second_factor:
        g.staff_session_user = user


def complete(user):
    """The second factor was given: a new session (a new token) that opens the staff area."""
    begin(user, second_factor=True)


def end_this_browsers():
    token = session.get(COOKIE_KEY)
    if isinstance(token, str):
        db.session.execute(db.delete(StaffSession).where(StaffSession.token_hash == _hash(token)))
        db.session.commit()


def pending_user():
    """Whoever gave the right password in this browser in the last few minutes and has yet to give the second factor."""
    token = session.get(COOKIE_KEY)
    if not isinstance(token, str):
        return None
    row = db.session.get(StaffSession, _hash(token))
    if row is None or row.second_factor_at is not None:
        return None
    limit = timedelta(minutes=current_app.config["STAFF_SECOND_FACTOR_MINUTES"])
    user = db.session.get(StaffUser, row.staff_id)
    if clock.utc_now() - row.started_at > limit or user is None or not user.active:
        db.session.delete(row)
        db.session.commit()
        session.clear()
        return None
    return user


def end():
    """End this browser's session."""
    end_this_browsers()
    session.clear()
    g.pop("staff_session_user", None)


def end_all(user_id):
    """End every session of one staff member, in every browser. Returns how many ended."""
    ended = db.session.execute(db.delete(StaffSession).where(StaffSession.staff_id == user_id)).rowcount
    db.session.commit()
    return ended


def count(user_id):
    """How many browsers are signed in as this staff member (both factors given)."""
    return db.session.scalar(db.select(db.func.count()).select_from(StaffSession).where(
        StaffSession.staff_id == user_id, StaffSession.second_factor_at.is_not(None)))


def current_user():
    """The staff member this browser's session belongs to, or None.

    None when there is no session, or it was ended, timed out (the sign-in page then
    says why) or belongs to someone no longer active.
    """
    if "staff_session_user" in g:
        return g.staff_session_user
    g.staff_session_user = user = _current_user()
    return user


def _current_user():
    token = session.get(COOKIE_KEY)
    if not isinstance(token, str):
        return None
    row = db.session.get(StaffSession, _hash(token))
    if row is None:  # ended elsewhere
        session.clear()
        return None
    if row.second_factor_at is None:  # only the password given so far
        return None
    config, now = current_app.config, clock.utc_now()
    idle = now - row.seen_at > timedelta(minutes=config["STAFF_IDLE_MINUTES"])
    too_long = now - row.started_at > timedelta(hours=config["STAFF_SESSION_HOURS"])
    user = db.session.get(StaffUser, row.staff_id)
    if idle or too_long or user is None or not user.active:
        db.session.delete(row)
        db.session.commit()
        session.clear()
        if idle or too_long:
            session["staff_timed_out"] = "idle" if idle else "too-long"
        return None
    if now - row.seen_at >= SEEN_EVERY:
        row.seen_at = now
        db.session.commit()
    return user


def purge():
    """Delete the rows of sessions that can no longer be used. Returns how many."""
    config, now = current_app.config, clock.utc_now()
    done = db.session.execute(db.delete(StaffSession).where(
        (StaffSession.seen_at < now - timedelta(minutes=config["STAFF_IDLE_MINUTES"]))
        | (StaffSession.started_at < now - timedelta(hours=config["STAFF_SESSION_HOURS"]))
        | (StaffSession.second_factor_at.is_(None)
           & (StaffSession.started_at < now - timedelta(minutes=config["STAFF_SECOND_FACTOR_MINUTES"])))
    )).rowcount
    db.session.commit()
    return done

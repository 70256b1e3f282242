"""The time now in England, which tests can fix with the ``CLOCK`` setting."""

from datetime import datetime, timezone

from flask import current_app

from app.directory.opening_times import LONDON


def now():
    return current_app.config.get("CLOCK", lambda: datetime.now(LONDON))()


def utc_now():
    """Now in UTC, without a time zone: how times are stored in the database."""
    return now().astimezone(timezone.utc).replace(tzinfo=None)


def local(stored):
    """A stored UTC time in England's time zone, for showing."""
    return stored.replace(tzinfo=timezone.utc).astimezone(LONDON)

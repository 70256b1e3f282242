"""The time now in England, which tests can fix with the ``CLOCK`` setting."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

LONDON = ZoneInfo("Europe/London")


def now():
    return current_app.config.get("CLOCK", lambda: datetime.now(LONDON))()


def utc_now():
    """Now in UTC, without a time zone: how times are stored in the database."""
    return now().astimezone(UTC).replace(tzinfo=None)


def local(stored):
    """A stored UTC time in England's time zone, for showing."""
    return stored.replace(tzinfo=UTC).astimezone(LONDON)


def local_midnight_utc(day):
    """The start of ``day`` in England, as a stored (UTC, zone-less) time."""
    return datetime.combine(day, datetime.min.time(), LONDON).astimezone(UTC).replace(tzinfo=None)

"""The test clock: the moment the suite takes to be now.

It starts at 10:00 in England on the day the run starts, and runs at the real
pace from there, so a run that goes past midnight never sees today change under
it (a date worked out when the tests were collected stays right while they run).
``FAMILYHUB_TEST_TODAY=2028-02-29`` makes it start on another day. Every app the
tests build takes it as its ``CLOCK``, and every date the tests work out counts
from ``today()``; tests never write a calendar date of their own.
"""

import os
from datetime import date, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def _first_day():
    wanted = os.environ.get("FAMILYHUB_TEST_TODAY", "").strip()
    if not wanted:
        return datetime.now(LONDON).date()
    try:
        return date.fromisoformat(wanted)
    except ValueError:
        raise RuntimeError(f"FAMILYHUB_TEST_TODAY must be a date such as 2028-02-29, not {wanted!r}") from None


START = datetime.combine(_first_day(), time(10), LONDON)
_STARTED = monotonic()


def now():
    """The test clock's time in England (the ``CLOCK`` of every test app)."""
    return START + timedelta(seconds=monotonic() - _STARTED)


def today():
    return now().date()


def at(day, hour=12, minute=0):
    """A moment on ``day`` (a date) in England."""
    return datetime.combine(day, time(hour, minute), LONDON)


def days_from_today(days, hour=12, minute=0):
    """A moment ``days`` days from the test clock's today (negative for the past)."""
    return at(today() + timedelta(days=days), hour, minute)


def years_ago(years, on=None):
    """The date ``years`` years before ``on`` (today by default); 29 February becomes 28 February."""
    on = on or today()
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def date_fields(prefix, day):
    """A GOV.UK date input's three boxes filled in with ``day``: {"born-day": "3", "born-month": "9", …}."""
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}

"""The test clock: the moment the suite takes to be now.

It runs at the real pace from the real time of day, but it may start on another
day: ``FAMILYHUB_TEST_TODAY=2028-02-29`` makes every app the tests build (through
its ``CLOCK`` setting) and every date the tests work out take that day as today.
Tests never write a calendar date of their own; they count from ``today()``.
"""

import os
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def _offset():
    wanted = os.environ.get("FAMILYHUB_TEST_TODAY", "").strip()
    if not wanted:
        return timedelta(0)
    try:
        day = date.fromisoformat(wanted)
    except ValueError:
        raise RuntimeError(f"FAMILYHUB_TEST_TODAY must be a date such as 2028-02-29, not {wanted!r}") from None
    return day - datetime.now(LONDON).date()


OFFSET = _offset()


def now():
    """The test clock's time in England (the ``CLOCK`` of every test app)."""
    return datetime.now(LONDON) + OFFSET


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

"""When a service is open: "Open now" or "Next open Tuesday at 9:30am".

Plain functions over weekly sessions, a moment in Europe/London time and a set of
bank holiday dates; no Flask, no database. Services are closed on bank holidays
unless they say otherwise.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from app.clock import LONDON

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LOOK_AHEAD_DAYS = 14


@dataclass(frozen=True)
class Session:
    """One weekly session: ``weekday`` 0 is Monday."""

    weekday: int
    opens: time
    closes: time
    valid_from: date | None = None
    valid_to: date | None = None

    def runs_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or day >= self.valid_from)
            and (self.valid_to is None or day <= self.valid_to)
        )


@dataclass(frozen=True)
class OpenNow:
    closes: time


@dataclass(frozen=True)
class NextOpen:
    day: date
    opens: time


def sessions_from_schedules(schedules):
    """Weekly sessions from HSDS schedules (``byday`` such as ``MO,WE``)."""
    sessions = []
    for schedule in schedules:
        if not (schedule.opens_at and schedule.closes_at and schedule.byday):
            continue
        for token in schedule.byday.split(","):
            token = token.strip().upper()
            if token in DAYS:
                sessions.append(
                    Session(
                        DAYS.index(token),
                        schedule.opens_at,
                        schedule.closes_at,
                        schedule.valid_from,
                        schedule.valid_to,
                    )
                )
    return sorted(sessions, key=lambda s: (s.weekday, s.opens))


def sessions_from_hours(hours):
    """Weekly sessions from a listing's ``hours`` (the plain values ``Listing`` keeps)."""
    return [
        Session(weekday, time.fromisoformat(opens), time.fromisoformat(closes),
                date.fromisoformat(valid_from) if valid_from else None,
                date.fromisoformat(valid_to) if valid_to else None)
        for weekday, opens, closes, valid_from, valid_to in hours
    ]


@lru_cache(maxsize=8)
def bank_holidays(year: int) -> frozenset:
    """England and Wales bank holidays for a year and the next."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=[year, year + 1])
    return frozenset(found.keys())


def opening_status(sessions, now: datetime, open_on_bank_holidays=False, holiday_dates=None):
    """``OpenNow``, ``NextOpen`` within the next fortnight, or ``None``."""
    if not sessions:
        return None
    local = now.astimezone(LONDON)
    closed_days = frozenset() if open_on_bank_holidays else (
        holiday_dates if holiday_dates is not None else bank_holidays(local.year)
    )
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        if day in closed_days:
            continue
        for session in sessions:
            if not session.runs_on(day):
                continue
            if offset == 0 and session.opens <= local.time() < session.closes:
                return OpenNow(session.closes)
            if offset > 0 or local.time() < session.opens:
                return NextOpen(day, session.opens)
    return None


def weekly_timetable(sessions):
    """Sessions grouped by weekday, Monday first: ``[(weekday, [Session, …]), …]``."""
    by_day = {}
    for session in sessions:
        by_day.setdefault(session.weekday, []).append(session)
    return sorted(by_day.items())


def weekly_runs(timetable):
    """Days in a row with the same times, together: ``[(first weekday, last weekday, [Session, …]), …]``
    from a ``weekly_timetable``."""
    runs = []
    for weekday, sessions in timetable:
        times = [(session.opens, session.closes) for session in sessions]
        if runs and runs[-1][1] == weekday - 1 and runs[-1][3] == times:
            runs[-1][1] = weekday
        else:
            runs.append([weekday, weekday, sessions, times])
    return [(first, last, sessions) for first, last, sessions, _times in runs]

"""When the team must decide: 5 working days after a referral arrives.

Working days are Monday to Friday except England and Wales bank holidays
(from the ``holidays`` package, which follows GOV.UK's list and its substitute days).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

DECISION_WORKING_DAYS = 5


@lru_cache(maxsize=8)
def _bank_holidays(year):
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def decide_by(received: date, working_days: int = DECISION_WORKING_DAYS) -> date:
    """The last day for a decision: count working days after the day it arrived."""
    day, counted = received, 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def is_overdue(deadline: date, today: date) -> bool:
    return today > deadline

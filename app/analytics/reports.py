"""The figures on the staff dashboard, read from the daily counts."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import DailyCount

TOP = 20


@dataclass(frozen=True)
class Month:
    start: date
    views: int
    change: int | None  # per cent on the month before; None when that month had no views


@dataclass(frozen=True)
class Day:
    day: date
    views: int
    visitors: int


@dataclass(frozen=True)
class Search:
    words: str
    searches: int
    no_results: int
    average_results: int


@dataclass(frozen=True)
class Useful:
    path: str
    yes: int
    no: int

    @property
    def per_cent_yes(self):
        return round(100 * self.yes / (self.yes + self.no))


def _sums(measure, start, end):
    """{key: total} for one measure over the days start to end (both included)."""
    rows = db.session.execute(
        select(DailyCount.key, func.sum(DailyCount.count))
        .where(DailyCount.measure == measure, DailyCount.day >= start, DailyCount.day <= end)
        .group_by(DailyCount.key)
    )
    return {key: int(total) for key, total in rows}


def ranked(measure, start, end, most=None):
    """(key, total), the largest first (A to Z among equals)."""
    found = sorted(_sums(measure, start, end).items(), key=lambda item: (-item[1], item[0]))
    return found[:most] if most else found


def months(end, count=12):
    """Views in each of the ``count`` calendar months up to the one ``end`` is in, oldest first."""
    starts = [_month_start(end)]
    for _ in range(count):  # one more than shown, for the first month's change
        starts.insert(0, _month_start(starts[0] - timedelta(days=1)))
    rows = db.session.execute(
        select(DailyCount.day, DailyCount.count)
        .where(DailyCount.measure == "view", DailyCount.day >= starts[0], DailyCount.day <= _month_end(end))
    )
    views = dict.fromkeys(starts, 0)
    for day, amount in rows:
        views[_month_start(day)] += amount
    shown = []
    for before, start in zip(starts, starts[1:], strict=False):
        change = round(100 * (views[start] - views[before]) / views[before]) if views[before] else None
        shown.append(Month(start, views[start], change))
    return shown


def days(start, end):
    """Views and visitors on every day from start to end, days with none included."""
    rows = db.session.execute(
        select(DailyCount.day, DailyCount.measure, func.sum(DailyCount.count))
        .where(DailyCount.measure.in_(("view", "visitors")), DailyCount.day >= start, DailyCount.day <= end)
        .group_by(DailyCount.day, DailyCount.measure)
    )
    found = {(day, measure): int(amount) for day, measure, amount in rows}
    every_day = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [Day(day, found.get((day, "view"), 0), found.get((day, "visitors"), 0)) for day in every_day]


def searches(start, end):
    """Searches made at least ANALYTICS_SEARCH_MINIMUM times in the period, the most made first.

    Fewer than that are never shown, in any table or file: one person's search
    could say something about them.
    """
    minimum = current_app.config["ANALYTICS_SEARCH_MINIMUM"]
    made = _sums("search", start, end)
    none = _sums("search-none", start, end)
    results = _sums("search-results", start, end)
    shown = [
        Search(words, times, none.get(words, 0), round(results.get(words, 0) / times))
        for words, times in made.items()
        if times >= minimum
    ]
    shown.sort(key=lambda search: (-search.searches, search.words))
    return shown


def no_results(shown):
    """Of the searches shown, those that found nothing at least once, the most often first."""
    return sorted((search for search in shown if search.no_results), key=lambda search: (-search.no_results, search.words))


def funnels(start, end):
    events = _sums("event", start, end)
    return {
        "journey": (events.get("journey-start", 0), events.get("journey-complete", 0)),
        "referral": (events.get("referral-start", 0), events.get("referral-submit", 0)),
    }


def usefulness(start, end, most=None):
    """Pages with answers to "Was this page useful?", the most answered first."""
    yes, no = _sums("useful-yes", start, end), _sums("useful-no", start, end)
    found = [Useful(path, yes.get(path, 0), no.get(path, 0)) for path in set(yes) | set(no)]
    found.sort(key=lambda row: (-(row.yes + row.no), row.path))
    return found[:most] if most else found


def _month_start(day):
    return day.replace(day=1)


def _month_end(day):
    return _month_start(_month_start(day) + timedelta(days=32)) - timedelta(days=1)

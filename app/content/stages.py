"""The Start for Life stages, and which one fits a due date or a baby's date of birth.

Plain functions, so every boundary can be tested on its own.
A child is *n* months old from the same day of the month *n* months after their
birth (born 31 August: 6 months old on 1 March, or 29 February in a leap year
is still 5 months); every boundary below counts months that way.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Stage:
    slug: str
    name: str
    description: str
    from_months: int | None  # age at which the stage starts (None: pregnancy)
    to_months: int | None  # age at which the next one starts


STAGES = (
    Stage("pregnancy", _l("Pregnancy"), _l("Antenatal care, your health, getting ready for birth and money help."), None, None),
    Stage("birth-to-6-months", _l("Birth to 6 months"), _l("The first days, feeding, sleep, crying and your own wellbeing."), 0, 6),
    Stage("6-to-12-months", _l("6 to 12 months"), _l("Starting solid foods, teeth, play and health visitor reviews."), 6, 12),
    Stage("1-to-2-years", _l("1 to 2 years"), _l("Talking, behaviour, sleep, eating well and childcare."), 12, 24),
    Stage("2-to-4-years", _l("2 to 4 years"), _l("Toilet training, free early education and getting ready for school."), 24, 48),
)
STAGE_SLUGS = tuple(stage.slug for stage in STAGES)
STAGE_VALUES = (*STAGE_SLUGS, "none")  # what a page's ``stage`` may say
START_FOR_LIFE_MONTHS = 48  # Start for Life runs to a child's 4th birthday
LONGEST_PREGNANCY_DAYS = 40 * 7  # a due date is at most 40 weeks ahead (40 weeks from the last period)
OVERDUE_DAYS = 14  # a pregnancy can run 2 weeks past the due date


def stage_named(slug):
    for stage in STAGES:
        if stage.slug == slug:
            return stage
    return None


def months_old(born, today):
    """Whole months from ``born`` to ``today``."""
    months = (today.year - born.year) * 12 + today.month - born.month
    if today.day < born.day:
        months -= 1
    return months


@dataclass(frozen=True)
class Fit:
    """Where a date leads: a stage, or (``age_years``) the directory for an older child."""

    stage: Stage | None = None
    age_years: int | None = None


class DateProblem(ValueError):
    """The date cannot be right; the message says how to fix it."""


def stage_for_birth(born: date, today: date) -> Fit:
    if born > today:
        raise DateProblem(_l("Date of birth must be today or in the past"))
    months = months_old(born, today)
    for stage in STAGES[1:]:
        if stage.from_months <= months < stage.to_months:
            return Fit(stage)
    if months >= 25 * 12:  # older than 25: not the child or young person this site is about
        raise DateProblem(_l("Date of birth must be in the last 25 years"))
    return Fit(age_years=months // 12)


def stage_for_due_date(due: date, today: date) -> Fit:
    if due < today - timedelta(days=OVERDUE_DAYS):
        raise DateProblem(_l("Due date must be in the future. If your baby has been born, enter their date of birth"))
    if due > today + timedelta(days=LONGEST_PREGNANCY_DAYS):
        raise DateProblem(_l("Due date must be no more than 40 weeks from today"))
    return Fit(STAGES[0])

"""The three boxes of a GOV.UK date input (day, month, year) read as one date.

Each kind of date has its own sentences, so that every language can word them
properly: a form passes the set of messages for its date to ``date_from_parts``.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from app.domain.whole_numbers import is_whole_number

DUE_DATE = {
    "missing": _l("Enter your baby’s due date"),
    "day": _l("Due date must include a day"),
    "month": _l("Due date must include a month"),
    "year": _l("Due date must include a year"),
    "real": _l("Due date must be a real date"),
    "year_digits": _l("Year must include 4 numbers"),
}
BABY_BIRTH = {
    "missing": _l("Enter your baby’s date of birth"),
    "day": _l("Date of birth must include a day"),
    "month": _l("Date of birth must include a month"),
    "year": _l("Date of birth must include a year"),
    "real": _l("Date of birth must be a real date"),
    "year_digits": _l("Year must include 4 numbers"),
}


PARTS = ("day", "month", "year")


class WrongDate(ValueError):
    """A date input that holds no real date: what to say, and which boxes are wrong."""

    def __init__(self, message, wrong):
        super().__init__(str(message))
        self.message, self.wrong = message, wrong


def date_from_parts(messages, day, month, year):
    """The date in a date input's three boxes; ``WrongDate`` (with one of ``messages``) when there is none."""
    parts = {name: (value or "").strip()[:20] for name, value in (("day", day), ("month", month), ("year", year))}
    missing = tuple(name for name, value in parts.items() if not value)
    if len(missing) == 3:
        raise WrongDate(messages["missing"], missing)
    if missing:
        raise WrongDate(messages[missing[0]], missing)
    not_numbers = tuple(name for name, value in parts.items() if not is_whole_number(value))
    if not_numbers:
        raise WrongDate(messages["real"], not_numbers)
    if len(parts["year"]) != 4:
        raise WrongDate(messages["year_digits"], ("year",))
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (ValueError, OverflowError):  # a day or month of 20 digits is too big even to try
        raise WrongDate(messages["real"], ("day", "month", "year")) from None


FUTURE_DATE = {
    "missing": _l("Enter the date"),
    "day": _l("The date must include a day"),
    "month": _l("The date must include a month"),
    "year": _l("The date must include a year"),
    "real": _l("The date must be a real date"),
    "year_digits": _l("Year must include 4 numbers"),
    "past": _l("The date must be in the future"),
    "far": _l("The date must be within the next 2 years"),
}


def future_date_from_parts(today, day, month, year, messages=FUTURE_DATE):
    """A date after ``today`` and within 2 years, from a date input's boxes; ``WrongDate`` otherwise."""
    found = date_from_parts(messages, day, month, year)
    if found <= today:
        raise WrongDate(messages["past"], ("day", "month", "year"))
    if found.year > today.year + 2:
        raise WrongDate(messages["far"], ("year",))
    return found

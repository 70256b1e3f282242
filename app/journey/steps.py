"""The journey's questions, one per page, and the checks on each answer.

Answers travel between steps as POSTed form fields, never in the URL and
never in a cookie or the server's memory: the URL of every step is
``/get-help``, so nothing a family tells us reaches a log, a browser's history
or analytics, and nothing is left behind when they close the tab.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.content.stages import DateProblem, stage_for_due_date
from app.domain.date_parts import DUE_DATE, WrongDate, date_from_parts
from app.domain.postcodes import normalise_postcode
from app.domain.whole_numbers import is_whole_number
from app.journey.rules import AGE_BANDS, IMPACTS, NEEDS, WHO, Answers, band_for_age

STEPS = ("who", "safety", "ages", "needs", "impact", "where")
LONGEST = 40  # characters kept of any one field: every real answer is shorter


@dataclass
class Given:
    """What the form holds, tidied; nothing in it is trusted yet."""

    who: str = ""
    safety: str = ""
    ages: tuple = ()
    due: tuple = ("", "", "")  # day, month, year
    my_age: str = ""
    needs: tuple = ()
    impact: str = ""
    postcode: str = ""
    district: str = ""

    @classmethod
    def from_form(cls, form):
        def one(name):
            return (form.get(name) or "").strip()[:LONGEST]

        def many(name):
            return tuple(dict.fromkeys(value.strip()[:LONGEST] for value in form.getlist(name)[:20]))

        return cls(
            who=one("who"), safety=one("safety"), ages=many("age"),
            due=(one("due-day"), one("due-month"), one("due-year")), my_age=one("my-age"),
            needs=many("need"), impact=one("impact"), postcode=one("postcode"), district=one("district"),
        )

    def fields(self, leave_out):
        """(name, value) of every answer but those of step ``leave_out``, for hidden inputs.

        Answers to later steps are kept too, so going back and forward again asks nothing twice.
        """
        found = []
        if leave_out != "who" and self.who:
            found.append(("who", self.who))
        if leave_out != "safety" and self.safety:
            found.append(("safety", self.safety))
        if leave_out != "ages":
            found += [("age", age) for age in self.ages]
            found += [(f"due-{part}", value) for part, value in zip(("day", "month", "year"), self.due, strict=True) if value]
            if self.my_age:
                found.append(("my-age", self.my_age))
        if leave_out != "needs":
            found += [("need", need) for need in self.needs]
        if leave_out != "impact" and self.impact:
            found.append(("impact", self.impact))
        if leave_out != "where":
            found += [(name, value) for name, value in (("postcode", self.postcode), ("district", self.district)) if value]
        return found


class StepError(ValueError):
    """An answer that cannot be right: which step to show again, and what to say."""

    def __init__(self, step, message, field=None):
        super().__init__(str(message))
        self.step, self.message, self.field = step, message, field


def check_step(step, given, today, districts):
    """Raises ``StepError`` when the answer to ``step`` is missing or impossible."""
    if step == "who":
        if given.who not in WHO:
            raise StepError("who", _l("Select who you are"), "who")
    elif step == "safety":
        if given.safety not in ("yes", "no"):
            raise StepError("safety", _l("Select yes if anyone is in danger right now"), "safety")
    elif step == "ages":
        _check_ages(given, today)
    elif step == "needs":
        if not given.needs:
            raise StepError("needs", _l("Select what you would like help with"), "need")
        if any(need not in NEEDS for need in given.needs):
            raise StepError("needs", _l("Select what you would like help with from the list"), "need")
    elif step == "impact":
        if given.impact not in IMPACTS:
            raise StepError("impact", _l("Select how much this is affecting you"), "impact")
    elif step == "where":
        if given.postcode and normalise_postcode(given.postcode) is None:
            raise StepError("where", _l("Enter a real postcode, like WR1 2AB"), "postcode")
        if given.district and given.district not in districts:
            raise StepError("where", _l("Select an area from the list"), "district")


def _check_ages(given, today):
    if given.who == "expecting":
        try:
            due = date_from_parts(DUE_DATE, *given.due)
            stage_for_due_date(due, today)
        except WrongDate as error:
            raise StepError("ages", error.message, f"due-{error.wrong[0]}") from None
        except DateProblem as problem:
            raise StepError("ages", str(problem), "due-day") from None
    elif given.who == "young-person":
        if not given.my_age:
            raise StepError("ages", _l("Enter your age"), "my-age")
        if not is_whole_number(given.my_age):
            raise StepError("ages", _l("Your age must be a number, like 15"), "my-age")
        if not 11 <= int(given.my_age) <= 25:
            raise StepError("ages", _l("This is for young people aged 11 to 25. Ask an adult you trust to use it with you"), "my-age")
    else:
        if not given.ages:
            raise StepError("ages", _l("Select how old your children are"), "age")
        if any(age not in AGE_BANDS for age in given.ages):
            raise StepError("ages", _l("Select how old your children are from the list"), "age")


def first_problem(upto, given, today, districts):
    """The first step up to and including ``upto`` whose answer is wrong, as a ``StepError``, or None."""
    for step in STEPS[: STEPS.index(upto) + 1]:
        if step == "safety" and given.who == "professional":
            return None
        try:
            check_step(step, given, today, districts)
        except StepError as error:
            return error
    return None


def next_step(step, given):
    """The page after ``step``: another step, or "urgent", "professional" or "result"."""
    if given.who == "professional":  # after "who", or any later step of a tampered form
        return "professional"
    if step == "safety" and given.safety == "yes":
        return "urgent"
    if step == "where":
        return "result"
    return STEPS[STEPS.index(step) + 1]


def previous_step(step):
    return STEPS[max(0, STEPS.index(step) - 1)]


def answers_of(given):
    """The checked answers as the rules see them."""
    if given.who == "expecting":
        bands = ("pregnancy",)
    elif given.who == "young-person":
        bands = (band_for_age(int(given.my_age)),)
    else:
        bands = tuple(band for band in AGE_BANDS if band in given.ages)
    age = int(given.my_age) if given.who == "young-person" else None
    return Answers(given.who, bands, tuple(need for need in NEEDS if need in given.needs), given.impact, age)

"""The Start for Life date forms: a due date, or a baby's date of birth (GOV.UK date input)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from app.content.stages import DateProblem
from app.directory.forms import is_whole_number

# Each kind of date has its own sentences, so that every language can word them properly.
MESSAGES = {
    "due": {
        "missing": _l("Enter your baby’s due date"),
        "day": _l("Due date must include a day"),
        "month": _l("Due date must include a month"),
        "year": _l("Due date must include a year"),
        "real": _l("Due date must be a real date"),
        "year_digits": _l("Year must include 4 numbers"),
    },
    "born": {
        "missing": _l("Enter your baby’s date of birth"),
        "day": _l("Date of birth must include a day"),
        "month": _l("Date of birth must include a month"),
        "year": _l("Date of birth must include a year"),
        "real": _l("Date of birth must be a real date"),
        "year_digits": _l("Year must include 4 numbers"),
    },
}


class WrongDate(ValueError):
    """A date input that holds no real date: what to say, and which boxes are wrong."""

    def __init__(self, message, wrong):
        super().__init__(str(message))
        self.message, self.wrong = message, wrong


def date_from_parts(kind, day, month, year):
    """The date in a GOV.UK date input's three boxes; ``WrongDate`` when there is none."""
    messages = MESSAGES[kind]
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
    except ValueError:
        raise WrongDate(messages["real"], ("day", "month", "year")) from None


class DateForm(FlaskForm):
    """Day, month and year, named ``<kind>-day`` and so on."""

    class Meta:
        csrf = False  # it changes nothing: it only takes the visitor to a page

    day = StringField(_l("Day"))
    month = StringField(_l("Month"))
    year = StringField(_l("Year"))

    def __init__(self, kind, formdata=None):
        super().__init__(formdata=formdata, prefix=kind)
        self.kind = kind
        self.problem = None  # the message to show, when the date is wrong
        self.wrong = ()  # which parts to highlight

    def parsed(self):
        """The date, or None with ``problem`` and ``wrong`` set."""
        try:
            return date_from_parts(self.kind, self.day.data, self.month.data, self.year.data)
        except WrongDate as error:
            return self._fail(error.message, error.wrong)

    def fail(self, problem: DateProblem):
        self._fail(str(problem), ("day", "month", "year"))

    def _fail(self, message, wrong):
        self.problem, self.wrong = message, wrong
        return None

    def items(self):
        """The three inputs for GOV.UK's date input, the wrong ones marked."""
        widths = {"day": 2, "month": 2, "year": 4}
        return [
            {
                "name": name,
                "label": getattr(self, name).label.text,
                "value": getattr(self, name).data or "",
                "classes": f"govuk-input--width-{widths[name]}" + (" govuk-input--error" if name in self.wrong else ""),
                "inputmode": "numeric",
            }
            for name in ("day", "month", "year")
        ]

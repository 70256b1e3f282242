"""The Start for Life date forms: a due date, or a baby's date of birth (GOV.UK date input)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from app.content.stages import DateProblem
from app.domain.date_parts import BABY_BIRTH, DUE_DATE, WrongDate, date_from_parts

MESSAGES = {"due": DUE_DATE, "born": BABY_BIRTH}


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
            return date_from_parts(MESSAGES[self.kind], self.day.data, self.month.data, self.year.data)
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

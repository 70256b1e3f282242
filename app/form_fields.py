"""WTForms choice fields that turn a value no page offers (a forged or stale one) into a GOV.UK-style message."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField
from wtforms.validators import ValidationError

NOT_OFFERED = _l("Select one of the options given")


class _Offered:
    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(NOT_OFFERED) from None


class Choice(_Offered, RadioField):
    """Radios: one of the choices, or the message."""


class Select(_Offered, SelectField):
    """A select: one of its options, or the message."""


class Choices(_Offered, SelectMultipleField):
    """Checkboxes: some of the choices, or the message."""

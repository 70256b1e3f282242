"""Forms in the staff area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.models.referral import STATUSES
from app.referral.forms import options

STATUS_NAMES = {
    "new": _l("New"),
    "in-review": _l("In review"),
    "accepted": _l("Accepted"),
    "signposted": _l("Signposted"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
}


class SignInForm(FlaskForm):
    email = StringField(_l("Email address"), validators=[InputRequired(_l("Enter your email address")), Length(max=254, message=_l("Enter your email address"))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password")), Length(max=200, message=_l("Enter your password"))])


class StatusForm(FlaskForm):
    status = RadioField(_l("Status"), choices=options([(status, STATUS_NAMES[status]) for status in STATUSES]),
                        validators=[InputRequired(_l("Select a status"))])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000, message=_l("Note must be 2000 characters or fewer"))])


class CloseForm(FlaskForm):
    """Close a referral after exporting it (the token is all it needs)."""

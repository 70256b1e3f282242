"""Forms in the staff area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length, Optional

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


MIN_PASSWORD = 12
MAX_PASSWORD = 200


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Enter your current password")), Length(max=MAX_PASSWORD, message=_l("Enter your current password"))])
    new = PasswordField(_l("New password"), validators=[
        InputRequired(_l("Enter a new password")),
        Length(min=MIN_PASSWORD, message=_l("Your new password must be %(count)s characters or more", count=MIN_PASSWORD)),
        Length(max=MAX_PASSWORD, message=_l("Your new password must be %(count)s characters or fewer", count=MAX_PASSWORD))])
    confirm = PasswordField(_l("Type the new password again"), validators=[
        InputRequired(_l("Type the new password again")), EqualTo("new", message=_l("The two new passwords must match"))])


class ActionForm(FlaskForm):
    """A button that changes something (its token is all it needs)."""


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[
        InputRequired(_l("Enter the 6-digit code from your authenticator app")),
        Length(max=20, message=_l("Enter the 6-digit code from your authenticator app"))])


class ResetRequestForm(FlaskForm):
    email = StringField(_l("Email address"), validators=[
        InputRequired(_l("Enter your email address")), Length(max=254, message=_l("Enter your email address"))])


class NewPasswordForm(FlaskForm):
    new = PasswordField(_l("New password"), validators=PasswordForm.new.kwargs["validators"])
    confirm = PasswordField(_l("Type the new password again"), validators=[
        InputRequired(_l("Type the new password again")), EqualTo("new", message=_l("The two new passwords must match"))])

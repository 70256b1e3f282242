"""Forms in the staff area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from app import clock
from app.domain.date_parts import PARTS, WrongDate, future_date_from_parts
from app.form_fields import Choice, Choices
from app.models.referral import STATUSES
from app.models.staff import ALL_DISTRICTS
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
    status = Choice(_l("Status"), choices=options([(status, STATUS_NAMES[status]) for status in STATUSES]),
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


ROLE_NAMES = {
    "team": _l("Team member"),
    "editor": _l("Editor"),
    "admin": _l("Admin"),
}
ROLE_HINTS = {
    "team": _l("Reads and decides the self-referrals of their districts"),
    "editor": _l("Keeps their districts’ services true, approves colleagues’ changes and acts on the public’s reports"),
    "admin": _l("Invites staff, changes their roles and districts, and reads the audit log"),
}


class AccessForm(FlaskForm):
    """What a staff member may do: their roles and districts (choices set by the view)."""

    roles = Choices(_l("Roles"), validators=[InputRequired(_l("Select at least one role"))])
    districts = Choices(_l("Districts"))

    def validate_districts(self, field):
        if set(self.roles.data or []) & {"team", "editor"} and not field.data:
            raise ValidationError(_l("Select the districts they work in, or all districts"))
        if ALL_DISTRICTS in (field.data or []) and len(field.data) > 1:
            raise ValidationError(_l("Select all districts, or some districts, but not both"))


class InviteForm(AccessForm):
    name = StringField(_l("Full name"), validators=[
        InputRequired(_l("Enter their full name")), Length(max=100, message=_l("Full name must be 100 characters or fewer"))])
    email = StringField(_l("Email address"), validators=[
        InputRequired(_l("Enter their email address")),
        Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        Email(message=_l("Enter an email address in the correct format, like name@example.com"), granular_message=False,
              check_deliverability=False)])
    # Again, so that they come after the name and email, as on the page (and in the error summary).
    roles = Choices(_l("Roles"), validators=[InputRequired(_l("Select at least one role"))])
    districts = Choices(_l("Districts"))


class DecisionForm(FlaskForm):
    """Approve, reject (with a note for the editor) or withdraw a change to a service."""

    note = TextAreaField(_l("Note for the editor (needed to reject)"), validators=[
        Optional(), Length(max=500, message=_l("Note must be 500 characters or fewer"))])


class StatusChangeForm(FlaskForm):
    """Temporarily close, reopen or close a service: now, or on a date."""

    status = Choice(_l("What do you want to do?"), choices=options([
        ("temporarily closed", _l("Close it for a while (it stays listed, marked as temporarily closed)")),
        ("active", _l("Open it (listed as usual)")),
        ("defunct", _l("Close it for good (no longer listed; its page says it has closed)")),
    ]), validators=[InputRequired(_l("Select what you want to do"))])
    when = Choice(_l("When?"), choices=options([("now", _l("As soon as it is approved")), ("date", _l("On a date"))]),
                      default="now", validators=[InputRequired(_l("Select when"))])
    note = TextAreaField(_l("Why (optional)"), validators=[Optional(), Length(max=500, message=_l("Must be 500 characters or fewer"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.publish_on, self.date_error, self.date_wrong = None, None, ()

    def read_date(self, form_data):
        if self.when.data != "date":
            return True
        try:
            self.publish_on = future_date_from_parts(clock.now().date(), *(form_data.get(f"on-{part}") for part in PARTS))
        except WrongDate as wrong:
            self.date_error, self.date_wrong = wrong.message, wrong.wrong
            return False
        return True

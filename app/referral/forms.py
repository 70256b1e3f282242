"""One form per page of the self-referral, with GOV.UK-style messages.

Every form carries the CSRF token and the hidden ``website`` field that people
never see and bots fill in (see ``app/referral/views.py``). Text is limited in
length so that nothing a person types, however long, makes an error page.
"""

from datetime import date, timedelta

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.domain.date_parts import DUE_DATE, WrongDate, date_from_parts
from app.domain.postcodes import normalise_postcode
from app.journey.rules import NEEDS
from app.templating import form_error_list

DATE_MESSAGES = {
    "child-born": {
        "missing": _l("Enter the child’s date of birth"),
        "day": _l("Date of birth must include a day"),
        "month": _l("Date of birth must include a month"),
        "year": _l("Date of birth must include a year"),
        "real": _l("Date of birth must be a real date"),
        "year_digits": _l("Year must include 4 numbers"),
    },
    "child-due": DUE_DATE,
    "my-birth": {
        "missing": _l("Enter your date of birth"),
        "day": _l("Date of birth must include a day"),
        "month": _l("Date of birth must include a month"),
        "year": _l("Date of birth must include a year"),
        "real": _l("Date of birth must be a real date"),
        "year_digits": _l("Year must include 4 numbers"),
    },
}

SHORT, LONG = 100, 2000  # characters: a name or a line; a story


def options(pairs):
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
CONTACT_METHODS = ("phone", "text", "email", "letter")
TIMES = ("morning", "afternoon", "evening")
CONTACT_LABELS = {"phone": _l("Phone call"), "text": _l("Text message"), "email": _l("Email"), "letter": _l("Letter")}
TIME_LABELS = {"morning": _l("Morning"), "afternoon": _l("Afternoon"), "evening": _l("Evening")}


def years_between(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Trapped(FlaskForm):
    """What every page of the form has: the CSRF token and a field only bots fill in."""

    website = StringField(_l("Leave this empty"))


class DateParts:
    """A GOV.UK date input inside a form: ``<name>-day``, ``<name>-month``, ``<name>-year``."""

    def __init__(self, form, name, kind, stored=None):
        self.form, self.name, self.kind = form, name, kind
        self.error, self.wrong, self.value = None, (), None
        self.stored = stored  # an ISO date saved before, shown when the page is opened again

    def parts(self):
        source = request.form if self.form.is_submitted() else None
        if source is None:
            if not self.stored:
                return ("", "", "")
            saved = date.fromisoformat(self.stored)
            return (str(saved.day), str(saved.month), str(saved.year))
        return tuple(str(source.get(f"{self.name}-{part}", ""))[:20] for part in ("day", "month", "year"))

    def items(self):
        """The three boxes for GOV.UK's date input, the wrong ones marked."""
        widths = {"day": 2, "month": 2, "year": 4}
        labels = {"day": _l("Day"), "month": _l("Month"), "year": _l("Year")}
        return [
            {
                "name": part, "label": labels[part], "value": value, "inputmode": "numeric",
                "classes": f"govuk-input--width-{widths[part]}" + (" govuk-input--error" if part in self.wrong else ""),
            }
            for part, value in zip(("day", "month", "year"), self.parts(), strict=True)
        ]

    def read(self, stored=None):
        """The date typed in (or stored before), or None with ``error`` set."""
        try:
            self.value = date_from_parts(DATE_MESSAGES[self.kind], *self.parts())
        except WrongDate as wrong:
            self.error, self.wrong = wrong.message, wrong.wrong
        return self.value

    def fail(self, message):
        self.error, self.wrong = message, ("day", "month", "year")


class WhoForm(Trapped):
    who = RadioField(
        _l("Who is asking for help?"),
        choices=options([
            ("parent", _l("I am a parent or carer, asking for help for my family")),
            ("young-person", _l("I am a young person asking for help for myself")),
            ("professional", _l("I work with families and want to refer a family")),
        ]),
        validators=[InputRequired(_l("Select who is asking for help"))],
    )


class AboutYouForm(Trapped):
    """A young person, about themselves."""

    name = StringField(_l("Your name"), validators=[InputRequired(_l("Enter your name")), Length(max=SHORT, message=_l("Your name must be %(max)d characters or fewer"))])
    send = RadioField(_l("Do you have special educational needs or a disability?"), choices=options(YES_NO),
                      validators=[InputRequired(_l("Select yes if you have special educational needs or a disability"))])
    school = StringField(_l("Your school, college or work (optional)"), validators=[Optional(), Length(max=SHORT, message=_l("School, college or work must be %(max)d characters or fewer"))])

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.birth = DateParts(self, "birth", "my-birth", (kwargs.get("data") or {}).get("birth"))

    def validate(self, extra_validators=None):
        fine = super().validate(extra_validators)
        born = self.birth.read()
        if born is not None:
            age = years_between(born, self.today)
            if born > self.today:
                self.birth.fail(_l("Date of birth must be in the past"))
            elif age < 11:
                self.birth.fail(_l("You need to be 11 or older to use this form. Ask an adult you trust, like a parent, carer or teacher, to help you"))
            elif age > 25:
                self.birth.fail(_l("You need to be 25 or younger to refer yourself. Call the family information service and they will tell you who can help"))
            elif age > 18 and self.send.data == "no":
                self.birth.fail(_l("You can refer yourself until you are 18, or until you are 25 if you have special educational needs or a disability"))
        return fine and self.birth.error is None


class ChildForm(Trapped):
    born = RadioField(_l("Has this child been born yet?"), choices=options([("yes", _l("Yes")), ("no", _l("No, we are expecting a baby"))]),
                      validators=[InputRequired(_l("Select yes if the child has been born"))])
    name = StringField(_l("Child’s name"), validators=[Optional(), Length(max=SHORT, message=_l("Child’s name must be %(max)d characters or fewer"))])
    school = StringField(_l("School, nursery or childminder (optional)"), validators=[Optional(), Length(max=SHORT, message=_l("School, nursery or childminder must be %(max)d characters or fewer"))])

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        stored = kwargs.get("data") or {}
        self.birth = DateParts(self, "birth", "child-born", stored.get("birth"))
        self.due = DateParts(self, "due", "child-due", stored.get("due"))

    def validate(self, extra_validators=None):
        fine = super().validate(extra_validators)
        if self.born.data == "yes":
            if not (self.name.data or "").strip() and not self.name.errors:
                self.name.errors = [_l("Enter the child’s name")]
                fine = False
            born = self.birth.read()
            if born is not None and born > self.today:
                self.birth.fail(_l("Date of birth must be in the past"))
            elif born is not None and years_between(born, self.today) > 25:
                self.birth.fail(_l("Date of birth must be in the last 25 years"))
            fine = fine and self.birth.error is None
        elif self.born.data == "no":
            due = self.due.read()
            if due is not None and not (self.today - timedelta(weeks=2) <= due <= self.today + timedelta(weeks=42)):
                self.due.fail(_l("Due date must be within the next 42 weeks"))
            fine = fine and self.due.error is None
        return fine


class AdultForm(Trapped):
    name = StringField(_l("Their name"), validators=[InputRequired(_l("Enter their name")), Length(max=SHORT, message=_l("Their name must be %(max)d characters or fewer"))])
    relationship = StringField(_l("Who are they to you? (optional)"), description=_l("For example, partner, grandparent or lodger"),
                               validators=[Optional(), Length(max=SHORT, message=_l("Who they are must be %(max)d characters or fewer"))])


class AnotherForm(Trapped):
    """The "add another" question under a list of children or adults."""

    another = RadioField(choices=options(YES_NO), validators=[InputRequired(_l("Select yes or no"))])


class AddressForm(Trapped):
    line1 = StringField(_l("Address line 1"), validators=[InputRequired(_l("Enter address line 1, typically the building and street")), Length(max=SHORT, message=_l("Address line 1 must be %(max)d characters or fewer"))])
    line2 = StringField(_l("Address line 2 (optional)"), validators=[Optional(), Length(max=SHORT, message=_l("Address line 2 must be %(max)d characters or fewer"))])
    town = StringField(_l("Town or city"), validators=[InputRequired(_l("Enter town or city")), Length(max=SHORT, message=_l("Town or city must be %(max)d characters or fewer"))])
    postcode = StringField(_l("Postcode"), validators=[InputRequired(_l("Enter your postcode"))])

    def __init__(self, *args, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.district = None
        self.outside = False  # a real postcode, in another council's area

    def validate_postcode(self, field):
        postcode = normalise_postcode(field.data)
        if postcode is None:
            raise ValidationError(_l("Enter a real postcode, like WR1 2AB"))
        field.data = postcode
        self.district = self.settings.district_for_postcode(postcode)
        if self.district is None:
            self.outside = True
            raise ValidationError(_l("This postcode is not in %(county)s. Contact the council for the area where you live", county=self.settings.council.get("county", "")))


class HelpForm(Trapped):
    need = SelectMultipleField(_l("What would you like help with?"), choices=options([(need, need) for need in NEEDS]), validate_choice=True)
    more = TextAreaField(_l("Tell us more (optional)"), validators=[Optional(), Length(max=LONG, message=_l("What you tell us must be %(max)d characters or fewer"))])

    def validate(self, extra_validators=None):
        fine = super().validate(extra_validators)
        if self.need.errors:
            self.need.errors = [_l("Select what you would like help with from the list")]
        elif not self.need.data and not (self.more.data or "").strip():
            self.need.errors = [_l("Select what you would like help with, or tell us in the box")]
            fine = False
        return fine


class TriedForm(Trapped):
    tried = TextAreaField(_l("What have you tried already? (optional)"), validators=[Optional(), Length(max=LONG, message=_l("What you have tried must be %(max)d characters or fewer"))])


class LanguageForm(Trapped):
    languages = StringField(_l("What languages do you speak at home?"), validators=[InputRequired(_l("Enter the languages you speak at home")), Length(max=SHORT, message=_l("Languages must be %(max)d characters or fewer"))])
    interpreter = RadioField(_l("Would you like an interpreter?"), choices=options(YES_NO), validators=[InputRequired(_l("Select yes if you would like an interpreter"))])


class ContactForm(Trapped):
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=SHORT, message=_l("Your name must be %(max)d characters or fewer"))])
    methods = SelectMultipleField(_l("How can we contact you?"), choices=options([(method, method) for method in CONTACT_METHODS]))
    phone = StringField(_l("Phone number"), validators=[Optional(), Length(max=30, message=_l("Enter a phone number, like 01632 960 001 or 07700 900 982"))])
    email = StringField(_l("Email address"), validators=[Optional(), Length(max=254, message=_l("Email address must be 254 characters or fewer")), Email(_l("Enter an email address in the correct format, like name@example.com"), check_deliverability=False)])

    def __init__(self, *args, needs_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_name = needs_name

    def validate_phone(self, field):
        digits = "".join(ch for ch in field.data if ch.isascii() and ch.isdigit())
        if not all(ch.isascii() and (ch.isdigit() or ch in " +()-") for ch in field.data) or not 10 <= len(digits) <= 13:
            raise ValidationError(_l("Enter a phone number, like 01632 960 001 or 07700 900 982"))

    def validate(self, extra_validators=None):
        fine = super().validate(extra_validators)
        if self.methods.errors:
            self.methods.errors = [_l("Select how we can contact you from the list")]
            return False
        methods = set(self.methods.data or ())
        if not methods:
            self.methods.errors = [_l("Select how we can contact you")]
            fine = False
        if self.needs_name and not (self.name.data or "").strip() and not self.name.errors:
            self.name.errors = [_l("Enter your name")]
            fine = False
        if methods & {"phone", "text"} and not (self.phone.data or "").strip() and not self.phone.errors:
            self.phone.errors = [_l("Enter a phone number, so we can call or text you")]
            fine = False
        if "email" in methods and not (self.email.data or "").strip() and not self.email.errors:
            self.email.errors = [_l("Enter an email address, so we can email you")]
            fine = False
        return fine


class SafeContactForm(Trapped):
    call = RadioField(_l("Is it safe for us to call you?"), choices=options(YES_NO), validators=[InputRequired(_l("Select yes if it is safe for us to call you"))])
    voicemail = RadioField(_l("Is it safe for us to leave a voicemail?"), choices=options(YES_NO), validators=[InputRequired(_l("Select yes if it is safe for us to leave a voicemail"))])
    text = RadioField(_l("Is it safe for us to send you a text message?"), choices=options(YES_NO), validators=[InputRequired(_l("Select yes if it is safe for us to send you a text message"))])
    letter = RadioField(_l("Is it safe for us to send you a letter?"), choices=options(YES_NO), validators=[InputRequired(_l("Select yes if it is safe for us to send you a letter"))])
    times = SelectMultipleField(_l("When is the best time to contact you? (optional)"), choices=options([(time, time) for time in TIMES]))
    notes = TextAreaField(_l("Anything else we should know about contacting you safely? (optional)"), validators=[Optional(), Length(max=LONG // 4, message=_l("What you tell us must be %(max)d characters or fewer"))])

    def validate(self, extra_validators=None):
        fine = super().validate(extra_validators)
        if self.times.errors:
            self.times.errors = [_l("Select times from the list")]
        return fine


class ConsentForm(Trapped):
    contact = BooleanField(_l("I agree that the Early Help Family Support team can contact me"), validators=[InputRequired(_l("You need to agree to us contacting you, so we can help"))])
    share = RadioField(_l("Can we share your details with the services listed, if they can help?"), choices=options(YES_NO), validators=[InputRequired(_l("Select yes if we can share your details with these services"))])


class SubmitForm(Trapped):
    """Check your answers: the send button."""


def problems(form, *dates):
    """The error summary's list: each field's first error, then each wrong date, linked to its box."""
    found = form_error_list(form)
    for parts in dates:
        if parts.error:
            found.append({"text": str(parts.error), "href": f"#{parts.name}-{(parts.wrong or ('day',))[0]}"})
    return found

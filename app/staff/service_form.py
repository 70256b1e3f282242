"""The editors' form for a service: one long page in sections, read from and written to a service record.

The form covers what families read; everything else in the record (funding,
accreditations, a feed's own fields) is kept as it was. Ids of the parts that
stay (phones, sessions, languages, places) are kept, so a difference shows only
what the editor changed.
"""

import re
import uuid
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app import clock
from app.directory import oruk
from app.directory.editing import DAY_NAMES, location_choices
from app.domain.date_parts import PARTS, WrongDate, future_date_from_parts
from app.domain.postcodes import normalise_postcode, postcode_location
from app.domain.whole_numbers import is_whole_number
from app.extensions import db
from app.form_fields import Choice, Choices, Select
from app.models import Location, Organization, Taxonomy, TaxonomyTerm, codes
from app.referral.forms import options
from app.templating import form_error_list

SESSION_SLOTS = 4
PLACE_SLOTS = 3
TERM_FIELDS = {  # form field: taxonomy
    "need_levels": codes.NEED_LEVELS,
    "eligibility": codes.ELIGIBILITY,
    "access": codes.ACCESS,
    "delivery": codes.DELIVERY,
    "categories": codes.CATEGORIES,
    "features": codes.FEATURES,
}
# Languages a service may offer besides English: the county's most spoken (ONS Census 2021) and BSL.
LANGUAGES = (
    ("en", "English"), ("pl", "Polish"), ("ro", "Romanian"), ("pa", "Punjabi"), ("ur", "Urdu"),
    ("ar", "Arabic"), ("bn", "Bengali"), ("bfi", "British Sign Language"),
)
LANGUAGE_NAMES = {
    "en": _l("English"), "pl": _l("Polish"), "ro": _l("Romanian"), "pa": _l("Punjabi"), "ur": _l("Urdu"),
    "ar": _l("Arabic"), "bn": _l("Bengali"), "bfi": _l("British Sign Language"),
}
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
def new_id():
    return str(uuid.uuid4())


def _clock_time(text):
    match = _TIME.match(text or "")
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


class SessionForm(Form):
    """A weekly session: the days, the hours and a short note."""

    days = Choices(_l("Days"), choices=options(list(DAY_NAMES.items())))
    opens = StringField(_l("From"), validators=[Optional(), Length(max=10, message=_l("Enter a time like 09:30"))])
    closes = StringField(_l("To"), validators=[Optional(), Length(max=10, message=_l("Enter a time like 17:00"))])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=200, message=_l("Note must be 200 characters or fewer"))])

    def used(self):
        return bool(self.days.data or (self.opens.data or "").strip() or (self.closes.data or "").strip() or (self.note.data or "").strip())

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if not self.used():
            return True
        if not self.days.data:
            self.days.errors = [_l("Select the days of this session")]
            return False
        opens, closes = _clock_time(self.opens.data), _clock_time(self.closes.data)
        if opens is None:
            self.opens.errors = [_l("Enter the time the session starts, like 09:30")]
            return False
        if closes is None:
            self.closes.errors = [_l("Enter the time the session ends, like 17:00")]
            return False
        if closes <= opens:
            self.closes.errors = [_l("The session must end after it starts")]
            return False
        return True


class ServiceForm(FlaskForm):
    # About the service
    name = StringField(_l("Name of the service"), validators=[
        InputRequired(_l("Enter the name of the service")), Length(max=255, message=_l("Name must be 255 characters or fewer"))])
    organisation = Select(_l("Organisation that runs it"), validators=[InputRequired(_l("Select the organisation that runs it"))])
    description = TextAreaField(_l("Description"), validators=[
        InputRequired(_l("Enter a description of the service")),
        Length(max=5000, message=_l("Description must be 5000 characters or fewer"))])
    alert = TextAreaField(_l("Alert (optional)"), validators=[
        Optional(), Length(max=500, message=_l("Alert must be 500 characters or fewer"))])
    url = StringField(_l("Website (optional)"), validators=[
        Optional(), Length(max=500, message=_l("Website must be 500 characters or fewer"))])
    email = StringField(_l("Email address (optional)"), validators=[
        Optional(), Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        Email(_l("Enter an email address in the correct format, like name@example.com"), check_deliverability=False)])
    # Contact
    phone = StringField(_l("Phone number (optional)"), validators=[Optional(), Length(max=40, message=_l("Enter a phone number, like 01632 960 001"))])
    phone_description = StringField(_l("What the number is for (optional)"), validators=[Optional(), Length(max=200, message=_l("Must be 200 characters or fewer"))])
    phone_2 = StringField(_l("Another phone number (optional)"), validators=[Optional(), Length(max=40, message=_l("Enter a phone number, like 01632 960 001"))])
    phone_2_description = StringField(_l("What the other number is for (optional)"), validators=[Optional(), Length(max=200, message=_l("Must be 200 characters or fewer"))])
    contact_name = StringField(_l("Contact’s name (optional)"), validators=[Optional(), Length(max=255, message=_l("Name must be 255 characters or fewer"))])
    contact_title = StringField(_l("Contact’s job title (optional)"), validators=[Optional(), Length(max=255, message=_l("Job title must be 255 characters or fewer"))])
    contact_email = StringField(_l("Contact’s email address (optional)"), validators=[
        Optional(), Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        Email(_l("Enter an email address in the correct format, like name@example.com"), check_deliverability=False)])
    contact_phone = StringField(_l("Contact’s phone number (optional)"), validators=[Optional(), Length(max=40, message=_l("Enter a phone number, like 01632 960 001"))])
    # Who it is for
    minimum_age = StringField(_l("Youngest age, in years (optional)"), validators=[Optional(), Length(max=3, message=_l("Enter an age from 0 to 120"))])
    maximum_age = StringField(_l("Oldest age, in years (optional)"), validators=[Optional(), Length(max=3, message=_l("Enter an age from 0 to 120"))])
    need_levels = Choices(_l("Level of need"))
    eligibility = Choices(_l("Who it is for"))
    # How to get it
    access = Choices(_l("How families get it"))
    delivery = Choices(_l("How it is delivered"))
    # Cost
    cost = Choice(_l("Does it cost anything?"), choices=options([("free", _l("No, it is free")), ("paid", _l("Yes"))]),
                      validators=[InputRequired(_l("Select whether it costs anything"))])
    amount = StringField(_l("Cost, in pounds (optional)"), validators=[Optional(), Length(max=12, message=_l("Enter a cost like 3.50"))])
    amount_description = StringField(_l("What the cost is for (optional)"), validators=[Optional(), Length(max=200, message=_l("Must be 200 characters or fewer"))])
    fees = TextAreaField(_l("About the cost (optional)"), validators=[Optional(), Length(max=1000, message=_l("Must be 1000 characters or fewer"))])
    # When
    sessions = FieldList(FormField(SessionForm), min_entries=SESSION_SLOTS, max_entries=SESSION_SLOTS)
    schedule_note = TextAreaField(_l("About the times (optional)"), validators=[Optional(), Length(max=500, message=_l("Must be 500 characters or fewer"))])
    # Where
    place_1 = Select(_l("Place"), validators=[Optional()])
    place_2 = Select(_l("Another place"), validators=[Optional()])
    place_3 = Select(_l("Another place"), validators=[Optional()])
    new_place_name = StringField(_l("Name of the place (optional)"), validators=[Optional(), Length(max=255, message=_l("Name must be 255 characters or fewer"))])
    new_place_address_1 = StringField(_l("Address line 1"), validators=[Optional(), Length(max=255, message=_l("Address line 1 must be 255 characters or fewer"))])
    new_place_address_2 = StringField(_l("Address line 2 (optional)"), validators=[Optional(), Length(max=255, message=_l("Address line 2 must be 255 characters or fewer"))])
    new_place_town = StringField(_l("Town or city"), validators=[Optional(), Length(max=120, message=_l("Town or city must be 120 characters or fewer"))])
    new_place_postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=10, message=_l("Enter a real postcode"))])
    areas = Choices(_l("Districts it serves"))
    languages = Choices(_l("Languages staff speak"), choices=options([(code, LANGUAGE_NAMES[code]) for code, _name in LANGUAGES]))
    categories = Choices(_l("Categories"))
    features = Choices(_l("Features"))
    # Checked and published
    checked = BooleanField(_l("I have checked these details with the service today"))
    when = Choice(_l("When should the change be published?"), choices=options([
        ("approved", _l("As soon as it is approved")), ("date", _l("On a date"))]), default="approved",
        validators=[InputRequired(_l("Select when the change should be published"))])
    summary = TextAreaField(_l("What changed, and why (optional)"), validators=[
        Optional(), Length(max=500, message=_l("Must be 500 characters or fewer"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = db.session.execute(db.select(Organization.id, Organization.name).order_by(Organization.name)).all()
        self.organisation.choices = options([("", _l("Select an organisation"))] + [(row.id, row.name) for row in organisations])
        places = [("", _l("None"))] + location_choices()
        for field in (self.place_1, self.place_2, self.place_3):
            field.choices = options(places)
        districts = current_app.extensions["site_settings"].districts
        self.areas.choices = options([(district.name, district.name) for district in districts])
        terms = db.session.execute(
            db.select(TaxonomyTerm.id, TaxonomyTerm.name, Taxonomy.code).join(Taxonomy, TaxonomyTerm.taxonomy_id == Taxonomy.id)
            .order_by(TaxonomyTerm.name)).all()
        for field_name, code in TERM_FIELDS.items():
            getattr(self, field_name).choices = options([(row.id, row.name) for row in terms if row.code == code])
        self.publish_on = None
        self.publish_error = None

    # -------------------------------------------------------------- checks

    def validate_url(self, field):
        if field.data and not re.match(r"^https?://[^\s/]+\.[^\s]+$", field.data.strip()):
            raise ValidationError(_l("Enter a web address starting with https://, like https://example.org"))

    def _age(self, field):
        text = (field.data or "").strip()
        if text and not (is_whole_number(text) and int(text) <= 120):
            raise ValidationError(_l("Enter an age from 0 to 120"))

    def validate_minimum_age(self, field):
        self._age(field)

    def validate_maximum_age(self, field):
        self._age(field)
        low, high = (self.minimum_age.data or "").strip(), (field.data or "").strip()
        if low and high and is_whole_number(low) and is_whole_number(high) and int(low) > int(high):
            raise ValidationError(_l("The oldest age must be the same as or more than the youngest"))

    def validate_amount(self, field):
        if self.cost.data != "paid":
            return
        text = (field.data or "").strip().lstrip("£")
        if not text:
            return
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_l("Enter a cost like 3.50")) from None
        if not amount.is_finite() or amount <= 0 or amount > 10000 or amount.as_tuple().exponent < -2:
            raise ValidationError(_l("Enter a cost like 3.50"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return self._check_new_place() and valid

    def _check_new_place(self):
        """A new place needs its first line, town and a postcode the postcode table knows (for the map).

        Checked here rather than by the postcode field's own validator, which an empty (optional) field skips."""
        if not self.new_place_used():
            return True
        wrong = False
        for field, message in ((self.new_place_address_1, _l("Enter the first line of the new place’s address")),
                               (self.new_place_town, _l("Enter the new place’s town or city"))):
            if not field.errors and not (field.data or "").strip():
                field.errors = [*field.errors, message]
                wrong = True
        if not self.new_place_postcode.errors:
            postcode = normalise_postcode(self.new_place_postcode.data or "")
            if postcode is None:
                self.new_place_postcode.errors = [_l("Enter a real postcode, like WR1 2AB")]
                wrong = True
            elif postcode_location(postcode) is None:
                self.new_place_postcode.errors = [_l("We could not find this postcode. Check it and enter it again")]
                wrong = True
        else:
            wrong = True
        return not wrong

    def new_place_used(self):
        return any((getattr(self, f"new_place_{name}").data or "").strip()
                   for name in ("name", "address_1", "address_2", "town", "postcode"))

    def read_publish_date(self, form_data):
        """The date to publish on, from the date input, when "On a date" is chosen; sets ``publish_error``."""
        if self.when.data != "date":
            return True
        try:
            self.publish_on = future_date_from_parts(clock.now().date(), *(form_data.get(f"publish-{part}") for part in PARTS))
        except WrongDate as wrong:
            self.publish_error, self.publish_wrong = wrong.message, wrong.wrong
            return False
        return True

    def problems_in_order(self):
        """Every error, for the error summary, in the form's order; the publishing date's last."""
        found = form_error_list(self)
        if self.publish_error:
            found.append({"text": str(self.publish_error), "href": "#publish-day"})
        return found

    # -------------------------------------------------------------- record <-> form

    @classmethod
    def data_from(cls, record):
        """The form's data from a service record."""
        phones = record.get("phones") or []
        contact = (record.get("contacts") or [{}])[0]
        chosen = {a.get("taxonomy_term_id") for a in record.get("attributes") or []}
        weekly = [s for s in record.get("schedules") or [] if s.get("byday")]
        notes = [s.get("notes") or s.get("description") for s in record.get("schedules") or [] if not s.get("byday")]
        places = [link["location"]["id"] for link in record.get("service_at_locations") or []]
        paid = [c for c in record.get("cost_options") or [] if c.get("amount") not in (None, 0, "0")]
        data = {
            "name": record.get("name"), "organisation": (record.get("organization") or {}).get("id") or record.get("organization_id"),
            "description": record.get("description"), "alert": record.get("alert"), "url": record.get("url"), "email": record.get("email"),
            "phone": phones[0]["number"] if phones else "", "phone_description": phones[0].get("description") if phones else "",
            "phone_2": phones[1]["number"] if len(phones) > 1 else "", "phone_2_description": phones[1].get("description") if len(phones) > 1 else "",
            "contact_name": contact.get("name"), "contact_title": contact.get("title"), "contact_email": contact.get("email"),
            "contact_phone": (contact.get("phones") or [{}])[0].get("number"),
            "minimum_age": "" if record.get("minimum_age") is None else str(record["minimum_age"]),
            "maximum_age": "" if record.get("maximum_age") is None else str(record["maximum_age"]),
            "cost": "paid" if paid else "free",
            "amount": f"{float(paid[0]['amount']):.2f}" if paid else "",
            "amount_description": paid[0].get("amount_description") or paid[0].get("option") if paid else "",
            "fees": record.get("fees"),
            "sessions": [{"days": (s.get("byday") or "").split(","), "opens": (s.get("opens_at") or "")[:5],
                          "closes": (s.get("closes_at") or "")[:5], "note": s.get("description") or ""} for s in weekly[:SESSION_SLOTS]],
            "schedule_note": "\n".join(n for n in notes if n),
            "place_1": places[0] if places else "", "place_2": places[1] if len(places) > 1 else "",
            "place_3": places[2] if len(places) > 2 else "",
            "areas": [area.get("name") for area in record.get("service_areas") or []],
            "languages": [lang.get("code") for lang in record.get("languages") or [] if lang.get("code")],
            "when": "approved",
        }
        data["sessions"] += [{}] * (SESSION_SLOTS - len(data["sessions"]))
        terms = {}
        for row in db.session.execute(db.select(TaxonomyTerm.id, Taxonomy.code).join(Taxonomy, TaxonomyTerm.taxonomy_id == Taxonomy.id)):
            terms[row.id] = row.code
        for field_name, code in TERM_FIELDS.items():
            data[field_name] = [term for term in chosen if terms.get(term) == code]
        return data

    def apply_to(self, record):
        """A new record: ``record`` with this form's answers (ids kept where the part stays)."""
        record = dict(record)
        text = lambda field: (field.data or "").strip()  # noqa: E731
        record["name"] = text(self.name)
        for key, field in (("description", self.description), ("alert", self.alert), ("url", self.url), ("email", self.email),
                           ("fees", self.fees)):
            value = text(field)
            record[key] = value or None
        organisation = db.session.get(Organization, self.organisation.data)
        if organisation is not None:
            record["organization"] = oruk.organization_record(organisation)
            record["organization_id"] = organisation.id
        record["minimum_age"] = int(text(self.minimum_age)) if text(self.minimum_age) else None
        record["maximum_age"] = int(text(self.maximum_age)) if text(self.maximum_age) else None
        # Phones: the slots keep the ids of the numbers they show.
        old_phones = record.get("phones") or []
        phones = []
        for slot, (number, description) in enumerate(((self.phone, self.phone_description), (self.phone_2, self.phone_2_description))):
            if text(number):
                phone = {"id": old_phones[slot]["id"] if slot < len(old_phones) else new_id(), "number": text(number)}
                if text(description):
                    phone["description"] = text(description)
                phones.append(phone)
        record["phones"] = phones
        old_contacts = record.get("contacts") or []
        contact = {key: text(field) for key, field in (("name", self.contact_name), ("title", self.contact_title),
                                                        ("email", self.contact_email)) if text(field)}
        if contact or text(self.contact_phone):
            old = old_contacts[0] if old_contacts else {}
            contact["id"] = old.get("id") or new_id()
            if text(self.contact_phone):
                old_phone = (old.get("phones") or [{}])[0]
                contact["phones"] = [{"id": old_phone.get("id") or new_id(), "number": text(self.contact_phone)}]
            record["contacts"] = [contact] + old_contacts[1:]
        else:
            record["contacts"] = old_contacts[1:]
        # Taxonomy terms: the form's six taxonomies are replaced; any other links stay.
        form_terms = {term for field_name in TERM_FIELDS for term in getattr(self, field_name).data or []}
        shown = {choice.value for field_name in TERM_FIELDS for choice in getattr(self, field_name).choices}
        old_attributes = record.get("attributes") or []
        by_term = {a.get("taxonomy_term_id"): a for a in old_attributes}
        # In the order they were, then the new ones.
        record["attributes"] = [a for a in old_attributes if a.get("taxonomy_term_id") not in shown or a.get("taxonomy_term_id") in form_terms] + [
            {"id": new_id(), "taxonomy_term_id": term} for term in sorted(form_terms - set(by_term))]
        # Cost
        options_now = []
        if self.cost.data == "paid" and text(self.amount):
            old_costs = record.get("cost_options") or []
            option = {"id": old_costs[0]["id"] if old_costs else new_id(), "amount": float(Decimal(text(self.amount).lstrip("£")))}
            if text(self.amount_description):
                option["amount_description"] = text(self.amount_description)
            options_now.append(option)
        if self.cost.data == "paid" and not options_now and not record.get("fees"):
            record["fees"] = None
        record["cost_options"] = options_now
        # Sessions
        old_weekly = [s for s in record.get("schedules") or [] if s.get("byday")]
        old_notes = [s for s in record.get("schedules") or [] if not s.get("byday")]
        schedules = []
        for slot, entry in enumerate(self.sessions):
            if not entry.form.used():
                continue
            session = {"id": old_weekly[slot]["id"] if slot < len(old_weekly) else new_id(), "freq": "WEEKLY", "interval": 1,
                       "byday": ",".join(day for day in DAY_NAMES if day in entry.form.days.data),
                       "opens_at": _clock_time(entry.form.opens.data) + ":00", "closes_at": _clock_time(entry.form.closes.data) + ":00"}
            if text(entry.form.note):
                session["description"] = text(entry.form.note)
            schedules.append(session)
        if text(self.schedule_note):
            schedules.append({"id": old_notes[0]["id"] if old_notes else new_id(), "notes": text(self.schedule_note)})
        record["schedules"] = schedules
        # Places: the chosen ones (each once), then a new one.
        old_links = {link["location"]["id"]: link for link in record.get("service_at_locations") or []}
        links, seen = [], set()
        for field in (self.place_1, self.place_2, self.place_3):
            place = db.session.get(Location, field.data) if field.data else None
            if place is None or place.id in seen:
                continue
            seen.add(place.id)
            link_id = old_links[place.id]["id"] if place.id in old_links else new_id()
            links.append({"id": link_id, "location": oruk.location_record(place)})
        if self.new_place_used():
            postcode = normalise_postcode(self.new_place_postcode.data)
            latitude, longitude = postcode_location(postcode)
            address = {"id": new_id(), "address_1": text(self.new_place_address_1), "city": text(self.new_place_town),
                       "postal_code": postcode, "country": "GB", "address_type": "physical"}
            if text(self.new_place_address_2):
                address["address_2"] = text(self.new_place_address_2)
            place = {"id": new_id(), "location_type": "physical", "latitude": latitude, "longitude": longitude,
                     "addresses": [address]}
            if text(self.new_place_name):
                place["name"] = text(self.new_place_name)
            links.append({"id": new_id(), "location": place})
        record["service_at_locations"] = links
        old_areas = {area.get("name"): area for area in record.get("service_areas") or []}
        record["service_areas"] = [{"id": old_areas[name]["id"] if name in old_areas else new_id(), "name": name}
                                   for name in self.areas.data or []]
        old_languages = {lang.get("code"): lang for lang in record.get("languages") or []}
        names = dict(LANGUAGES)
        wanted = set(self.languages.data or [])
        record["languages"] = [lang for lang in record.get("languages") or [] if lang.get("code") in wanted or lang.get("code") not in names] + [
            {"id": new_id(), "name": names[code], "code": code} for code, _name in LANGUAGES if code in wanted and code not in old_languages]
        if self.checked.data:
            record["assured_date"] = clock.now().date().isoformat()
        return {key: value for key, value in record.items() if value is not None and value != []}

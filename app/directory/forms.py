"""The browse form: the query string of ``/services``, checked field by field."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import ValidationError

from app.directory.browse import DAY_SLUGS, DELIVERY, LEVELS, RADII
from app.domain.postcodes import normalise_postcode
from app.domain.whole_numbers import is_whole_number
from app.search.listing import AGES


class BrowseForm(FlaskForm):
    """Filters for the directory. A bad value is reported and that filter ignored."""

    class Meta:
        csrf = False

    q = StringField(_l("Search for help"))
    postcode = StringField(_l("Postcode"))
    category = StringField(_l("Category"))
    district = StringField(_l("Area"))
    age = StringField(_l("Age of child or young person"))
    cost = StringField(_l("Cost"))
    level = StringField(_l("Type of help"))
    language = StringField(_l("Language"))
    day = StringField(_l("Open on"))
    delivery = StringField(_l("How you get the help"))
    radius = StringField(_l("Distance"))
    sort = StringField(_l("Order"))
    page = StringField(_l("Page"))

    DAYS = DAY_SLUGS
    SORTS = ("relevance", "distance", "name")

    @classmethod
    def parameters(cls):
        """The query string parameters the form reads: its fields' names."""
        return tuple(name for name, value in vars(cls).items() if isinstance(value, UnboundField))

    def __init__(self, formdata, categories, districts, languages=()):
        super().__init__(formdata=formdata)
        self.category_codes = categories
        self.district_slugs = districts
        self.language_codes = set(languages)

    def validate_q(self, field):
        if field.data and len(field.data) > 200:
            raise ValidationError(_l("Search words must be 200 characters or fewer"))

    def validate_postcode(self, field):
        if field.data and field.data.strip() and normalise_postcode(field.data) is None:
            raise ValidationError(_l("Enter a real postcode, like WR1 2AB"))

    def validate_category(self, field):
        if field.data and field.data not in self.category_codes:
            raise ValidationError(_l("Select a category from the list"))

    def validate_district(self, field):
        if field.data and field.data not in self.district_slugs:
            raise ValidationError(_l("Select an area from the list"))

    def validate_age(self, field):
        if field.data and field.data != "pregnancy" and not (is_whole_number(field.data) and int(field.data) in AGES):
            raise ValidationError(_l("Select an age from the list"))

    def validate_cost(self, field):
        if field.data and field.data != "free":
            raise ValidationError(_l("Select ‘Free only’ or leave it unticked"))

    def validate_level(self, field):
        if field.data and field.data not in LEVELS:
            raise ValidationError(_l("Select a type of help from the list"))

    def validate_language(self, field):
        if field.data and field.data not in self.language_codes:
            raise ValidationError(_l("Select a language from the list"))

    def validate_day(self, field):
        if field.data and field.data not in self.DAYS:
            raise ValidationError(_l("Select a day from the list"))

    def validate_delivery(self, field):
        if field.data and field.data not in DELIVERY:
            raise ValidationError(_l("Select how you would like to get help from the list"))

    def validate_radius(self, field):
        if field.data and field.data not in {str(miles) for miles in RADII}:
            raise ValidationError(_l("Select a distance from the list"))
        if field.data and not (self.postcode.data or "").strip():
            self.postcode.errors.append(_l("Enter a postcode to find services within a distance"))

    # The order and the page come only from the site's own links, and have no field
    # an error could point to: a value that is not one of them gives the usual order
    # and the first page, without a message.

    def validate_sort(self, field):
        if field.data and field.data not in self.SORTS:
            field.data = ""

    def validate_page(self, field):
        if field.data and not (is_whole_number(field.data) and 1 <= int(field.data) <= 10000):
            field.data = ""

    def clean(self, name):
        """The field's value if it passed its checks, else nothing."""
        field = getattr(self, name)
        return None if field.errors or not field.data else field.data

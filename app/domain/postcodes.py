"""UK postcodes: recognising and tidying them ("wr1 2ab" → "WR1 2AB"), and placing them."""

import re

from app.extensions import db
from app.models import Postcode

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(text):
    """The postcode in its usual form, or ``None`` if it is not a UK postcode."""
    if not isinstance(text, str):
        return None
    compact = re.sub(r"\s+", "", text).upper()
    match = _POSTCODE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def postcode_location(postcode):
    """(latitude, longitude) of a tidied postcode from the postcode table, or None when it is not there."""
    found = db.session.get(Postcode, postcode)
    return (found.latitude, found.longitude) if found else None

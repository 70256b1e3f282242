"""UK postcodes: recognising and tidying them ("wr1 2ab" → "WR1 2AB"), and placing them."""

import re

from flask import current_app

from app.extensions import db
from app.models import Postcode
from app.page_cache import TimedCache

KEPT_POSTCODES = 4096  # places of postcodes asked for, kept by each process (the oldest forgotten first)

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
    """(latitude, longitude) of a tidied postcode from the postcode table, or None when it is not there.

    Each process keeps the answers for DIRECTORY_CACHE_SECONDS, as it keeps the directory: looking
    one up through SQLAlchemy was a tenth of a search page's time.
    """
    seconds = current_app.config["DIRECTORY_CACHE_SECONDS"]
    kept = current_app.extensions.get("postcodes")
    if kept is None:
        kept = current_app.extensions["postcodes"] = TimedCache(size=KEPT_POSTCODES)
    found = kept.get(postcode, seconds) if seconds else None
    if found is None:
        row = db.session.get(Postcode, postcode)
        found = ((row.latitude, row.longitude) if row else None,)
        if seconds:
            kept.put(postcode, found)
    return found[0]


def forget_postcodes():
    """After the postcode table changes: look every postcode up again."""
    kept = current_app.extensions.get("postcodes")
    if kept is not None:
        kept.clear()

"""Turning a finished draft into a referral: one record per draft, however often it is sent."""

import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.models import Referral, ReferralDraft
from app.referral.deadlines import decide_by
from app.referral.outbox import queue_team_email
from app.referral.steps import relevant
from app.referral.vault import vault

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: easy to read out over the phone.
REFERENCE_LETTERS = "ACDEFGHJKMNPQRTUVWXY34679"


def new_reference():
    letters = "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


def stand_in_reference(key):
    """A reference that looks real, the same each time for one draft key: what a bot is shown."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), key.encode(), hashlib.sha256).digest()
    letters = "".join(REFERENCE_LETTERS[byte % len(REFERENCE_LETTERS)] for byte in digest[:8])
    return f"{letters[:4]}-{letters[4:]}"


def looks_like_reference(text):
    return (
        isinstance(text, str) and len(text) == 9 and text[4] == "-"
        and all(ch in REFERENCE_LETTERS for ch in text[:4] + text[5:])
    )


def sent_from(key):
    """The referral already made from this draft, if any."""
    return Referral.query.filter_by(submission_key=key).first()


def submit(draft):
    """Store the referral and its team email in one transaction; delete the draft.

    Returns the referral. A second submission of the same draft (a double click,
    a resubmitted page) finds the first one instead of making another.
    """
    existing = sent_from(draft.key)
    if existing is not None:
        return existing
    settings = current_app.extensions["site_settings"]
    district = settings.district(draft.answers["address"]["district"])
    now = clock.now()
    for _attempt in range(5):
        referral = Referral(
            reference=new_reference(),
            submission_key=draft.key,
            district=district.slug,
            referrer=draft.answers["who"],
            status="new",
            received_at=clock.utc_now(),
            decide_by=decide_by(now.date()),
            answers=vault().seal(relevant(draft.answers)),
        )
        db.session.add(referral)
        queue_team_email(referral, district)
        db.session.query(ReferralDraft).filter_by(key=draft.key).delete()
        try:
            db.session.commit()
            return referral
        except IntegrityError:
            db.session.rollback()
            existing = sent_from(draft.key)
            if existing is not None:
                return existing
            # otherwise the reference was already taken: try another
    raise RuntimeError("Could not find an unused reference")

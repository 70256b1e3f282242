"""The self-referral's timed jobs, run by the worker (``flask worker``) and by ``flask referrals …``."""

from datetime import timedelta

from flask import current_app

from app import clock
from app.extensions import db
from app.models import Referral
from app.referral.drafts import delete_expired
from app.referral.outbox import deliver_all_due


def send_mail():
    return deliver_all_due()


def purge(days=None):
    """Delete closed referrals after the retention period, and expired drafts.

    Returns (the deleted referrals' references, how many drafts, the days kept)."""
    days = current_app.config["REFERRAL_KEEP_CLOSED_DAYS"] if days is None else days
    before = clock.utc_now() - timedelta(days=days)
    old = db.session.scalars(
        db.select(Referral).where(Referral.status == "closed", Referral.closed_at.is_not(None), Referral.closed_at <= before)
    ).all()
    references = sorted(referral.reference for referral in old)
    for referral in old:
        db.session.delete(referral)  # its history goes with it; the audit log stays
    db.session.commit()
    return references, delete_expired(), days

"""What the inbox shows: referrals for a staff member's districts, with their deadlines."""

from flask import abort

from app import clock
from app.extensions import db
from app.models import Referral, ReferralAudit, ReferralEvent
from app.models.referral import OPEN_STATUSES, STATUSES
from app.referral.deadlines import is_overdue
from app.referral.vault import vault


def visible_to(user):
    """A query for the referrals this staff member may see."""
    query = db.select(Referral)
    if not user.is_team_member:
        return query.where(db.false())
    if not user.all_districts:
        query = query.where(Referral.district.in_(user.districts or ["-"]))
    return query


def counts_by_status(user):
    rows = db.session.execute(
        visible_to(user).with_only_columns(Referral.status, db.func.count()).group_by(Referral.status)
    ).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in STATUSES}


def listed(user, status):
    query = visible_to(user).where(Referral.status == status)
    if status in OPEN_STATUSES:
        query = query.order_by(Referral.decide_by, Referral.received_at)
    else:
        query = query.order_by(Referral.received_at.desc())
    return db.session.scalars(query.limit(500)).all()


def overdue(referral, today=None):
    return referral.status in OPEN_STATUSES and is_overdue(referral.decide_by, today or clock.now().date())


def find_for(user, reference):
    """The referral, if this staff member may see it; 404 otherwise (whether or not it exists)."""
    referral = db.session.scalar(visible_to(user).where(Referral.reference == reference))
    if referral is None:
        abort(404)
    return referral


def audit(user, referral, action):
    db.session.add(ReferralAudit(at=clock.utc_now(), user_id=user.id, reference=referral.reference, action=action))
    db.session.commit()


def change_status(user, referral, status, note):
    event = ReferralEvent(
        referral=referral, at=clock.utc_now(), user_id=user.id,
        status_from=referral.status, status_to=status,
        note=vault().seal(note) if note else None,
    )
    referral.status = status
    referral.closed_at = clock.utc_now() if status == "closed" else None
    db.session.add(event)
    db.session.add(ReferralAudit(at=clock.utc_now(), user_id=user.id, reference=referral.reference, action="status"))
    db.session.commit()


def history(referral):
    return [
        {"at": event.at, "who": event.user.name if event.user else None, "from": event.status_from,
         "to": event.status_to, "note": vault().open(event.note) if event.note else ""}
        for event in referral.events
    ]


def exported(referral, settings):
    """The referral as JSON for the case-management system."""
    district = settings.district(referral.district)
    return {
        "reference": referral.reference,
        "received_at": clock.local(referral.received_at).isoformat(),
        "decide_by": referral.decide_by.isoformat(),
        "status": referral.status,
        "district": {"slug": referral.district, "name": district.name if district else referral.district},
        "referrer": referral.referrer,
        "answers": vault().open(referral.answers),
        "history": [
            {**item, "at": clock.local(item["at"]).isoformat()} for item in history(referral)
        ],
    }

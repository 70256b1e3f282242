"""A referral being filled in, kept on the server, encrypted, for 24 hours.

The visitor's session cookie holds only a random token. The database holds a
SHA-256 hash of it, so the table alone cannot be used to take over a draft.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, session

from app import clock
from app.domain.tokens import token_hash
from app.extensions import db
from app.models import ReferralDraft
from app.referral.vault import vault

SESSION_KEY = "referral"
# When a bot's form was "sent" (a number of seconds): it has no referral to find.
SENT_KEY = "referral_sent_at"


def draft_key(token):
    return token_hash(token)


@dataclass
class Draft:
    key: str
    started_at: datetime
    trapped: bool
    answers: dict = field(default_factory=dict)

    def save(self):
        row = db.session.get(ReferralDraft, self.key)
        if row is None:  # deleted since it was read (sent from another tab, or expired)
            return
        row.answers = vault().seal(self.answers)
        row.trapped = self.trapped
        db.session.commit()


def session_key():
    """The draft key this visitor's session points to, whether or not the draft still exists."""
    token = session.get(SESSION_KEY)
    return draft_key(token) if isinstance(token, str) else None


def current_draft():
    key = session_key()
    if key is None:
        return None
    row = db.session.get(ReferralDraft, key)
    if row is None or row.expires_at <= clock.utc_now():
        return None
    return Draft(key=key, started_at=row.started_at, trapped=row.trapped, answers=vault().open(row.answers))


def start_draft(answers):
    token = secrets.token_urlsafe(32)
    session[SESSION_KEY] = token
    session.pop(SENT_KEY, None)
    now = clock.utc_now()
    row = ReferralDraft(
        key=draft_key(token),
        answers=vault().seal(answers),
        started_at=now,
        expires_at=now + timedelta(hours=current_app.config["REFERRAL_DRAFT_HOURS"]),
        trapped=False,
    )
    db.session.add(row)
    db.session.commit()
    return Draft(key=row.key, started_at=now, trapped=False, answers=answers)


def delete_expired():
    """Remove drafts past their 24 hours; how many there were."""
    deleted = ReferralDraft.query.filter(ReferralDraft.expires_at <= clock.utc_now()).delete()
    db.session.commit()
    return deleted


def discard():
    """Delete this visitor's draft, if they have one (Exit this page)."""
    key = session_key()
    if key is not None:
        db.session.query(ReferralDraft).filter_by(key=key).delete()
        db.session.commit()

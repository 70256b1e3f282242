"""Self-referrals: the record, its history, who looked at it, drafts and the team's emails.

Everything a family typed is in ``answers`` (and a status note in ``note``),
encrypted with the referral keys (``app/referral/vault.py``). The other columns
hold only what the inbox needs to sort and route: district, kind of referrer,
status and dates.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

STATUSES = ("new", "in-review", "accepted", "signposted", "declined", "closed")
OPEN_STATUSES = ("new", "in-review")  # still waiting for a decision


class Referral(db.Model):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(9), unique=True)  # "K7MQ-4XRT"
    # A hash of the draft's key: sending the same draft twice makes one referral.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    district: Mapped[str] = mapped_column(String(60), index=True)
    referrer: Mapped[str] = mapped_column(String(20))  # parent | young-person
    status: Mapped[str] = mapped_column(String(20), index=True, default="new")
    received_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    decide_by: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    answers: Mapped[str] = mapped_column(Text)  # encrypted JSON

    events: Mapped[list["ReferralEvent"]] = relationship(
        back_populates="referral", cascade="all, delete-orphan",
        order_by="ReferralEvent.at",
    )


class ReferralEvent(db.Model):
    """A change of status: who, when, from what to what, and their note."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)
    status_from: Mapped[str] = mapped_column(String(20))
    status_to: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # encrypted

    referral: Mapped[Referral] = relationship(back_populates="events")
    user = relationship("StaffUser")


class ReferralAudit(db.Model):
    """Someone looked at or exported a referral. Kept after the referral is deleted."""

    __tablename__ = "referral_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)
    reference: Mapped[str] = mapped_column(String(9), index=True)
    action: Mapped[str] = mapped_column(String(20))  # view | export | print | status

    user = relationship("StaffUser")


class ReferralDraft(db.Model):
    """A referral being filled in, found by a hash of the random key in the session cookie."""

    __tablename__ = "referral_draft"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[str] = mapped_column(Text)  # encrypted JSON
    started_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    trapped: Mapped[bool] = mapped_column(Boolean, default=False)  # a bot filled in the hidden field


class OutboxMessage(db.Model):
    """An email waiting to go, or sent. It never holds a family's details."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)

"""Editors' changes to services, and every published version of a service.

A change holds the whole service as an Open Referral UK record (the form the
API serves and imports take), so publishing one is an import of one record,
history is a list of records, and a difference is a comparison of two.
"""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

# draft: waiting for a second editor; scheduled: approved, published on ``publish_on``;
# published; rejected (with a note); withdrawn (by its author, or replaced by an import's newer change).
CHANGE_STATES = ("draft", "scheduled", "published", "rejected", "withdrawn")
OPEN_CHANGE_STATES = ("draft", "scheduled")
# Where a change came from.
CHANGE_SOURCES = ("editor", "new", "restore", "status", "checked", "import", "feed")


class ServiceChange(db.Model):
    __tablename__ = "service_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), index=True)  # no foreign key: a new service is not there yet
    service_name: Mapped[str] = mapped_column(String(255))
    record: Mapped[str] = mapped_column(Text)  # JSON: the whole service after the change
    # JSON: the service as published when the change was made (None for a new service): publishing
    # keeps what others published since in the parts this change left alone.
    base_record: Mapped[str | None] = mapped_column(Text, nullable=True)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the published version it started from
    source: Mapped[str] = mapped_column(String(10), default="editor")
    state: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")  # the editor's note: what and why
    district_slugs: Mapped[str] = mapped_column(String(500), default="")  # comma-separated, for whose queue
    batch: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)  # one import's changes
    # Pulled from another organisation's feed: the service is that feed's once published.
    feed_id: Mapped[str | None] = mapped_column(ForeignKey("feed.id", ondelete="SET NULL"), nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    publish_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: as soon as it is approved
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    # The waiting change this one replaced (edited further): its authors are this one's too, for four eyes.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("service_change.id", ondelete="SET NULL"), nullable=True)

    author = relationship("StaffUser", foreign_keys=[author_id])
    decided_by = relationship("StaffUser", foreign_keys=[decided_by_id])

    @property
    def districts(self):
        return [slug for slug in self.district_slugs.split(",") if slug]


class ServiceVersion(db.Model):
    """A published version of a service: kept for ever, numbered from 1."""

    __tablename__ = "service_version"
    __table_args__ = (UniqueConstraint("service_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[int] = mapped_column(Integer)
    record: Mapped[str] = mapped_column(Text)  # JSON
    published_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(10))  # as ServiceChange.source, or "existing" for the first one kept
    change_id: Mapped[int | None] = mapped_column(ForeignKey("service_change.id", ondelete="SET NULL"), nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)

    change = relationship(ServiceChange)
    author = relationship("StaffUser", foreign_keys=[author_id])
    approver = relationship("StaffUser", foreign_keys=[approver_id])

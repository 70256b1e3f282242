"""A member of the public's report of a problem with a service's page, waiting for its district's editors.

No name or email is asked. What the reporter wrote is encrypted with the
referral keys, as a family's answers are: it may hold more than they meant to
say, and it is never shown outside the staff area.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

REPORT_TOPICS = ("contact", "closed", "times", "other")
REPORT_STATES = ("open", "resolved", "dismissed")


class ServiceReport(db.Model):
    __tablename__ = "service_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), index=True)
    service_name: Mapped[str] = mapped_column(String(255))
    district_slugs: Mapped[str] = mapped_column(String(500), default="")  # comma-separated: whose queue
    topic: Mapped[str] = mapped_column(String(10))
    details: Mapped[str] = mapped_column(Text, default="")  # encrypted; empty when nothing was written
    received_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")  # the editor's, for colleagues
    change_id: Mapped[int | None] = mapped_column(ForeignKey("service_change.id", ondelete="SET NULL"), nullable=True)

    resolved_by = relationship("StaffUser")

    @property
    def districts(self):
        return [slug for slug in self.district_slugs.split(",") if slug]

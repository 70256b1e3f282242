from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class JobRun(db.Model):
    """A timed job's turn, shared by the workers of every server (``app.worker``).

    A worker runs a job only after claiming its row: an UPDATE that moves ``due_at``
    on and that only one worker's transaction can win. ``claimed_until`` bounds how
    long the winner may take; a worker that dies mid-job leaves the job to the next
    turn (each job commits its work whole or not at all).
    """

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    succeeded: Mapped[bool | None]

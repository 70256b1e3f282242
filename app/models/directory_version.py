from datetime import datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class DirectoryVersion(db.Model):
    """One row for each committed change to the directory: the highest id is its version.

    Every server compares the version it last saw with this one and, when it moved on,
    forgets the pages and records it keeps and builds its search index afresh
    (``app.directory_version``). A row is added in the same transaction as the change,
    so a version never names a change that was not made. Rows rather than one counter:
    two imports at once never wait on each other's row.
    """

    __tablename__ = "directory_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Feed(db.Model):
    """Another organisation's Open Referral UK API whose services the directory pulls in (``flask services pull``).

    Services pulled from it point at it; the council's own services point at no feed.
    """

    __tablename__ = "feed"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    pulled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

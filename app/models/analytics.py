"""Anonymous usage counts: one row per day, measure and key, added to as visits happen.

Nothing here can name a person. The only per-visitor values are the visitor
digests of the day (a salted hash, never the address or browser), and they and
the day's salt are deleted once the day is over.
"""

from datetime import date

from sqlalchemy import Date, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class DailyCount(db.Model):
    """How many times ``measure`` happened on ``day`` for ``key``.

    Measures: ``view`` (key: the page's path), ``visitors`` (key: empty),
    ``referrer`` (another site's host name), ``language`` (code), ``device``
    (mobile, tablet or desktop), ``search`` and ``search-none`` and
    ``search-results`` (key: the search words; the last adds up results),
    ``event`` (journey-start, journey-complete, referral-start,
    referral-submit), ``useful-yes`` and ``useful-no`` (key: the page's path).
    """

    __tablename__ = "analytics_count"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class DailySalt(db.Model):
    """The day's random salt for visitor digests, shared by every web worker."""

    __tablename__ = "analytics_salt"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary(32))


class DailyVisitor(db.Model):
    """A visitor digest seen today: so each visitor counts once a day. Deleted after the day."""

    __tablename__ = "analytics_visitor"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)

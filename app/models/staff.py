"""Staff who sign in (early help team members for one or more districts, and admins), and their sessions."""

from datetime import datetime

from flask import current_app
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

ROLES = ("admin", "team")


class StaffUser(db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="team")
    district_slugs: Mapped[str] = mapped_column(String(500), default="")  # comma-separated
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The second factor: an authenticator app's secret (encrypted with the referral
    # keys), when it was confirmed, and the last time step whose code was used (a
    # code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(500), nullable=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def districts(self):
        return [slug for slug in self.district_slugs.split(",") if slug]

    def set_password(self, password):
        self.password_hash = generate_password_hash(password, current_app.config["PASSWORD_HASH"])

    def password_is(self, password):
        return check_password_hash(self.password_hash, password)


class StaffSession(db.Model):
    """A signed-in browser. Its cookie holds a random token; only the token's hash is kept here.

    Deleting the row ends the session at once, wherever the cookie is.
    """

    __tablename__ = "staff_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    seen_at: Mapped[datetime] = mapped_column(DateTime)
    # None until the second factor is given: until then the session opens nothing.
    second_factor_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator app; only its hash is kept."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PasswordReset(db.Model):
    """A password-reset link sent by email: single use, and short-lived. Only the token's hash is kept."""

    __tablename__ = "staff_password_reset"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

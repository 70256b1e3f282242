"""Staff who sign in, and their sessions.

A staff member holds one or more roles: a **team member** reads the referrals of
their districts, an **editor** keeps the directory true for their districts, and
an **admin** looks after staff accounts and the audit log. Roles add nothing to
one another: an admin who is not also a team member reads no referrals.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

ROLES = ("team", "editor", "admin")
ALL_DISTRICTS = "*"  # in district_slugs: every district, including any added later


class StaffUser(db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role_names: Mapped[str] = mapped_column("roles", String(40), default="team")  # comma-separated, from ROLES
    district_slugs: Mapped[str] = mapped_column(String(500), default="")  # comma-separated, or ALL_DISTRICTS
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
    def roles(self):
        held = set((self.role_names or "").split(","))
        return [role for role in ROLES if role in held]

    @roles.setter
    def roles(self, roles):
        self.role_names = ",".join(role for role in ROLES if role in set(roles))

    @property
    def is_admin(self):
        return "admin" in self.roles

    @property
    def is_editor(self):
        return "editor" in self.roles

    @property
    def is_team_member(self):
        return "team" in self.roles

    @property
    def all_districts(self):
        return self.district_slugs == ALL_DISTRICTS

    @property
    def districts(self):
        """The slugs of the districts chosen for them ([] when they have all districts: see ``covers``)."""
        return [slug for slug in self.district_slugs.split(",") if slug and slug != ALL_DISTRICTS]

    def covers(self, district_slugs):
        """Whether they work in any of these districts."""
        return self.all_districts or bool(set(self.districts) & set(district_slugs))

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
    """A link sent by email to choose a password: single use, and short-lived. Only the token's hash is kept.

    An admin's invitation to a new staff member is one too (``purpose`` "invite"), with longer to run.
    """

    __tablename__ = "staff_password_reset"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    purpose: Mapped[str] = mapped_column(String(10), default="reset")  # reset | invite


class StaffAudit(db.Model):
    """An admin changed a staff account: who, whose, when and what (never a password or a secret)."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(500), default="")  # e.g. the roles before and after

    admin = relationship("StaffUser", foreign_keys=[admin_id])
    member = relationship("StaffUser", foreign_keys=[member_id])

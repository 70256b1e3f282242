"""The signed-in staff area: sign-in, the referrals inbox and the audit log."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from app.staff import views  # noqa: E402,F401

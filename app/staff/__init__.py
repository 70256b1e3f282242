"""The signed-in staff area: sign-in, the referrals inbox, the audit log and the usage dashboard."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from app.staff import accounts, dashboard, views  # noqa: E402,F401

"""Refer yourself: the self-referral form, its encrypted record and the team's email."""

from flask import Blueprint

bp = Blueprint("referral", __name__, url_prefix="/refer")

from app.referral import views  # noqa: E402,F401

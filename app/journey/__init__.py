"""Get help for your family: a few plain questions, then what fits."""

from flask import Blueprint

bp = Blueprint("journey", __name__)

from app.journey import views  # noqa: E402,F401

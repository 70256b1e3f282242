"""Content pages written in Markdown under content/pages/."""

from flask import Blueprint

bp = Blueprint("content", __name__)

from app.content import views  # noqa: E402,F401

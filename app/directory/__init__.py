"""The service directory: browse, results and one service's page."""

from flask import Blueprint

bp = Blueprint("directory", __name__)

from app.directory import reports, views  # noqa: E402,F401

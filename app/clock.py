"""The time now in England, which tests can fix with the ``CLOCK`` setting."""

from datetime import datetime

from flask import current_app

from app.directory.opening_times import LONDON


def now():
    return current_app.config.get("CLOCK", lambda: datetime.now(LONDON))()

"""Fake visitors for the usage counts: each with its own address, browser and headers."""

from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete

from app.directory.opening_times import LONDON
from app.extensions import db
from app.models import DailyCount, DailySalt, DailyVisitor

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
COMPUTER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
ANDROID_PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36"


class Visitor(FlaskClient):
    """A test client that always comes from one address with one browser, and notes each page it is shown."""

    def __init__(self, *args, address="203.0.113.10", agent=PHONE, headers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent})
        for name, value in (headers or {}).items():
            self.environ_base["HTTP_" + name.upper().replace("-", "_")] = value
        self.shown = []  # (path, status) of each HTML page it was sent

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html":
            self.shown.append((response.request.path, response.status_code))
        return response


def visitor(app, **kwargs):
    return Visitor(app, app.response_class, use_cookies=True, **kwargs)


class Clock:
    """The day the app thinks it is; tests move it on."""

    def __init__(self, when):
        self.when = when

    def __call__(self):
        return self.when

    def set(self, year, month, day, hour=12):
        self.when = datetime(year, month, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def counted(app):
    """The shared app with no counts yet and a clock the test sets; the clock is put back afterwards."""
    with app.app_context():
        for table in (DailyCount, DailySalt, DailyVisitor):
            db.session.execute(delete(table))
        db.session.commit()
    clock = Clock(datetime(2026, 3, 10, 12, 0, tzinfo=LONDON))
    before = app.config.get("CLOCK")
    app.config["CLOCK"] = clock
    app.extensions["analytics"]._salts.clear()
    yield clock
    if before is None:
        app.config.pop("CLOCK")
    else:
        app.config["CLOCK"] = before

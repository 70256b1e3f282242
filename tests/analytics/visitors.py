"""Fake visitors for the usage counts, and apps of a test's own that count them on a clock the test moves."""

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from app import create_app
from app.extensions import db
from app.models import DailyCount, DailySalt, DailyVisitor
from tests import clock
from tests.conftest import ConfigForTests

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
    """The moment a counting app takes to be now; the test moves it from day to day."""

    def __init__(self, when):
        self.when = when

    def __call__(self):
        return self.when

    def set(self, day, hour=12):
        """Noon (or ``hour``) in England on ``day``, a date worked out from the test clock."""
        self.when = clock.at(day, hour)


@dataclass(frozen=True)
class Counting:
    """An app of a test's own and the clock it reads."""

    app: Flask
    clock: Clock


def forget_counts(app):
    """Delete every count, day's salt and visitor digest in ``app``'s database."""
    with app.app_context():
        for table in (DailyCount, DailySalt, DailyVisitor):
            db.session.execute(delete(table))
        db.session.commit()


def counting_app(app, database_url, moment=None, **overrides):
    """A new app beside the session's ``app``, like another web worker: the same database and search index,
    no salts in memory yet, and the clock ``moment`` (by default one of its own, at noon on the test clock's
    today until moved)."""
    moment = moment or Clock(clock.at(clock.today()))
    own = create_app(ConfigForTests(database_url, CLOCK=moment, SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"],
                                    **{"ANALYTICS_ENABLED": True, **overrides}))
    return Counting(own, moment)


def close(counting):
    with counting.app.app_context():
        db.engine.dispose()


@pytest.fixture
def counted(app, database_url):
    """An app of the test's own on the session's database with no counts yet, and its clock for the test to move.

    Nothing shared is changed: the session's app keeps its clock.
    """
    forget_counts(app)
    counting = counting_app(app, database_url)
    yield counting
    close(counting)

"""Fixtures: an app on SQLite and on PostgreSQL with the demo directory loaded.

Tests that use ``app`` or ``client`` run once on each database. PostgreSQL comes
from TEST_DATABASE_URL (default ``postgresql:///familyhub_test``). Under CI=true a
missing server fails the run; on a laptop those tests are skipped with a note.
"""

import os
import tempfile
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.config import Testing, _database_url
from app.directory.catalogue import directory_changed
from app.directory.demo import load_demo
from app.extensions import db

IN_CI = os.environ.get("CI") == "true"


def unavailable(thing, how):
    """Fail under CI, skip elsewhere, when a real server or browser is missing."""
    message = f"{thing} is not available here. {how}"
    if IN_CI:
        pytest.fail(message + " (CI=true: tests that need it must run)", pytrace=False)
    pytest.skip(message)


class ConfigForTests(Testing):
    def __init__(self, database_url, **overrides):
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = _database_url(database_url)
        self.SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="familyhub-search-"))
        for key, value in overrides.items():
            setattr(self, key, value)


def fresh_postgres_database():
    url = os.environ.get("TEST_DATABASE_URL", "postgresql:///familyhub_test")
    engine = create_engine(_database_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # any failure to reach the server
        unavailable(
            "PostgreSQL",
            f"Install and start it (Debian: apt-get install postgresql), create a database and set "
            f"TEST_DATABASE_URL, e.g. postgresql:///familyhub_test. ({type(error).__name__})",
        )
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'familyhub.db'}"
    return fresh_postgres_database()


def build_app(database_url, **overrides):
    """An app whose database is made by the migrations and holds the demo directory."""
    app = create_app(ConfigForTests(database_url, **overrides))
    with app.app_context():
        flask_migrate.upgrade()
        load_demo(app.config["CONTENT_DIR"])
    return app


@pytest.fixture(scope="session")
def app(database_url):
    app = build_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app_with(app, database_url):
    """Another app on the same (demo-loaded) database, with some configuration changed."""

    def make(**overrides):
        return create_app(ConfigForTests(database_url, **overrides))

    return make


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def restore_demo(app):
    """For tests that change the directory: put the demo data back afterwards."""
    yield
    with app.app_context():
        db.session.rollback()
        load_demo(app.config["CONTENT_DIR"])  # rebuilds the search index too

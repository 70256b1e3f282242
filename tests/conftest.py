"""Fixtures: an app on SQLite and on PostgreSQL with the demo directory loaded.

Tests that use ``app`` or ``client`` run once on each database. PostgreSQL comes
from TEST_DATABASE_URL (default ``postgresql:///familyhub_test``); under
pytest-xdist each worker has a database of its own beside it
(``familyhub_test_gw0`` …), made when it is missing, and every app has a search
index folder of its own. Under CI=true a server that cannot be reached fails the
run; on a laptop those tests are skipped with a note. Any other error fails.

Every app's ``CLOCK`` is the test clock (``tests/clock.py``), and Hypothesis runs
with the ``ci`` profile under CI=true (the same examples every run) or ``dev``.
"""

import os
import tempfile
from pathlib import Path

import flask_migrate
import pytest
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.config import Testing, _database_url
from app.directory.demo import load_demo
from app.extensions import db
from tests import clock
from tests.hypothesis_profiles import IN_CI

pytest_plugins = ["pytester", "tests.styles", "tests.coverage_workers"]


def unavailable(thing, how):
    """Fail under CI, skip elsewhere, when a real server or browser is missing."""
    message = f"{thing} is not available here. {how}"
    if IN_CI:
        pytest.fail(message + " (CI=true: tests that need it must run)", pytrace=False)
    pytest.skip(message)


class ConfigForTests(Testing):
    # Every app this process builds shares its compiled templates: compiling them
    # again for each of a few hundred apps was a tenth of the suite's time. Jinja
    # compiles afresh a template whose source has changed.
    TEMPLATE_BYTECODE_CACHE = FileSystemBytecodeCache(tempfile.mkdtemp(prefix="familyhub-templates-"))

    def __init__(self, database_url, **overrides):
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = _database_url(database_url)
        self.SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="familyhub-search-"))
        self.CLOCK = clock.now
        # Writing each page's usage counts to the database cost about 2.7 ms a page: only the
        # apps that test counting (tests/analytics/visitors.counting_app, the browser's) count.
        self.ANALYTICS_ENABLED = False
        for key, value in overrides.items():
            setattr(self, key, value)


POSTGRES_HOW = ("Install and start it (Debian: apt-get install postgresql), create a database and set "
                "TEST_DATABASE_URL, e.g. postgresql:///familyhub_test.")


def connect_or_skip(engine):
    """A connection, or a skip (a failure under CI) when the server cannot be reached."""
    try:
        return engine.connect()
    except OperationalError as error:  # only a failure to connect: anything else is a real error
        unavailable("PostgreSQL", f"{POSTGRES_HOW} ({str(error.orig).strip().splitlines()[0]})")


def worker_database_url(base_url, worker):
    """The URL of this xdist worker's own database beside ``base_url``, made if missing."""
    base = make_url(_database_url(base_url))
    if not worker:
        return base.render_as_string(hide_password=False)
    own = base.set(database=f"{base.database}_{worker}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with connect_or_skip(engine) as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


def reset_schema(url):
    """Empty the PostgreSQL database at ``url``."""
    engine = create_engine(url)
    try:
        with connect_or_skip(engine) as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
            connection.commit()
    finally:
        engine.dispose()
    return url


def postgres_url():
    """This process's own PostgreSQL database (made if missing), not emptied."""
    return worker_database_url(os.environ.get("TEST_DATABASE_URL", "postgresql:///familyhub_test"),
                               os.environ.get("PYTEST_XDIST_WORKER"))


def fresh_postgres_database():
    """An empty PostgreSQL database for this process: its URL."""
    return reset_schema(postgres_url())


REDIS_HOW = "Install Redis (Debian: apt-get install redis-server); the tests start a server of their own."


@pytest.fixture(scope="session")
def redis_url():
    """A Redis server of the session's own (a failure under CI when redis-server is missing)."""
    from tests.servers import REDIS_SERVER, redis_server

    if not Path(REDIS_SERVER).exists():
        unavailable("Redis", REDIS_HOW)
    with redis_server() as url:
        yield url


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
    """Another app on the same (demo-loaded) database, with some configuration changed.

    Each app has a connection pool of its own: they are closed when the test ends,
    so that parallel workers never run PostgreSQL out of connections.
    """
    made = []

    def make(**overrides):
        other = create_app(ConfigForTests(database_url, **overrides))
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


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


# Tests that read the calendar through the test clock: `make test-dates` runs them
# with the clock moved (FAMILYHUB_TEST_TODAY) to 29 February 2028 and 31 December 2035.
CALENDAR_MODULES = {
    "tests/analytics/test_counting.py", "tests/analytics/test_dashboard.py", "tests/analytics/test_fuzz.py",
    "tests/browser/test_list_in_a_browser.py", "tests/browser/test_pages_in_a_browser.py",
    "tests/browser/test_postgres_in_a_browser.py", "tests/browser/test_referral_in_a_browser.py",
    "tests/content/test_pages.py", "tests/content/test_fuzz.py", "tests/directory/test_reports.py",
    "tests/directory/test_service_page.py",
    "tests/journey/test_journey.py", "tests/journey/test_fuzz.py",
    "tests/referral/test_form.py", "tests/referral/test_fuzz.py", "tests/referral/test_keys.py",
    "tests/referral/test_mail.py", "tests/referral/test_privacy.py", "tests/staff/test_editing.py",
    "tests/staff/test_review.py", "tests/staff/test_staff.py",
}


def pytest_collection_modifyitems(config, items):
    root = Path(config.rootpath)
    for item in items:
        if Path(item.path).relative_to(root).as_posix() in CALENDAR_MODULES:
            item.add_marker(pytest.mark.dates)
        # Coverage is measured on the SQLite run of each test that runs on both
        # databases: the PostgreSQL run repeats the same lines of app/ at twice the
        # cost under the tracer. Tests that run on PostgreSQL alone are measured.
        # Fuzz tests (Hypothesis) are not measured either: they send a hundred
        # variations through lines that the rest of the suite measures, and the
        # tracer doubles their cost. Lines that only fuzzing reaches count as not
        # covered, so the figure printed is, if anything, low. Tests whose site runs only in gunicorn
        # processes are marked SERVED_BY_GUNICORN (tests/servers.py). On Python 3.11 a measured test
        # runs at a half to a third of its speed (tracing turns off the interpreter's specialising).
        params = getattr(item, "callspec", None)
        if params is not None and params.params.get("database_url") == "postgresql":
            item.add_marker(pytest.mark.no_cover)
        elif getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.no_cover)


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker more than the cores this process may use.

    About a quarter of a two-worker run the cores stood idle while tests waited on
    Chromium, gunicorn, the SMTP server and their own timeouts; a third worker fills
    that time (on 2 cores: 6 min 21 s instead of 7 min 58 s; a fourth was slower).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1

"""A locked, read-only or unreachable database: a kind "try again in a minute" (503), and readiness says so."""

import sqlite3
import time

from sqlalchemy import create_engine, text

from app.extensions import db
from tests.conftest import connect_or_skip
from tests.pages import heading, parse


def assert_busy_page(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    page = parse(response)
    assert heading(page) == "Sorry, the service is busy"
    assert page.select_one(".govuk-exit-this-page a") is not None


def test_a_locked_sqlite_database_gets_the_busy_page_quickly(tmp_path):
    """On an app and SQLite database of its own: it runs once, whichever database the others use."""
    import shutil

    from tests.conftest import build_app

    url = f"sqlite:///{tmp_path / 'locked.db'}"
    own = build_app(url)
    client = own.test_client()
    assert client.get("/services").status_code == 200
    holder = sqlite3.connect(tmp_path / "locked.db", timeout=0)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing, and writing, and never letting go
    try:
        started = time.monotonic()
        assert_busy_page(client.get("/services?q=toddler"))
        assert time.monotonic() - started < 4.5  # before: 5 s and more, then a server error
        assert_busy_page(client.post("/refer/start", data={"who": "parent"}))
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.get_data(as_text=True) == "database unreachable\n"
        assert client.get("/healthz").status_code == 200  # the process itself is alive
    finally:
        holder.rollback()
        holder.close()
    assert client.get("/readyz").get_data(as_text=True).startswith("ready\n")
    with own.app_context():
        db.engine.dispose()
    shutil.rmtree(own.config["SEARCH_INDEX_DIR"], ignore_errors=True)


def test_a_read_only_database_gets_the_busy_page(app_with, database_url):
    if database_url.startswith("sqlite:///"):  # SQLite: the same file, opened read-only
        read_only, engine = app_with(SQLALCHEMY_DATABASE_URI=f"sqlite:///file:{database_url[10:]}?mode=ro&uri=true"), None
    else:  # PostgreSQL: the database set read-only, as during a failover
        engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with connect_or_skip(engine) as connection:
            connection.execute(text(f'ALTER DATABASE "{engine.url.database}" SET default_transaction_read_only = on'))
        read_only = app_with()
    try:
        client = read_only.test_client()
        assert client.get("/services").status_code == 200  # reading still works
        assert_busy_page(client.post("/refer/start", data={"who": "parent"}))
    finally:
        if engine is not None:
            with engine.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{engine.url.database}" SET default_transaction_read_only = off'))
            engine.dispose()


def test_readiness_says_when_the_database_cannot_be_reached(app_with):
    unreachable = app_with(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://127.0.0.1:1/nowhere")
    client = unreachable.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.headers["Retry-After"] == "30"
    assert client.get("/healthz").status_code == 200

"""What counting keeps: no cookie, and no address, browser string or query string anywhere."""

import logging
import threading
import urllib.request

from sqlalchemy import inspect, select, text
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import DailyCount, DailySalt, DailyVisitor
from tests import clock
from tests.analytics.visitors import ANDROID_PHONE, counted, visitor  # noqa: F401
from tests.conftest import ConfigForTests
from tests.pages import parse

ADDRESS = "203.0.113.77"
AGENT = ANDROID_PHONE.replace("Pixel 8", "Pixel 8 Uniqueagentmarker")
REFERRER = "https://ref.example.net/private/path?token=sekritvalue"
# Query strings with values that must never be kept: a postcode, a name, an email address.
VISITS = [
    "/",
    "/services?q=toddler+groups&postcode=WR2+6QT&radius=5",
    "/services?q=Alexandra+Quibbleton",  # a name: kept only as search words, and only counted
    "/services?q=alex.quib%40mailmarker.test",  # an email address: never kept
    "/services?q=help+WR2+6QT",  # a postcode in the words: never kept
    "/services?q=07700+987654",  # a phone number: never kept
    "/pages/privacy?utm_source=leaflet-batch-4471",
    "/start-for-life?from=qrcodemarker",
    "/get-help?ref=sharedlinkmarker",
]
NEVER = [ADDRESS, "Uniqueagentmarker", "Pixel 8", "sekritvalue", "ref.example.net/private", "WR2 6QT", "WR2+6QT",
         "wr2 6qt", "postcode=", "radius=", "utm_source", "leaflet-batch-4471", "qrcodemarker", "sharedlinkmarker",
         "alex.quib@mailmarker.test", "mailmarker", "987654"]


def everything_stored(app):
    """Every value in every table, as text."""
    with app.app_context():
        found = []
        for table in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                found += [value.hex() if isinstance(value, (bytes, memoryview)) else str(value) for value in row]
                found += [bytes(value).decode("latin-1") for value in row if isinstance(value, (bytes, memoryview))]
        return "\n".join(found)


def run_visits(client):
    for path in VISITS:
        response = client.get(path, headers={"Referer": REFERRER})
        assert response.status_code == 200, path
    assert client.post("/useful", data={"page": "/pages/privacy", "useful": "yes"}).status_code == 200


def test_no_address_browser_or_query_string_is_kept_or_logged(app, counted, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    run_visits(visitor(counted.app, address=ADDRESS, agent=AGENT))

    stored = everything_stored(app)
    with app.app_context():
        counts = {(row.measure, row.key): row.count for row in db.session.scalars(select(DailyCount))}
    # It was counted…
    assert counts[("view", "/services")] == 5 and counts[("visitors", "")] == 1
    assert counts[("referrer", "ref.example.net")] == 9 and counts[("device", "mobile")] == 9
    assert counts[("search", "alexandra quibbleton")] == 1 and counts[("search", "toddler groups")] == 1
    assert not [key for measure, key in counts if measure == "search" and key not in ("alexandra quibbleton", "toddler groups")]
    # …and nothing that was sent with it was kept, or written to the log.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in NEVER:
        assert value.lower() not in stored.lower(), value
        assert value.lower() not in logged.lower(), value


def test_no_cookie_is_set_on_public_pages(app, counted):  # noqa: F811
    person = visitor(counted.app, address=ADDRESS, agent=AGENT)
    slug = parse(person.get("/services?q=baby")).select_one(".app-result h2 a")["href"].split("?")[0]
    pages = [*VISITS, slug, "/start-for-life/safe-sleep", "/pages/cookies", "/refer", "/refer/teams",
             "/refer/professional", "/pl/", "/pl/services?q=baby", "/pl/pages/privacy"]
    long_ago = clock.years_ago(5)  # a due date long past: the page explains it, and still sets no cookie
    posts = [
        ("/useful", {"page": "/pages/privacy", "useful": "no"}),
        ("/pl/useful", {"page": slug, "useful": "yes"}),
        ("/get-help", {"step": "who", "who": "parent", "action": "continue"}),
        ("/start-for-life", {"due-day": str(long_ago.day), "due-month": str(long_ago.month),
                             "due-year": str(long_ago.year), "due-submit": ""}),
    ]
    responses = [(path, person.get(path)) for path in pages] + [(path, person.post(path, data=data)) for path, data in posts]
    assert [(path, response.status_code) for path, response in responses] == [
        *((path, 200) for path in pages), ("/useful", 200), ("/pl/useful", 200), ("/get-help", 200),
        ("/start-for-life", 200)]
    assert [(path, response.headers.getlist("Set-Cookie")) for path, response in responses
            if response.headers.getlist("Set-Cookie")] == []
    assert person.get_cookie(counted.app.config["SESSION_COOKIE_NAME"]) is None  # the browser holds no session
    with app.app_context():
        assert db.session.scalar(select(DailyCount.count).where(DailyCount.measure == "useful-no")) == 1


def test_the_development_servers_log_has_no_address_or_query_string(app, counted, caplog):  # noqa: F811
    """Served for real by Werkzeug's server, which logs a line for every request."""
    caplog.set_level(logging.DEBUG)
    server = make_server("127.0.0.1", 0, counted.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in VISITS:
            request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}",
                                             headers={"User-Agent": AGENT, "Referer": REFERRER})
            with urllib.request.urlopen(request) as response:
                assert response.status == 200
    finally:
        server.shutdown()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert len(lines) >= len(VISITS) and any('"GET /services HTTP/1.1" 200' in line for line in lines)
    logged = "\n".join(lines)
    for value in [*NEVER, "127.0.0.1", "?"]:
        assert value.lower() not in logged.lower(), value


def test_a_page_is_served_when_counting_fails(caplog, tmp_path):
    """A database without the counting tables: every write fails, and every page is still served."""
    app = create_app(ConfigForTests(f"sqlite:///{tmp_path / 'no-tables.db'}", ANALYTICS_ENABLED=True))
    with app.app_context():
        db.create_all()
        for model in (DailyCount, DailySalt, DailyVisitor):
            model.__table__.drop(db.engine)
    person = visitor(app, address=ADDRESS, agent=AGENT)
    caplog.set_level(logging.DEBUG)
    for path in ("/", "/pages/privacy?utm_source=leaflet-batch-4471", "/get-help"):
        assert person.get(path, headers={"Referer": REFERRER}).status_code == 200
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert any("Usage counts not written yet (OperationalError)" in line for line in warnings)
    assert app.extensions["analytics"].pending() > 0  # kept for the next try
    for value in NEVER:
        assert value.lower() not in "\n".join(warnings).lower()
    # Once the tables are back, what was kept is written.
    with app.app_context():
        db.create_all()
        assert app.extensions["analytics"].flush()
        assert db.session.scalar(select(DailyCount.count).where(DailyCount.measure == "view", DailyCount.key == "/")) == 1



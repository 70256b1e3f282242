"""Two app servers behind nginx on one PostgreSQL, with Redis for the rate limits: the site as a council runs it.

Before, each server's search index followed only the changes made on that
server: after an import on server A, server B kept missing the new service and
listing a closed one (its link a 404) until someone rebuilt B's index by hand.
Now the directory's version lives in the database and every server follows it.
Each test speaks to the site through nginx, as families do, unless it says so.
"""

import html
import json
import re
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from tests.conftest import postgres_url, unavailable
from tests.deployment.cluster import NGINX, NGINX_HOW, Cluster, flask, prepare_database, site_env
from tests.referral.conftest import SmtpServer
from tests.referral.over_http import MAILED, Family, persona, reference_shown, walk_and_wait, walk_to_check
from tests.servers import SERVED_BY_GUNICORN

pytestmark = SERVED_BY_GUNICORN

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"
LONDON = ZoneInfo("Europe/London")
SIGN_IN_LIMIT = 10
FAMILIES = 50


@pytest.fixture(scope="module")
def site(tmp_path_factory, redis_url):
    if not Path(NGINX).exists():
        unavailable("nginx", NGINX_HOW)
    folder = tmp_path_factory.mktemp("deployment")
    url = postgres_url().replace("postgresql+psycopg://", "postgresql://")
    url = url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1].split("?")[0] + "_deployment"
    smtp = SmtpServer()
    smtp.start()
    env = site_env(folder, url, redis_url, smtp.port, REFERRAL_MIN_SECONDS=0,
                   REFERRAL_RATE_LIMIT="1000 per hour", REFERRAL_START_RATE_LIMIT="1000 per hour",
                   STAFF_SIGN_IN_RATE_LIMIT=f"{SIGN_IN_LIMIT} per 15 minutes")
    cluster = Cluster(folder, env, servers=2, workers=2)
    prepare_database(url, cluster.servers[0].env)  # migrations, then the demo directory, from server A
    with cluster:
        for server in cluster.servers:  # B builds its own index when it starts
            server.wait_until_current()
        cluster.database_url, cluster.smtp = url, smtp
        yield cluster
    smtp.stop()


@pytest.fixture
def running(site):
    """The site with both servers up (a test before may have stopped one)."""
    for server in site.servers:
        if server.web.poll() is not None:
            server.start()
            server.wait_until_current()
    return site


def get(base, path, agent=BROWSER):
    request = urllib.request.Request(base + path, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def demo_record(number=0):
    return json.loads((ROOT / "content/directory/demo-services.json").read_text(encoding="utf-8"))[number]


def import_on(server, folder, records):
    """``flask services import`` run on ``server`` (its settings, its index folder), as an editor would."""
    path = Path(folder) / f"import-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return flask(server.env, "services", "import", "--publish", str(path))


def result_titles(page):
    return [html.unescape(title).strip() for title in re.findall(r'<a class="govuk-link" href="/services/[^"]+">([^<]+)</a>', page)]


def test_an_import_on_server_a_is_found_on_server_b_and_a_closure_is_gone_at_once(running, tmp_path):
    a, b = running.servers
    new = demo_record(3) | {"id": "0f6b7c1e-4a5d-4e1b-9c2a-d3e4f5a6b7c8", "name": "Kestrelmoor Toy Library"}
    new["description"] = "Demo data. Borrow toys and games for babies and young children."
    for part in ("phones", "contacts", "schedules", "service_areas", "service_at_locations", "languages",
                 "cost_options", "attributes"):
        for item in new.get(part) or []:
            if isinstance(item, dict) and "id" in item:
                item["id"] = item["id"][:-4] + "beef"
    words = "kestrelmoor toy library"
    assert "Kestrelmoor Toy Library" not in result_titles(get(b.url, "/services?q=" + urllib.parse.quote(words))[1])

    import_on(a, tmp_path, [new])
    imported = time.monotonic()
    while "Kestrelmoor Toy Library" not in result_titles(get(b.url, "/services?q=" + urllib.parse.quote(words))[1]):
        assert time.monotonic() - imported < 15, "server B did not find the imported service within 15 s"
        time.sleep(0.25)
    found_after = time.monotonic() - imported
    for _ in range(4):  # and through nginx, whichever server answers
        assert "Kestrelmoor Toy Library" in result_titles(get(running.url, "/services?q=" + urllib.parse.quote(words))[1])
    print(f"server B found the import {found_after:.2f} s after it was committed on server A")

    closing = demo_record(5)
    status, page = get(b.url, "/services?q=" + urllib.parse.quote(closing["name"]))
    assert closing["name"] in result_titles(page)
    slug = re.search(r'href="(/services/[^"?]+)[^"]*">' + re.escape(html.escape(closing["name"])), page).group(1)
    import_on(a, tmp_path, [closing | {"status": "inactive"}])
    # at once: the first searches and service pages after the import returns no longer offer it, on either server
    for base in (b.url, running.url, a.url, running.url):
        assert closing["name"] not in result_titles(get(base, "/services?q=" + urllib.parse.quote(closing["name"]))[1])
        assert get(base, slug)[0] in (404, 410)
    a.wait_until_current()
    b.wait_until_current()


def test_a_rate_limit_holds_across_both_servers_for_the_address_nginx_saw(running):
    """Sign-ins are limited per address, counted in Redis by both servers; the address is the one nginx
    saw (TRUSTED_PROXIES=1), so a forged X-Forwarded-For escapes nothing and another address has its own count."""
    from tests.staff.test_under_attack import Attempt, burst

    attempts = [Attempt(running.port, "nobody@example.org", "wrong", source="127.0.0.3") for _ in range(2 * SIGN_IN_LIMIT)]
    statuses = sorted(attempt.status for attempt in burst(attempts))
    assert statuses == [200] * SIGN_IN_LIMIT + [429] * SIGN_IN_LIMIT  # 200: "wrong email or password"
    served = {server.name: sum(1 for method, path in server.served("200") + server.served("429")
                               if method == "POST" and path == "/staff/sign-in") for server in running.servers}
    assert all(served.values()), f"both servers answered sign-ins: {served}"

    forged = Attempt(running.port, "nobody@example.org", "wrong", source="127.0.0.3",
                     headers={"X-Forwarded-For": "198.51.100.7"}).send()
    assert forged.status == 429  # nginx adds the real address after the forged one, and that is the one counted
    elsewhere = burst([Attempt(running.port, "nobody@example.org", "wrong", source="127.0.0.4") for _ in range(2)])
    assert [attempt.status for attempt in elsewhere] == [200, 200]  # another family centre's address: its own limit


def views_counted(url, paths):
    """Views of ``paths`` as the staff dashboard's table of pages counts them (yesterday to tomorrow)."""
    from app import create_app
    from app.analytics import reports
    from app.extensions import db
    from tests.conftest import ConfigForTests

    dashboard = create_app(ConfigForTests(url))
    with dashboard.app_context():
        today = datetime.now(LONDON).date()
        found = dict(reports.ranked("view", today - timedelta(days=1), today + timedelta(days=1)))
        db.engine.dispose()
    return {path: found.get(path, 0) for path in paths}


def test_page_views_are_counted_exactly_across_both_servers(running):
    paths = ["/", "/services", "/start-for-life", "/get-help", "/shortlist"]
    before = views_counted(running.database_url, paths)
    served_before = {path: sum(1 for server in running.servers for method, seen in server.served() if seen == path)
                     for path in paths}

    def visit(number):
        path = paths[number % len(paths)]
        return get(running.url, path)[0]

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(visit, range(400)))
    assert set(statuses) == {200}

    def served_now():
        return {path: sum(1 for server in running.servers for method, seen in server.served() if seen == path and method == "GET")
                - served_before[path] for path in paths}

    # gunicorn writes a request's access log line after sending its answer: the last may come a moment later.
    deadline = time.monotonic() + 10
    while sum((served := served_now()).values()) < 400 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sum(served.values()) == 400
    each = [server.served() for server in running.servers]
    assert all(each), "both servers served pages"
    deadline = time.monotonic() + 20
    while True:  # each worker writes its counts every second
        counted = views_counted(running.database_url, paths)
        added = {path: counted.get(path, 0) - before.get(path, 0) for path in paths}
        if added == served or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert added == served


def test_fifty_families_are_each_confirmed_once_while_server_a_dies(running):
    a, b = running.servers
    with psycopg.connect(running.database_url) as connection:
        before = {row[0] for row in connection.execute("SELECT reference FROM referral")}
    mailed_before, answered_before = len(running.smtp.messages), len(running.nginx.statuses())
    families = [Family(running.port, retries=0) for _ in range(FAMILIES)]  # a failed request would fail the test
    at_check = threading.Barrier(FAMILIES + 1, timeout=300)

    def send(number):
        page = walk_and_wait(families[number], number, at_check)
        return reference_shown(families[number].answer(page, {}))

    with ThreadPoolExecutor(FAMILIES) as pool:
        sent = [pool.submit(send, number) for number in range(FAMILIES)]
        at_check.wait()  # every family is on "Check your answers", its draft in the database
        time.sleep(0.05)
        a.kill()  # server A dies as they press "Send"
        shown = [future.result(timeout=120) for future in sent]
    assert len(shown) == len(set(shown)) == FAMILIES  # every family saw its own reference
    assert not [status for status in running.nginx.statuses()[answered_before:] if status >= 500]
    with psycopg.connect(running.database_url) as connection:
        stored = [row[0] for row in connection.execute("SELECT reference FROM referral") if row[0] not in before]
    assert sorted(stored) == sorted(shown)  # each stored once
    deadline = time.monotonic() + 60
    while len(running.smtp.messages) - mailed_before < FAMILIES and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)  # a second copy would come now
    mailed = [MAILED.search(message["text"]).group(1) for message in running.smtp.messages[mailed_before:]]
    assert sorted(mailed) == sorted(shown)  # each team email sent once
    assert any(method == "POST" and path == "/refer/check" for method, path in b.served("303"))


def test_stopping_server_a_loses_nothing_a_family_typed(running):
    a, b = running.servers
    family = Family(running.port)
    answered_before = len(running.nginx.statuses())
    answers = persona(7)
    page = walk_to_check(family, answers)
    a.stop()  # patched and restarted: nginx sends everyone to B meanwhile
    for _ in range(6):
        path, text = family.open("/refer/check")
        assert path == "/refer/check"
    assert answers["help"]["more"] in text  # what the family typed, read back from the database by server B
    sends_on_b = b.served("303").count(("POST", "/refer/check"))
    reference = reference_shown(family.answer(page, {}))
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    assert b.served("303").count(("POST", "/refer/check")) == sends_on_b + 1  # B took the family's "Send"
    assert not [status for status in running.nginx.statuses()[answered_before:] if status >= 500]

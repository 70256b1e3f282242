"""Who is counted and how: devices, robots, referrers, search words, and many writers at once."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from app.analytics.counting import device_class, is_bot, is_prefetch, may_count, referrer_host, search_words
from app.extensions import db
from app.models import DailyCount, DailySalt, DailyVisitor
from tests.analytics.visitors import (  # noqa: F401 - counted is a fixture
    ANDROID_PHONE,
    COMPUTER,
    GOOGLEBOT,
    HEADLESS,
    PHONE,
    TABLET,
    counted,
    counting_app,
    visitor,
)
from tests.conftest import ConfigForTests


def environ(headers):
    """A WSGI environ holding these request headers."""
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}


@pytest.mark.parametrize("agent, device", [
    (PHONE, "mobile"),
    (ANDROID_PHONE, "mobile"),
    (TABLET, "tablet"),
    ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", "tablet"),
    ("Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/120.3.1 like Chrome/120.0 Safari/537.36", "tablet"),
    ("Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54", "mobile"),
    (COMPUTER, "desktop"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "desktop"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "desktop"),
])
def test_device_class(agent, device):
    assert device_class(agent) == device


@pytest.mark.parametrize("agent", [
    GOOGLEBOT, HEADLESS, "", "   ", "curl/8.5.0", "python-requests/2.32.3", "Wget/1.21.4",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Lighthouse",
])
def test_robots_and_tools_are_not_counted(agent):
    assert is_bot(agent) and not may_count(environ({"User-Agent": agent}))


@pytest.mark.parametrize("agent", [PHONE, ANDROID_PHONE, TABLET, COMPUTER])
def test_people_are_counted(agent):
    assert not is_bot(agent) and may_count(environ({"User-Agent": agent}))


@pytest.mark.parametrize("headers", [
    {"Sec-GPC": "1"}, {"DNT": "1"}, {"DNT": " 1 "}, {"Sec-Purpose": "prefetch"}, {"Sec-Purpose": "prefetch;prerender"},
    {"Purpose": "prefetch"}, {"X-Purpose": "preview"}, {"X-Moz": "prefetch"},
])
def test_opting_out_and_prefetching_are_not_counted(headers):
    assert not may_count(environ({"User-Agent": PHONE, **headers}))


def test_a_signal_that_says_no_is_counted():
    assert may_count(environ({"User-Agent": PHONE, "DNT": "0", "Sec-GPC": "0"}))
    assert not is_prefetch(environ({"Sec-Purpose": ""}))


@pytest.mark.parametrize("referrer, host", [
    ("https://www.example.org/some/page?child=Amelia#top", "www.example.org"),
    ("http://News.Example.NET:8080/story", "news.example.net"),
    ("https://family-hub.test/services?q=x", None),  # our own pages
    ("android-app://com.google.android.gm/", None),
    ("javascript:alert(1)", None),
    ("https://[::1/", None),
    ("", None),
    ("https://user:secret@evil.example.com/", "evil.example.com"),
    ("https://exa mple.com/", None),
])
def test_referrer_is_only_another_websites_host(referrer, host):
    assert referrer_host(referrer, "family-hub.test") == host


@pytest.mark.parametrize("typed, kept", [
    ("  Baby   Groups ", "baby groups"),
    ("BABY GROUPS", "baby groups"),
    ("", None),
    ("   ", None),
    ("help near WR2 6QT", None),
    ("wr26qt", None),
    ("jo@example.org", None),
    ("call 07700 900123", None),
    ("speech\x00therapy", None),
    ("x" * 300, "x" * 100),
    ("Łódź playgroup", "łódź playgroup"),
    ("under 5s", "under 5s"),
])
def test_search_words_are_tidied_and_personal_details_never_kept(typed, kept):
    assert search_words(typed) == kept


def test_counting_can_be_switched_off(app, database_url):
    app = create_app(ConfigForTests(database_url, ANALYTICS_ENABLED=False))
    assert "analytics" not in app.extensions
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(DailyCount))
    assert visitor(app).get("/").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DailyCount)) == before


def test_a_salt_a_day_shared_by_every_worker_and_the_old_one_deleted(app, database_url, counted):  # noqa: F811
    day = counted.clock().date()
    workers = [counted.app, counting_app(app, database_url, counted.clock).app]
    salts = []
    for worker in workers:
        with worker.app_context():
            salts.append(worker.extensions["analytics"].salt(day))
    assert salts[0] == salts[1] and len(salts[0]) == 32
    for worker in workers:
        visitor(worker, address="203.0.113.1").get("/")
    with app.app_context():
        assert db.session.scalar(select(DailyCount.count).where(DailyCount.measure == "visitors")) == 1
    next_day = day + timedelta(days=1)
    counted.clock.set(next_day)
    visitor(workers[0], address="203.0.113.1").get("/")
    with app.app_context():
        assert db.session.scalars(select(DailySalt.day)).all() == [next_day]
        assert set(db.session.scalars(select(DailyVisitor.day))) == {next_day}  # yesterday's are gone
        new_salt = db.session.scalar(select(DailySalt.salt))
        visitors = {row.day: row.count for row in db.session.scalars(select(DailyCount).where(DailyCount.measure == "visitors"))}
    assert new_salt != salts[0]
    assert visitors == {day: 1, next_day: 1}  # the same person, counted again on the new day
    with workers[1].app_context():
        db.engine.dispose()


def test_many_writers_at_once_lose_nothing(app, database_url, counted):  # noqa: F811
    """Four workers, each with its own connection pool, each writing 50 times from 3 threads at once."""
    workers = [counting_app(app, database_url, counted.clock).app for _ in range(4)]
    day = counted.clock().date()
    errors = []

    def write(worker, n):
        try:
            with worker.app_context():
                recorder = worker.extensions["analytics"]
                for i in range(50):
                    recorder.add(day, [("view", "/", 1), ("view", f"/page-{i % 5}", 1), ("event", "journey-start", 1)],
                                 bytes([n, i % 10]) * 8)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(worker, n)) for n, worker in enumerate(workers) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for worker in workers:  # anything a busy database turned away is still waiting, and goes now
        with worker.app_context():
            assert worker.extensions["analytics"].flush() and worker.extensions["analytics"].pending() == 0
    with app.app_context():
        counts = {(row.measure, row.key): row.count for row in db.session.scalars(select(DailyCount))}
    assert counts[("view", "/")] == 4 * 3 * 50
    assert all(counts[("view", f"/page-{i}")] == 4 * 3 * 10 for i in range(5))
    assert counts[("event", "journey-start")] == 600
    assert counts[("visitors", "")] == 4 * 10  # ten digests a worker, each counted once however often it came
    for worker in workers:
        with worker.app_context():
            db.engine.dispose()


def test_counts_wait_in_memory_and_are_written_every_few_seconds(app, database_url, counted):  # noqa: F811
    worker = counting_app(app, database_url, counted.clock, ANALYTICS_FLUSH_SECONDS=0.2).app
    person = visitor(worker, address="203.0.113.5")
    for _ in range(3):
        person.get("/pages/privacy")

    def written():
        with app.app_context():
            return db.session.scalar(select(DailyCount.count).where(DailyCount.measure == "view", DailyCount.key == "/pages/privacy"))

    # The writer may run between two of the views: then the first is written alone, the others a moment later.
    deadline = time.monotonic() + 10
    while (written() or 0) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert written() == 3 and worker.extensions["analytics"].pending() == 0
    with worker.app_context():
        db.engine.dispose()


def test_the_journey_s_first_question_from_the_page_cache_still_counts_each_start(app, database_url):
    """/get-help's first question is kept in the page cache; each family shown it is a journey started."""
    from tests.analytics.visitors import close, counting_app, forget_counts, visitor

    forget_counts(app)
    counting = counting_app(app, database_url, PAGE_CACHE_SECONDS=60)
    try:
        for number in range(3):
            assert visitor(counting.app, address=f"203.0.113.{number + 1}").get("/get-help").status_code == 200
        with counting.app.app_context():
            kept = [key for key in page_cache_keys(counting.app) if key[3] == "/get-help"]
            counting.app.extensions["analytics"].flush()
            starts = db.session.scalar(select(DailyCount.count).where(
                DailyCount.measure == "event", DailyCount.key == "journey-start"))
        assert kept, "the first question is kept"
        assert starts == 3
    finally:
        close(counting)


def page_cache_keys(app):
    from app.page_cache import cache

    return [key for key in cache()._values if key[0] == "page"]

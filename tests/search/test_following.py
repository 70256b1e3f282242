"""Every server's search follows the directory's version in the database.

Each app built here has a search index folder of its own: two apps on one
database are two servers. Before, a server's index followed only the changes
made in its own processes.
"""

import time

from sqlalchemy import delete, select

from app.directory.catalogue import keep_search_current
from app.directory_version import current_version
from app.extensions import db
from app.models import DirectoryVersion, Service, StaffUser
from app.search import search_service
from tests.pages import parse


def version_of(app):
    with app.app_context():
        return current_version(db.session)


def shown_names(client, query):
    page = parse(client.get("/services?" + query))
    return [link.get_text(strip=True) for link in page.select(".app-result h2 a, .app-result h3 a")]


def test_a_commit_that_changes_the_directory_moves_its_version_on_once(app, restore_demo):
    before = version_of(app)
    with app.app_context():
        services = db.session.scalars(select(Service).order_by(Service.name).limit(2)).all()
        first, second = (service.id for service in services)
        services[0].name, services[1].fees = "Renamed once", "£1 a session"
        db.session.commit()  # two services in one transaction: one version
    assert version_of(app) == before + 1
    with app.app_context():
        db.session.get(Service, first).name = "Renamed, then rolled back"
        db.session.rollback()
        db.session.scalars(select(StaffUser)).all()
        db.session.commit()  # nothing of the directory changed
        db.session.get(Service, first).name = "Renamed once"
        db.session.commit()  # set to what it was: no change
    assert version_of(app) == before + 1
    with app.app_context():
        db.session.execute(delete(Service).where(Service.id == second))  # a bulk statement
        db.session.commit()
        newest = db.session.scalar(select(DirectoryVersion).order_by(DirectoryVersion.id.desc()))
    assert version_of(app) == newest.id == before + 2


def test_a_closed_service_leaves_another_servers_results_before_its_index_is_rebuilt(app_with, restore_demo):
    server_a, server_b = app_with(), app_with()
    with server_b.app_context():
        search_service().build()
        built = search_service().store.version()
        service = db.session.scalars(select(Service).where(Service.name.like("%Library%")).order_by(Service.name)).first()
        name, identity = service.name, service.id
    visitor = server_b.test_client()
    assert name in shown_names(visitor, "q=library")
    before = shown_names(visitor, "q=library")

    with server_a.app_context():
        db.session.get(Service, identity).status = "inactive"
        db.session.commit()  # on server A

    after = shown_names(visitor, "q=library")  # server B, at its next search
    assert name not in after and after == [shown for shown in before if shown != name]
    assert name not in [link.get_text(strip=True) for link in parse(visitor.get("/services")).select(".app-result a")]
    with server_b.app_context():
        assert search_service().store.version() == built  # the index itself is as it was
        assert search_service().directory().from_index
        keep_search_current()  # the worker's check on server B builds a new one
        assert search_service().store.version() == current_version(db.session) > built
    assert name not in shown_names(visitor, "q=library")


def test_a_service_added_on_one_server_is_found_on_another_after_its_own_rebuild(app_with, restore_demo):
    server_a, server_b = app_with(), app_with(SEARCH_BUILD_IN_BACKGROUND=True)
    with server_b.app_context():
        search_service().build()
    visitor = server_b.test_client()
    assert shown_names(visitor, "q=Wrenwick") == []
    with server_a.app_context():
        service = db.session.scalars(select(Service).where(Service.status == "active").order_by(Service.name)).first()
        service.name = "Wrenwick Family Cafe"
        db.session.commit()
    deadline = time.monotonic() + 15
    while "Wrenwick Family Cafe" not in shown_names(visitor, "q=Wrenwick"):  # built in a thread of B's
        assert time.monotonic() < deadline, "server B's index was not rebuilt within 15 s"
        time.sleep(0.1)
    with server_b.app_context():
        assert search_service().store.version() == current_version(db.session)


def test_a_waiting_process_reads_another_servers_change_at_once_on_postgresql_and_when_due_on_sqlite(
        app_with, database_url, restore_demo):
    """PostgreSQL tells every listening process of a commit that changes the directory (NOTIFY); SQLite,
    one server's database, has no notices: there a process reads the version when its check is due."""
    waiting, changing = app_with(DIRECTORY_CHECK_SECONDS=3600), app_with()
    follower = waiting.extensions["directory_follower"]
    with waiting.app_context():
        seen = follower.version()
    if database_url.startswith("postgresql"):
        deadline = time.monotonic() + 10
        while not follower._woken.is_set():  # the listener says it is listening by asking for one read
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with waiting.app_context():
            assert follower.version() == seen  # nothing changed yet
    with changing.app_context():
        db.session.scalars(select(Service).order_by(Service.name)).first().fees = "Free, changed on server A"
        db.session.commit()
    committed = time.monotonic()
    if database_url.startswith("sqlite"):
        time.sleep(0.5)
        with waiting.app_context():
            assert not follower._woken.is_set() and follower.version() == seen  # its hourly check is not due
        follower._checked -= 3600  # an hour later
        with waiting.app_context():
            assert follower.version() == seen + 1
        return
    while not follower._woken.is_set():
        assert time.monotonic() - committed < 2, "no notice within 2 s"
        time.sleep(0.01)
    with waiting.app_context():
        assert follower.version() == seen + 1  # read at once, although its hourly check is not due


def test_a_page_searched_while_the_index_is_behind_is_sent_but_not_kept(app_with, restore_demo):
    from app.page_cache import cache

    server_b, server_a = app_with(PAGE_CACHE_SECONDS=60), app_with()
    with server_b.app_context():
        search_service().build()
    visitor = server_b.test_client()

    def kept_searches():
        with server_b.app_context():
            return [key for key in list(cache()._values) if key[0] == "page" and key[3] == "/services"]

    assert shown_names(visitor, "q=library") and len(kept_searches()) == 1
    with server_a.app_context():
        db.session.scalars(select(Service).order_by(Service.name)).first().fees = "Changed on server A"
        db.session.commit()
    assert shown_names(visitor, "q=library")  # answered by the old index, less what closed …
    assert kept_searches() == []  # … and not kept: the version moved on, and this index is behind it
    with server_b.app_context():
        keep_search_current()
    assert shown_names(visitor, "q=library") and len(kept_searches()) == 1  # from the new index: kept


def test_a_process_listens_again_after_postgresql_drops_its_connection(app_with, database_url, restore_demo):
    """A database restart (or failover) cuts each process's listening connection: it connects again and
    reads the version, so a change made meanwhile is not missed. SQLite starts no listener at all."""
    from sqlalchemy import text

    from app import directory_version

    waiting, changing = app_with(DIRECTORY_CHECK_SECONDS=3600), app_with()
    follower = waiting.extensions["directory_follower"]
    with waiting.app_context():
        seen = follower.version()
    if database_url.startswith("sqlite"):
        assert follower._listening is None
        return
    original_retry = directory_version.LISTEN_RETRY_SECONDS
    directory_version.LISTEN_RETRY_SECONDS = 0.2
    try:
        deadline = time.monotonic() + 10
        while not follower._woken.is_set():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with waiting.app_context():
            follower.version()  # the first wake read
        with changing.app_context():
            dropped = db.session.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN familyhub_directory%'")).all()
            db.session.commit()
            assert dropped  # the listener's connection, cut as a restart would
            db.session.scalars(select(Service).order_by(Service.name)).first().fees = "Changed while it was away"
            db.session.commit()
        deadline = time.monotonic() + 10
        while not follower._woken.is_set():  # back, and asking for one read in case it missed a notice
            assert time.monotonic() < deadline, "the listener did not come back"
            time.sleep(0.05)
        with waiting.app_context():
            assert follower.version() == seen + 1
    finally:
        directory_version.LISTEN_RETRY_SECONDS = original_retry

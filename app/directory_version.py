"""The directory's version, kept in the database, which every server follows.

Any commit that changes the directory (an import, a pull, an edit, a closure)
adds a ``DirectoryVersion`` row in the same transaction: the session events
below see to it, so no writer has to remember. Each web and worker process keeps
the version it last saw (``DirectoryFollower``) and reads the database's again
at most every ``DIRECTORY_CHECK_SECONDS``: one small query every few seconds,
not one per request. On PostgreSQL a listening connection (LISTEN/NOTIFY) wakes
it as soon as another server commits a change, so the next request reads it.

When the version moves on, the process forgets the pages and records it keeps
and tells search, which hides services no longer listed at once and builds this
server's index afresh in the background (``app.search``).
"""

import logging
import os
import threading
import time
from datetime import UTC, datetime

from flask import current_app, has_app_context
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import clock
from app.extensions import db
from app.models import (
    DirectoryVersion,
    Organization,
    Taxonomy,
    TaxonomyTerm,
)
from app.models import location as location_models
from app.models import service as service_models

log = logging.getLogger(__name__)
CHANNEL = "familyhub_directory"
CHANGED = "directory_changed"  # the session's note that this transaction changes the directory
LISTEN_RETRY_SECONDS = 5


def _directory_tables():
    """The tables whose rows make up the directory (services and what hangs from them)."""
    models = [Organization, Taxonomy, TaxonomyTerm]
    for module in (service_models, location_models):
        models += [value for value in vars(module).values()
                   if isinstance(value, type) and hasattr(value, "__table__")]
    return frozenset(model.__table__.name for model in models)


DIRECTORY_TABLES = _directory_tables()


def current_version(connection):
    """The database's directory version: 0 before the first change."""
    return connection.scalar(select(func.coalesce(func.max(DirectoryVersion.id), 0)))


def _read_without_waiting(connection):
    """The version, read at once or not at all: a locked SQLite file is not waited for here as well as by
    the page's own queries (which wait, then show the busy page)."""
    if connection.dialect.name != "sqlite":
        return current_version(connection)
    waits = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql("PRAGMA busy_timeout = 0")
    try:
        return current_version(connection)
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(waits)}")


# Moving the version on, in the transaction that changes the directory

@event.listens_for(Session, "before_flush")
def _note_changed_rows(session, flush_context, instances):
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__table__", None)
        if table is not None and table.name in DIRECTORY_TABLES:
            if instance in session.dirty and not session.is_modified(instance):
                continue
            session.info[CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state):
    """``session.execute(delete(Service))`` and bulk updates change rows without a flush."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None) in DIRECTORY_TABLES:
            state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _add_version(session):
    if not session.info.get(CHANGED):
        session.flush()  # a last flush may still change directory rows
        if not session.info.get(CHANGED):
            return
    session.info.pop(CHANGED, None)
    session.add(DirectoryVersion(changed_at=clock.utc_now() if has_app_context() else _utc_now()))
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})  # sent at commit


@event.listens_for(Session, "after_rollback")
def _forget_note(session):
    session.info.pop(CHANGED, None)


def _utc_now():
    return datetime.now(UTC).replace(tzinfo=None)


# Following the version, in every process

class DirectoryFollower:
    """This process's view of the directory's version: read again every few seconds, or when woken."""

    def __init__(self, app, on_change):
        self.seconds = app.config["DIRECTORY_CHECK_SECONDS"]
        self.on_change = on_change  # (version) -> None, called in the app's context when the version seen moves on
        self._version = None
        self._checked = float("-inf")
        self._lock = threading.Lock()
        self._woken = threading.Event()
        self._listening = None  # the process id whose listener thread runs
        self._trouble = False

    def version(self):
        """The directory's version as this process knows it (read from the database when due)."""
        if self._due():
            with self._lock:
                if self._due():
                    self._check()
            self._listen()
        return self._version or 0

    def _due(self):
        return self._version is None or self._woken.is_set() or time.monotonic() - self._checked >= self.seconds

    def wake(self):
        """Read the version again before the next answer (this process has just changed the directory)."""
        self._woken.set()

    def _check(self):
        self._woken.clear()
        self._checked = time.monotonic()
        try:
            with db.engine.connect() as connection:
                found = _read_without_waiting(connection)
        except SQLAlchemyError as error:  # the pages already kept go on being served
            if not self._trouble:
                log.warning("The directory's version could not be read: %s", type(error).__name__)
            self._trouble = True
            return
        self._trouble = False
        if found != self._version:
            self._version = found
            self.on_change(found)  # the first time too: a server started after a change catches up

    def _listen(self):
        """On PostgreSQL, a thread of this process waits for other servers' changes (once per process)."""
        engine = db.engine
        if engine.dialect.name != "postgresql" or not self.seconds or self._listening == os.getpid():
            return
        self._listening = os.getpid()
        address = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        threading.Thread(target=self._wait_for_changes, args=(address,), name="directory-listener",
                         daemon=True).start()

    def _wait_for_changes(self, address):
        import psycopg

        while True:
            try:
                with psycopg.connect(address, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._woken.set()  # a change may have come while this was not listening
                    for _notice in connection.notifies():
                        self._woken.set()
            except Exception as error:  # the database went away: try again shortly
                log.warning("Not listening for directory changes (%s); checking every %g s meanwhile",
                            type(error).__name__, self.seconds)
            time.sleep(LISTEN_RETRY_SECONDS)


def init_app(app, on_change):
    follower = app.extensions["directory_follower"] = DirectoryFollower(app, on_change)

    @app.before_request
    def follow_the_directory():
        follower.version()  # a query only when the check is due, or PostgreSQL said the directory changed


def directory_version():
    """The directory's version as this process knows it: part of every key the directory's pages are kept under."""
    return current_app.extensions["directory_follower"].version()

"""Adds the counts of each request to the day's rows.

Each web worker keeps its counts in memory and writes them every
``ANALYTICS_FLUSH_SECONDS`` (and when it stops) in one short transaction, so a
page never waits for the database. With 0 seconds the counts are written at the
end of each request instead (the tests do this). Rows are upserted, so any
number of workers can add to them at once on SQLite or PostgreSQL. If a write
fails, the counts stay in memory for the next try, and the page is served as
usual: counting never stops a page.
"""

import atexit
import logging
import os
import secrets
import threading
import time
from collections import Counter

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app import clock
from app.extensions import db
from app.models import DailyCount, DailySalt, DailyVisitor

log = logging.getLogger(__name__)

# Counts kept in memory while the database cannot be reached, at most.
MAX_PENDING = 100_000
BATCH = 500


def _insert(table):
    return (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert(table)


class Recorder:
    def __init__(self, app):
        self.app = app
        self.seconds = app.config["ANALYTICS_FLUSH_SECONDS"]
        self._lock = threading.Lock()  # guards what is waiting
        self._writing = threading.Lock()  # one write at a time: a worker stopping waits for the timer's
        self._counts = Counter()  # (day, measure, key) -> amount
        self._visitors = set()  # (day, digest)
        self._salts = {}
        self._cleared = None  # the day whose earlier visitor digests this worker last deleted
        self._thread_pid = None
        atexit.register(self._flush_at_exit)

    # In the request

    def add(self, day, counted, digest=None):
        with self._lock:
            if len(self._counts) + len(self._visitors) >= MAX_PENDING:
                return  # the database has been away a long time: these counts are lost
            for measure, key, amount in counted:
                self._counts[(day, measure, key)] += amount
            if digest is not None:
                self._visitors.add((day, digest))
        if self.seconds:
            self._start_timer()
        else:
            self.flush()

    def salt(self, day):
        """The day's salt, the same in every worker: the first to ask makes it."""
        salt = self._salts.get(day)
        if salt is None:
            with db.engine.begin() as connection:
                # Write first: on SQLite a transaction that reads and then writes can be refused.
                connection.execute(
                    _insert(DailySalt).values(day=day, salt=secrets.token_bytes(32)).on_conflict_do_nothing()
                )
                salt = connection.scalar(select(DailySalt.salt).where(DailySalt.day == day))
                connection.execute(delete(DailySalt).where(DailySalt.day < day))
            self._salts = {day: salt}
        return salt

    # Writing

    def pending(self):
        with self._lock:
            return len(self._counts) + len(self._visitors)

    def flush(self):
        """Write what is waiting; True when it was written (or there was nothing)."""
        with self._writing:
            with self._lock:
                counts, visitors = self._counts, self._visitors
                self._counts, self._visitors = Counter(), set()
            if not counts and not visitors:
                return True
            try:
                with db.engine.begin() as connection:
                    self._write(connection, counts, visitors)
            except Exception as error:  # the page must not fail: keep the counts for the next try
                with self._lock:
                    self._counts.update(counts)
                    self._visitors |= visitors
                self._cleared = None  # the deletion, if any, was rolled back too
                log.warning("Usage counts not written yet (%s); will try again", type(error).__name__)
                return False
            return True

    def _write(self, connection, counts, visitors):
        today = clock.now().date()
        new_visitors = Counter()
        chosen = sorted(visitors)
        for start in range(0, len(chosen), BATCH):
            rows = [{"day": day, "digest": digest} for day, digest in chosen[start:start + BATCH]]
            inserted = connection.execute(
                _insert(DailyVisitor).values(rows).on_conflict_do_nothing().returning(DailyVisitor.day)
            )
            new_visitors.update(day for (day,) in inserted)
        counts = counts + Counter({(day, "visitors", ""): amount for day, amount in new_visitors.items()})
        if counts:
            statement = _insert(DailyCount)
            statement = statement.on_conflict_do_update(
                index_elements=[DailyCount.day, DailyCount.measure, DailyCount.key],
                set_={"count": DailyCount.count + statement.excluded.count},
            )
            # Always in the same order, so two workers' transactions never wait on each other in a circle.
            connection.execute(
                statement,
                [{"day": day, "measure": measure, "key": key, "count": amount}
                 for (day, measure, key), amount in sorted(counts.items())],
            )
        # A visitor digest is never kept beyond its day: delete the earlier days' once a day,
        # and again after a late write for a day already over.
        if self._cleared != today or any(day < today for day, _digest in visitors):
            connection.execute(delete(DailyVisitor).where(DailyVisitor.day < today))
            self._cleared = today

    # Timer

    def _start_timer(self):
        if self._thread_pid == os.getpid():
            return
        with self._lock:
            if self._thread_pid == os.getpid():
                return
            self._thread_pid = os.getpid()  # a forked worker starts its own
        threading.Thread(target=self._every_few_seconds, name="usage-counts", daemon=True).start()

    def _every_few_seconds(self):
        while True:
            time.sleep(self.seconds)
            with self.app.app_context():
                self.flush()

    def _flush_at_exit(self):
        # Always: the timer's thread may be writing, and this waits for it (a
        # daemon thread is stopped mid-write once the process exits).
        with self.app.app_context():
            self.flush()

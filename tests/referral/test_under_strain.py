"""Fifty families send their referrals while the mail relay never answers and workers are killed.

Before, mail went out inside the family's request: with a relay that took the
connection and never answered, submitting took 30 s, gunicorn killed the worker
and the family got a server error and no reference, though the referral was
stored. A worker killed just after the commit did the same. Now the request
commits and answers; the worker process sends the mail when the relay returns.
"""

import os
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from app.extensions import db
from app.models import Referral
from tests.conftest import build_app
from tests.referral.conftest import SmtpServer
from tests.referral.over_http import MAILED, Family, reference_shown, walk_and_wait
from tests.servers import GUNICORN, ROOT, SERVED_BY_GUNICORN, bare_environment, free_port, gunicorn

pytestmark = SERVED_BY_GUNICORN

FAMILIES = 50
FLASK = GUNICORN.with_name("flask")


class BlackHole:
    """A mail relay that takes every connection and never says a word."""

    def __init__(self, port):
        self.server = socket.create_server(("127.0.0.1", port))
        self.held, self.open = [], True
        threading.Thread(target=self._take, daemon=True).start()

    def _take(self):
        while self.open:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self):
        if not self.open:
            return
        self.open = False
        try:
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() in hand, so the port is free at once
        except OSError:
            pass
        self.server.close()
        for connection in self.held:
            connection.close()


def worker_pids(master):
    """The gunicorn master's worker processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def start_mail_worker(env, log):
    """``flask worker``, its output added to the file ``log`` (shown when the mail does not arrive)."""
    with open(log, "ab") as output:
        return subprocess.Popen([str(FLASK), "worker"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def test_every_family_is_confirmed_once_and_every_email_arrives_once(app, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        # A SQLite file of its own: the shared one is written to by this test process's other apps (their
        # counting and search threads), whose locks the worker met ('The directory's version could not be read').
        database_url = f"sqlite:///{tmp_path / 'strain.db'}"
        app = build_app(database_url)
    relay_port = free_port()
    hole = BlackHole(relay_port)
    env = bare_environment(
        FAMILYHUB_ENV="production", FLASK_APP="wsgi.py", DATABASE_URL=database_url,
        SECRET_KEY="strain-tests-" + "s" * 40, REFERRAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SITE_URL="http://127.0.0.1", RATELIMIT_STORAGE_URI="memory://", SEARCH_INDEX_DIR=tmp_path / "index", ANALYTICS_ENABLED="false",
        MAIL_SERVER="127.0.0.1", MAIL_PORT=relay_port, MAIL_TIMEOUT_SECONDS=1, MAIL_RETRY_SECONDS=1,
        WORKER_MAIL_SECONDS=0.5, REFERRAL_MIN_SECONDS=0, REFERRAL_RATE_LIMIT="10000 per hour",
    )
    with app.app_context():
        before = set(db.session.scalars(db.select(Referral.reference)))
    worker_log = tmp_path / "worker.log"
    mail_worker, relay = start_mail_worker(env, worker_log), None
    try:
        with gunicorn(env, workers=2, options=["--timeout", "30"]) as url, ThreadPoolExecutor(FAMILIES) as pool:
            port = urlsplit(url).port
            master = next(int(pid) for pid in os.popen(f"pgrep -f 'gunicorn.*127.0.0.1:{port}'").read().split()
                          if worker_pids(int(pid)))
            at_check, submitting = threading.Barrier(FAMILIES + 1, timeout=300), threading.Event()
            families = [Family(port, retries=5) for _ in range(FAMILIES)]

            def send(number):
                family = families[number]
                page = walk_and_wait(family, number, at_check)
                submitting.wait()
                started = time.perf_counter()
                shown = reference_shown(family.answer(page, {}))
                return shown, time.perf_counter() - started

            sent = [pool.submit(send, number) for number in range(FAMILIES)]
            time.sleep(1.5)
            os.kill(worker_pids(master)[0], signal.SIGKILL)  # a worker dies while families fill in the form
            try:
                at_check.wait()
            except threading.BrokenBarrierError:
                failed = next(future.exception() for future in sent if future.done() and future.exception()
                              and not isinstance(future.exception(), threading.BrokenBarrierError))
                raise AssertionError(f"a family could not fill in the form: {failed!r}") from failed
            serving = worker_pids(master)  # both up and answering by now
            submitting.set()
            for pid in serving:  # each killed while fifty submissions queue for it: one is cut off mid-answer
                time.sleep(0.1)
                os.kill(pid, signal.SIGKILL)
            # A kill can fall between two requests and cut nothing off (a faster machine answers sooner):
            # until one request has been cut off, the worker serving next is killed too, a few times at most.
            for _ in range(12):
                if sum(family.retried for family in families) or all(future.done() for future in sent):
                    break
                time.sleep(0.25)
                if now_serving := worker_pids(master):
                    os.kill(now_serving[0], signal.SIGKILL)
            results = [future.result() for future in sent]
        shown = [reference for reference, _ in results]
        submit_seconds = sorted(seconds for _, seconds in results)

        # Every family was told a reference, its own, and each is stored once.
        assert len(shown) == FAMILIES and len(set(shown)) == FAMILIES
        with app.app_context():
            stored = set(db.session.scalars(db.select(Referral.reference))) - before
        assert stored == set(shown)
        assert sum(family.retried for family in families) >= 1  # requests really were cut off

        # The mail worker is killed too, while it waits on the relay; another starts.
        mail_worker.kill()
        mail_worker.wait()
        mail_worker = start_mail_worker(env, worker_log)
        hole.close()
        relay = SmtpServer()
        relay.port = relay_port
        relay.start()  # the relay returns
        deadline = time.monotonic() + 120
        mailed = lambda: [found.group(1) for message in relay.messages  # noqa: E731
                          for found in [MAILED.search(message["text"])] if found and found.group(1) in stored]
        while len(set(mailed())) < FAMILIES and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # anything sent twice would arrive by now
        worker_said = worker_log.read_text(errors="replace")[-3000:]
        assert sorted(mailed()) == sorted(stored), worker_said  # every team email, once
        print(f"\nPOST /refer/check with the relay black-holed: median {submit_seconds[FAMILIES // 2]:.2f} s, "
              f"slowest {submit_seconds[-1]:.2f} s; {sum(f.retried for f in families)} requests cut off and sent again")
    finally:
        mail_worker.kill()
        mail_worker.wait()
        hole.close()
        if relay is not None:
            relay.stop()

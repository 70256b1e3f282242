"""Fifty self-referrals sent at once: none lost, none doubled, and how long they take.

The real site is served by gunicorn (2 sync workers) over PostgreSQL, with a
local SMTP server (aiosmtpd) taking the team emails, which the worker
(`flask worker`) sends. Each simulated family has
its own cookie jar and walks the whole form over HTTP, page by page, as
tests/referral/walk.py does with the test client (parents and young people in
turn); a barrier holds them at "Check your answers" so the final submissions
overlap. Then it checks that every reference is stored once, shown to one
family, and emailed once, and prints the timings. Exits 1 if a check fails.

The database is BENCH_DATABASE_URL (default ``postgresql:///familyhub_bench``,
created if missing, emptied first), never the tests' database.

    make bench            # or: .venv/bin/python bench/referrals.py --families 50
"""

import argparse
import email.policy
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.requests_per_second import BIN, free_port, start_gunicorn  # noqa: E402
from tests.referral.over_http import MAILED, Family, persona, reference_shown, walk_to_check  # noqa: E402


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Mailbox:
    """An aiosmtpd handler that keeps (subject, body) of every message it is sent."""

    def __init__(self):
        self.lock, self.messages = threading.Lock(), []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((str(message["Subject"]), message.get_body(("plain",)).get_content()))
        return "250 OK"


def walk(port, number, barrier):
    """Fill in the form, wait for the others at "Check your answers", send it. Returns timings and the reference."""
    family, answers = Family(port), persona(number)
    started = time.perf_counter()
    try:
        page = walk_to_check(family, answers)
    except BaseException:
        barrier.abort()  # the others would wait for ever
        raise
    filled_in = time.perf_counter() - started
    barrier.wait()
    sending = time.perf_counter()
    page = family.answer(page, {})
    sent = time.perf_counter()
    return {"reference": reference_shown(page), "walk": filled_in + sent - sending, "submit": sent - sending,
            "sent_at": sent, "requests": family.requests}


def prepare_database(url, env):
    """Create the bench database if missing, empty it, then migrate and load the demo directory."""
    from tests.deployment.cluster import prepare_database as prepare

    try:
        prepare(url, env)
    except psycopg.OperationalError as error:
        raise SystemExit(f"Cannot reach PostgreSQL at {url}: {str(error).strip()}\n"
                         "Start it (Debian: pg_ctlcluster 15 main start) or set BENCH_DATABASE_URL.") from None
    except RuntimeError as error:  # a flask command failed
        raise SystemExit(str(error)) from None


def run(families, workers, url):
    """Serve the site, send the families through it, wait for the emails."""
    mailbox, site, worker, late = Mailbox(), None, None, 0
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FLASK_APP="wsgi.py", FAMILYHUB_ENV="development", DATABASE_URL=url,
                   SECRET_KEY="bench-only-secret-" + "0" * 32, SITE_URL="http://127.0.0.1", REFERRAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
                   MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port), REFERRAL_MIN_SECONDS="0",
                   REFERRAL_RATE_LIMIT="10000 per hour", SEARCH_INDEX_DIR=tmp)
        prepare_database(url, env)
        smtp.start()
        try:
            site, port = start_gunicorn("wsgi:app", env, workers)
            worker = subprocess.Popen([str(BIN / "flask"), "worker"], cwd=ROOT, env=env)
            barrier, results, failures = threading.Barrier(families, timeout=300), [], []
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=families) as pool:
                for future in [pool.submit(walk, port, number, barrier) for number in range(1, families + 1)]:
                    try:
                        results.append(future.result())
                    except Exception as error:
                        failures.append(error)
            wall = time.perf_counter() - started
            deadline = time.monotonic() + 30
            while len(mailbox.messages) < len(results) and time.monotonic() < deadline:
                time.sleep(0.2)
            late = len(results) - len(mailbox.messages)
        finally:
            for process in (site, worker):
                if process:
                    process.terminate()
                    process.wait()
            smtp.stop()
    return results, failures, wall, late, mailbox.messages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    families, url = args.families, os.environ.get("BENCH_DATABASE_URL", "postgresql:///familyhub_bench")
    results, failures, wall, late, emails = run(families, args.workers, url)
    with psycopg.connect(url) as connection:
        stored = [row[0] for row in connection.execute("SELECT reference FROM referral")]
        outbox_total, outbox_sent = connection.execute("SELECT count(*), count(sent_at) FROM outbox_message").fetchone()

    shown = [result["reference"] for result in results]
    mailed = [(subject, found.group(1)) for subject, body in emails for found in [MAILED.search(body)] if found]
    once = sorted(reference for _, reference in mailed) == sorted(stored) and len(set(stored)) == len(stored)
    checks = [
        ("families who finished the walk", families, len(results)),
        ("HTTP errors (not 2xx or 3xx)", 0, sum(isinstance(error, urllib.error.HTTPError) for error in failures)),
        ("referrals in the database", families, len(stored)),
        ("  distinct references in the database", families, len(set(stored))),
        ("distinct references shown to families", families, len(set(shown))),
        ("  same set as the database", "yes", "yes" if set(shown) == set(stored) else "no"),
        ("emails received", families, len(emails)),
        ("  each reference emailed exactly once", "yes", "yes" if once else "no"),
        ("  subject names the same reference", "yes",
         "yes" if all(subject == f"New self-referral {reference}" for subject, reference in mailed) else "no"),
        ("outbox messages", families, outbox_total),
        ("  sent", families, outbox_sent),
        ("  unsent", 0, outbox_total - outbox_sent),
    ]
    print(f"\n{families} self-referrals at once: gunicorn {args.workers} workers, PostgreSQL, local SMTP server")
    print(f"{'check':<40}{'expected':>9}{'got':>6}")
    for label, expected, got in checks:
        print(f"{label:<40}{expected:>9}{got:>6}   {'ok' if expected == got else 'FAILED'}")
    causes = [error for error in failures if not isinstance(error, threading.BrokenBarrierError)]
    for error in causes[:5]:
        print(f"  a family failed: {type(error).__name__}: {error}")
    if len(failures) > len(causes):
        print(f"  {len(failures) - len(causes)} families stopped at the barrier because another failed")
    if late > 0:
        print(f"{late} emails had not arrived 30 s after the last submission.")
    if results:
        walks, submits = [r["walk"] for r in results], [r["submit"] for r in results]
        burst = max(r["sent_at"] for r in results) - min(r["sent_at"] - r["submit"] for r in results)
        requests = sorted({r["requests"] for r in results})
        print(f"\n{'seconds':<40}{'median':>9}{'p95':>6}")
        for label, values in ((f"whole walk ({requests[0]}-{requests[-1]} pages)", walks),
                              ("final submission (POST /refer/check)", submits)):
            print(f"{label:<40}{percentile(values, 0.5):>9.2f}{percentile(values, 0.95):>6.2f}")
        print(f"total wall time {wall:.2f} s; the {len(results)} submissions took {burst:.2f} s together: "
              f"{len(results) / burst:.1f} submissions per second")
        print("A page is a GET, or a POST and the GET it is redirected to. A walk's time leaves out its wait")
        print("at the barrier before the final submission; 2 sync workers serve all the families at once.")
    if failures or any(expected != got for _, expected, got in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Fifty self-referrals sent at once: none lost, none doubled, and how long they take.

The real site is served by gunicorn (2 sync workers) over PostgreSQL, with a
local SMTP server (aiosmtpd) taking the team emails. Each simulated family has
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
import copy
import email.policy
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from psycopg import conninfo, sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.requests_per_second import BIN, free_port, start_gunicorn  # noqa: E402
from tests.referral.walk import PARENT, YOUNG_PERSON  # noqa: E402

STEPS = ("address", "help", "tried", "language", "contact", "safe-contact", "consent")
REFERENCE = re.compile(r'<strong class="app-reference">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>')
MAILED = re.compile(r"^Reference: ([A-Z0-9]{4}-[A-Z0-9]{4})\r?$", re.MULTILINE)  # SMTP lines end in CRLF


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


class TokenReader(HTMLParser):
    token = ""

    def handle_starttag(self, tag, attrs):
        if tag == "input" and dict(attrs).get("name") == "csrf_token":
            self.token = dict(attrs).get("value", "")


class Family:
    """One browser: its own cookies; urllib follows each 303 with a GET."""

    def __init__(self, port):
        self.base, self.requests = f"http://127.0.0.1:{port}", 0
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        self.requests += 1
        with self.opener.open(self.base + path, data=body, timeout=60) as response:  # HTTPError on 4xx/5xx
            return urllib.parse.urlsplit(response.geturl()).path, response.read().decode()

    def answer(self, page, answers):
        """POST the answers and the page's token back to the page; returns the page it leads to."""
        reader = TokenReader()
        reader.feed(page[1])
        return self.open(page[0], {**answers, "csrf_token": reader.token})


def persona(number):
    """Parents and young people in turn, each with its own names."""
    answers = copy.deepcopy(PARENT if number % 2 == 0 else YOUNG_PERSON)
    if "child" in answers:
        answers["child"][0]["name"] = f"Amelia Testperson {number}"
        answers["adults"][0]["name"] = f"Jordan Testperson {number}"
        answers["contact"] |= {"name": f"Casey Testperson {number}", "email": f"casey.testperson{number}@example.org"}
    else:
        answers["about-you"]["name"] = f"Riley Youngtester {number}"
    answers["help"]["more"] += f" (family {number})"
    return answers


def expect(page, path):
    assert page[0] == path, f"expected {path}, got {page[0]}"


def walk(port, number, barrier):
    """Fill in the form, wait for the others at "Check your answers", send it. Returns timings and the reference."""
    family, answers = Family(port), persona(number)
    started = time.perf_counter()
    try:
        family.open("/refer")
        page = family.answer(family.open("/refer/start", {}), answers["who"])
        if "child" in answers:
            for count, child in enumerate(answers["child"], start=1):
                expect(page, f"/refer/child/{count}")
                page = family.answer(page, child)
                page = family.answer(page, {"another": "yes" if count < len(answers["child"]) else "no"})
        else:
            page = family.answer(page, answers["about-you"])
        expect(page, "/refer/adults")
        for adult in answers["adults"]:
            page = family.answer(family.answer(page, {"another": "yes"}), adult)
        page = family.answer(page, {"another": "no"})
        for step in STEPS:
            expect(page, f"/refer/{step}")
            page = family.answer(page, answers[step])
        expect(page, "/refer/check")
    except BaseException:
        barrier.abort()  # the others would wait for ever
        raise
    filled_in = time.perf_counter() - started
    barrier.wait()
    sending = time.perf_counter()
    page = family.answer(page, {})
    sent = time.perf_counter()
    expect(page, "/refer/sent")
    found = REFERENCE.search(page[1])
    assert found, "no reference on /refer/sent"
    return {"reference": found.group(1), "walk": filled_in + sent - sending, "submit": sent - sending,
            "sent_at": sent, "requests": family.requests}


def prepare_database(url, env):
    """Create the bench database if missing, empty it, then migrate and load the demo directory."""
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise SystemExit(f"Cannot reach PostgreSQL at {url}: {str(error).strip()}\n"
                             "Start it (Debian: pg_ctlcluster 15 main start) or set BENCH_DATABASE_URL.") from None
        name = conninfo.conninfo_to_dict(url)["dbname"]
        with psycopg.connect(conninfo.make_conninfo(url, dbname="postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection = psycopg.connect(url, autocommit=True)
    with connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")
    for command in (["db", "upgrade"], ["demo", "load"]):
        done = subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"flask {' '.join(command)} failed:\n{done.stderr[-3000:]}")


def run(families, workers, url):
    """Serve the site, send the families through it, wait for the emails."""
    mailbox, site, late = Mailbox(), None, 0
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
            if late > 0:  # still in the outbox: send it as the timer would
                subprocess.run([str(BIN / "flask"), "referrals", "send-mail"], cwd=ROOT, env=env, check=False)
                time.sleep(2)
        finally:
            if site:
                site.terminate()
                site.wait()
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
        print(f"{late} emails had not arrived after 30 s: ran `flask referrals send-mail` once.")
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

"""Usage counting under load: every request counted exactly once, and what counting costs.

The real site is served twice at once by gunicorn (2 sync workers each), once
with counting switched off (ANALYTICS_ENABLED=false) and once with it on (both
workers counting), on SQLite and then PostgreSQL. wrk loads one, then the
other, in short alternating slices, so that the machine's drift falls on both
alike; each setting's throughput is the median of its slices. Then gunicorn is
stopped as a deploy would stop it (SIGTERM), so each worker writes what it
still holds, and the views (and searches) in the database must equal the 200
responses served with counting on.

"Successful requests" are the 200 responses in gunicorn's own access log
(status and path only). wrk's count can be a few lower: when its time is up it
drops the requests still in flight, which the server has already answered.
Both modes write the same access log, so the comparison stays fair.

Prints the figures and exits 1 if a count is wrong or counting costs more than
10% of throughput (median of the rounds). Needs wrk (Debian: apt-get install wrk).
PostgreSQL is BENCH_ANALYTICS_DATABASE_URL (default
``postgresql:///familyhub_analytics_bench``, created if missing, emptied first).

    make bench            # or: .venv/bin/python bench/analytics.py --slices 9 --seconds 2
"""

import argparse
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.referrals import prepare_database as prepare_postgresql  # noqa: E402
from bench.requests_per_second import BIN, start_gunicorn  # noqa: E402

BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
PAGES = {"home page": ("/", None), "a search": ("/services?q=baby+groups", "baby groups")}  # path, search words
THRESHOLD = 0.9


def wrk(port, path, seconds, connections, threads, agent=BROWSER):
    """(responses wrk saw, requests per second), failing on any error."""
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
         "-H", f"User-Agent: {agent}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", done).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done).group(1))
    problems = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: [^\n]+)", done)
    if problems:
        raise SystemExit(f"wrk reported errors for {path}: {problems}")
    return requests, rate


def served(log, path):
    """200 responses for ``path`` in gunicorn's access log (status and path only)."""
    return sum(1 for line in log.read_text().splitlines() if line == f"200 {path}")


def start_site(env, workers, log):
    """gunicorn with an access log of status and path only: its own record of what it served."""
    return start_gunicorn("wsgi:app", env, workers,
                          ["--access-logfile", str(log), "--access-logformat", "%(s)s %(U)s"])


def counted(url, path, words):
    """Views of ``path`` and searches for ``words`` in the database, over all days."""
    query = ("SELECT measure, SUM(count) FROM analytics_count WHERE (measure = 'view' AND key = {p}) "
             "OR (measure = 'search' AND key = {p2}) GROUP BY measure")
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            rows = connection.execute(query.format(p="?", p2="?"), (path, words or "")).fetchall()
    else:
        with psycopg.connect(url) as connection:
            rows = connection.execute(query.format(p="%s", p2="%s"), (path, words or "")).fetchall()
    found = dict(rows)
    return int(found.get("view", 0)), int(found.get("search", 0))


def forget_counts(url):
    statement = "DELETE FROM analytics_count; DELETE FROM analytics_visitor; DELETE FROM analytics_salt"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.executescript(statement)
    else:
        with psycopg.connect(url, autocommit=True) as connection:
            for part in statement.split(";"):
                connection.execute(part)


def stop(process):
    process.send_signal(signal.SIGTERM)  # graceful: each worker writes the counts it holds, then exits
    process.wait(timeout=60)


def run(name, url, env, args):
    """Both settings served at once by their own gunicorn, loaded in turn, slice by slice."""
    print(f"\n{name}: gunicorn {args.workers} workers for each setting, wrk {args.threads} threads and "
          f"{args.connections} connections, {args.slices} alternating slices of {args.seconds:g}s per page and setting")
    failures = []
    for label, (path, words) in PAGES.items():
        with tempfile.TemporaryDirectory() as folder:
            logs = {setting: Path(folder) / f"{setting}.log" for setting in ("off", "on")}
            sites = {setting: start_site(dict(env, ANALYTICS_ENABLED="true" if setting == "on" else "false"),
                                         args.workers, logs[setting]) for setting in ("off", "on")}
            rates, seen = {"off": [], "on": []}, {"off": 0, "on": 0}
            try:
                for _, port in sites.values():
                    wrk(port, path, 2, args.connections, args.threads, agent="curl/8.5.0")  # warm up as a tool: not counted
                time.sleep(0.5)
                forget_counts(url)
                for log in logs.values():
                    log.write_text("")
                for number in range(args.slices):
                    for setting in (("off", "on") if number % 2 == 0 else ("on", "off")):
                        requests, rate = wrk(sites[setting][1], path, args.seconds, args.connections, args.threads)
                        rates[setting].append(rate)
                        seen[setting] += requests
            finally:
                for process, _ in sites.values():
                    stop(process)
            served_on, served_off = served(logs["on"], path.split("?")[0]), served(logs["off"], path.split("?")[0])
        views, searches = counted(url, path.split("?")[0], words)
        exact = views == served_on and (words is None or searches == served_on)
        off, on = statistics.median(rates["off"]), statistics.median(rates["on"])
        ratio = on / off
        print(f"  {label:<10} counting off: {off:7.0f} req/s median, {served_off:6d} 200s served (wrk saw {seen['off']})")
        print(f"  {label:<10} counting on:  {on:7.0f} req/s median, {served_on:6d} 200s served (wrk saw {seen['on']}), "
              f"{views} views recorded" + (f", {searches} searches recorded" if words else "")
              + ("" if exact else "  WRONG"))
        print(f"  {label:<10} throughput ratio on/off {ratio:.3f} ({'at least' if ratio >= THRESHOLD else 'BELOW'} {THRESHOLD});"
              f" slices off: {', '.join(f'{r:.0f}' for r in rates['off'])}; on: {', '.join(f'{r:.0f}' for r in rates['on'])}")
        if not exact:
            failures.append(f"{name} {label}: {served_on} responses served, {views} views, {searches} searches")
        if ratio < THRESHOLD and args.threshold:
            failures.append(f"{name} {label}: throughput with counting {ratio:.3f} of without")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each slice")
    parser.add_argument("--slices", type=int, default=9, help="slices per setting, alternating")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-threshold", dest="threshold", action="store_false",
                        help="a short round: fail on a wrong count only, not on slices too short to compare")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk: on Debian, apt-get install wrk.")

    base = dict(os.environ, FLASK_APP="wsgi.py", SECRET_KEY="bench-only-secret-" + "0" * 32, SITE_URL="http://127.0.0.1", RATELIMIT_STORAGE_URI="memory://",
                REFERRAL_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        setup = dict(base, FAMILYHUB_ENV="development", DATABASE_URL=sqlite_url)
        for command in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=setup, check=True, capture_output=True)
        failures += run("SQLite", sqlite_url, dict(base, FAMILYHUB_ENV="production", DATABASE_URL=sqlite_url), args)

    postgresql_url = os.environ.get("BENCH_ANALYTICS_DATABASE_URL", "postgresql:///familyhub_analytics_bench")
    prepare_postgresql(postgresql_url, dict(base, FAMILYHUB_ENV="development", DATABASE_URL=postgresql_url))
    failures += run("PostgreSQL", postgresql_url, dict(base, FAMILYHUB_ENV="production", DATABASE_URL=postgresql_url), args)

    print()
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        raise SystemExit(1)
    print("Every 200 response was counted exactly once, and counting kept at least "
          f"{THRESHOLD:.0%} of the throughput, on SQLite and PostgreSQL.")


if __name__ == "__main__":
    main()

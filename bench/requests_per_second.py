"""Requests per second for Family Hub pages, each compared with a minimal Flask app.

Both are served by gunicorn (2 sync workers, production settings) on loopback
in the same run and loaded by wrk with the same connections, every request
asking for gzip as a browser does. The machines here are small and noisy, so
each target runs in several rounds that take turns with the baseline, and the
median is reported with its ratio to the baseline's median.

The rows:

- cached public pages (``/``, ``/services``, a service page, a Start for Life
  page): served from each worker's page cache after the first request;
- distinct searches with postcodes: a list of thousands of different search
  URLs (30 searches × 6 postcodes × every age filter × 3 radii), shuffled, each
  asked once, so the page cache never holds the page asked for;
- the first step of ``/get-help`` (kept in the page cache, as it is the same
  for everyone);
- an uncached service page, and ``/get-help`` uncached: rendered on every
  request (a second server with PAGE_CACHE_SECONDS=0).

Needs wrk (Debian: apt-get install wrk).

    make bench            # or: .venv/bin/python bench/requests_per_second.py --seconds 2 --rounds 1
"""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from urllib.parse import urlencode

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTCODES = ["WR1 2AB", "B98 8AH", "DY11 7WF", "WR14 3AF", "B61 8DA", "WR10 1PT"]
GZIP = "gzip, deflate, br"
# Each wrk thread asks for the next path of a list it is given, never the same one twice in a round.
PATHS_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[((offset + n) %% #paths) + 1])
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(module, env, workers, options=()):
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", *options, module],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn {module} did not start")


def wrk(port, path, seconds, connections, script=None):
    """Requests per second, failing on any error or any answer that is not 2xx/3xx."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-H", f"Accept-Encoding: {GZIP}"]
    if script:
        command += ["-s", str(script)]
    done = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    problems = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: [^\n]+)", done)
    if problems:
        raise SystemExit(f"wrk reported errors for {path}: {problems}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", done).group(1))


def production_env(folder):
    """Production settings on a new SQLite database holding the demo directory."""
    database_url = f"sqlite:///{folder / 'bench.db'}"
    setup = dict(os.environ, FLASK_APP="wsgi.py", DATABASE_URL=database_url, FAMILYHUB_ENV="development",
                 SEARCH_INDEX_DIR=str(folder / "index"))
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=setup, check=True, capture_output=True)
    return dict(os.environ, FAMILYHUB_ENV="production", DATABASE_URL=database_url, SEARCH_INDEX_DIR=str(folder / "index"),
                SECRET_KEY="bench-only-secret-" + "0" * 32, SITE_URL="http://127.0.0.1", RATELIMIT_STORAGE_URI="memory://",
                REFERRAL_ENCRYPTION_KEYS=Fernet.generate_key().decode())


def distinct_searches(seed=1):
    """Search URLs, each different: 30 searches × 6 postcodes × every age filter × 3 radii, shuffled."""
    cases = tomllib.loads((ROOT / "tests/search/relevance_cases.toml").read_text())["case"]
    queries = list(dict.fromkeys(case["query"] for case in cases))[:30]
    ages = ["", "pregnancy", *map(str, range(26))]
    paths = [
        "/services?" + urlencode({k: v for k, v in (("q", q), ("postcode", p), ("radius", r), ("age", a)) if v})
        for q in queries for p in POSTCODES for r in ("", "5", "10") for a in ages
    ]
    random.Random(seed).shuffle(paths)
    return paths


def a_service_path(port):
    import urllib.request

    html = urllib.request.urlopen(f"http://127.0.0.1:{port}/services").read().decode()
    return re.search(r'href="(/services/[a-z0-9-]+)"', html).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="length of each round (whole seconds)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk: on Debian, apt-get install wrk.")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = production_env(folder)
        searches = folder / "searches.txt"
        searches.write_text("\n".join(distinct_searches()) + "\n")
        script = folder / "paths.lua"
        script.write_text(PATHS_SCRIPT % searches)
        site, site_port = start_gunicorn("wsgi:app", env, args.workers)
        uncached, uncached_port = start_gunicorn("wsgi:app", dict(env, PAGE_CACHE_SECONDS="0"), args.workers)
        base, base_port = start_gunicorn("bench.minimal_app:app", env, args.workers)
        try:
            service = a_service_path(site_port)
            targets = {
                "/ (cached)": (site_port, "/", None),
                "/services (cached)": (site_port, "/services", None),
                "service page (cached)": (site_port, service, None),
                "Start for Life page (cached)": (site_port, "/start-for-life/safe-sleep", None),
                "distinct searches with postcodes": (site_port, "/", script),
                "service page (uncached)": (uncached_port, service, None),
                "/get-help first step": (site_port, "/get-help", None),
                "/get-help first step (uncached)": (uncached_port, "/get-help", None),
            }
            wrk(base_port, "/", 1.0, args.connections)  # warm up
            for port, path, paths in targets.values():
                wrk(port, path, 1.0, args.connections, paths)
            results = {name: [] for name in ["baseline", *targets]}
            for _ in range(args.rounds):
                for name, (port, path, paths) in targets.items():
                    results["baseline"].append(wrk(base_port, "/", args.seconds / 2, args.connections))  # whole seconds
                    results[name].append(wrk(port, path, args.seconds, args.connections, paths))
        finally:
            for process in (site, uncached, base):
                process.terminate()
                process.wait()

    baseline = statistics.median(results["baseline"])
    print(f"\nRequests per second: gunicorn {args.workers} sync workers, wrk 2 threads and {args.connections} connections, "
          f"gzip asked for; median of {args.rounds} rounds of {args.seconds:g} s (the baseline's: of every turn)")
    print(f"{'page':<34}{'median req/s':>14}{'ratio to minimal Flask':>25}   rounds")
    for name, rounds in results.items():
        median = statistics.median(rounds)
        label = "minimal Flask (baseline)" if name == "baseline" else name
        shown = ", ".join(f"{r:.0f}" for r in rounds) if name != "baseline" else f"{min(rounds):.0f} to {max(rounds):.0f}"
        print(f"{label:<34}{median:>14.0f}{median / baseline:>25.3f}   {shown}")
    print("Goals: distinct searches and an uncached service page >= 0.10, /get-help >= 0.25, cached pages >= 0.6.")


if __name__ == "__main__":
    main()

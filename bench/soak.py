"""Load and soak through nginx: searches, service pages, journeys and referrals mixed, on two app servers.

The site is set up as docs/deploying.md says (nginx, two gunicorn servers of 2
sync workers with a worker process each, one PostgreSQL, Redis). For at most
five minutes, on loopback only:

- wrk asks for distinct searches (each URL once), service pages, Start for Life
  and content pages, and the journey's first step, in turn;
- families walk the self-referral to the end, one after another, in a few
  threads, and go through the needs-led journey to its results;

while each gunicorn worker's resident memory is read every few seconds.

Fails (exit 1) on any 5xx answer in either server's access log or any family
not confirmed, or when a worker's memory grows by more than ``--growth`` MB
between the end of the warm-up (the first fifth) and the end. Needs nginx, wrk,
redis-server and PostgreSQL (BENCH_SERVERS_DATABASE_URL, as bench/several_servers.py).

    make bench            # or: .venv/bin/python bench/soak.py --seconds 60
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.memory import resident_mb  # noqa: E402
from bench.requests_per_second import PATHS_SCRIPT, distinct_searches  # noqa: E402
from bench.several_servers import DATABASE_URL, needs, prepared_site  # noqa: E402
from tests.deployment.cluster import Cluster, prepare_database  # noqa: E402
from tests.journey.test_journey import PARENT_OF_BABY_LOW  # noqa: E402
from tests.referral.over_http import Family, persona, reference_shown, walk_to_check  # noqa: E402

LONGEST = 300  # seconds: the check is bounded
PAGES = ["/", "/start-for-life", "/start-for-life/safe-sleep", "/pages/urgent-help", "/get-help", "/refer",
         "/professionals", "/pl/services?q=sen", "/services?district=worcester&page=2"]


def mixed_paths(url):
    """Distinct searches, with a service page, a content page or a journey's first step between them."""
    import urllib.request

    page = urllib.request.urlopen(url + "/services?page=1").read().decode()
    services = sorted(set(re.findall(r'href="(/services/[a-z0-9-]+)', page)))
    paths = []
    for number, search in enumerate(distinct_searches()):
        paths.append(search)
        paths.append(services[number % len(services)] if number % 2 else PAGES[number % len(PAGES)])
    return paths


def journey(family):
    """The needs-led journey from its first question to its results, as a parent of a baby feeling low.

    Each step's form carries the answers before it, as the page's hidden fields do."""
    family.open("/get-help")
    given = {}
    for answer in PARENT_OF_BABY_LOW:
        given |= answer
        path, page = family.open("/get-help", {**given, "action": "continue"})
    if "app-result" not in page:
        raise AssertionError("the journey ended without services")
    return path, page


def families_until(port, stop, confirmed, problems):
    number = 0
    while not stop.is_set():
        family = Family(port)
        try:
            journey(family)
            page = walk_to_check(family, persona(number))
            confirmed.append(reference_shown(family.answer(page, {})))
        except Exception as error:  # reported at the end
            problems.append(f"{type(error).__name__}: {error}")
        number += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=180, help=f"how long to soak (at most {LONGEST})")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--families", type=int, default=3, help="threads of families referring themselves")
    parser.add_argument("--growth", type=float, default=15.0, help="most MB a worker may grow after the warm-up")
    args = parser.parse_args()
    seconds = min(args.seconds, LONGEST)
    needs("nginx", "wrk", "redis-server")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with prepared_site(folder, REFERRAL_MIN_SECONDS=0, REFERRAL_RATE_LIMIT="100000 per hour",
                           REFERRAL_START_RATE_LIMIT="100000 per hour") as (env, smtp):
            site = Cluster(folder / "site", env, servers=2, workers=2)
            prepare_database(DATABASE_URL, site.servers[0].env)
            with site:
                for server in site.servers:
                    server.wait_until_current()
                paths = folder / "paths.txt"
                paths.write_text("\n".join(mixed_paths(site.url)) + "\n")
                script = folder / "paths.lua"
                script.write_text(PATHS_SCRIPT % paths)
                stop, confirmed, problems = threading.Event(), [], []
                families = [threading.Thread(target=families_until, args=(site.port, stop, confirmed, problems))
                            for _ in range(args.families)]
                load = subprocess.Popen(
                    ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s",
                     "-H", "Accept-Encoding: gzip, deflate, br", "-s", str(script), site.url + "/"],
                    stdout=subprocess.PIPE, text=True,
                )
                for thread in families:
                    thread.start()
                started, readings = time.monotonic(), []
                while load.poll() is None:
                    elapsed = time.monotonic() - started
                    readings.append((elapsed, {f"{server.name}:{pid}": resident_mb(pid)
                                               for server in site.servers for pid in server.worker_pids()}))
                    time.sleep(5)
                stop.set()
                for thread in families:
                    thread.join(120)
                done = load.stdout.read()
                time.sleep(3)  # the last emails
                mailed = len(smtp.handler.messages)
            served = {server.name: server.access_log.read_text().splitlines() for server in site.servers}

    requests = int(re.search(r"(\d+) requests in", done).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done).group(1))
    errors = [line for lines in served.values() for line in lines if line.startswith("5")]
    warm = [reading for elapsed, reading in readings if elapsed >= seconds / 5]  # the warm-up: the first fifth
    first, start, end = readings[0][1], warm[0], readings[-1][1]
    print(f"\nSoak through nginx, two app servers of 2 workers: {seconds} s, wrk {args.connections} connections "
          f"and {args.families} threads of families")
    print(f"wrk: {requests} requests ({rate:.0f}/s) of distinct searches, service pages, content pages and the journey")
    print(f"families: {len(confirmed)} referrals confirmed (each after the journey), {len(problems)} problems; "
          f"{mailed} team emails sent")
    print("answers per server: " + ", ".join(f"{name} {len(lines)}" for name, lines in served.items())
          + f"; 5xx: {len(errors)}")
    print(f"{'worker':<14}{'MB at the start':>16}{'after warm-up':>15}{'at the end':>12}{'growth after warm-up':>22}")
    growths = []
    for worker in sorted(end):
        if worker in start:
            growths.append(end[worker] - start[worker])
            print(f"{worker:<14}{first.get(worker, float('nan')):>16.1f}{start[worker]:>15.1f}{end[worker]:>12.1f}"
                  f"{growths[-1]:>+22.1f}")
    print(f"median growth {statistics.median(growths):+.1f} MB; the most allowed {args.growth:g} MB")
    failed = []
    if errors:
        failed.append(f"{len(errors)} answers were 5xx: {errors[:5]}")
    if problems or not confirmed:
        failed.append(f"families not confirmed: {problems[:3]}")
    if max(growths) > args.growth:
        failed.append(f"a worker grew {max(growths):.1f} MB after the warm-up")
    if failed:
        raise SystemExit("; ".join(failed))


if __name__ == "__main__":
    main()

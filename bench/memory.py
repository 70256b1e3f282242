"""A web worker's memory over 2,000 varied requests: it must level off after warming up.

The real site is served by gunicorn (2 sync workers, production settings, page
cache on) and asked, in turn, for distinct searches with postcodes, every
service's page, content pages, the journey's first question, pages in Polish,
the Open Referral API and pages that are not found, each URL different where it
can be. Each worker's resident memory (VmRSS) is read from /proc after every
250 requests. The baseline is a minimal Flask app served and asked the same way
(for its one page).

    make bench            # or: .venv/bin/python bench/memory.py --requests 500
"""

import argparse
import http.client
import itertools
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.requests_per_second import distinct_searches, production_env, start_gunicorn  # noqa: E402

GOAL_MB = 160
STEP = 250


def workers_of(process):
    """The gunicorn master's worker processes, from /proc (each one's parent is the fourth field of its stat)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == process.pid:
                found.append(int(entry.name))
    return sorted(found)


def resident_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def ask(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br"})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status not in (200, 404):
        raise SystemExit(f"{path} answered {response.status}")


def varied_paths(port):
    """An endless round of different requests a site's visitors make."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/services?per_page=200")
    import json

    services = [item["id"] for item in json.loads(connection.getresponse().read())["contents"]]
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/services?page=1")
    slugs = sorted(set(re.findall(r'href="/services/([a-z0-9-]+)', connection.getresponse().read().decode())))
    connection.close()
    pages = ["/", "/start-for-life", "/start-for-life/safe-sleep", "/pages/privacy", "/pages/urgent-help", "/get-help",
             "/refer", "/professionals"]
    searches = distinct_searches()
    kinds = [
        iter(searches),
        (f"/services/{slug}?q=sleep&postcode=WR1+2AB" for slug in itertools.cycle(slugs)),
        itertools.cycle(pages),
        (f"/pl/services?q=sen&page={n % 3 + 1}" for n in itertools.count()),
        (f"/api/services/{service}" for service in itertools.cycle(services)),
        (f"/api/services?page={n % 5 + 1}&per_page=20" for n in itertools.count()),
        (f"/services/no-such-service-{n}" for n in itertools.count()),
        (f"/services?page={n % 4 + 1}&district=worcester" for n in itertools.count()),
    ]
    for kind in itertools.cycle(kinds):
        yield next(kind)


def measure(port, process, paths, count):
    """[(requests so far, [each worker's MB])], read after every STEP requests."""
    readings = [(0, [resident_mb(pid) for pid in workers_of(process)])]
    for number, path in enumerate(itertools.islice(paths, count), start=1):
        ask(port, path)
        if number % STEP == 0:
            readings.append((number, [resident_mb(pid) for pid in workers_of(process)]))
    return readings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = production_env(Path(tmp))
        site, port = start_gunicorn("wsgi:app", env, 2)
        base, base_port = start_gunicorn("bench.minimal_app:app", env, 2)
        try:
            ours = measure(port, site, varied_paths(port), args.requests)
            minimal = measure(base_port, base, itertools.repeat("/"), args.requests)
        finally:
            for process in (site, base):
                process.terminate()
                process.wait()
    print(f"\nResident memory of each gunicorn worker (MB), read every {STEP} requests")
    print(f"{'requests':>9}  {'Family Hub workers':>22}  {'minimal Flask workers':>24}")
    for (number, mine), (_, theirs) in zip(ours, minimal, strict=True):
        print(f"{number:>9}  {', '.join(f'{mb:6.1f}' for mb in mine):>22}  {', '.join(f'{mb:6.1f}' for mb in theirs):>24}")
    warm = ours[min(2, len(ours) - 1)][1]  # after 500 requests: every kind of page built at least once
    last = ours[-1][1]
    growth = max(end - start for start, end in zip(warm, last, strict=False))
    print(f"After warming up ({ours[min(2, len(ours) - 1)][0]} requests) to the end ({ours[-1][0]}): "
          f"largest growth of a worker {growth:+.1f} MB; largest worker {max(last):.1f} MB "
          f"(minimal Flask {max(minimal[-1][1]):.1f} MB). Goal: level after warming up, at most {GOAL_MB} MB.")


if __name__ == "__main__":
    main()

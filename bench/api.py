"""The Open Referral UK API's speed on a synthetic directory (10,000 services by default).

p50 and p95 of each kind of request, each against a baseline measured in the
same run: a minimal Flask app that serves the very same JSON bytes from a list
made beforehand, so the ratio is what the API's own work costs over answering
at all. Both are asked through Flask's test client, in this process. Searches
empty the text-match cache first, so each one searches afresh; the directory
snapshot is kept (as each worker keeps it between changes), and the time to
read it once is printed on its own. Walking every page is timed whole.

    make bench                                    # with the other benchmarks
    .venv/bin/python bench/api.py --size 1000 --rounds 1
"""

import argparse
import random
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, request

QUERIES = ["baby", "speech and language", "money advice", "autism", "breastfeeding", "stay and play", "sleep",
           "young carers", "domestic abuse", "holiday club", "parenting course", "send", "toddler", "dads"]
POSTCODES = ["WR1 2AB", "B98 8AH", "DY11 7WF", "WR14 3AF", "B61 8DA", "WR10 1PT"]
TARGET_MS = 50


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def baseline_app(bodies):
    """Serves each URL's body from ``bodies``, made beforehand."""
    app = Flask("baseline")

    @app.get("/<path:path>")
    def serve(path):
        return Response(bodies[request.full_path.rstrip("?")], mimetype="application/json")

    return app


def build(size, folder):
    from app.search import search_service
    from bench.synthetic_directory import synthetic_app

    app = synthetic_app(size, folder / f"api-{size}.db")
    with app.app_context():
        search_service().build()
    return app


def requests_to_make(app, rounds, rng):
    """(kind, URL) pairs: every kind asked ``rounds`` × 20 times, with varied values."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Service, TaxonomyTerm

    with app.app_context():
        ids = list(db.session.scalars(select(Service.id)))
        terms = list(db.session.scalars(select(TaxonomyTerm.id)))
    pages = max(1, len(ids) // 50)
    made = []
    for _ in range(rounds * 20):
        made += [
            ("services?per_page=50", f"/api/services?{urlencode({'per_page': 50, 'page': rng.randint(1, pages)})}"),
            ("  with search", f"/api/services?{urlencode({'per_page': 50, 'search': rng.choice(QUERIES)})}"),
            ("  with taxonomy_term_id",
             f"/api/services?{urlencode({'per_page': 50, 'taxonomy_term_id': rng.choice(terms)})}"),
            ("service_at_locations, 5 km",
             f"/api/service_at_locations?{urlencode({'per_page': 50, 'postcode': rng.choice(POSTCODES), 'proximity': 5000})}"),
            ("services/{id}", f"/api/services/{rng.choice(ids)}"),
        ]
    return made


def timed(client, url, before=None):
    if before is not None:
        before()
    started = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return took, response.get_data()


def run(size, rounds, seed=1):
    from app.api.selection import snapshot
    from app.search import search_service

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        app = build(size, Path(folder))
        client = app.test_client()
        with app.app_context():
            started = time.perf_counter()
            snapshot()
            snapshot_seconds = time.perf_counter() - started
            directory = search_service().directory()
        timed(client, "/api/services")  # opens the index
        made = requests_to_make(app, rounds, rng)
        ours, bodies = {}, {}
        for kind, url in made:
            took, body = timed(client, url, directory.forget_texts)
            ours.setdefault(kind, []).append(took)
            bodies[url] = body
        base_client = baseline_app(bodies).test_client()
        baseline = {}
        for kind, url in made:
            baseline.setdefault(kind, []).append(timed(base_client, url)[0])
        walks = {}
        for per_page in (50, 200):
            started, number, seen = time.perf_counter(), 1, 0
            while True:
                page = client.get(f"/api/services?per_page={per_page}&page={number}").get_json()
                seen += page["size"]
                if page["last_page"]:
                    break
                number += 1
            walks[per_page] = (time.perf_counter() - started, number, seen)
        return snapshot_seconds, ours, baseline, walks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="each kind is asked 20 times a round")
    arguments = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)
    snapshot_seconds, ours, baseline, walks = run(arguments.size, arguments.rounds)
    print(f"Open Referral UK API, {arguments.size:,} synthetic services, {arguments.rounds * 20} requests of each "
          f"kind; milliseconds.\n")
    header = f"{'request':<28} {'p50':>6} {'p95':>6} | {'baseline p50':>12} {'p95':>6} | {'p95 ratio':>9}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for kind, values in ours.items():
        p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
        b50, b95 = percentile(baseline[kind], 0.5) * 1000, percentile(baseline[kind], 0.95) * 1000
        worst = max(worst, p95)
        print(f"{kind:<28} {p50:>6.1f} {p95:>6.1f} | {b50:>12.2f} {b95:>6.2f} | {p95 / b95:>8.1f}x")
    print()
    for per_page, (seconds, pages, seen) in walks.items():
        print(f"Walking every page at per_page={per_page}: {pages} pages, {seen:,} services, {seconds:.2f} s "
              f"({seconds / pages * 1000:.1f} ms a page)")
    print(f"Reading the directory snapshot once (after a change): {snapshot_seconds * 1000:.0f} ms")
    print(f"\nTarget: p95 <= {TARGET_MS} ms a page at 10,000 services. Slowest p95 here: {worst:.1f} ms "
          f"({'met' if worst <= TARGET_MS else 'NOT met'}).")
    return worst


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()

"""Search speed on synthetic directories of 1,000, 10,000 and 100,000 services.

For each size: how fast ``flask search build`` indexes (services a second,
reading the database included), and the p50/p95 latency of the real
``/services`` search path (form, search, counts, page rendered; page cache off)
for 50 fixed queries, each plain, with a postcode, and with a postcode, a radius
and filters. The text-match cache is emptied before every request, so each
request does the full search. The baseline, in the same run, is SQLite FTS5
(porter stemming, bm25 with the same field weights) over the same documents:
a first page of 20 and the total count, for the same 50 queries.

    make bench                                   # all three sizes
    .venv/bin/python bench/search.py --sizes 1000 10000
"""

import argparse
import sqlite3
import tempfile
import time
import tomllib
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [case["query"] for case in tomllib.loads((ROOT / "tests/search/relevance_cases.toml").read_text())["case"]][:50]
POSTCODES = ["WR1 2AB", "B98 8AH", "DY11 7WF", "WR14 3AF", "B61 8DA", "WR10 1PT"]
ROUNDS = 3


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def variants(number, query):
    postcode = POSTCODES[number % len(POSTCODES)]
    return {
        "plain": {"q": query},
        "postcode": {"q": query, "postcode": postcode},
        "postcode and filters": {"q": query, "postcode": postcode, "radius": "10", "cost": "free", "age": "3"},
    }


def measure_site(app, rounds=ROUNDS):
    from app.search import search_service

    client = app.test_client()
    started = time.perf_counter()
    assert client.get("/services").status_code == 200  # opens the index: listings, bit sets
    opened = time.perf_counter() - started
    timings = {kind: [] for kind in variants(0, "")}
    with app.app_context():
        directory = search_service().directory()
    for _ in range(rounds):
        for number, query in enumerate(QUERIES):
            for kind, params in variants(number, query).items():
                directory.forget_texts()  # every request searches afresh
                started = time.perf_counter()
                response = client.get("/services?" + urlencode(params))
                timings[kind].append(time.perf_counter() - started)
                assert response.status_code == 200
    return opened, timings


def measure_fts5(app, rounds=ROUNDS):
    from app.directory.catalogue import read_listings

    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(name, category, organization, description, tokenize='porter unicode61')"
    )
    with app.app_context():
        connection.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?)",
            ((f["name"], f["category"], f["organization"], f["description"]) for _, f in read_listings(app.extensions["site_settings"])),
        )
    connection.commit()
    from app.search.synonyms import words_of

    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            words = [w for w in words_of(query) if w not in {"and", "or", "not", "near"}]
            started = time.perf_counter()
            for joiner in (" ", " OR "):
                match = joiner.join(f'"{w}"' for w in words) or '""'
                rows = connection.execute(
                    "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 5.0, 3.0, 1.5, 1.0) LIMIT 20", (match,)
                ).fetchall()
                total = connection.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
                if total >= 10:
                    break
            timings.append(time.perf_counter() - started)
            del rows
    return timings


def run(size, folder, rounds=ROUNDS):
    from app.search import search_service
    from bench.synthetic_directory import synthetic_app

    app = synthetic_app(size, folder / f"synthetic-{size}.db")
    with app.app_context():
        started = time.perf_counter()
        manifest = search_service().build()
        build_seconds = time.perf_counter() - started
    opened, site = measure_site(app, rounds)
    fts5 = measure_fts5(app, rounds)
    return {"size": size, "build_seconds": build_seconds, "build_rate": manifest["services"] / build_seconds,
            "open_seconds": opened, "site": site, "fts5": fts5}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="times each query is asked")
    arguments = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    print(f"{len(QUERIES)} queries x 3 variants x {arguments.rounds} rounds per size; milliseconds.\n")
    header = f"{'services':>9} {'build/s':>8} {'open s':>7} | {'variant':<21} {'p50':>6} {'p95':>6} | {'FTS5 p50':>8} {'p95':>6} | {'p95 ratio':>9}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for size in arguments.sizes:
            result = run(size, Path(folder), arguments.rounds)
            fts_p50, fts_p95 = percentile(result["fts5"], 0.5) * 1000, percentile(result["fts5"], 0.95) * 1000
            for number, (kind, values) in enumerate(result["site"].items()):
                p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
                lead = f"{size:>9,} {result['build_rate']:>8,.0f} {result['open_seconds']:>7.2f}" if number == 0 else " " * 26
                fts = f"{fts_p50:>8.1f} {fts_p95:>6.1f}" if number == 0 else " " * 15
                print(f"{lead} | {kind:<21} {p50:>6.1f} {p95:>6.1f} | {fts} | {p95 / fts_p95:>8.1f}x")
            print(f"{'':26} | build {result['build_seconds']:.1f} s for {size:,} services")
    print("\nGoals: whole page p95 <= 30 ms at 10,000 services and <= 60 ms at 100,000; build >= 1,500 services "
          "a second at 1,000.")
    print("The site's figures are a whole page (form, search, counts, rendering); FTS5's are two SQL queries.")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    main()

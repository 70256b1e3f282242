"""What carrying a list of services costs, and how big the list page is.

In one process, page cache off, on the demo directory (SQLite): the median time
of a results page and a service page without a list (the baseline) and with a
list of 30 services in ``s``; the list page with 3 and with 30 services against
one service page; the list page's size (raw and gzipped) and its QR code's; and
how long segno takes to draw the QR code of a 30-service list.

    make bench
    .venv/bin/python bench/shortlist.py
"""

import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 60


def build_app(folder):
    import flask_migrate

    from app import create_app
    from app.config import Testing
    from app.directory.demo import load_demo

    config = Testing()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.db'}"
    config.SEARCH_INDEX_DIR = folder / "index"
    config.ANALYTICS_ENABLED = False
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade()
        load_demo(app.config["CONTENT_DIR"])
    return app


def median_ms(client, paths):
    """Each path's median time in milliseconds, the paths taking turns so noise falls on all alike."""
    times = {path: [] for path in paths}
    for path in paths:  # warm up: templates compiled, index open
        assert client.get(path).status_code == 200, path
    for _ in range(ROUNDS):
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            times[path].append(time.perf_counter() - started)
            assert response.status_code == 200, path
    return {path: statistics.median(values) * 1000 for path, values in times.items()}


def main():
    import argparse

    import segno

    global ROUNDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="requests of each page")
    ROUNDS = parser.parse_args().rounds
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Service

    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        with app.app_context():
            slugs = db.session.scalars(select(Service.slug).where(Service.status == "active").order_by(Service.slug)).all()
        client = app.test_client()
        thirty, three, one = ",".join(slugs[:30]), ",".join(slugs[:3]), slugs[40]
        pairs = [
            ("results page", "/services?q=baby", f"/services?q=baby&s={thirty}"),
            ("service page", f"/services/{one}", f"/services/{one}?s={thirty}"),
        ]
        print(f"Median of {ROUNDS} requests each, page cache off (ms)\n")
        print(f"{'page':<16}{'no list':>10}{'list of 30':>12}{'ratio':>8}")
        for name, plain, carrying in pairs:
            found = median_ms(client, [plain, carrying])
            print(f"{name:<16}{found[plain]:>10.2f}{found[carrying]:>12.2f}{found[carrying] / found[plain]:>8.2f}")

        found = median_ms(client, [f"/services/{one}", f"/shortlist?s={three}", f"/shortlist?s={thirty}"])
        base = found[f"/services/{one}"]
        print(f"\n{'list page':<16}{'ms':>10}{'per service':>12}{'× one service page':>20}")
        for label, path, count in (("3 services", f"/shortlist?s={three}", 3), ("30 services", f"/shortlist?s={thirty}", 30)):
            print(f"{label:<16}{found[path]:>10.2f}{found[path] / count:>12.2f}{found[path] / base:>20.2f}")
        print(f"{'(one service page':<16}{base:>10.2f})")

        print(f"\n{'page size':<16}{'bytes, no list':>16}{'with 30':>10}{'gzipped, no list':>18}{'with 30':>10}")
        for name, plain, carrying in pairs:
            bodies = [client.get(path).get_data() for path in (plain, carrying)]
            raw, packed = [len(b) for b in bodies], [len(gzip.compress(b)) for b in bodies]
            print(f"{name:<16}{raw[0]:>16,}{raw[1]:>10,}{packed[0]:>18,}{packed[1]:>10,}")

        print(f"\n{'list page size':<16}{'bytes':>10}{'gzipped':>10}{'QR code':>10}")
        for label, path in (("3 services", f"/shortlist?s={three}"), ("30 services", f"/shortlist?s={thirty}")):
            body = client.get(path).get_data()
            qr = re.search(rb"<svg role=\"img\".*?</svg>", body, re.S).group(0)
            print(f"{label:<16}{len(body):>10,}{len(gzip.compress(body)):>10,}{len(qr):>10,}")

        url = f"{app.config['SITE_URL']}/shortlist?s={thirty}"
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            code = segno.make(url, error="m", micro=False)
            code.svg_inline(border=4, omitsize=True)
            times.append(time.perf_counter() - started)
        print(f"\nQR code of a 30-service list ({len(url)} characters): version {code.version}, "
              f"{code.symbol_size()[0]} modules a side, drawn in {statistics.median(times) * 1000:.1f} ms (median)")


if __name__ == "__main__":
    main()

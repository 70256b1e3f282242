"""Requests per second through nginx, with one app server and with two, on one PostgreSQL.

The site is set up as docs/deploying.md says (tests/deployment/cluster.py):
nginx in front of gunicorn servers (2 sync workers each, production settings),
one PostgreSQL, Redis for the rate limits. wrk loads the same public pages
through nginx with one app server behind it, with two, and with one server
running as many workers as the two together (to tell what a second server costs
from what more processes on the same cores cost), in rounds
that take turns so that the machine's drift falls on both alike; each row is
the median of its rounds and the ratio is two servers' to one's.

On one machine the "servers" share its cores: two servers cannot double what
one does when one already keeps every core busy. The ratio shows what a second
server costs and gives on this machine; on two machines the second server
brings cores of its own.

Needs nginx, wrk and PostgreSQL (BENCH_SERVERS_DATABASE_URL, default
``postgresql:///familyhub_servers_bench``, created if missing, emptied first)
and redis-server.

    make bench            # or: .venv/bin/python bench/several_servers.py --seconds 2 --rounds 1
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.requests_per_second import PATHS_SCRIPT, a_service_path, distinct_searches, wrk  # noqa: E402
from tests.deployment.cluster import Cluster, prepare_database, site_env  # noqa: E402
from tests.servers import redis_server  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_SERVERS_DATABASE_URL", "postgresql:///familyhub_servers_bench")


def needs(*programs):
    missing = [program for program in programs if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists()]
    if missing:
        raise SystemExit(f"This benchmark needs {', '.join(missing)} (Debian: apt-get install {' '.join(missing)}).")


@contextmanager
def prepared_site(folder, **more):
    """(Redis URL, mail port, the settings every server shares), the database migrated and holding the demo."""
    from aiosmtpd.controller import Controller

    from tests.referral.conftest import Mailbox
    from tests.servers import free_port

    smtp = Controller(Mailbox(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with redis_server() as redis_url:
            env = site_env(folder, DATABASE_URL, redis_url, smtp.port, **more)
            yield env, smtp
    finally:
        smtp.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of each round (whole seconds)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers on each app server")
    args = parser.parse_args()
    needs("nginx", "wrk", "redis-server")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        searches = folder / "searches.txt"
        searches.write_text("\n".join(distinct_searches()) + "\n")
        script = folder / "paths.lua"
        script.write_text(PATHS_SCRIPT % searches)
        with prepared_site(folder, ANALYTICS_ENABLED="false") as (env, _smtp):
            one = Cluster(folder / "one", env, servers=1, workers=args.workers, worker=False)
            two = Cluster(folder / "two", env, servers=2, workers=args.workers, worker=False)
            # As many worker processes as the two servers, in one server: what the second server's own costs are.
            wide = Cluster(folder / "wide", env, servers=1, workers=2 * args.workers, worker=False)
            prepare_database(DATABASE_URL, one.servers[0].env)
            with one, two, wide:
                for server in (*one.servers, *two.servers, *wide.servers):
                    server.wait_until_current()
                service = a_service_path(one.port)
                targets = {
                    "/ (cached)": ("/", None),
                    "/services (cached)": ("/services", None),
                    "service page (cached)": (service, None),
                    "distinct searches with postcodes": ("/", script),
                }
                sites = {"one": one, "two": two, "wide": wide}
                for site in sites.values():  # warm up each worker's caches
                    for path, paths in targets.values():
                        wrk(site.port, path, 1.0, args.connections, paths)
                results = {(name, size): [] for name in targets for size in sites}
                for _ in range(args.rounds):
                    for name, (path, paths) in targets.items():
                        for size, site in sites.items():
                            results[(name, size)].append(wrk(site.port, path, args.seconds, args.connections, paths))

    print(f"\nRequests per second through nginx: app servers of {args.workers} gunicorn sync workers each, "
          f"on one PostgreSQL; wrk 2 threads and {args.connections} connections; median of {args.rounds} rounds "
          f"of {args.seconds} s, on a machine of {os.cpu_count()} cores")
    wide_label = f"one of {2 * args.workers}"
    print(f"{'page':<34}{'one server':>12}{'two servers':>13}{'ratio':>7}{wide_label:>13}{'ratio':>7}")
    for name in targets:
        single, double, wide_ = (statistics.median(results[(name, size)]) for size in ("one", "two", "wide"))
        print(f"{name:<34}{single:>12.0f}{double:>13.0f}{double / single:>7.2f}{wide_:>13.0f}{wide_ / single:>7.2f}")
    print(f"Ratios are to one server of {args.workers} workers. All share this machine's cores with nginx and wrk: "
          "a second server's ratio\nis what it adds here, not what it adds on a machine of its own; the last "
          f"column has as many processes as two servers, in one.")


if __name__ == "__main__":
    main()

"""Requests per second for Family Hub pages, each compared with a minimal Flask app.

Both are served by gunicorn (2 sync workers, as `make run` would in production)
on loopback in the same run, and loaded by the same client: an asyncio loop
holding a fixed number of connections open for a fixed time. The machines here
are small and noisy, so each target runs in several alternating rounds and the
median is reported, with the ratio to the baseline's median.

    make bench            # or: .venv/bin/python bench/requests_per_second.py --seconds 5
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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


async def one_request(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = data[9:12]
    return status == b"200", len(data)


async def load(port, path, seconds, concurrency):
    done, failed, stop = 0, 0, time.monotonic() + seconds

    async def worker():
        nonlocal done, failed
        while time.monotonic() < stop:
            ok, _ = await one_request(port, path)
            done += ok
            failed += not ok

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.monotonic() - started
    if failed:
        raise SystemExit(f"{failed} requests to {path} did not return 200")
    return done / elapsed


def prepare_database(folder):
    env = dict(os.environ, FLASK_APP="wsgi.py", DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
               FAMILYHUB_ENV="development")
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env["DATABASE_URL"]


def a_service_path(port):
    import re
    import urllib.request

    html = urllib.request.urlopen(f"http://127.0.0.1:{port}/services").read().decode()
    return re.search(r'href="(/services/[a-z0-9-]+)"', html).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database_url = prepare_database(Path(tmp))
        env = dict(os.environ, FAMILYHUB_ENV="production", DATABASE_URL=database_url,
                   SECRET_KEY="bench-only-secret-" + "0" * 32, SITE_URL="http://127.0.0.1", RATELIMIT_STORAGE_URI="memory://", REFERRAL_ENCRYPTION_KEYS=Fernet.generate_key().decode())
        site, site_port = start_gunicorn("wsgi:app", env, args.workers)
        uncached, uncached_port = start_gunicorn("wsgi:app", dict(env, PAGE_CACHE_SECONDS="0"), args.workers)
        base, base_port = start_gunicorn("bench.minimal_app:app", env, args.workers)
        try:
            service = a_service_path(site_port)
            paths = {"/": "/", "/services": "/services", "service page": service,
                     "Start for Life page": "/start-for-life/safe-sleep"}
            targets = {name: (site_port, path) for name, path in paths.items()}
            targets |= {f"{name} (no cache)": (uncached_port, path) for name, path in paths.items()}
            for port, path in [(base_port, "/"), *targets.values()]:
                asyncio.run(load(port, path, 1.0, args.concurrency))  # warm up
            results = {name: [] for name in ["baseline", *targets]}
            for _ in range(args.rounds):
                results["baseline"].append(asyncio.run(load(base_port, "/", args.seconds, args.concurrency)))
                for name, (port, path) in targets.items():
                    results[name].append(asyncio.run(load(port, path, args.seconds, args.concurrency)))
        finally:
            for process in (site, uncached, base):
                process.terminate()
                process.wait()

    baseline = statistics.median(results["baseline"])
    print(f"\nRequests per second, gunicorn {args.workers} workers, {args.concurrency} connections, "
          f"median of {args.rounds} rounds of {args.seconds:g}s")
    print(f"{'page':<28}{'median req/s':>14}{'ratio to minimal Flask':>26}   rounds")
    for name, rounds in results.items():
        median = statistics.median(rounds)
        label = "minimal Flask" if name == "baseline" else name
        print(f"{label:<28}{median:>14.0f}{median / baseline:>26.2f}   " + ", ".join(f"{r:.0f}" for r in rounds))
    print("Pages are served from each worker's 60-second page cache; '(no cache)' renders every request.")
    print("A Start for Life page's Markdown is rendered once at start-up; '(no cache)' still renders its template.")


if __name__ == "__main__":
    main()

"""Real servers for the tests: an app served in a thread, and gunicorn for tests that need several worker processes."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
# For tests whose site runs only in gunicorn(): coverage does not reach those processes, so measuring
# the test's own process would only slow its HTTP clients (two to three times, under Python 3.11's
# tracer) and add no line.
SERVED_BY_GUNICORN = pytest.mark.no_cover


def serve(app):
    """Serve ``app`` (any WSGI app) on a free port of this machine in a thread; yields its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bare_environment(**settings):
    """Only what a process needs to run, and the given settings: nothing from this shell."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    return {**keep, **{name: str(value) for name, value in settings.items()}}


def wait_for_port(port, process=None, seconds=30, what="server"):
    """Wait until something listens on ``port`` of this machine; RuntimeError if ``process`` stops first
    or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} stopped (exit code {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start listening on {port}") from None
            time.sleep(0.05)


@contextmanager
def gunicorn(env, workers=2, module="wsgi:app", options=(), timeout=30):
    """A gunicorn serving ``module`` with ``env`` on a free port: yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         *options, module],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        try:
            wait_for_port(port, process, timeout, "gunicorn")
        except RuntimeError as error:
            output = process.stdout.read() if process.poll() is not None else ""
            raise RuntimeError(f"{error}\n{output}") from None
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@contextmanager
def redis_server():
    """A Redis server of the test's own on a free port, keeping nothing on disk: yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, 10, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)

"""The worker process: ``flask worker`` runs the site's timed jobs, out of every request.

Features register their jobs with ``register`` (sending the team emails, purging
old records …); the worker runs each as often as it asks, one at a time, each in
an application context of its own, and carries on past a job that fails. Several
workers may run at once (on several servers): every job is safe to run twice.
SIGTERM or SIGINT stops the worker once the job in hand is done.
"""

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db


@dataclass
class Job:
    name: str
    every: Callable[[], float]  # seconds between runs, read from the app's settings when the worker starts
    run: Callable[[], object]


def register(app, name, every, run):
    """Have the worker run ``run()`` every ``every(config)`` seconds."""
    app.extensions.setdefault("jobs", []).append(Job(name, lambda: every(app.config), run))


def run_once(app):
    """Run every job once. Returns the names of those that failed."""
    failed = []
    for job in app.extensions.get("jobs", []):
        if not _run(app, job):
            failed.append(job.name)
    return failed


def run_until(app, stop):
    """Run each job when it is due until ``stop`` (a threading.Event) is set."""
    jobs = app.extensions.get("jobs", [])
    due = {job.name: 0.0 for job in jobs}
    while not stop.is_set():
        for job in jobs:
            if stop.is_set():
                break
            if time.monotonic() >= due[job.name]:
                _run(app, job)
                due[job.name] = time.monotonic() + job.every()
        stop.wait(max(0.0, min(due.values(), default=time.monotonic() + 1) - time.monotonic()))


def _run(app, job):
    with app.app_context():
        try:
            job.run()
            return True
        except Exception:
            db.session.rollback()
            app.logger.exception("Job %s failed; it runs again later", job.name)
            return False
        finally:
            db.session.remove()


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job once and stop (for a timer instead of a process).")
@with_appcontext
def worker_command(once):
    """Send the waiting emails and run the timed jobs, until stopped."""
    app = current_app._get_current_object()
    if once:
        failed = run_once(app)
        click.echo(f"Ran {len(app.extensions.get('jobs', []))} jobs" + (f"; failed: {', '.join(failed)}" if failed else "."))
        raise SystemExit(1 if failed else 0)
    stop = threading.Event()
    for sign in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sign, lambda *_: stop.set())
    names = ", ".join(f"{job.name} (every {job.every():g} s)" for job in app.extensions.get("jobs", []))
    click.echo(f"Family Hub worker: {names}", err=True)
    run_until(app, stop)
    click.echo("Family Hub worker stopped.", err=True)

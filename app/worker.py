"""The worker process: ``flask worker`` runs the site's timed jobs, out of every request.

Features register their jobs with ``register`` (sending the team emails, purging
old records …); the worker runs each as often as it asks, one at a time, each in
an application context of its own, and carries on past a job that fails.

Several servers each run a worker. A job shared by all of them (the default) is
run by one worker at a time and once per period across all: before running it, a
worker claims its turn in the database (``JobRun``), with an UPDATE that only one
transaction can win. The claim holds for a while (``_lease``): a worker that
dies mid-job leaves the job to the next turn, and as each job commits its work
whole (a purge in one transaction, each email on its own) nothing is half done.
A claim or a turn set further ahead than one lease or one period (and a minute)
came from a server whose clock ran ahead, and is not waited for. A job of each
server's own (keeping its search index current) is not claimed.
SIGTERM or SIGINT stops the worker once the job in hand is done.
"""

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.models import JobRun

# Servers' clocks kept by NTP agree to well within this; one further ahead than this is wrong.
CLOCKS_APART = timedelta(minutes=1)


@dataclass
class Job:
    name: str
    every: Callable[[], float]  # seconds between runs, read from the app's settings when the worker starts
    run: Callable[[], object]
    shared: bool = True  # run by one server's worker at a time, once a period across all
    lease: Callable[[], float] | None = None  # seconds a claim keeps other workers off (see _lease)


def register(app, name, every, run, shared=True, lease=None):
    """Have the worker run ``run()`` every ``every(config)`` seconds (on one server at a time when ``shared``).

    ``lease(config)``: how long a worker's claim keeps the others off the job, if not ``_lease``'s default."""
    app.extensions.setdefault("jobs", []).append(
        Job(name, lambda: every(app.config), run, shared, (lambda: lease(app.config)) if lease else None))


def run_once(app):
    """Run every job once, now, unless another worker is running it. Returns the names of those that failed."""
    failed = []
    for job in app.extensions.get("jobs", []):
        if not _run(app, job, when_due=False):
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


def _run(app, job, when_due=True):
    """Run ``job`` if it is this worker's turn (``when_due=False``: whenever no other worker holds it);
    False when it failed."""
    with app.app_context():
        try:
            if job.shared and not claim(job, when_due):
                return True  # another server's worker has it, or ran it this period
            job.run()
            ok = True
        except Exception:
            db.session.rollback()
            app.logger.exception("Job %s failed; it runs again later", job.name)
            ok = False
        try:
            if job.shared:
                _finish(job, ok)
        except Exception:
            db.session.rollback()
            app.logger.exception("Job %s: its turn could not be recorded; the claim runs out by itself", job.name)
        finally:
            db.session.remove()
        return ok


def _lease(job):
    """How long a claim keeps other workers off a job: the job's own, or its period (at least a minute,
    at most a quarter of an hour)."""
    if job.lease is not None:
        return timedelta(seconds=job.lease())
    return timedelta(seconds=max(60.0, min(job.every(), 900.0)))


def claim(job, when_due=True):
    """Take this period's turn of ``job`` for this worker; False when another worker has it or had it
    (``when_due=False``: False only when another worker is running it now)."""
    now = clock.utc_now()
    if db.session.get(JobRun, job.name) is None:
        db.session.add(JobRun(name=job.name, due_at=now))
        try:
            db.session.commit()
        except IntegrityError:  # another worker added it first
            db.session.rollback()
    lease, period = _lease(job), timedelta(seconds=job.every())
    # A claim or a turn further off than a lease or a period (and a minute) was written by a server whose
    # clock ran ahead of this one's: it must not hold the job back for as long as that clock was wrong.
    free = or_(JobRun.claimed_until.is_(None), JobRun.claimed_until < now,
               JobRun.claimed_until > now + lease + CLOCKS_APART)
    due = or_(JobRun.due_at <= now, JobRun.due_at > now + period + CLOCKS_APART)
    claimed = db.session.execute(
        update(JobRun)
        .where(JobRun.name == job.name, free, *([due] if when_due else []))
        .values(claimed_until=now + lease, started_at=now, due_at=now + period)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _finish(job, ok):
    db.session.execute(
        update(JobRun).where(JobRun.name == job.name)
        .values(claimed_until=None, finished_at=clock.utc_now(), succeeded=ok)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


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

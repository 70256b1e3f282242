"""Timed jobs on several servers: each shared job runs on one worker at a time, once a period across all.

Each app here stands for a server's worker on the one database. Before, every
worker ran every job on its own timer: two servers sent each round of mail and
purged twice; now a worker claims a job's turn in the database first.
"""

import threading
from datetime import timedelta

from sqlalchemy import select

from app import worker
from app.extensions import db
from app.models import JobRun
from tests import clock


def later(minutes):
    """A clock that reads ``minutes`` after the test clock."""
    return lambda: clock.now() + timedelta(minutes=minutes)


def counting_job(app, name, every=60, shared=True, fail=False):
    runs = []

    def run():
        runs.append(1)
        if fail:
            raise RuntimeError("the job failed")

    job = worker.Job(name, lambda: every, run, shared)
    return job, runs


def forget_turns(app):
    with app.app_context():
        db.session.execute(JobRun.__table__.delete())
        db.session.commit()


def test_a_shared_job_runs_once_a_period_across_servers(app_with):
    server_a, server_b = app_with(), app_with()
    forget_turns(server_a)
    job, runs = counting_job(server_a, "test-every-minute")
    assert worker._run(server_a, job) and worker._run(server_b, job) and worker._run(server_a, job)
    assert len(runs) == 1  # the first worker's turn; the others found the period taken

    next_period = app_with(CLOCK=later(1.5))
    assert worker._run(next_period, job)
    assert len(runs) == 2
    with server_a.app_context():
        turn = db.session.get(JobRun, "test-every-minute")
        assert turn.succeeded is True and turn.claimed_until is None and turn.finished_at is not None


def test_only_one_of_many_workers_claiming_at_once_wins(app_with):
    apps = [app_with() for _ in range(6)]
    forget_turns(apps[0])
    job, _ = counting_job(apps[0], "test-claimed-at-once")
    with apps[0].app_context():
        assert worker.claim(job)  # the row exists; its turn is taken
        db.session.execute(JobRun.__table__.update().values(due_at=clock.now().replace(tzinfo=None) - timedelta(hours=2),
                                                            claimed_until=None))
        db.session.commit()
    won, gate = [], threading.Barrier(len(apps))

    def claim(app):
        with app.app_context():
            gate.wait()
            won.append(worker.claim(job))
            db.session.remove()

    threads = [threading.Thread(target=claim, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * (len(apps) - 1) + [True]


def test_a_worker_that_dies_mid_job_holds_it_only_until_its_claim_runs_out(app_with):
    dying, other = app_with(), app_with()
    forget_turns(dying)
    job, runs = counting_job(dying, "test-purge", every=5)
    with dying.app_context():
        assert worker.claim(job)  # … and the process is killed before it finishes
    later_same_minute = app_with(CLOCK=later(0.5))
    assert worker._run(later_same_minute, job) and runs == []  # still held: no second purge
    after_the_claim = app_with(CLOCK=later(1.5))
    assert worker._run(after_the_claim, job) and runs == [1]
    assert worker._run(other, job, when_due=False)  # "flask worker --once": now, as no one holds it
    assert runs == [1, 1]


def test_a_failed_job_is_recorded_and_released(app_with):
    app = app_with()
    forget_turns(app)
    job, runs = counting_job(app, "test-failing", fail=True)
    assert not worker._run(app, job)
    with app.app_context():
        turn = db.session.scalar(select(JobRun).where(JobRun.name == "test-failing"))
        assert turn.succeeded is False and turn.claimed_until is None


def test_each_server_keeps_its_own_search_index_current_unclaimed(app_with):
    app = app_with()
    own = [job for job in app.extensions["jobs"] if not job.shared]
    assert [job.name for job in own] == ["keep-search-current"]
    assert {"send-mail", "purge-referrals", "end-old-staff-sessions", "delete-old-reset-links"} <= {
        job.name for job in app.extensions["jobs"] if job.shared}


def test_a_dead_workers_mail_round_waits_only_seconds_for_another(app_with):
    app = app_with()
    forget_turns(app)
    mail = next(job for job in app.extensions["jobs"] if job.name == "send-mail")
    with app.app_context():
        assert worker.claim(mail)  # … and the worker is killed mid-round
    assert not_yet(app_with(CLOCK=later(5 / 60)), mail)
    assert worker._run(app_with(CLOCK=later(25 / 60)), mail)  # 20 s at most, not the purges' quarter of an hour
    with app.app_context():
        assert db.session.get(JobRun, "send-mail").succeeded is True


def not_yet(app, job):
    with app.app_context():
        return not worker.claim(job, when_due=False)


def test_a_turn_set_by_a_clock_hours_ahead_does_not_hold_the_job_for_hours(app_with):
    """Before, a server whose clock ran 8 hours ahead set the next turn of sending mail 8 hours on: the
    others sent no team email until then (seen when tests on a clock of their own shared a database)."""
    ahead, in_step = app_with(CLOCK=later(8 * 60)), app_with()
    forget_turns(ahead)
    mail = next(job for job in ahead.extensions["jobs"] if job.name == "send-mail")
    purge, purges = counting_job(ahead, "test-purge-hourly", every=3600)
    assert worker._run(ahead, mail) and worker._run(ahead, purge) and purges == [1]
    with ahead.app_context():
        assert worker.claim(mail, when_due=False)  # … and that server dies mid-round, its claim 8 hours on
    assert worker._run(in_step, mail)
    with in_step.app_context():
        assert db.session.get(JobRun, "send-mail").succeeded is True  # this server sent the round, now
    assert worker._run(in_step, purge) and purges == [1, 1]


def test_a_claim_seconds_ahead_still_keeps_other_workers_off(app_with):
    slightly_ahead, in_step = app_with(CLOCK=later(0.5)), app_with()
    forget_turns(in_step)
    job, runs = counting_job(in_step, "test-purge-skewed", every=5)
    with slightly_ahead.app_context():
        assert worker.claim(job)  # 30 s ahead of the others, and running
    assert worker._run(in_step, job) and runs == []  # within a lease and a minute: still held
    assert not_yet(in_step, job)

"""Refer yourself: the self-referral form, its encrypted record and the team's email."""

from flask import Blueprint

bp = Blueprint("referral", __name__, url_prefix="/refer")


@bp.record_once
def _jobs(state):
    from app import worker
    from app.referral import jobs

    # Each message is claimed on its own as well (app/referral/outbox.py), so a round's claim can be short:
    # mail waits at most 20 s (4 rounds, at least 10 s) after a worker dies mid-round.
    worker.register(state.app, "send-mail", lambda config: config["WORKER_MAIL_SECONDS"], jobs.send_mail,
                    lease=lambda config: max(10.0, 4 * config["WORKER_MAIL_SECONDS"]))
    worker.register(state.app, "purge-referrals", lambda config: 3600, jobs.purge)


from app.referral import views  # noqa: E402,F401

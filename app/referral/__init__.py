"""Refer yourself: the self-referral form, its encrypted record and the team's email."""

from flask import Blueprint

bp = Blueprint("referral", __name__, url_prefix="/refer")


@bp.record_once
def _jobs(state):
    from app import worker
    from app.referral import jobs

    worker.register(state.app, "send-mail", lambda config: config["WORKER_MAIL_SECONDS"], jobs.send_mail)
    worker.register(state.app, "purge-referrals", lambda config: 3600, jobs.purge)


from app.referral import views  # noqa: E402,F401

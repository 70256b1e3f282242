"""The signed-in staff area: sign-in, the referrals inbox, the editors' directory, staff accounts, the audit log and the usage dashboard."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.record_once
def _jobs(state):
    from app import worker
    from app.directory import editing
    from app.staff import sessions
    from app.staff.resets import purge as purge_reset_links

    worker.register(state.app, "end-old-staff-sessions", lambda config: 3600, sessions.purge)
    worker.register(state.app, "delete-old-reset-links", lambda config: 3600, purge_reset_links)
    worker.register(state.app, "publish-scheduled-changes", lambda config: 300, editing.publish_due)
    worker.register(state.app, "email-editors-what-is-due", lambda config: 7 * 24 * 3600, review.email_editors)


from app.staff import accounts, dashboard, directory, reports, resets, review, signing_in, views  # noqa: E402,F401

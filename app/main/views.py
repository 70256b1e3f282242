from flask import current_app, redirect, render_template, session

from app.main import bp
from app.page_cache import cached_page
from app.referral import drafts
from app.staff import sessions


@bp.get("/")
@cached_page
def home():
    return render_template("main/home.html")


@bp.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/readyz")
def readyz():
    """Readiness: whether this server can reach its database (a load balancer sends families elsewhere if not)."""
    from sqlalchemy import text

    from app.extensions import db

    try:
        db.session.execute(text("SELECT count(*) FROM alembic_version"))  # a table: a locked SQLite file says so
        db.session.rollback()
    except Exception as error:
        db.session.rollback()
        current_app.logger.warning("Not ready: the database cannot be reached (%s)", type(error).__name__)
        return "database unreachable\n", 503, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store",
                                              "Retry-After": "30"}
    # What this server follows: the directory's version, and the one its own search index was built from
    # (behind for a few seconds after a change, while it builds a new one and answers from the old).
    version = current_app.extensions["directory_follower"].version()
    built = current_app.extensions["search"].store.version()
    lines = f"ready\ndirectory version: {version}\nsearch index built from version: {built}\n"
    return lines, 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/exit")
def leave():
    """Exit this page: end whatever this browser had here, then go to the settings' neutral page.

    A referral draft is deleted and a staff session ended on the server, so that
    Back, or opening the site again, shows nothing of them. The browser is asked
    to forget this site's cookies and cached pages too.
    """
    if session:
        drafts.discard()
        sessions.end()
        session.clear()
    response = redirect(current_app.extensions["site_settings"].council["exit_page_url"], 303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response

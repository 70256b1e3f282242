"""Error pages in the site's own style. They never echo what was requested."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError


def init_app(app):
    @app.errorhandler(CSRFError)
    def timed_out(error):
        # The form's token is missing or too old: say so kindly, and keep nothing from the form.
        staff = request.blueprint == "staff"
        response = app.make_response((render_template("errors/timed_out.html", staff=staff), 400))
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A request for a host name that is not the site's (TRUSTED_HOSTS): no page can be
        # drawn, as every link on it would be built from that name.
        return "Bad request\n", 400, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

    @app.errorhandler(HTTPException)
    def http_error(error):
        template = "errors/404.html" if error.code in (404, 405) else "errors/error.html"
        if error.code == 500:
            template = "errors/500.html"
        return render_template(template, error=error), error.code

    @app.errorhandler(OperationalError)
    @app.errorhandler(InternalError)
    def database_busy(error):
        if isinstance(error, InternalError) and not _read_only(error):
            return unexpected_error(error)
        # Locked, read-only, or out of reach: a kind "try again in a minute", not a server error.
        from app.extensions import db

        db.session.rollback()
        app.logger.warning("Database unavailable: %s", type(getattr(error, "orig", error)).__name__)
        response = app.make_response((render_template("errors/busy.html"), 503))
        response.headers["Retry-After"] = "60"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error")
        return render_template("errors/500.html"), 500


def _read_only(error):
    """PostgreSQL's "cannot execute in a read-only transaction" (SQLSTATE 25006)."""
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) == "25006"

"""Error pages in the site's own style. They never echo what was requested.

Under a path that a feature marks as answering in JSON (the API's ``/api``, through
``json_errors``), errors are JSON too: ``{"status": 404, "message": "…"}``.
"""

from flask import current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

JSON_MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address.",
    405: "This address only answers GET.",
    413: "The request was too large.",
    429: "Too many requests: please wait a minute and try again.",
    500: "Sorry, something went wrong. Please try again later.",
    503: "Sorry, the service is busy. Please try again in a minute.",
}


def json_errors(app, prefix):
    """Errors under ``prefix`` (say, "/api") are answered in JSON."""
    app.extensions.setdefault("json_errors", []).append(prefix.rstrip("/"))


def _wants_json():
    path = request.path
    return any(path == prefix or path.startswith(prefix + "/") for prefix in current_app.extensions.get("json_errors", ()))


def json_error(status, message=None, **extra):
    response = jsonify(status=status, message=message or JSON_MESSAGES.get(status, "The request failed."), **extra)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


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
        if _wants_json():
            response = json_error(error.code)
            if error.code == 405:
                response.headers["Allow"] = "GET, HEAD, OPTIONS"
            return response
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
        if _wants_json():
            response = json_error(503)
        else:
            response = app.make_response((render_template("errors/busy.html"), 503))
        response.headers["Retry-After"] = "60"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error")
        if _wants_json():
            return json_error(500)
        return render_template("errors/500.html"), 500


def _read_only(error):
    """PostgreSQL's "cannot execute in a read-only transaction" (SQLSTATE 25006)."""
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) == "25006"

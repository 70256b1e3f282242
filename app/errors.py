"""Error pages in the site's own style. They never echo what was requested."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError
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

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error")
        return render_template("errors/500.html"), 500

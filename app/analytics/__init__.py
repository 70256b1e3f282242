"""Anonymous usage counts, made on the server without cookies or JavaScript.

``init_app`` counts each public page as it is served (see ``counting`` for what
is and is not counted); ``recorder`` writes the counts (``app.extensions["analytics"]``); the staff dashboard
reads them (``reports``). "Was this page useful?" posts to the blueprint in ``views``.
"""

from flask import request


def init_app(app):
    from app import clock
    from app.analytics.counting import counts_for, visitor_digest
    from app.analytics.recorder import Recorder

    if not app.config["ANALYTICS_ENABLED"]:
        return
    recorder = app.extensions["analytics"] = Recorder(app)

    @app.after_request
    def count(response):
        try:
            counted = counts_for(response)
            if counted:
                day = clock.now().date()
                digest = None
                if any(measure == "view" for measure, _key, _amount in counted):
                    digest = _digest(day)
                recorder.add(day, counted, digest)
        except Exception as error:  # counting never stops a page
            app.logger.warning("Usage not counted (%s)", type(error).__name__)
        return response

    def _digest(day):
        try:
            salt = recorder.salt(day)
        except Exception as error:
            app.logger.warning("Visitor not counted: no salt for the day (%s)", type(error).__name__)
            return None
        environ = request.environ
        return visitor_digest(salt, environ.get("REMOTE_ADDR") or "", environ.get("HTTP_USER_AGENT", ""))

"""Flask extensions, created here and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
# Pages, JSON and other text answers are compressed (Brotli or gzip, as the browser asks); the
# page cache keeps them compressed, and static files come compressed from the build.
compress = Compress()


def _client_key():
    """Who a rate limit counts: a keyed hash of the client's address, never the address."""
    import hashlib
    import hmac

    from flask import current_app, request

    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, (request.remote_addr or "").encode(), hashlib.sha256).hexdigest()[:32]


class ViewLimiter(Limiter):
    """Flask-Limiter, counting only the limits set on views (``@limiter.limit``).

    Flask-Limiter checks each request before any view for default, application
    and blueprint limits, and each limited view checks its own limits when it is
    called. The site sets none of the first kind (tests/test_shared_limits.py
    checks that), so the check before every request found nothing, at a cost of
    about 7% of the time a page from the cache takes; it is not made.
    """

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if not in_middleware:
            super()._check_request_limit(callable_name=callable_name, in_middleware=False)


# No limit applies by default: the self-referral's and the staff sign-in's views set their own.
limiter = ViewLimiter(key_func=_client_key, default_limits=[])

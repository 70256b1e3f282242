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


# No limit applies by default: the self-referral's submission sets its own.
limiter = Limiter(key_func=_client_key, default_limits=[])

# Rate limits are set on the self-referral's and the staff area's views alone. The limiter looks
# each request's limits up before any view (a fifth of a cached page's time), so the blueprints of
# public pages, which set none, are passed over (tests/test_shared_limits.py checks they set none).
UNLIMITED_BLUEPRINTS = frozenset({"main", "directory", "content", "journey", "signposting", "api"})


@limiter.request_filter
def _no_limits_set_here():
    from flask import request

    return request.blueprint in UNLIMITED_BLUEPRINTS

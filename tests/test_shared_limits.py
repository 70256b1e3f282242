"""Rate limits hold across gunicorn's workers (and servers) when they share Redis.

Before, limits were counted in each worker's memory: "10 an hour" let 20
through two workers. Production now needs RATELIMIT_STORAGE_URI to be set
(redis://…, or memory:// said outright for a single worker).
"""

import http.client
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from cryptography.fernet import Fernet

from tests.servers import SERVED_BY_GUNICORN, bare_environment, gunicorn

LIMIT = 10


def site_env(database_url, tmp_path, storage):
    return bare_environment(
        # A secret of each run's own: the counts it keys in the shared Redis are its own too.
        FAMILYHUB_ENV="production", DATABASE_URL=database_url, SECRET_KEY=f"limit-tests-{uuid.uuid4().hex}",
        REFERRAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(), SITE_URL="http://127.0.0.1",
        SEARCH_INDEX_DIR=tmp_path / "index", ANALYTICS_ENABLED="false", RATELIMIT_STORAGE_URI=storage,
        REFERRAL_START_RATE_LIMIT=f"{LIMIT} per hour", STAFF_SIGN_IN_RATE_LIMIT=f"{LIMIT} per 15 minutes",
    )


def post(port, path, fields):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", path, body=urlencode(fields),
                       headers={"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"})
    status = connection.getresponse().status
    connection.close()
    return status


def burst(port, path, fields, times):
    """``times`` POSTs at once, each on its own connection, so that both workers answer some."""
    gate = threading.Barrier(times)

    def one(_):
        gate.wait()
        return post(port, path, fields)

    with ThreadPoolExecutor(times) as pool:
        return sorted(pool.map(one, range(times)))


def sign_in_burst(port, times):
    """``times`` sign-ins at once, each from a browser that fetched the form (its cookie and token) first."""
    from tests.staff.test_under_attack import Attempt
    from tests.staff.test_under_attack import burst as at_once

    return sorted(attempt.status for attempt in at_once([Attempt(port, "nobody@example.org", "x") for _ in range(times)]))


@SERVED_BY_GUNICORN
def test_the_limit_is_exact_across_two_workers_sharing_redis(app, database_url, redis_url, tmp_path):
    with gunicorn(site_env(database_url, tmp_path, redis_url), workers=2) as url:
        port = urlsplit(url).port
        started = burst(port, "/refer/start", {"who": "parent"}, 2 * LIMIT)
        signing_in = sign_in_burst(port, 2 * LIMIT)
    assert started == [303] * LIMIT + [429] * LIMIT  # drafts started, then "too many requests"
    assert signing_in == [200] * LIMIT + [429] * LIMIT  # refused sign-ins (an unknown email), then the limit


def test_production_will_not_count_in_memory_unless_told_to(monkeypatch):
    from app.config import ConfigurationError, Production

    for name, value in {"SECRET_KEY": "k" * 32, "DATABASE_URL": "postgresql:///x", "SITE_URL": "https://x.example",
                        "REFERRAL_ENCRYPTION_KEYS": Fernet.generate_key().decode()}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(ConfigurationError, match="RATELIMIT_STORAGE_URI"):
        Production()
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    assert Production().RATELIMIT_STORAGE_URI == "memory://"


def test_only_views_set_limits_and_the_limited_views_hold_them(app, client):
    """The limiter counts only limits set on views (app.extensions.ViewLimiter): so no default,
    application or blueprint limit may be set, where it would count for nothing."""
    from flask_limiter.util import get_qualified_name

    from app.extensions import limiter

    assert not limiter.limit_manager.default_limits and not limiter.limit_manager.application_limits
    assert not any(limiter.limit_manager.blueprint_limits(app, name) for name in app.blueprints)
    limited = set()
    for endpoint, view in app.view_functions.items():
        with app.test_request_context():
            if limiter.limit_manager.decorated_limits(get_qualified_name(view)):
                limited.add(endpoint)
    assert {"referral.begin", "staff.sign_in", "staff.reset_password"} <= limited

"""Behind proxies: the real client's address for rate limits, and only the site's own host name answered."""

import pytest
from cryptography.fernet import Fernet

from app import create_app
from app.config import ConfigurationError, Production
from tests.conftest import ConfigForTests

PRODUCTION = {
    "SECRET_KEY": "p" * 40, "DATABASE_URL": "postgresql:///x", "SITE_URL": "https://familyhub.example.org",
    "REFERRAL_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "RATELIMIT_STORAGE_URI": "memory://",
}


def test_production_answers_only_its_own_host_name(monkeypatch, database_url):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRUSTED_HOSTS", "familyhub-internal.example.org")
    config = Production()
    assert config.TRUSTED_HOSTS == ["familyhub.example.org", "familyhub-internal.example.org"]
    config.SQLALCHEMY_DATABASE_URI = ConfigForTests(database_url).SQLALCHEMY_DATABASE_URI
    client = create_app(config).test_client()
    assert client.get("/healthz", headers={"Host": "familyhub.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "familyhub-internal.example.org:8000"}).status_code == 200
    poisoned = client.get("/", headers={"Host": "attacker.example"})
    assert poisoned.status_code == 400 and b"attacker.example" not in poisoned.data


def starts(app, address, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return app.test_client().post("/refer/start", data={"who": "parent"}, headers=headers,
                                  environ_base={"REMOTE_ADDR": address}).status_code


def test_without_trusted_proxies_x_forwarded_for_cannot_escape_a_limit(app_with):
    direct = app_with(REFERRAL_START_RATE_LIMIT="3 per hour", TRUSTED_PROXIES=0)
    answers = [starts(direct, "203.0.113.7", f"198.51.100.{n}") for n in range(5)]
    assert answers == [303] * 3 + [429] * 2  # a made-up header each time: still one client


def test_behind_one_proxy_each_family_is_counted_on_its_own(app_with):
    proxied = app_with(REFERRAL_START_RATE_LIMIT="3 per hour", TRUSTED_PROXIES=1)
    proxy = "10.0.0.5"
    first = [starts(proxied, proxy, "198.51.100.1") for _ in range(4)]
    second = [starts(proxied, proxy, "198.51.100.2") for _ in range(4)]
    assert first == second == [303] * 3 + [429]
    # What a family sent itself, in front of what the proxy added, is not believed.
    spoofed = [starts(proxied, proxy, f"192.0.2.{n}, 198.51.100.1") for n in range(2)]
    assert spoofed == [429, 429]


def test_trusted_proxies_must_be_a_number(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "yes")
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXIES must be a whole number"):
        ConfigForTests("sqlite://")

"""The site runs with safe settings unless told otherwise, and will not start unsafe."""

import subprocess

import pytest
from cryptography.fernet import Fernet

from app import create_app
from app.config import TESTING_KEY, ConfigurationError, Production, config_from_environment
from tests.servers import GUNICORN, ROOT, bare_environment

GOOD = {
    "SECRET_KEY": "k" * 32,
    "DATABASE_URL": "postgresql:///familyhub",
    "REFERRAL_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "SITE_URL": "https://familyhub.example.org",
    "RATELIMIT_STORAGE_URI": "memory://",
}


@pytest.fixture
def environment(monkeypatch):
    for name in ("FAMILYHUB_ENV", *GOOD):
        monkeypatch.delenv(name, raising=False)

    def set_to(**settings):
        for name, value in settings.items():
            monkeypatch.setenv(name, value)

    return set_to


def test_without_familyhub_env_the_site_takes_the_production_settings(environment):
    environment(**GOOD)
    config = config_from_environment()
    assert isinstance(config, Production)
    app = create_app(config)
    assert not app.debug and app.config["SESSION_COOKIE_SECURE"] and app.config["SEND_HSTS"]


def test_without_any_settings_the_site_will_not_start(environment):
    with pytest.raises(ConfigurationError, match="SECRET_KEY, DATABASE_URL, REFERRAL_ENCRYPTION_KEYS, SITE_URL, RATELIMIT_STORAGE_URI"):
        create_app()


@pytest.mark.parametrize("secret_key, problem", [
    ("development-only-not-secret", "SECRET_KEY is a development key"),
    ("testing-only-not-secret", "SECRET_KEY is a development key"),
    ("short-but-not-a-development-key", "SECRET_KEY must be at least 32 bytes long"),
])
def test_production_refuses_a_development_or_short_secret_key(environment, secret_key, problem):
    environment(**{**GOOD, "SECRET_KEY": secret_key})
    with pytest.raises(ConfigurationError, match=problem):
        config_from_environment()


def test_production_refuses_the_testing_encryption_key(environment):
    environment(**{**GOOD, "REFERRAL_ENCRYPTION_KEYS": f"{GOOD['REFERRAL_ENCRYPTION_KEYS']},{TESTING_KEY}"})
    with pytest.raises(ConfigurationError, match="testing key"):
        config_from_environment()


def test_only_an_explicit_setting_runs_with_development_keys(environment):
    environment(FAMILYHUB_ENV="development")
    config = config_from_environment()
    assert config.DEBUG and config.SECRET_KEY == "development-only-not-secret"
    environment(FAMILYHUB_ENV="staging")
    with pytest.raises(ConfigurationError, match="FAMILYHUB_ENV must be one of development, testing, production"):
        config_from_environment()


def test_gunicorn_with_no_settings_refuses_to_start_and_says_what_it_needs():
    result = subprocess.run(
        [str(GUNICORN), "--workers", "2", "--bind", "127.0.0.1:0", "wsgi:app"],
        cwd=ROOT, env=bare_environment(), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert ("Production configuration needs these environment variables: "
            "SECRET_KEY, DATABASE_URL, REFERRAL_ENCRYPTION_KEYS, SITE_URL, RATELIMIT_STORAGE_URI") in result.stderr
    assert "FAMILYHUB_ENV=development" in result.stderr

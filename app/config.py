"""Configuration: the only module that reads the environment.

Each class is read by ``create_app`` at start-up, so tests can choose a
configuration (or override values) without touching ``os.environ``.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Settings shared by every environment."""

    def __init__(self):
        env = os.environ
        self.SECRET_KEY = env.get("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = _database_url(
            env.get("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'familyhub.db'}"
        )
        self.CONTENT_DIR = Path(env.get("CONTENT_DIR", ROOT / "content"))
        self.SEARCH_INDEX_DIR = Path(env.get("SEARCH_INDEX_DIR", ROOT / "search_index"))
        self.BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
        self.PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", self.PAGE_CACHE_SECONDS))

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    STRICT_TEMPLATES = False
    SEND_HSTS = False
    # Static files are requested with a content hash (?v=…); let browsers keep them a day.
    SEND_FILE_MAX_AGE_DEFAULT = 86400
    # Rendered public pages, and the directory data behind them, are kept in
    # each worker's memory for this many seconds.
    PAGE_CACHE_SECONDS = 60
    DIRECTORY_CACHE_SECONDS = 60


class Development(Config):
    DEBUG = True
    STRICT_TEMPLATES = True

    def __init__(self):
        super().__init__()
        # A development-only key: Production refuses to start without a real one.
        self.SECRET_KEY = self.SECRET_KEY or "development-only-not-secret"


class Testing(Config):
    TESTING = True
    STRICT_TEMPLATES = True

    def __init__(self):
        super().__init__()
        self.PAGE_CACHE_SECONDS = 0
        self.DIRECTORY_CACHE_SECONDS = 0
        self.SECRET_KEY = "testing-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"


class Production(Config):
    SESSION_COOKIE_SECURE = True
    SEND_HSTS = True

    def __init__(self):
        super().__init__()
        missing = [
            name
            for name in ("SECRET_KEY", "DATABASE_URL", "REFERRAL_ENCRYPTION_KEYS")
            if not os.environ.get(name)
        ]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: "
                + ", ".join(missing)
            )
        self.REFERRAL_ENCRYPTION_KEYS = os.environ["REFERRAL_ENCRYPTION_KEYS"]


CONFIGS = {"development": Development, "testing": Testing, "production": Production}


def config_from_environment():
    """The configuration named by FAMILYHUB_ENV (development by default)."""
    name = os.environ.get("FAMILYHUB_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"FAMILYHUB_ENV must be one of {', '.join(CONFIGS)}") from None


def _database_url(url):
    """Use the psycopg 3 driver for PostgreSQL URLs given in the usual form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url

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
        # The Open Referral UK profile's schema folder (holding compiled/service.json), which
        # ``flask services pull`` checks feeds against; by default the shared folder beside the site.
        self.ORUK_SCHEMA_DIR = Path(env.get("ORUK_SCHEMA_DIR", ROOT.parent / "shared" / "oruk" / "schema"))
        self.BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
        self.PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", self.PAGE_CACHE_SECONDS))
        self.DIRECTORY_CHECK_SECONDS = float(env.get("DIRECTORY_CHECK_SECONDS", self.DIRECTORY_CHECK_SECONDS))
        # Self-referrals: the keys that encrypt them (newest first, comma-separated
        # Fernet keys), where the team's emails go out, and the site's own address
        # for the link in them.
        self.REFERRAL_ENCRYPTION_KEYS = env.get("REFERRAL_ENCRYPTION_KEYS", "")
        self.SITE_URL = env.get("SITE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.MAIL_SERVER = env.get("MAIL_SERVER", "localhost")
        self.MAIL_PORT = int(env.get("MAIL_PORT", "25"))
        self.MAIL_USE_TLS = env.get("MAIL_USE_TLS", "false").lower() == "true"
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
        self.MAIL_FROM = env.get("MAIL_FROM", "Family Hub <no-reply@example.org>")
        self.MAIL_TIMEOUT_SECONDS = float(env.get("MAIL_TIMEOUT_SECONDS", self.MAIL_TIMEOUT_SECONDS))
        self.MAIL_RETRY_SECONDS = float(env.get("MAIL_RETRY_SECONDS", self.MAIL_RETRY_SECONDS))
        self.WORKER_MAIL_SECONDS = float(env.get("WORKER_MAIL_SECONDS", self.WORKER_MAIL_SECONDS))
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        # How many proxies stand in front of the site (see app/proxies.py); 0 believes no X-Forwarded-For.
        self.TRUSTED_PROXIES = _whole_number("TRUSTED_PROXIES", env.get("TRUSTED_PROXIES", "0"))
        self.REFERRAL_RATE_LIMIT = env.get("REFERRAL_RATE_LIMIT", self.REFERRAL_RATE_LIMIT)
        self.REPORT_RATE_LIMIT = env.get("REPORT_RATE_LIMIT", self.REPORT_RATE_LIMIT)
        self.REVIEW_AFTER_MONTHS = _whole_number("REVIEW_AFTER_MONTHS", env.get("REVIEW_AFTER_MONTHS", str(self.REVIEW_AFTER_MONTHS)))
        self.REFERRAL_START_RATE_LIMIT = env.get("REFERRAL_START_RATE_LIMIT", self.REFERRAL_START_RATE_LIMIT)
        self.STAFF_SIGN_IN_RATE_LIMIT = env.get("STAFF_SIGN_IN_RATE_LIMIT", self.STAFF_SIGN_IN_RATE_LIMIT)
        self.REFERRAL_MIN_SECONDS = int(env.get("REFERRAL_MIN_SECONDS", self.REFERRAL_MIN_SECONDS))
        self.REFERRAL_KEEP_CLOSED_DAYS = int(env.get("REFERRAL_KEEP_CLOSED_DAYS", self.REFERRAL_KEEP_CLOSED_DAYS))
        self.ANALYTICS_ENABLED = env.get("ANALYTICS_ENABLED", "true").lower() != "false"
        self.ANALYTICS_FLUSH_SECONDS = float(env.get("ANALYTICS_FLUSH_SECONDS", self.ANALYTICS_FLUSH_SECONDS))
        # Only an explicit "false" turns approval off: anything else keeps four eyes.
        self.DIRECTORY_CHANGES_NEED_APPROVAL = env.get("DIRECTORY_CHANGES_NEED_APPROVAL", "true").strip().lower() != "false"

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    # A form page's token lasts 8 hours: long enough for someone who has to stop,
    # cope with something and come back. After that they see "This page timed out".
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # No page takes a file: the largest form, a referral page with every box at its
    # limit, is under 30 KB even with each character percent-encoded. Anything over
    # this is turned away (413) before it is read.
    MAX_CONTENT_LENGTH = 256 * 1024
    # The form with the most fields (the journey's needs, every box ticked) has under
    # 60; far more than that is a script.
    MAX_FORM_FIELDS = 200
    MAX_FORM_PARTS = 200
    STRICT_TEMPLATES = False
    SEND_HSTS = False
    # Static files are requested with a content hash (?v=…); let browsers keep them a day.
    SEND_FILE_MAX_AGE_DEFAULT = 86400
    # Rendered public pages, and the directory data behind them, are kept in
    # each worker's memory for this many seconds.
    PAGE_CACHE_SECONDS = 60
    # Answers are compressed with Brotli (browsers ask for it over HTTPS) or gzip. Measured on a
    # 39 KB results page: Brotli at quality 2 makes 6.7 KB in 0.16 ms (quality 4: 6.2 KB in 0.30 ms),
    # gzip at level 4 makes 6.5 KB in 0.27 ms (level 6: 6.2 KB in 0.40 ms).
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 2
    COMPRESS_LEVEL = 4
    # Pages are kept compressed (a results page in about 7 KB), so 8 MB holds over a thousand of them.
    PAGE_CACHE_BYTES = 8 * 1024 * 1024  # of pages, in each worker
    DIRECTORY_CACHE_SECONDS = 60
    # Each process reads the directory's version from the database this often (and at once when
    # PostgreSQL tells it of another server's change): pages and search follow it.
    DIRECTORY_CHECK_SECONDS = 2.0
    # A process that sees the directory move on builds this server's search index afresh in a thread
    # (one process per server at a time). The tests build when they choose to instead.
    # Four eyes: an editor's change to a service waits for a second editor's approval.
    # A small council with one editor may turn it off (DIRECTORY_CHANGES_NEED_APPROVAL=false).
    DIRECTORY_CHANGES_NEED_APPROVAL = True
    SEARCH_BUILD_IN_BACKGROUND = True
    # The Open Referral UK API (/api) names the profile it follows with this address.
    API_PROFILE_URL = "https://github.com/openreferral/uk-profile"
    # Self-referrals. A draft is kept for 24 hours. Submissions are limited per
    # client (storage: memory:// in one process; redis:// or memcached:// shared
    # by several web servers). A form sent back faster than a person could fill
    # it in is a bot's. Closed referrals are deleted this many days after closing.
    REFERRAL_DRAFT_HOURS = 24
    REFERRAL_RATE_LIMIT = "10 per hour"
    # "Report a problem" on a service's page, from one client.
    REPORT_RATE_LIMIT = "10 per hour"
    # A service whose last check is older than this is due for review by its editors.
    REVIEW_AFTER_MONTHS = 6
    # Drafts started from one address (a family centre's or a library's may be shared).
    REFERRAL_START_RATE_LIMIT = "60 per hour"
    REFERRAL_MIN_SECONDS = 20
    REFERRAL_KEEP_CLOSED_DAYS = 30
    # The confirmation page shows the reference for this long after sending, then
    # no more: the next person to use the browser does not see it.
    REFERRAL_SHOWN_MINUTES = 60
    RATELIMIT_HEADERS_ENABLED = False
    # Mail is sent by the worker process (``flask worker``), never in a request:
    # it looks for waiting emails this often, gives the mail server this long to
    # answer each step, and waits this long after a first failure (doubling each
    # time, at most 60 times as long).
    WORKER_MAIL_SECONDS = 5.0
    MAIL_TIMEOUT_SECONDS = 10.0
    MAIL_RETRY_SECONDS = 60.0
    # Staff sign-in: idle time before signing out, the longest a session lasts
    # however busy, and failed attempts before a lock.
    STAFF_IDLE_MINUTES = 30
    STAFF_SESSION_HOURS = 8
    # After the right password, this long to give the second factor.
    STAFF_SECOND_FACTOR_MINUTES = 10
    STAFF_MAX_FAILED_SIGN_INS = 5
    STAFF_LOCK_MINUTES = 15
    # How staff passwords and recovery codes are hashed (werkzeug's methods):
    # slow on purpose, so that a stolen table takes years to guess at. Only the
    # Testing settings use cheaper costs.
    PASSWORD_HASH = "scrypt:32768:8:1"
    RECOVERY_CODE_HASH = "pbkdf2:sha256:60000"
    # Sign-in attempts from one address, whichever accounts they are for: so that no
    # one place can guess at, or lock, many accounts.
    STAFF_SIGN_IN_RATE_LIMIT = "30 per 15 minutes"
    # Password-reset emails asked for from one address, and for one account.
    STAFF_RESET_RATE_LIMIT = "10 per hour"
    STAFF_RESET_ACCOUNT_LIMIT = "3 per hour"
    # Anonymous usage counts (ANALYTICS_ENABLED=false switches them off). Each
    # worker writes its counts every few seconds; 0 writes them with each
    # request. A search is shown on the dashboard only once its words have been
    # searched for this many times in the period shown.
    ANALYTICS_FLUSH_SECONDS = 5.0
    ANALYTICS_SEARCH_MINIMUM = 3


class Development(Config):
    DEBUG = True
    STRICT_TEMPLATES = True

    def __init__(self):
        super().__init__()
        # A development-only key: Production refuses to start without a real one.
        self.SECRET_KEY = self.SECRET_KEY or "development-only-not-secret"
        # A development key of its own, made on first use and kept in instance/.
        self.REFERRAL_ENCRYPTION_KEYS = self.REFERRAL_ENCRYPTION_KEYS or _development_key()


class Testing(Config):
    TESTING = True
    STRICT_TEMPLATES = True

    def __init__(self):
        super().__init__()
        self.PAGE_CACHE_SECONDS = 0
        self.DIRECTORY_CACHE_SECONDS = 0
        self.DIRECTORY_CHECK_SECONDS = 0
        self.SEARCH_BUILD_IN_BACKGROUND = False
        self.SECRET_KEY = "testing-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.REFERRAL_ENCRYPTION_KEYS = TESTING_KEY
        self.SITE_URL = "http://family-hub.test"
        self.MAIL_SERVER, self.MAIL_PORT = "127.0.0.1", 1  # nothing listens: tests start their own server
        self.REFERRAL_MIN_SECONDS = 0
        self.REFERRAL_RATE_LIMIT = "1000 per hour"
        self.REPORT_RATE_LIMIT = "1000 per hour"
        self.REFERRAL_START_RATE_LIMIT = "10000 per hour"
        self.STAFF_SIGN_IN_RATE_LIMIT = "10000 per hour"
        self.STAFF_RESET_RATE_LIMIT = "10000 per hour"
        self.ANALYTICS_FLUSH_SECONDS = 0
        # Tests sign staff in hundreds of times: the same methods at a fraction of the cost.
        self.PASSWORD_HASH = "scrypt:1024:8:1"
        self.RECOVERY_CODE_HASH = "pbkdf2:sha256:1000"


class Production(Config):
    """The default: safe settings, and no start without the secrets that make them safe."""

    SESSION_COOKIE_SECURE = True
    SEND_HSTS = True

    def __init__(self):
        super().__init__()
        missing = [
            name
            # SITE_URL is the public address in staff emails, shared lists and their QR codes.
            for name in REQUIRED_IN_PRODUCTION
            if not os.environ.get(name)
        ]
        if missing:
            raise ConfigurationError(
                "Production configuration needs these environment variables: " + ", ".join(missing)
                + ". (FAMILYHUB_ENV=development runs the site on this machine with development keys; "
                "`make run` sets it.)"
            )
        if self.SECRET_KEY in DEVELOPMENT_SECRETS:
            raise ConfigurationError("SECRET_KEY is a development key: production needs a random one of its own.")
        if len(self.SECRET_KEY.encode()) < MINIMUM_SECRET_BYTES:
            raise ConfigurationError(
                f"SECRET_KEY must be at least {MINIMUM_SECRET_BYTES} bytes long "
                "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if TESTING_KEY in self.REFERRAL_ENCRYPTION_KEYS.split(","):
            raise ConfigurationError("REFERRAL_ENCRYPTION_KEYS holds the testing key: make a key of its own.")
        # Only the site's own name (and any TRUSTED_HOSTS added, comma-separated) is answered.
        from app.proxies import trusted_hosts

        self.TRUSTED_HOSTS = trusted_hosts(self.SITE_URL, os.environ.get("TRUSTED_HOSTS", ""))


class ConfigurationError(RuntimeError):
    """Settings the site must not start with; the message says what to set."""


# RATELIMIT_STORAGE_URI: redis://… for rate limits every worker shares; memory://
# only if said outright (one worker: with more, each would count on its own).
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "DATABASE_URL", "REFERRAL_ENCRYPTION_KEYS", "SITE_URL", "RATELIMIT_STORAGE_URI")
MINIMUM_SECRET_BYTES = 32
DEVELOPMENT_SECRETS = {"development-only-not-secret", "testing-only-not-secret"}

CONFIGS = {"development": Development, "testing": Testing, "production": Production}


def config_from_environment():
    """The configuration named by FAMILYHUB_ENV: production unless it says otherwise."""
    name = os.environ.get("FAMILYHUB_ENV") or "production"
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigurationError(f"FAMILYHUB_ENV must be one of {', '.join(CONFIGS)}") from None


# A well-formed Fernet key that says what it is for; it must never encrypt real data.
TESTING_KEY = "dGVzdGluZy1vbmx5LW5vdC1zZWNyZXQtMzItYnl0ZXM="


def _development_key():
    from cryptography.fernet import Fernet

    path = ROOT / "instance" / "referral-encryption.key"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_text().strip()


# A locked database is waited for this long before the page says "try again in a
# minute" (503), rather than the 5 s and more a page took before.
DATABASE_WAIT_SECONDS = 2


def engine_options(url):
    """hide_parameters: a database error's message (which is logged) never holds the
    values in the statement, a staff email or a family's answers among them."""
    options = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": DATABASE_WAIT_SECONDS}
    elif url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5,
                                   "options": f"-c lock_timeout={DATABASE_WAIT_SECONDS * 1000}"}
    return options


def _whole_number(name, text):
    if not text.strip().isdigit():
        raise ConfigurationError(f"{name} must be a whole number, such as 0 or 1, not {text!r}")
    return int(text)


def _database_url(url):
    """Use the psycopg 3 driver for PostgreSQL URLs given in the usual form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url

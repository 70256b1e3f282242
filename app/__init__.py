"""Family Hub: a council's virtual family hub."""

from pathlib import Path

from flask import Flask

from app import errors, proxies, request_limits, request_log, security_headers, static_files, templating
from app.config import config_from_environment, engine_options
from app.cookie_session import CookieSessions
from app.directory import cards, presenters, service_details
from app.directory.catalogue import load_category_names
from app.extensions import babel, compress, csrf, db, limiter, migrate
from app.languages import LanguagePrefix, current_language
from app.referral import vault
from app.site_settings import load_settings


class FamilyHub(Flask):
    jinja_environment = templating.Environment
    session_interface = CookieSessions()


def create_app(config=None):
    app = FamilyHub(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(exist_ok=True)  # the SQLite database lives here by default

    # Configuration
    app.config.from_object(config or config_from_environment())
    # The engine's options follow the database chosen (whichever configuration chose it).
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
                                               **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    app.extensions["site_settings"] = load_settings(app.config["CONTENT_DIR"] / "settings.toml")
    settings = app.extensions["site_settings"]
    app.extensions["category_names"] = load_category_names(app.config["CONTENT_DIR"] / "directory" / "categories.toml")

    # Extensions
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    babel.init_app(app, locale_selector=current_language)
    request_limits.init_app(app)  # before the CSRF check reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    vault.init_app(app)
    headers = security_headers.security_headers(app)
    static_files.init_app(app, headers)  # answered before Flask sees the request
    app.wsgi_app = LanguagePrefix(app.wsgi_app, settings.language_codes[1:])
    proxies.init_app(app)  # outermost: the proxies' headers are read before anything else

    # Blueprints
    from app.analytics.views import bp as analytics_bp
    from app.api import bp as api_bp
    from app.content import bp as content_bp
    from app.content.library import load_library
    from app.directory import bp as directory_bp
    from app.journey import bp as journey_bp
    from app.main import bp as main_bp
    from app.referral import bp as referral_bp
    from app.signposting import bp as signposting_bp
    from app.staff import bp as staff_bp

    app.extensions["content"] = load_library(app.config["CONTENT_DIR"], settings)
    app.register_blueprint(main_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(journey_bp)
    app.register_blueprint(content_bp)
    app.register_blueprint(referral_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(analytics_bp)
    app.register_blueprint(signposting_bp)
    app.register_blueprint(api_bp)

    # Command line
    from app.content.cli import content_cli
    from app.directory.cli import demo_cli, services_cli, taxonomy_cli

    app.cli.add_command(content_cli)
    app.cli.add_command(services_cli)
    app.cli.add_command(taxonomy_cli)
    app.cli.add_command(demo_cli)
    from app.referral.cli import referrals_cli
    from app.staff.cli import users_cli

    app.cli.add_command(referrals_cli)
    app.cli.add_command(users_cli)
    from app.worker import worker_command

    app.cli.add_command(worker_command)

    # Search (its own commands too), over the directory's listed services
    from app import directory_version, search
    from app.directory import catalogue

    search.init_app(app, read_services=catalogue.read_listings, listings=catalogue.listings,
                    listed_ids=catalogue.listed_ids, version_now=lambda: directory_version.current_version(db.session))
    # Each process follows the directory's version, shared by every server through the database.
    directory_version.init_app(app, on_change=catalogue.version_seen)
    from app import worker

    # Each server's worker keeps that server's index current, even when no one is searching there.
    worker.register(app, "keep-search-current", lambda config: config["DIRECTORY_CHECK_SECONDS"] or 2.0,
                    catalogue.keep_search_current, shared=False)

    # The list of services carried in the URL
    from app import signposting

    signposting.init_app(app)

    # Anonymous usage counts
    from app import analytics

    analytics.init_app(app)

    # Errors, headers, templates
    errors.init_app(app)
    request_log.init_app(app)
    security_headers.init_app(app, headers)
    templating.init_app(app)
    presenters.init_app(app)
    cards.init_app(app)
    service_details.init_app(app)
    return app

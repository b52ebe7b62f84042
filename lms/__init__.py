"""The ALS Facilitator Programme platform.

``create_app`` builds the Flask application: configuration, extensions, blueprints,
templates, the central commit, error pages and CLI commands. Nothing runs at import
time, and the schema is never changed here: migrations do that (``flask db upgrade``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import Config, get_config


def create_app(config: type[Config] | str | None = None, **overrides: Any) -> Flask:
    """Build the app from a config class (or its name, or ``LMS_CONFIG``) plus overrides."""
    config_class = config if isinstance(config, type) else get_config(config)
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config_class)
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in the environment in production")
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")

    _init_templates(app)
    _init_extensions(app)
    _register_blueprints(app)
    _init_request_cycle(app)

    from lms import errors, security
    from lms.cli import register_commands

    errors.init_app(app)
    security.init_app(app)
    register_commands(app)
    return app


def _autoescape(name: str | None) -> bool:
    return name is None or name.endswith((".html", ".htm", ".xml", ".jinja"))


def _init_templates(app: Flask) -> None:
    # nhsuk-frontend-jinja macros need ChainableUndefined for their nested parameters.
    app.jinja_options = {
        **app.jinja_options,
        "undefined": ChainableUndefined,
        # Flask escapes only .html-like templates; the NHS.UK macros are .jinja files, and
        # print their ``text`` parameters as given (only ``html`` is marked safe).
        "autoescape": _autoescape,
        # The app's and blueprints' templates first, then the NHS.UK macros.
        "loader": ChoiceLoader(
            [
                app.create_global_jinja_loader(),
                PackageLoader("nhsuk_frontend_jinja"),
            ]
        ),
    }
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _init_extensions(app: Flask) -> None:
    from lms import i18n
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=lambda: app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Sign in to see this page")

    @login_manager.user_loader
    def load_user(user_id: str):
        # The person, their roles and this browser's live session in one statement
        # (lms/accounts/sessions.py); an ended, idle or too old session signs out.
        from lms.accounts import sessions

        return sessions.load(user_id)

    @login_manager.unauthorized_handler
    def unauthorized():
        from lms.accounts import sessions

        return sessions.unauthorized()

    # Import every feature's models so the metadata (and Alembic) sees all tables.
    import lms.models  # noqa: F401


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """On SQLite: enforce foreign keys, and let SQLAlchemy manage transactions itself.

    pysqlite's own transaction handling breaks SAVEPOINT, which inline jobs and the
    test fixtures rely on; this is the recipe from the SQLAlchemy SQLite docs.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")


def _register_blueprints(app: Flask) -> None:
    from lms.accounts import bp as accounts_bp
    from lms.admin import bp as admin_bp
    from lms.applications import bp as applications_bp
    from lms.assessment import bp as assessment_bp
    from lms.buddy import bp as buddy_bp
    from lms.curriculum import bp as curriculum_bp
    from lms.main import bp as main_bp
    from lms.notifications import bp as notifications_bp
    from lms.practice import bp as practice_bp
    from lms.privacy import bp as privacy_bp
    from lms.reports import bp as reports_bp
    from lms.supervision import bp as supervision_bp

    blueprints = (
        main_bp,
        accounts_bp,
        admin_bp,
        notifications_bp,
        applications_bp,
        curriculum_bp,
        supervision_bp,
        buddy_bp,
        practice_bp,
        assessment_bp,
        reports_bp,
        privacy_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp)


def _init_request_cycle(app: Flask) -> None:
    """One commit per request (STYLE.md rule 2), plus the values every page needs."""
    from flask_login import current_user

    from lms.extensions import db

    @app.after_request
    def commit_session(response: Response) -> Response:
        # 4xx answers still commit: a refusal writes its audit entry. 5xx rolls back.
        if response.status_code < 500:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.context_processor
    def page_globals() -> dict[str, Any]:
        from lms.i18n import current_language
        from lms.main.navigation import header_items
        from lms.notifications.services import unread_count

        values: dict[str, Any] = {
            "service_name": app.config["SERVICE_NAME"],
            "current_language": current_language(),
        }
        # Emails are rendered by jobs and commands too, where nobody is signed in.
        if current_user and current_user.is_authenticated:
            values["nav_items"] = header_items(current_user)
            values["unread_notifications"] = unread_count(current_user.id)
        return values

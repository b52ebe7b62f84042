"""Configuration classes, chosen by the ``LMS_CONFIG`` environment variable.

``development`` is the default and is the embedded mode the README's ``make run`` uses:
SQLite under ``instance/``, jobs run inline, email to an outbox table. ``production``
refuses to start without ``SECRET_KEY`` from the environment. Secrets only ever come
from the environment.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("LMS_INSTANCE_PATH", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the old driver; SQLAlchemy wants psycopg 3 named explicitly.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SERVICE_NAME = "ALS Facilitator Programme"

    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'lms.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "lms")

    # Email: "outbox" stores messages in a table admins can read; "smtp" sends them.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "ALS Facilitator Programme <no-reply@example.org>"
    )

    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # The largest request body; bigger than the largest evidence file, so an oversized
    # file still reaches the form (which explains, keeping everything else typed).
    MAX_CONTENT_LENGTH = _env_int("MAX_REQUEST_MB", 64) * 1024 * 1024

    LANGUAGES = ("en", "cy")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"

    PASSWORD_MIN_LENGTH = 12
    PASSWORD_RESET_HOURS = _env_int("PASSWORD_RESET_HOURS", 2)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A signed-in session ends after this long without a request, and this long after
    # signing in whatever happens (lms/accounts/sessions.py). There is no "keep me signed
    # in": a remember cookie would outlive the absolute limit.
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_MAX_HOURS)
    # Granting roles, issuing or revoking awards and erasure need the password typed
    # this recently.
    FRESH_LOGIN_MINUTES = _env_int("FRESH_LOGIN_MINUTES", 15)
    # Roles that must use two-factor sign-in (an authenticator app's codes).
    TWO_FACTOR_ROLES = ("admin", "lead", "supervisor")

    # Sign-in limits: failed attempts per account and per address.
    LOGIN_LIMIT_ACCOUNT = os.environ.get("LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_ADDRESS = os.environ.get("LOGIN_LIMIT_ADDRESS", "20 per 15 minutes")
    # Wrong two-factor codes per account (the code step after a correct password).
    TWO_FACTOR_LIMIT = os.environ.get("TWO_FACTOR_LIMIT", "5 per 15 minutes")
    # Reset emails asked for one address, so nobody can flood someone's inbox.
    RESET_LIMIT = os.environ.get("RESET_LIMIT", "5 per hour")
    # Endorsement link look-ups that fail (unknown, used, expired), per address.
    ENDORSE_LIMIT = os.environ.get("ENDORSE_LIMIT", "30 per hour")
    # Award look-ups by an unknown code, per address.
    VERIFY_LIMIT = os.environ.get("VERIFY_LIMIT", "60 per minute")
    RATELIMIT_HEADERS_ENABLED = False

    # Links in emails sent outside a request (jobs, commands) start with this address.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    # Applications (SPEC section 3).
    ENDORSEMENT_LINK_DAYS = _env_int("ENDORSEMENT_LINK_DAYS", 21)
    ENDORSEMENT_REMINDER_DAYS = _env_int("ENDORSEMENT_REMINDER_DAYS", 7)  # before expiry
    MOTIVATION_WORD_LIMIT = _env_int("MOTIVATION_WORD_LIMIT", 500)
    EXPERIENCE_WORD_LIMIT = _env_int("EXPERIENCE_WORD_LIMIT", 300)
    REVIEWERS_PER_APPLICATION = _env_int("REVIEWERS_PER_APPLICATION", 2)
    OFFER_RESPONSE_DAYS = _env_int("OFFER_RESPONSE_DAYS", 14)

    # Assessment and award (SPEC section 8).
    EVIDENCE_MAX_MB = _env_int("EVIDENCE_MAX_MB", 10)  # one uploaded evidence file
    AWARD_RENEWAL_REMINDER_DAYS = _env_int("AWARD_RENEWAL_REMINDER_DAYS", 60)  # before lapsing

    # Reports (SPEC section 10): over this many records a report is built in the background.
    REPORT_INLINE_LIMIT = _env_int("REPORT_INLINE_LIMIT", 1000)
    REPORT_PAGE_ROWS = 100  # rows of a table shown on the page; downloads have them all

    # Curriculum (SPEC section 4): where `flask content sync` reads module files.
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(BASE_DIR / "content" / "modules"))

    # Privacy (SPEC section 10): days each kind of record is kept before the periodic job
    # (lms/privacy/retention.py, run by `flask send-reminders` or `flask privacy retention`)
    # removes it. Each is set by RETENTION_<KIND>_DAYS, e.g. RETENTION_AUDIT_LOG_DAYS;
    # 0 keeps that kind for ever.
    #   notifications  180   in-app notifications, counted from when they were read
    #   emails          90   emails sent or in the outbox, from when they were made
    #   reset_tokens    30   password-reset and invitation links, from use or expiry
    #   sessions        30   sign-in sessions, from when they ended
    #   failed_jobs     90   failed background jobs, from when they failed
    #   report_runs     90   reports built in the background, from when they finished
    #   applications   730   applications that did not end in a place, from the day their
    #                        intake closed: personal text removed, counts kept
    #   audit_log     2190   audit entries (six years)
    RETENTION_DAYS = {
        kind: _env_int(f"RETENTION_{kind.upper()}_DAYS", days)
        for kind, days in {
            "notifications": 180,
            "emails": 90,
            "reset_tokens": 30,
            "sessions": 30,
            "failed_jobs": 90,
            "report_runs": 90,
            "applications": 730,
            "audit_log": 2190,
        }.items()
    }

    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so a slow form is not lost
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(hours=1)
    PREFERRED_URL_SCHEME = "http"
    TESTING = False
    DEBUG = False

    @classmethod
    def ratelimit_storage(cls) -> str:
        return cls.REDIS_URL or "memory://"


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-change-me")
    DEBUG = _env_bool("FLASK_DEBUG", False)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    WTF_CSRF_ENABLED = False  # tests that check CSRF switch it back on
    SERVER_NAME = "localhost"
    UPLOAD_FOLDER = str(INSTANCE_DIR / "test-uploads")
    # Argon2 at test strength: the hash format and checks are the same, only cheaper.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    """The config class named by ``name`` or ``LMS_CONFIG`` (default: development)."""
    name = name or os.environ.get("LMS_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"Unknown LMS_CONFIG {name!r}; use one of {', '.join(CONFIGS)}"
        ) from None

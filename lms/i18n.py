"""Choosing the language (English or Welsh) for each request."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

# British English for dates and numbers (Babel's plain "en" is American).
LOCALES = {"en": "en_GB", "cy": "cy"}


def select_locale() -> str:
    """The locale for this request: see :func:`select_language`."""
    return LOCALES[select_language()]


def select_language() -> str:
    """Signed-in: the account's language. Otherwise the switcher's choice, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # jobs and commands: English unless force_locale says
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    """The language code, en or cy, for the page's lang attribute and the language switcher."""
    locale = get_locale()
    return locale.language if locale is not None else "en"

"""Limits on failed attempts at signing in, entering a code and confirming identity.

Counts are kept in Redis when ``REDIS_URL`` is set (``RATELIMIT_STORAGE_URI``), so they
hold across every worker. Only failures count: each of these forms redirects when it
succeeds, and shows itself again (with the same error, whatever was wrong) when not.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from lms.extensions import limiter


def failed(response) -> bool:
    """A re-shown form (anything but a redirect) is a failed attempt."""
    return response.status_code != 302


def failures_limited(setting: str, scope: str, key_func: Callable[[], str] | None = None):
    """At most ``config[setting]`` failed POSTs per ``key_func`` (default: the address)."""
    options = {"key_func": key_func} if key_func is not None else {}
    return limiter.limit(
        lambda: current_app.config[setting],
        methods=["POST"],
        deduct_when=failed,
        scope=scope,
        **options,
    )

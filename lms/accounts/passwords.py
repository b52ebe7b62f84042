"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why ``password`` may not be used, in words for the person, or None if it is fine."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Your password must be at least %(n)d characters long", n=minimum)
    if len(password) > 256:
        return _("Your password must be 256 characters or fewer")
    lowered = password.lower()
    core = re.sub(r"^[\d\W_]+|[\d\W_]+$", "", lowered)
    common = _common_passwords()
    if lowered in common or (len(core) >= 3 and core in common and len(core) * 2 >= len(lowered)):
        return _("Your password is too common. Choose a password that is harder to guess")
    if len(set(lowered)) <= 3 or any(lowered in seq * 3 for seq in _SEQUENCES):
        return _("Your password is too easy to guess. Avoid repeated letters and sequences")
    if email and email.split("@")[0].lower() in lowered and len(email.split("@")[0]) >= 4:
        return _("Your password must not contain your email address")
    return None

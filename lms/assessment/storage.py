"""Files kept for the portfolio and awards (uploaded evidence, certificates): outside the web
root, in ``UPLOAD_FOLDER``, under random names that say nothing about who or what.
Nothing here is served directly: a view checks who is asking, then sends the file."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app

_NAME_CHARS = set("0123456789abcdef")


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "portfolio"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_name() -> str:
    """A random storage name: 32 hex characters (128 bits)."""
    return secrets.token_hex(16)


def path_for(name: str) -> Path:
    """Where a stored file lives. Refuses anything but a storage name, so a value from
    the database can never walk out of the folder."""
    if len(name) != 32 or not set(name) <= _NAME_CHARS:
        raise ValueError("not a storage name")
    return folder() / name


def save(data: bytes) -> str:
    """Write ``data`` under a new random name; returns the name. Written to a temporary
    file first, so a reader never sees half a file."""
    name = new_name()
    target = path_for(name)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, target)
    return name


def read(name: str) -> bytes:
    return path_for(name).read_bytes()


def exists(name: str | None) -> bool:
    return bool(name) and path_for(name).is_file()


def delete(name: str) -> None:
    path_for(name).unlink(missing_ok=True)

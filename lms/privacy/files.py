"""Stored files (evidence, certificates) an erasure removes: deleted only once the
erasure is committed, so a rolled-back erasure leaves every file its rows point to."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import db

_KEY = "privacy_files_to_delete"


def delete_after_commit(names: Iterable[str | None]) -> None:
    """Delete these stored files (``lms.assessment.storage`` names) after the commit."""
    db.session.info.setdefault(_KEY, []).extend(n for n in names if n)


@event.listens_for(Session, "after_commit")
def _delete_files(session: Session) -> None:
    names = session.info.pop(_KEY, None)
    if not names:
        return
    from lms.assessment import storage

    for name in names:
        storage.delete(name)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer transaction may commit
        return
    session.info.pop(_KEY, None)

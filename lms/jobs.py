"""The one way to run background work.

``enqueue("lms.notifications.tasks.deliver_email", message_id)`` puts the job on RQ when
``REDIS_URL`` is set, or runs it at once, inline, when it is not (the embedded default).

On RQ the job is only handed to Redis once the current database transaction commits,
so a worker never looks for a row that is not there yet, and a rolled-back request
enqueues nothing. Inline, the job runs inside a savepoint: if it fails, its own writes
are undone, the failure is recorded for admins, and the user's request still succeeds.

Jobs take ids, never ORM objects, and must be idempotent: RQ retries them.
"""

from __future__ import annotations

import importlib
import logging
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import JSON, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.db_types import UTCDateTime, utcnow
from lms.extensions import db

log = logging.getLogger(__name__)

PENDING_KEY = "lms_pending_jobs"
RETRY_INTERVALS = [10, 60, 300]


class JobFailure(db.Model):
    """A job that raised. Admins see these and can retry them."""

    __tablename__ = "job_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    func: Mapped[str] = mapped_column(String(200))
    args: Mapped[list[Any]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    retried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _resolve(func: str) -> Callable[..., Any]:
    module_name, _, attr = func.rpartition(".")
    if not module_name.startswith("lms."):
        raise ValueError(f"jobs must live in the lms package, not {func!r}")
    return getattr(importlib.import_module(module_name), attr)


def queue():
    """The RQ queue, or None when jobs run inline."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config["RQ_QUEUE"], connection=Redis.from_url(url))


def enqueue(func: str, *args: Any) -> None:
    """Run ``func(*args)`` in the background (RQ) or now (inline). ``args`` must be plain."""
    _resolve(func)  # fail now, in the caller, on a misspelt job name
    if current_app.config.get("REDIS_URL"):
        db.session.info.setdefault(PENDING_KEY, []).append((func, list(args)))
        return
    run_inline(func, list(args))


def run_inline(func: str, args: list[Any]) -> bool:
    """Run a job now inside a savepoint; on failure undo its writes and record it."""
    try:
        with db.session.begin_nested():
            _resolve(func)(*args)
        return True
    except Exception as exc:
        log.exception("inline job %s failed", func)
        _record_failure(func, args, exc)
        return False


def execute(func: str, args: list[Any]) -> Any:
    """What an RQ worker runs: the job in the worker's app context, committed once."""
    try:
        result = _resolve(func)(*args)
        db.session.commit()
        return result
    except Exception as exc:
        db.session.rollback()
        from rq import get_current_job

        job = get_current_job()
        if job is None or not job.retries_left:  # only the last attempt is a failure to show
            _record_failure(func, args, exc)
            db.session.commit()
        raise


def _record_failure(func: str, args: list[Any], exc: BaseException) -> None:
    detail = "".join(traceback.format_exception(exc))[-4000:]
    db.session.add(JobFailure(func=func, args=args, error=detail))


def retry_failure(failure: JobFailure) -> None:
    """Run a failed job again (through the normal path) and mark the failure retried."""
    failure.retried_at = utcnow()
    enqueue(failure.func, *failure.args)


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    from rq import Retry

    q = queue()
    if q is None:
        log.error("REDIS_URL was unset between enqueue and commit; %d jobs dropped", len(pending))
        return
    for func, args in pending:
        try:
            q.enqueue(
                "lms.jobs.execute",
                func,
                args,
                retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
                description=func,
            )
        except Exception:
            # The data is already committed; failing the request now would only hide that.
            # The health check reports the queue as down.
            log.exception("could not enqueue %s%r: Redis unavailable", func, args)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    # A savepoint rolling back does not undo the outer transaction's jobs.
    if session.in_nested_transaction():
        return
    session.info.pop(PENDING_KEY, None)


def make_worker():
    """An RQ worker on the configured queue (the ``flask worker`` command runs it).

    It runs jobs in its own process rather than forking a child per job: a forked child
    would share the parent's database connections. Each job gets a fresh session.
    """
    from redis import Redis
    from rq import SimpleWorker

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set: jobs run inline and need no worker")

    class AppWorker(SimpleWorker):
        def perform_job(self, *args, **kwargs):
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                db.session.remove()

    return AppWorker([current_app.config["RQ_QUEUE"]], connection=Redis.from_url(url))

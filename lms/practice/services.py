"""Observed practice: what the other practice service modules share (``PracticeError``
and the limits), the charter, anonymous feedback and facilitators' logs.

Beside it: ``allocation_data`` and ``allocation_runs`` (allocating trainees to sets),
``scheduling`` (booking sessions and reminding people) and ``running`` (a session's
register, presenters, actions, follow-through and stages).

Plain functions, tested without HTTP. Every function checks its input before it changes
anything, because the request commits whatever was changed even after a handled error.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms import audit
from lms.accounts.models import User
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice import queries
from lms.practice.models import (
    FeedbackReceipt,
    FeedbackResponse,
    PracticeAttendanceStatus,
    PracticeSession,
    SessionLog,
    SetMember,
)

TEXT_MAX = 2_000
FEEDBACK_THRESHOLD = 3  # responses before a facilitator sees anything
MIN_SESSIONS, MAX_SESSIONS = 4, 6


class PracticeError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Trainees: the charter and feedback ------------------------------------------------------


def acknowledge_charter(member: SetMember, by: User) -> None:
    if member.user_id != by.id:
        raise PracticeError(_("Only the member can acknowledge the charter"))
    if member.charter_acknowledged_at is None:
        member.charter_acknowledged_at = utcnow()
        audit.record("practice.charter_acknowledged", member.set, actor=by)


FEEDBACK_QUESTIONS = {
    "kept_to_time": _l("The facilitator kept the session to time"),
    "fair_say": _l("Everyone had a fair say"),
    "questions_helped": _l(
        "Questions helped me think for myself, rather than telling me what to do"
    ),
    "clear_action": _l("I left with a clear next step"),
}
AGREEMENT = {
    1: _l("Strongly disagree"),
    2: _l("Disagree"),
    3: _l("Neither agree nor disagree"),
    4: _l("Agree"),
    5: _l("Strongly agree"),
}


AWAY = (PracticeAttendanceStatus.APOLOGIES, PracticeAttendanceStatus.ABSENT)


def was_away(session: PracticeSession, user: User) -> bool:
    """Marked apologies or absent on the session's register (no entry yet is not away)."""
    return queries.register(session.id).get(user.id) in AWAY


def can_give_feedback(session: PracticeSession, user: User) -> bool:
    return (
        user.id in session.set.member_ids
        and session.starts_at <= utcnow()
        and not was_away(session, user)
        and not queries.gave_feedback(session.id, user.id)
    )


def give_feedback(
    session: PracticeSession, user: User, answers: dict[str, int], comment: str | None
) -> None:
    """Anonymous: the response carries no person; the receipt stops a second answer."""
    if user.id not in session.set.member_ids:
        raise PracticeError(_("Only the set's members give feedback on its sessions"))
    if session.starts_at > utcnow():
        raise PracticeError(_("You can give feedback once the session has taken place"))
    if was_away(session, user):
        raise PracticeError(_("You can give feedback only on sessions you were at"))
    if queries.gave_feedback(session.id, user.id):
        raise PracticeError(_("You have already given feedback on this session"))
    if set(answers) != set(FEEDBACK_QUESTIONS) or not all(1 <= v <= 5 for v in answers.values()):
        raise PracticeError(_("Answer every question"))
    if comment and len(comment) > TEXT_MAX:
        raise PracticeError(_("Your comment must be 2,000 characters or fewer"), "comment")
    db.session.add(FeedbackReceipt(session_id=session.id, user_id=user.id))
    db.session.add(
        FeedbackResponse(session_id=session.id, comment=(comment or "").strip() or None, **answers)
    )
    db.session.flush()


# --- Facilitators' logs ----------------------------------------------------------------------


def save_log(
    session: PracticeSession, author: User, went_well: str, do_differently: str
) -> SessionLog:
    if author.id not in session.set.facilitator_ids:
        raise PracticeError(_("Only the set's facilitators write its session logs"))
    if session.starts_at > utcnow():
        raise PracticeError(_("You can write the log once the session has taken place"))
    if not went_well.strip():
        raise PracticeError(_("Enter what went well"), "went_well")
    if not do_differently.strip():
        raise PracticeError(_("Enter what you would do differently"), "do_differently")
    if len(went_well) > TEXT_MAX or len(do_differently) > TEXT_MAX:
        raise PracticeError(_("Each answer must be 2,000 characters or fewer"))
    log = queries.session_log(session.id, author.id)
    if log is None:
        log = SessionLog(
            session_id=session.id, author_id=author.id, went_well="", do_differently=""
        )
        db.session.add(log)
    log.went_well = went_well.strip()
    log.do_differently = do_differently.strip()
    db.session.flush()
    return log

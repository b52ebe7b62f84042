"""Running a set's session: starting it and moving through its stages, the register,
presenters with their challenges and actions, report-back on earlier actions, closing
and reopening it, and the set's ledger of who has presented.

Plain functions, tested without HTTP. Every function checks its input before it changes
anything, because the request commits whatever was changed even after a handled error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import User
from lms.curriculum.services import LONDON
from lms.db_types import utcnow
from lms.extensions import db
from lms.practice import confidential, equity, queries
from lms.practice.models import (
    Action,
    FollowThrough,
    FollowThroughStatus,
    PracticeAttendance,
    PracticeAttendanceStatus,
    PracticeSession,
    PracticeSet,
    Presentation,
    Theme,
)
from lms.practice.services import TEXT_MAX, PracticeError

# --- Running a session -----------------------------------------------------------------------


def start_session(session: PracticeSession, by: User) -> None:
    if session.closed_at is not None:
        raise PracticeError(_("This session has ended"))
    if session.started_at is None:
        session.started_at = utcnow()
        session.stage = "check_in"
        session.stage_round = 0
        session.stage_started_at = session.started_at
        audit.record("practice.session_started", session, actor=by)


def stages(session: PracticeSession, presenters: int | None = None) -> list[equity.Stage]:
    """The session's stages: two presenters' worth, or more if more are presenting
    (``presenters`` if the caller has counted them already)."""
    if presenters is None:
        presenters = queries.presentation_count(session.id)
    return equity.plan_stages(session.minutes, max(presenters, 2))


def go_to_stage(session: PracticeSession, step: int, by: User) -> None:
    """Move the console to stage ``step`` (its index in :func:`stages`) and restart its clock."""
    if session.started_at is None or session.closed_at is not None:
        raise PracticeError(_("Start the session first"))
    plan = stages(session)
    if not 0 <= step < len(plan):
        raise PracticeError(_("There is no such stage"))
    session.stage = plan[step].key
    session.stage_round = plan[step].round
    session.stage_started_at = utcnow()


def close_session(session: PracticeSession, by: User) -> None:
    """End the session: everyone on the register, and every presenter with an action."""
    if session.closed_at is not None:
        return
    if session.started_at is None:
        raise PracticeError(_("Start the session first"))
    register = queries.register(session.id)
    missing = [m for m in session.set.members if m.user_id not in register]
    if missing:
        raise PracticeError(
            _("Complete the register: %(name)s has no entry", name=missing[0].user.name),
            "register",
        )
    for presentation in confidential.presentations(session.id):
        if not presentation.actions:
            raise PracticeError(
                _(
                    "Record at least one action for %(name)s, or remove them as a presenter",
                    name=presentation.presenter.name,
                ),
                "presenters",
            )
    session.closed_at = utcnow()
    session.stage = None
    audit.record("practice.session_closed", session, actor=by)


def reopen_session(session: PracticeSession, by: User) -> None:
    if session.closed_at is None:
        return
    session.closed_at = None
    session.stage = "check_out"
    session.stage_started_at = utcnow()
    audit.record("practice.session_reopened", session, actor=by)


def record_register(
    session: PracticeSession, statuses: dict[int, PracticeAttendanceStatus], by: User
) -> None:
    members = set(session.set.member_ids)
    if not set(statuses) <= members:
        raise PracticeError(_("Only the set's members can be on its register"))
    started = session.started_at is not None or session.starts_at <= utcnow()
    if not started and any(s != PracticeAttendanceStatus.APOLOGIES for s in statuses.values()):
        raise PracticeError(
            _("Before the session starts you can only record apologies"), "register"
        )
    existing = {a.user_id: a for a in session.attendance}
    for user_id, status in statuses.items():
        line = existing.get(user_id)
        if line is None:
            session.attendance.append(
                PracticeAttendance(user_id=user_id, status=status, recorded_by_id=by.id)
            )
        elif line.status != status:
            line.status = status
            line.recorded_by_id = by.id
    db.session.flush()


def add_presenter(session: PracticeSession, user_id: int, by: User) -> Presentation:
    _open(session)
    if user_id not in session.set.member_ids:
        raise PracticeError(_("Select a member of the set"), "presenter")
    current = confidential.presentations(session.id)
    if any(p.presenter_id == user_id for p in current):
        raise PracticeError(_("They are already presenting at this session"), "presenter")
    if queries.register(session.id).get(user_id) in (
        PracticeAttendanceStatus.APOLOGIES,
        PracticeAttendanceStatus.ABSENT,
    ):
        raise PracticeError(_("Someone who is not here cannot present"), "presenter")
    presentation = Presentation(
        session_id=session.id,
        set_id=session.set_id,
        presenter_id=user_id,
        position=len(current) + 1,
    )
    db.session.add(presentation)
    db.session.flush()
    return presentation


def remove_presenter(presentation: Presentation, by: User) -> None:
    _open(presentation.session)
    if queries.action_ids(presentation.id):
        raise PracticeError(_("Remove their actions first"), "presenters")
    db.session.delete(presentation)
    db.session.flush()


@dataclass
class ActionDraft:
    text: str = ""
    supports: str = ""
    risks: str = ""


def save_presentation(
    presentation: Presentation,
    theme: Theme | None,
    challenge: str | None,
    actions: Sequence[ActionDraft],
    by: User,
) -> None:
    """The presenter's challenge (confidential), its theme and their one or two actions.

    A blank action is removed, unless it has been reported back on already."""
    _open(presentation.session)
    drafts = list(actions)[:2]
    for n, draft in enumerate(drafts, start=1):
        for value in (draft.text, draft.supports, draft.risks):
            if len(value or "") > TEXT_MAX:
                raise PracticeError(
                    _("Action %(n)d must be 2,000 characters or fewer", n=n), f"action_{n}"
                )
        if not (draft.text or "").strip() and (
            (draft.supports or "").strip() or (draft.risks or "").strip()
        ):
            raise PracticeError(
                _("Enter action %(n)d, or clear its supports and risks", n=n), f"action_{n}_text"
            )
    if challenge and len(challenge) > TEXT_MAX:
        raise PracticeError(_("The challenge must be 2,000 characters or fewer"), "challenge")
    existing = {a.position: a for a in confidential.actions_of(presentation.id)}
    reported = queries.reported_action_ids([a.id for a in existing.values()])
    for n in range(1, 3):
        draft = drafts[n - 1] if n <= len(drafts) else ActionDraft()
        if not draft.text.strip() and n in existing and existing[n].id in reported:
            raise PracticeError(
                _("Action %(n)d has been reported back on, so it cannot be removed", n=n),
                f"action_{n}_text",
            )
    presentation.theme = theme
    presentation.challenge = (challenge or "").strip() or None
    for n in range(1, 3):
        draft = drafts[n - 1] if n <= len(drafts) else ActionDraft()
        action = existing.get(n)
        if draft.text.strip():
            if action is None:
                action = Action(
                    presentation_id=presentation.id,
                    set_id=presentation.set_id,
                    session_id=presentation.session_id,
                    owner_id=presentation.presenter_id,
                    position=n,
                    text="",
                )
                db.session.add(action)
            action.text = draft.text.strip()
            action.supports = draft.supports.strip() or None
            action.risks = draft.risks.strip() or None
        elif action is not None:
            db.session.delete(action)
    db.session.flush()


def _open(session: PracticeSession) -> None:
    if session.closed_at is not None:
        raise PracticeError(_("This session has ended. Reopen it to make changes"))


def record_follow_through(
    session: PracticeSession,
    entries: dict[int, tuple[FollowThroughStatus, str | None]],
    by: User,
) -> None:
    """Report-back on earlier actions at this session."""
    _open(session)
    open_ids = {item.action.id for item in confidential.report_back(session)}
    if not set(entries) <= open_ids:
        raise PracticeError(_("Those actions are not for report-back at this session"))
    for _status, note in entries.values():
        if note and len(note) > TEXT_MAX:
            raise PracticeError(_("A learning note must be 2,000 characters or fewer"))
    existing = {
        f.action_id: f
        for f in db.session.scalars(
            db.select(FollowThrough).where(FollowThrough.session_id == session.id)
        )
    }
    for action_id, (status, note) in entries.items():
        record = existing.get(action_id)
        note = (note or "").strip() or None
        if record is None:
            db.session.add(
                FollowThrough(
                    action_id=action_id,
                    session_id=session.id,
                    status=status,
                    learning_note=note,
                    recorded_by_id=by.id,
                )
            )
        elif (record.status, record.learning_note) != (status, note):
            record.status = status
            record.learning_note = note
            record.recorded_by_id = by.id
    db.session.flush()


def ledger(practice_set: PracticeSet) -> list[equity.LedgerEntry]:
    counts = queries.presentation_ledger(practice_set.id)
    return [
        equity.LedgerEntry(
            user_id=m.user_id,
            name=m.user.name,
            presentations=counts.get(m.user_id, (0, None))[0],
            last_presented=counts.get(m.user_id, (0, None))[1],
        )
        for m in practice_set.members
    ]


def local_start(session: PracticeSession) -> datetime:
    return session.starts_at.astimezone(LONDON)

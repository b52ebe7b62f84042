"""Every kind of portfolio evidence, one small class each (see :mod:`lms.assessment.evidence`).

A source selects only titles, dates and counts: never the text of a reflection, a case,
a check-in's notes, a session log or a feedback comment. The holder follows the link to
read their own words.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from lms.assessment import outcomes as lo
from lms.assessment.evidence import Row, Source, json_list, row
from lms.assessment.models import EvidenceUpload
from lms.buddy.models import BuddyMember, CheckIn
from lms.curriculum.models import (
    AttendanceStatus,
    Module,
    ModuleCompletion,
    ModuleVersion,
    Reflection,
    WorkshopAttendance,
    WorkshopDay,
)
from lms.practice.models import (
    FeedbackResponse,
    PracticeSession,
    PracticeSet,
    SessionLog,
    SetFacilitator,
    SetStatus,
)
from lms.practice.services import FEEDBACK_THRESHOLD
from lms.supervision.models import (
    Observation,
    ObservationKind,
    Outcome,
    SupervisionAttendance,
    SupervisionCase,
    SupervisionGroup,
    SupervisionSession,
)


def _current_version():
    return sa.and_(ModuleVersion.module_id == Module.id, ModuleVersion.number == Module.version)


class Modules(Source):
    key = "modules"
    label = _l("Modules completed")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=ModuleCompletion.id,
                    user_id=ModuleCompletion.user_id,
                    title=ModuleVersion.title,
                    label=Module.slug,
                    at=ModuleCompletion.completed_at,
                    extra=ModuleCompletion.module_id,
                    number=sa.case((ModuleVersion.is_core, 1), else_=0),
                )
            )
            .join(Module, Module.id == ModuleCompletion.module_id)
            .join(ModuleVersion, _current_version())
            .where(ModuleCompletion.user_id.in_(user_ids), Module.retired_at.is_(None))
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            outcomes=lo.module_outcomes(r.label),
            link=("curriculum.show_module", {"slug": r.label}),
            module_id=r.extra,
            core=bool(r.number),
        )


class Reflections(Source):
    key = "reflections"
    label = _l("Reflections on modules")
    outcomes = ("reflect",)

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=Reflection.id,
                    user_id=Reflection.user_id,
                    title=Reflection.title,
                    label=Module.slug,
                    detail=ModuleVersion.title,
                    at=Reflection.updated_at,
                )
            )
            .join(Module, Module.id == Reflection.module_id)
            .join(ModuleVersion, _current_version())
            .where(Reflection.user_id.in_(user_ids))
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            outcomes=("reflect", *lo.module_outcomes(r.label)),
            link=("curriculum.list_reflections", {}),
            module=r.detail,
        )


class Workshops(Source):
    key = "workshops"
    label = _l("Workshop days attended")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=WorkshopAttendance.id,
                    user_id=WorkshopAttendance.user_id,
                    title=ModuleVersion.title,
                    label=Module.slug,
                    at=WorkshopDay.starts_at,
                    until=WorkshopDay.ends_at,
                    extra=WorkshopDay.id,
                )
            )
            .join(WorkshopDay, WorkshopDay.id == WorkshopAttendance.workshop_id)
            .join(Module, Module.id == WorkshopDay.module_id)
            .join(ModuleVersion, _current_version())
            .where(
                WorkshopAttendance.user_id.in_(user_ids),
                WorkshopAttendance.status == AttendanceStatus.PRESENT,
                WorkshopDay.cancelled_at.is_(None),
            )
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            outcomes=lo.module_outcomes(r.label),
            link=("curriculum.show_workshop", {"workshop_id": r.extra}),
            minutes=_minutes(r),
        )


class Supervision(Source):
    key = "supervision"
    label = _l("Supervision sessions attended")
    outcomes = ("reflect",)

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=SupervisionAttendance.id,
                    user_id=SupervisionAttendance.user_id,
                    title=SupervisionGroup.name,
                    at=SupervisionSession.starts_at,
                    until=SupervisionSession.ends_at,
                    extra=SupervisionSession.id,
                )
            )
            .join(SupervisionSession, SupervisionSession.id == SupervisionAttendance.session_id)
            .join(SupervisionGroup, SupervisionGroup.id == SupervisionSession.group_id)
            .where(
                SupervisionAttendance.user_id.in_(user_ids),
                SupervisionAttendance.status == AttendanceStatus.PRESENT,
                SupervisionSession.cancelled_at.is_(None),
            )
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("supervision.show_session", {"session_id": r.extra}),
            minutes=_minutes(r),
        )


class Cases(Source):
    key = "cases"
    label = _l("Cases brought to supervision")
    outcomes = ("reflect",)

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=SupervisionCase.id,
                    user_id=SupervisionCase.user_id,
                    title=SupervisionGroup.name,
                    at=SupervisionCase.created_at,
                    number=sa.case((SupervisionCase.responded_at.is_not(None), 1), else_=0),
                )
            )
            .join(SupervisionGroup, SupervisionGroup.id == SupervisionCase.group_id)
            .where(SupervisionCase.user_id.in_(user_ids))
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("supervision.show_case", {"case_id": r.ref}),
            responded=bool(r.number),
        )


class CheckIns(Source):
    key = "check_ins"
    label = _l("Buddy check-ins")
    outcomes = ("reflect",)

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=CheckIn.id,
                    user_id=BuddyMember.user_id,
                    on=CheckIn.met_on,
                    number=CheckIn.minutes,
                )
            )
            .join(BuddyMember, BuddyMember.group_id == CheckIn.group_id)
            .where(BuddyMember.user_id.in_(user_ids))
        )

    def item(self, r: Row):
        return self.make(
            r, str(_l("Buddy check-in")), r.on, link=("buddy.overview", {}), minutes=r.number
        )


class Sets(Source):
    key = "sets"
    label = _l("Action learning sets facilitated")
    outcomes = ("contract", "process")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        held = (
            sa.select(sa.func.count(PracticeSession.id))
            .where(PracticeSession.set_id == PracticeSet.id, PracticeSession.closed_at.is_not(None))
            .correlate(PracticeSet)
            .scalar_subquery()
        )
        return (
            sa.select(
                *row(
                    self.key,
                    ref=PracticeSet.id,
                    user_id=SetFacilitator.user_id,
                    title=PracticeSet.name,
                    at=PracticeSet.confirmed_at,
                    number=held,
                )
            )
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .where(
                SetFacilitator.user_id.in_(user_ids),
                PracticeSet.status == SetStatus.CONFIRMED,
            )
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.show_set", {"set_id": r.ref}),
            held=r.number or 0,
        )


class SessionsHeld(Source):
    key = "sessions_held"
    label = _l("Set sessions facilitated")
    outcomes = ("process", "inquiry", "actions")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=PracticeSession.id,
                    user_id=SetFacilitator.user_id,
                    title=PracticeSet.name,
                    at=PracticeSession.starts_at,
                    until=PracticeSession.ends_at,
                    number=PracticeSession.number,
                    extra=PracticeSet.id,
                )
            )
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .join(PracticeSession, PracticeSession.set_id == PracticeSet.id)
            .where(
                SetFacilitator.user_id.in_(user_ids),
                PracticeSet.status == SetStatus.CONFIRMED,
                PracticeSession.closed_at.is_not(None),
            )
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.show_session", {"session_id": r.ref}),
            set_id=r.extra,
            number=r.number,
            minutes=_minutes(r),
        )


class SessionLogs(Source):
    key = "session_logs"
    label = _l("Session logs")
    outcomes = ("reflect",)

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=SessionLog.id,
                    user_id=SessionLog.author_id,
                    title=PracticeSet.name,
                    at=SessionLog.updated_at,
                    number=PracticeSession.number,
                    extra=PracticeSession.id,
                )
            )
            .join(PracticeSession, PracticeSession.id == SessionLog.session_id)
            .join(PracticeSet, PracticeSet.id == PracticeSession.set_id)
            .where(SessionLog.author_id.in_(user_ids))
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.session_log", {"session_id": r.extra}),
            number=r.number,
        )


def _latest_recorded(kind: ObservationKind) -> sa.Select:
    """Recorded observations of this kind that no recorded correction replaces."""
    later = aliased(Observation)
    return sa.and_(
        Observation.kind == kind,
        Observation.recorded_at.is_not(None),
        ~sa.exists().where(later.corrects_id == Observation.id, later.recorded_at.is_not(None)),
    )


class _Observations(Source):
    kind: ObservationKind
    shared_links = True

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return (
            sa.select(
                *row(
                    self.key,
                    ref=Observation.id,
                    user_id=Observation.facilitator_id,
                    title=PracticeSet.name,
                    label=Observation.outcome,
                    at=Observation.recorded_at,
                    number=PracticeSession.number,
                )
            )
            .join(PracticeSession, PracticeSession.id == Observation.session_id)
            .join(PracticeSet, PracticeSet.id == PracticeSession.set_id)
            .where(Observation.facilitator_id.in_(user_ids), _latest_recorded(self.kind))
        )

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            link=("supervision.show_observation", {"observation_id": r.ref}),
            number=r.number,
            signed_off=r.label == Outcome.SIGNED_OFF.value,
            outcome=r.label,
        )


class Observations(_Observations):
    key = "observations"
    label = _l("Observed by a supervisor")
    outcomes = ("contract", "process", "inquiry", "dynamics", "actions")
    kind = ObservationKind.SUPERVISOR


class BuddyObservations(_Observations):
    key = "buddy_observations"
    label = _l("Observed by a buddy")
    outcomes = ("process", "inquiry", "dynamics")
    kind = ObservationKind.BUDDY


class Feedback(Source):
    """Trainees' anonymous feedback on a set, only once enough have answered; the
    ``extra`` column is how many of the answers agreed (4 or 5), over all four
    statements."""

    key = "feedback"
    label = _l("Feedback from trainees")
    outcomes = ("dynamics", "reflect")

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        statements = (
            FeedbackResponse.kept_to_time,
            FeedbackResponse.fair_say,
            FeedbackResponse.questions_helped,
            FeedbackResponse.clear_action,
        )
        agreed = sum(sa.case((column >= 4, 1), else_=0) for column in statements)
        return (
            sa.select(
                *row(
                    self.key,
                    ref=PracticeSet.id,
                    user_id=SetFacilitator.user_id,
                    title=PracticeSet.name,
                    at=sa.func.max(PracticeSession.starts_at),
                    number=sa.func.count(FeedbackResponse.id),
                    extra=sa.func.sum(agreed),
                )
            )
            .join(PracticeSet, PracticeSet.id == SetFacilitator.set_id)
            .join(PracticeSession, PracticeSession.set_id == PracticeSet.id)
            .join(FeedbackResponse, FeedbackResponse.session_id == PracticeSession.id)
            .where(SetFacilitator.user_id.in_(user_ids))
            .group_by(PracticeSet.id, PracticeSet.name, SetFacilitator.user_id)
            .having(sa.func.count(FeedbackResponse.id) >= FEEDBACK_THRESHOLD)
        )

    def item(self, r: Row):
        responses = r.number or 0
        agree = round(100 * (r.extra or 0) / (4 * responses)) if responses else 0
        return self.make(
            r,
            r.title,
            r.at,
            link=("practice.show_set", {"set_id": r.ref}),
            responses=responses,
            agree=agree,
        )


class Uploads(Source):
    key = "uploads"
    label = _l("Evidence you uploaded")
    shared_links = True

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return sa.select(
            *row(
                self.key,
                ref=EvidenceUpload.id,
                user_id=EvidenceUpload.owner_id,
                title=EvidenceUpload.description,
                label=EvidenceUpload.filename,
                detail=sa.cast(EvidenceUpload.outcomes, sa.Text),
                at=EvidenceUpload.created_at,
                number=EvidenceUpload.size,
            )
        ).where(EvidenceUpload.owner_id.in_(user_ids))

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            outcomes=lo.known(json_list(r.detail)),
            link=("assessment.download_upload", {"upload_id": r.ref}),
            filename=r.label,
            size=r.number,
        )


def _minutes(r: Row) -> int | None:
    if r.at is None or r.until is None:
        return None
    return int((r.until - r.at).total_seconds() // 60)


# The registry, in the order a portfolio lists them.
SOURCES: tuple[Source, ...] = (
    Modules(),
    Reflections(),
    Workshops(),
    Supervision(),
    Cases(),
    CheckIns(),
    Sets(),
    SessionsHeld(),
    SessionLogs(),
    Observations(),
    BuddyObservations(),
    Feedback(),
    Uploads(),
)

"""Portfolio evidence from training and support: modules, reflections, workshop days,
supervision sessions and cases, and buddy check-ins (see :mod:`lms.assessment.evidence`).

Only titles, dates and counts are selected: never a reflection's answer, a case's account
or a check-in's notes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.assessment import outcomes as lo
from lms.assessment.evidence import Row, Source, minutes, row
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
from lms.supervision.models import (
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
            minutes=minutes(r),
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
            minutes=minutes(r),
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

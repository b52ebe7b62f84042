"""A lead sets an intake's award criteria and renewal period (SPEC section 8).

The criteria themselves, their defaults and how they are checked are in
:mod:`lms.assessment.criteria`; this module only validates and stores a lead's choice.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.assessment import criteria, portfolio
from lms.assessment.criteria import RequirementKind
from lms.assessment.models import AwardScheme
from lms.extensions import db

MAX_RENEWAL_MONTHS = 120  # the form's message says "120": change them together


class SchemeError(Exception):
    """A refusal, with a translated ``message`` and the form ``field`` it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def threshold_field(kind: RequirementKind) -> str:
    return f"{kind.value}_threshold"


def required_field(kind: RequirementKind) -> str:
    return f"{kind.value}_required"


SESSIONS_PER_SET_FIELD = "sessions_per_set"


def _check(requirements: tuple[criteria.Requirement, ...], renewal_months: int | None) -> None:
    if {r.kind for r in requirements} != set(RequirementKind) or len(requirements) != len(
        RequirementKind
    ):
        raise SchemeError(_("Give every criterion once"))
    for r in requirements:
        if not 0 <= r.threshold <= criteria.MAX_THRESHOLD:
            raise SchemeError(
                _("Enter a number from 0 to %(max)d", max=criteria.MAX_THRESHOLD),
                threshold_field(r.kind),
            )
        if r.kind is RequirementKind.SETS_FACILITATED and not (
            1 <= r.sessions_per_set <= criteria.MAX_SESSIONS_PER_SET
        ):
            raise SchemeError(
                _(
                    "Enter a number of sessions from 1 to %(max)d",
                    max=criteria.MAX_SESSIONS_PER_SET,
                ),
                SESSIONS_PER_SET_FIELD,
            )
    if not any(r.required for r in requirements):
        # With nothing required, everyone in the intake would be ready on their first day.
        raise SchemeError(
            _("Choose at least one criterion the award requires"),
            required_field(RequirementKind.CORE_MODULES),
        )
    if renewal_months is not None and not 1 <= renewal_months <= MAX_RENEWAL_MONTHS:
        raise SchemeError(
            _("Enter a renewal period from 1 to 120 months, or leave it blank"), "renewal_months"
        )


def save_scheme(
    intake: Intake,
    requirements: Iterable[criteria.Requirement],
    renewal_months: int | None,
    by: User,
) -> AwardScheme:
    """Store the intake's criteria (in the programme's order) and renewal period. Awards
    already issued keep the renewal date they were given; submissions keep the criteria
    they were checked against."""
    if not by.has_role(Role.LEAD):
        raise SchemeError(_("Only programme leads can set the award criteria"))
    by_kind = {r.kind: r for r in requirements}
    ordered = tuple(by_kind[d.kind] for d in criteria.DEFAULTS if d.kind in by_kind)
    if len(ordered) != len(by_kind):
        raise SchemeError(_("Give every criterion once"))
    _check(ordered, renewal_months)
    scheme = portfolio.scheme(intake.id)
    if scheme is None:
        scheme = AwardScheme(intake_id=intake.id)
        db.session.add(scheme)
    scheme.requirements = criteria.requirements_json(ordered)
    scheme.renewal_months = renewal_months
    scheme.updated_by_id = by.id
    db.session.flush()
    audit.record(
        "award_scheme.updated",
        scheme,
        actor=by,
        intake_id=intake.id,
        required=[r.kind.value for r in ordered if r.required],
        thresholds=[r.threshold for r in ordered],
        renewal_months=renewal_months,
    )
    return scheme

"""Reviewing applications: assigning reviewers and scoring against the rubric.

Rules: a reviewer never reviews someone from their own organisation (or themselves);
a reviewer cannot see another reviewer's scores until their own are submitted; leads
see every score, the spread and a flag where reviewers are 2 or more apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import Role, User, UserRole
from lms.applications.models import (
    CRITERION_KEYS,
    DISAGREEMENT,
    SCORE_MAX,
    SCORE_MIN,
    Application,
    ApplicationStatus,
    ReviewAssignment,
)
from lms.applications.services import ApplicationError
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import notify, path_for

REVIEWABLE = {ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED}


def same_organisation(reviewer: User, application: Application) -> bool:
    """True when the reviewer works where the applicant works (by account or application)."""
    if reviewer.organisation_id is None:
        return False
    return reviewer.organisation_id in {
        application.organisation_id,
        application.applicant.organisation_id,
    }


def eligible_reviewers(application: Application) -> list[tuple[User, int]]:
    """Active reviewers who may review ``application``, least busy first, with their load."""
    open_load = (
        db.select(db.func.count(ReviewAssignment.id))
        .where(
            ReviewAssignment.reviewer_id == User.id,
            ReviewAssignment.submitted_at.is_(None),
        )
        .correlate(User)
        .scalar_subquery()
    )
    assigned = {review.reviewer_id for review in application.reviews}
    rows = db.session.execute(
        db.select(User, open_load)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.REVIEWER, User.is_active.is_(True))
        .order_by(open_load, User.name)
    ).all()
    return [
        (user, load)
        for user, load in rows
        if user.id != application.applicant_id
        and user.id not in assigned
        and not same_organisation(user, application)
    ]


def assign_reviewer(application: Application, reviewer: User, by: User) -> ReviewAssignment:
    if application.status not in REVIEWABLE:
        raise ApplicationError(_("Only submitted or shortlisted applications can be reviewed"))
    if not reviewer.has_role(Role.REVIEWER) or not reviewer.is_active:
        raise ApplicationError(_("%(name)s is not a reviewer", name=reviewer.name), "reviewer")
    if reviewer.id == application.applicant_id:
        raise ApplicationError(_("Nobody can review their own application"), "reviewer")
    if same_organisation(reviewer, application):
        raise ApplicationError(
            _(
                "%(name)s works in the applicant's organisation, so cannot review this application",
                name=reviewer.name,
            ),
            "reviewer",
        )
    if any(review.reviewer_id == reviewer.id for review in application.reviews):
        raise ApplicationError(
            _("%(name)s is already reviewing this application", name=reviewer.name), "reviewer"
        )
    assignment = ReviewAssignment(reviewer=reviewer, assigned_by_id=by.id)
    application.reviews.append(assignment)
    db.session.flush()
    audit.record("review.assigned", application, actor=by, reviewer_id=reviewer.id)
    with force_locale(reviewer.language):
        notify(
            reviewer,
            _(
                "You have been asked to review an application to %(intake)s",
                intake=application.intake.name,
            ),
            path_for("applications.score_application", assignment_id=assignment.id),
        )
    return assignment


def assign_default_reviewers(application: Application, by: User) -> list[ReviewAssignment]:
    """Fill the application up to the configured number of reviewers, least busy first."""
    wanted = current_app.config["REVIEWERS_PER_APPLICATION"] - len(application.reviews)
    candidates = eligible_reviewers(application)[: max(wanted, 0)]
    if wanted > 0 and not candidates:
        raise ApplicationError(_("There are no more reviewers who can review this application"))
    return [assign_reviewer(application, reviewer, by) for reviewer, _load in candidates]


def unassign_reviewer(assignment: ReviewAssignment, by: User) -> None:
    if assignment.is_submitted:
        raise ApplicationError(_("A reviewer who has submitted scores cannot be removed"))
    application = assignment.application
    application.reviews.remove(assignment)
    db.session.delete(assignment)
    db.session.flush()
    audit.record("review.unassigned", application, actor=by, reviewer_id=assignment.reviewer_id)


def submit_review(
    assignment: ReviewAssignment, scores: dict[str, int], comment: str | None, by: User
) -> ReviewAssignment:
    """Record the reviewer's scores (each 1 to 4) and comment. Scores are final once in."""
    if by.id != assignment.reviewer_id:
        raise ApplicationError(_("Only the assigned reviewer can score this application"))
    if assignment.is_submitted:
        raise ApplicationError(_("You have already submitted your scores for this application"))
    if assignment.application.status not in REVIEWABLE:
        raise ApplicationError(_("This application is no longer being reviewed"))
    for key in CRITERION_KEYS:
        value = scores.get(key)
        if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            raise ApplicationError(_("Select a score from 1 to 4"), key)
        setattr(assignment, key, value)
    assignment.comment = (comment or "").strip() or None
    assignment.submitted_at = utcnow()
    db.session.flush()
    audit.record("review.submitted", assignment.application, actor=by, total=assignment.total)
    return assignment


def can_see_others(assignment: ReviewAssignment) -> bool:
    """Blinding: a reviewer sees other reviewers' scores only once their own are in."""
    return assignment.is_submitted


def other_reviews(assignment: ReviewAssignment) -> tuple[list[ReviewAssignment], int]:
    """The other reviewers' submitted reviews this reviewer may see (none until their own
    are in), and how many other reviewers have still to score."""
    others = [r for r in assignment.application.reviews if r.id != assignment.id]
    visible = [r for r in others if r.is_submitted] if can_see_others(assignment) else []
    return visible, sum(1 for r in others if not r.is_submitted)


@dataclass(frozen=True)
class ScoreSummary:
    """Submitted scores for one application, side by side (a pure summary)."""

    count: int
    totals: tuple[int, ...]
    mean_total: float | None
    spread: int | None  # highest total minus lowest
    criterion_spread: dict[str, int]
    disagreement: bool  # any criterion 2 or more apart


def summarise(score_sets: list[dict[str, int]]) -> ScoreSummary:
    """Summarise submitted score sets, each ``{criterion: score}``."""
    totals = tuple(sum(scores[key] for key in CRITERION_KEYS) for scores in score_sets)
    criterion_spread = (
        {
            key: max(s[key] for s in score_sets) - min(s[key] for s in score_sets)
            for key in CRITERION_KEYS
        }
        if len(score_sets) > 1
        else {}
    )
    return ScoreSummary(
        count=len(score_sets),
        totals=totals,
        mean_total=sum(totals) / len(totals) if totals else None,
        spread=max(totals) - min(totals) if len(totals) > 1 else None,
        criterion_spread=criterion_spread,
        disagreement=any(gap >= DISAGREEMENT for gap in criterion_spread.values()),
    )


def summary_for(application: Application) -> ScoreSummary:
    return summarise([r.scores for r in application.reviews if r.is_submitted])

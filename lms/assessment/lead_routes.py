"""Leads' award pages: each intake's award pipeline and criteria, portfolios waiting for
review, reviewing one and returning it. Issuing, revoking and renewing awards are in
:mod:`lms.assessment.award_routes`. Rules live in :mod:`lms.assessment.submission` and
:mod:`lms.assessment.schemes`; every page costs a fixed number of queries, however many
people or items."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from lms.access import role_required
from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.applications.queries import facilitator_counts, intakes_newest_first
from lms.assessment import bp, criteria, portfolio, schemes, submission
from lms.assessment import outcomes as lo
from lms.assessment.criteria import REQUIREMENT_LABELS
from lms.assessment.forms import HAS_THRESHOLD, ReturnForm, SchemeForm
from lms.assessment.models import Award, PortfolioSubmission, SubmissionStatus
from lms.assessment.routes import SHARED_SOURCES, SOURCE_LABELS, groups
from lms.curriculum.queries import intake_facilitators
from lms.db_types import LabelledEnum, set_labels
from lms.extensions import db
from lms.forms import EmptyForm, add_error


class Stage(LabelledEnum):
    """Where a facilitator is on the way to the award, for the pipeline."""

    IN_PROGRESS = "in_progress"
    READY = "ready"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    AWARDED = "awarded"
    REVOKED = "revoked"


STAGE_LABELS = set_labels(
    Stage,
    {
        Stage.IN_PROGRESS: _l("In progress"),
        Stage.READY: _l("Ready to submit"),
        Stage.SUBMITTED: _l("Submitted"),
        Stage.RETURNED: _l("Returned"),
        Stage.AWARDED: _l("Awarded"),
        Stage.REVOKED: _l("Revoked"),
    },
)


def stage_of(ready: bool, latest: PortfolioSubmission | None, award: Award | None) -> Stage:
    """A person's stage from their readiness, latest submission and award. Pure."""
    if award is not None:
        return Stage.REVOKED if award.revoked_at is not None else Stage.AWARDED
    if latest is not None and latest.status is SubmissionStatus.SUBMITTED:
        return Stage.SUBMITTED
    if latest is not None and latest.status is SubmissionStatus.RETURNED:
        return Stage.RETURNED
    return Stage.READY if ready else Stage.IN_PROGRESS


@dataclass(frozen=True)
class PipelineLine:
    person: User
    stage: Stage
    met: int
    total: int
    link: str


def _intake(intake_id: int) -> Intake:
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        abort(404)
    return intake


@bp.route("/lead/awards")
@role_required(Role.LEAD)
def lead_intakes():
    submitted = dict(
        db.session.execute(
            db.select(PortfolioSubmission.intake_id, db.func.count())
            .where(PortfolioSubmission.status == SubmissionStatus.SUBMITTED)
            .group_by(PortfolioSubmission.intake_id)
        ).all()
    )
    awarded = dict(
        db.session.execute(
            db.select(Award.intake_id, db.func.count())
            .where(Award.revoked_at.is_(None))
            .group_by(Award.intake_id)
        ).all()
    )
    return render_template(
        "assessment/lead_intakes.html",
        intakes=intakes_newest_first(),
        facilitators=facilitator_counts(),
        submitted=submitted,
        awarded=awarded,
    )


@bp.route("/lead/awards/<int:intake_id>")
@role_required(Role.LEAD)
def lead_pipeline(intake_id: int):
    intake = _intake(intake_id)
    people = intake_facilitators(intake.id)
    ids = [p.id for p in people]
    states = portfolio.readiness_of_many(ids, intake)
    latest: dict[int, PortfolioSubmission] = {}
    for found in db.session.scalars(
        db.select(PortfolioSubmission)
        .where(PortfolioSubmission.intake_id == intake.id, PortfolioSubmission.user_id.in_(ids))
        .order_by(PortfolioSubmission.submitted_at, PortfolioSubmission.id)
    ):
        latest[found.user_id] = found  # the last one wins
    awards = {
        a.user_id: a
        for a in db.session.scalars(
            db.select(Award).where(Award.intake_id == intake.id, Award.user_id.in_(ids))
        )
    }
    lines = []
    for person in people:
        state = states[person.id]
        stage = stage_of(state.ready, latest.get(person.id), awards.get(person.id))
        if person.id in awards:
            link = url_for("assessment.lead_award", award_id=awards[person.id].id)
        elif stage is Stage.SUBMITTED:
            link = url_for("assessment.review_submission", submission_id=latest[person.id].id)
        else:
            link = url_for("assessment.person_portfolio", user_id=person.id)
        lines.append(PipelineLine(person, stage, state.met_count, len(state.results), link))
    requirements = [r for r in portfolio.requirements_for(intake.id) if r.required]
    meeting = {
        r.kind: sum(
            1 for s in states.values() for res in s.results if res.kind is r.kind and res.met
        )
        for r in requirements
    }
    return render_template(
        "assessment/lead_pipeline.html",
        intake=intake,
        lines=lines,
        requirements=requirements,
        meeting=meeting,
        labels=REQUIREMENT_LABELS,
        stages=[(stage, sum(1 for line in lines if line.stage is stage)) for stage in Stage],
    )


@bp.route("/lead/awards/<int:intake_id>/criteria", methods=["GET", "POST"])
@role_required(Role.LEAD)
def lead_scheme(intake_id: int):
    intake = _intake(intake_id)
    found = portfolio.scheme(intake.id)
    current = criteria.requirements_from(found.requirements if found else None)
    if request.method == "GET":
        form = SchemeForm(
            data=SchemeForm.data_for(current, found.renewal_months if found else None)
        )
    else:
        form = SchemeForm()
    status = 200
    if form.validate_on_submit():
        try:
            schemes.save_scheme(intake, form.requirements(), form.renewal_months.data, current_user)
        except schemes.SchemeError as exc:
            add_error(form, exc.field if exc.field in form else None, exc.message)
        else:
            flash(
                _("The award criteria for %(intake)s have been saved", intake=intake.name),
                "success",
            )
            return redirect(url_for("assessment.lead_pipeline", intake_id=intake.id))
    if request.method == "POST":
        status = 400
    return (
        render_template(
            "assessment/lead_scheme.html",
            intake=intake,
            form=form,
            kinds=[d.kind for d in criteria.DEFAULTS],
            labels=REQUIREMENT_LABELS,
            threshold_field=schemes.threshold_field,
            required_field=schemes.required_field,
            has_threshold=HAS_THRESHOLD,
            sessions_per_set=schemes.SESSIONS_PER_SET_FIELD,
        ),
        status,
    )


# --- Submissions ---------------------------------------------------------------------------


def _submission(submission_id: int) -> PortfolioSubmission:
    found = db.session.scalar(
        db.select(PortfolioSubmission)
        .where(PortfolioSubmission.id == submission_id)
        .options(
            # Their roles are not needed here: skip User's eager (selectin) load of them.
            joinedload(PortfolioSubmission.user).lazyload(User.role_grants),
            joinedload(PortfolioSubmission.intake),
            joinedload(PortfolioSubmission.reviewed_by).lazyload(User.role_grants),
        )
    )
    if found is None:
        abort(404)
    return found


@bp.route("/lead/portfolios")
@role_required(Role.LEAD)
def lead_submissions():
    waiting = db.session.scalars(
        db.select(PortfolioSubmission)
        .where(PortfolioSubmission.status == SubmissionStatus.SUBMITTED)
        .options(
            joinedload(PortfolioSubmission.user).lazyload(User.role_grants),
            joinedload(PortfolioSubmission.intake),
        )
        .order_by(PortfolioSubmission.submitted_at.desc(), PortfolioSubmission.id.desc())
    ).all()
    return render_template("assessment/lead_submissions.html", waiting=waiting)


def _review_page(found: PortfolioSubmission, form: ReturnForm, status: int = 200):
    items = submission.snapshot_items(found)
    showcased = submission.snapshot_showcased(found)
    earlier = db.session.scalars(
        db.select(PortfolioSubmission)
        .where(PortfolioSubmission.user_id == found.user_id, PortfolioSubmission.id != found.id)
        .options(joinedload(PortfolioSubmission.intake))
        .order_by(PortfolioSubmission.submitted_at.desc(), PortfolioSubmission.id.desc())
    ).all()
    award = None
    if found.status is SubmissionStatus.AWARDED:
        award = db.session.scalar(db.select(Award).where(Award.submission_id == found.id))
    return (
        render_template(
            "assessment/lead_review.html",
            submission=found,
            results=submission.snapshot_results(found),
            requirement_labels=REQUIREMENT_LABELS,
            picked=[i for i in items if i.key in showcased],
            groups=groups(items, "outcome"),
            item_count=len(items),
            labels=SOURCE_LABELS,
            outcomes=lo.BY_CODE,
            shared=SHARED_SOURCES,
            earlier=earlier,
            award=award,
            form=form,
            issue_form=EmptyForm(),
            waiting=found.status is SubmissionStatus.SUBMITTED,
        ),
        status,
    )


@bp.route("/lead/portfolios/<int:submission_id>")
@role_required(Role.LEAD)
def review_submission(submission_id: int):
    return _review_page(_submission(submission_id), ReturnForm(formdata=None))


@bp.route("/lead/portfolios/<int:submission_id>/return", methods=["POST"])
@role_required(Role.LEAD)
def return_submission(submission_id: int):
    found = _submission(submission_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            submission.return_submission(found, current_user, form.comments.data)
        except submission.SubmissionError as exc:
            add_error(form, exc.field if exc.field in form else None, exc.message)
        else:
            flash(
                _(
                    "The portfolio has been returned to %(name)s with your comments",
                    name=found.user.name,
                ),
                "success",
            )
            return redirect(url_for("assessment.review_submission", submission_id=found.id))
    return _review_page(found, form, 400)

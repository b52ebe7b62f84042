"""Leads' award pages: each intake's award pipeline and criteria, portfolios waiting for
review, reviewing one and returning it. Issuing, revoking and renewing awards are in
:mod:`lms.assessment.award_routes`. Rules live in :mod:`lms.assessment.submission` and
:mod:`lms.assessment.schemes`; every page costs a fixed number of queries, however many
people or items."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from lms.access import role_required
from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.applications.queries import facilitator_counts, intakes_newest_first
from lms.assessment import bp, criteria, pipeline, portfolio, schemes, submission
from lms.assessment import outcomes as lo
from lms.assessment.criteria import REQUIREMENT_LABELS
from lms.assessment.forms import HAS_THRESHOLD, ReturnForm, SchemeForm
from lms.assessment.models import Award, PortfolioSubmission, SubmissionStatus
from lms.assessment.pipeline import Stage
from lms.assessment.routes import SHARED_SOURCES, SOURCE_LABELS, groups
from lms.extensions import db
from lms.forms import EmptyForm, add_error


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
    submitted, awarded = pipeline.intake_counts()
    return render_template(
        "assessment/lead_intakes.html",
        intakes=intakes_newest_first(),
        facilitators=facilitator_counts(),
        submitted=submitted,
        awarded=awarded,
    )


def _link(person: pipeline.Person) -> str:
    """Where a lead goes from a person's line: their award, the submission to review, or
    their portfolio."""
    if person.award is not None:
        return url_for("assessment.lead_award", award_id=person.award.id)
    if person.stage is Stage.SUBMITTED:
        return url_for("assessment.review_submission", submission_id=person.latest.id)
    return url_for("assessment.person_portfolio", user_id=person.user.id)


@bp.route("/lead/awards/<int:intake_id>")
@role_required(Role.LEAD)
def lead_pipeline(intake_id: int):
    intake = _intake(intake_id)
    found = pipeline.pipeline(intake)
    lines = [
        PipelineLine(p.user, p.stage, p.readiness.met_count, len(p.readiness.results), _link(p))
        for p in found.people
    ]
    return render_template(
        "assessment/lead_pipeline.html",
        intake=intake,
        lines=lines,
        requirements=found.requirements,
        meeting=found.meeting,
        labels=REQUIREMENT_LABELS,
        stages=[(stage, found.count(stage)) for stage in Stage],
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

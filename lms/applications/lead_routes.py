"""Leads' pages: the application list and export, one application with its reviewers and
decisions, and the selection view."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from lms import audit
from lms.access import require, role_required
from lms.accounts.models import (
    REGION_LABELS,
    SECTOR_LABELS,
    Role,
    User,
)
from lms.applications import bp, decisions, endorsement, export, lead_queries, review, services
from lms.applications.apply_forms import EQUALITY_QUESTIONS
from lms.applications.lead_forms import (
    ApplicationFilterForm,
    AssignReviewersForm,
    OfferForm,
    RejectForm,
)
from lms.applications.models import (
    BAND_LABELS,
    DELIVERY_MODE_LABELS,
    RUBRIC,
    STAFF_GROUP_LABELS,
    Application,
    ApplicationStatus,
    Intake,
    ReviewAssignment,
)
from lms.applications.permissions import APPLICATION_READERS, can_decide
from lms.applications.selection import build_mix, equality_counts
from lms.applications.services import ApplicationError
from lms.extensions import db
from lms.forms import EmptyForm, add_error

PER_PAGE = 50
S = ApplicationStatus


@bp.route("/lead/applications")
@role_required(*APPLICATION_READERS)
def applications_overview():
    return render_template(
        "applications/lead_overview.html",
        intakes=lead_queries.intakes_newest_first(),
        counts=lead_queries.status_counts(),
        statuses=list(ApplicationStatus),
        can_decide=can_decide(current_user),
    )


def _filter_form() -> ApplicationFilterForm:
    form = ApplicationFilterForm(formdata=request.args)
    form.validate()
    return form


@bp.route("/lead/intakes/<int:intake_id>/applications")
@role_required(*APPLICATION_READERS)
def list_applications(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    form = _filter_form()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    applications = db.paginate(
        lead_queries.submitted_applications(intake.id, form.to_filter()),
        page=page,
        per_page=PER_PAGE,
        error_out=False,
    )
    args = form.query_args()
    return render_template(
        "applications/lead_list.html",
        intake=intake,
        form=form,
        applications=applications,
        summaries={a.id: review.summary_for(a) for a in applications.items},
        drafts=lead_queries.draft_count(intake.id),
        args=args,
        filtered=bool(set(args) - {"sort"}),
    )


@bp.route("/lead/intakes/<int:intake_id>/applications/export")
@role_required(*APPLICATION_READERS)
def export_applications(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    kind = request.args.get("format", "csv")
    if kind not in export.MEDIA_TYPES:
        abort(404)
    form = _filter_form()
    applications = db.session.scalars(
        lead_queries.submitted_applications(intake.id, form.to_filter())
    ).unique()
    table = export.application_table(applications)
    audit.record(
        "applications.exported", intake, format=kind, rows=len(table), filters=form.query_args()
    )
    name = export.filename(intake.name, services.today(), kind)
    return Response(
        export.to_bytes(table, kind),
        mimetype=export.MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- One application ---------------------------------------------------------------------


def _load(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    require(
        not application.is_draft,
        hide=True,
        subject=application,
        reason="a draft is the applicant's own until they submit it",
    )
    return application


def _reviewer_choices(eligible: list[tuple[User, int]]) -> list[tuple[int, str]]:
    return [
        (
            user.id,
            ngettext(
                "%(name)s (%(num)d open review)",
                "%(name)s (%(num)d open reviews)",
                load,
                name=user.name,
            ),
        )
        for user, load in eligible
    ]


def _page(application: Application, form: FlaskForm | None = None, **forms: FlaskForm):
    """The application page; ``form`` is one that was just posted and refused, shown with
    its errors and what was typed."""
    today = services.today()
    deciding = can_decide(current_user)  # admins read the page; only leads act on it
    reviewable = deciding and application.status in review.REVIEWABLE
    eligible = review.eligible_reviewers(application) if reviewable else []
    assign_form = forms.get("assign_form") or AssignReviewersForm(prefix="assign", formdata=None)
    assign_form.reviewers.choices = _reviewer_choices(eligible)
    moves = decisions.allowed_moves(application, "lead") if deciding else set()
    return render_template(
        "applications/lead_application.html",
        application=application,
        can_decide=deciding,
        form=form,
        today=today,
        summary=review.summary_for(application),
        rubric=RUBRIC,
        latest_link=endorsement.latest_request(application),
        moves={move.value for move in moves},
        places_taken=decisions.places_taken(application.intake_id),
        waiting=decisions.waitlist_count(application.intake_id),
        reviewable=reviewable,
        has_eligible=bool(eligible),
        assign_form=assign_form,
        button_form=forms.get("button_form") or EmptyForm(formdata=None),
        offer_form=forms.get("offer_form") or OfferForm(prefix="offer", formdata=None),
        reject_form=forms.get("reject_form") or RejectForm(prefix="reject", formdata=None),
        lapse_due=application.status is S.OFFERED
        and application.offer_expires_on is not None
        and today > application.offer_expires_on,
    )


@bp.route("/lead/applications/<int:application_id>")
@role_required(*APPLICATION_READERS)
def show_application(application_id: int):
    return _page(_load(application_id))


FIELDS = {"reviewer": "reviewers"}  # the service's field name -> the form's


def _attempt(form: FlaskForm, change: Callable[[], object]) -> bool:
    """Make a change through a service. A refusal undoes anything it wrote (a savepoint)
    and is shown on ``form``."""
    try:
        with db.session.begin_nested():
            change()
    except ApplicationError as exc:
        add_error(form, FIELDS.get(exc.field, exc.field), exc.message)
        return False
    return True


def _done(application: Application, message: str):
    flash(message, "success")
    return redirect(url_for("applications.show_application", application_id=application.id))


def _button(application_id: int, change, message) -> Response | str:
    """A change with nothing to type: just the button (and its CSRF token)."""
    application = _load(application_id)
    form = EmptyForm()
    if form.validate_on_submit() and _attempt(form, lambda: change(application)):
        return _done(application, message(application))
    return _page(application, form, button_form=form)


@bp.post("/lead/applications/<int:application_id>/endorsement")
@role_required(Role.LEAD)
def resend_endorsement_link(application_id: int):
    return _button(
        application_id,
        lambda a: endorsement.request_endorsement(a, by=current_user),
        lambda a: _("The link has been sent again to %(email)s", email=a.manager_email),
    )


@bp.post("/lead/applications/<int:application_id>/reviewers")
@role_required(Role.LEAD)
def assign_reviewers(application_id: int):
    application = _load(application_id)
    form = AssignReviewersForm(prefix="assign")
    if form.validate_on_submit():
        chosen = db.session.scalars(db.select(User).where(User.id.in_(form.reviewers.data))).all()

        def assign() -> None:
            if len(chosen) != len(set(form.reviewers.data)):
                raise ApplicationError(_("Choose reviewers from the list"), "reviewer")
            for reviewer in chosen:
                review.assign_reviewer(application, reviewer, by=current_user)

        if _attempt(form, assign):
            names = ", ".join(reviewer.name for reviewer in chosen)
            return _done(application, _("Assigned to review: %(names)s", names=names))
    return _page(application, form, assign_form=form)


@bp.post("/lead/applications/<int:application_id>/reviewers/auto")
@role_required(Role.LEAD)
def assign_reviewers_automatically(application_id: int):
    return _button(
        application_id,
        lambda a: review.assign_default_reviewers(a, by=current_user),
        lambda a: _("Reviewers have been assigned"),
    )


@bp.post("/lead/applications/<int:application_id>/reviewers/<int:review_id>/remove")
@role_required(Role.LEAD)
def remove_reviewer(application_id: int, review_id: int):
    assignment = db.get_or_404(ReviewAssignment, review_id)
    if assignment.application_id != application_id:
        abort(404)
    name = assignment.reviewer.name
    return _button(
        application_id,
        lambda a: review.unassign_reviewer(assignment, by=current_user),
        lambda a: _("%(name)s is no longer reviewing this application", name=name),
    )


@bp.post("/lead/applications/<int:application_id>/shortlist")
@role_required(Role.LEAD)
def shortlist_application(application_id: int):
    return _button(
        application_id,
        lambda a: decisions.shortlist(a, by=current_user),
        lambda a: _("%(name)s has been shortlisted", name=a.full_name),
    )


@bp.post("/lead/applications/<int:application_id>/waitlist")
@role_required(Role.LEAD)
def waitlist_application(application_id: int):
    return _button(
        application_id,
        lambda a: decisions.waitlist(a, by=current_user),
        lambda a: _("%(name)s is on the waiting list", name=a.full_name),
    )


@bp.post("/lead/applications/<int:application_id>/lapse")
@role_required(Role.LEAD)
def lapse_offer(application_id: int):
    return _button(
        application_id,
        lambda a: decisions.lapse_offer(a, by=current_user, today=services.today()),
        lambda a: _("The offer to %(name)s has lapsed and the place is free", name=a.full_name),
    )


@bp.post("/lead/applications/<int:application_id>/offer")
@role_required(Role.LEAD)
def offer_place(application_id: int):
    application = _load(application_id)
    form = OfferForm(prefix="offer")
    if form.validate_on_submit() and _attempt(
        form,
        lambda: decisions.offer_place(
            application, by=current_user, today=services.today(), respond_by=form.respond_by.data
        ),
    ):
        return _done(
            application, _("%(name)s has been offered a place", name=application.full_name)
        )
    return _page(application, form, offer_form=form)


@bp.post("/lead/applications/<int:application_id>/reject")
@role_required(Role.LEAD)
def reject_application(application_id: int):
    application = _load(application_id)
    form = RejectForm(prefix="reject")
    if form.validate_on_submit() and _attempt(
        form, lambda: decisions.reject(application, by=current_user, reason=form.reason.data)
    ):
        return _done(
            application,
            _("%(name)s has been told they were not successful", name=application.full_name),
        )
    return _page(application, form, reject_form=form)


# --- Selection -----------------------------------------------------------------------------

MIX_LABELS = {
    "staff_group": STAFF_GROUP_LABELS,
    "sector": SECTOR_LABELS,
    "region": REGION_LABELS,
    "band": BAND_LABELS,
    "preferred_mode": DELIVERY_MODE_LABELS,
}


def _equality_questions() -> dict[str, tuple[object, dict[str, object]]]:
    """Each equality question and its answers' labels, as the applicant was asked them."""
    return {name: (label, dict(options)) for name, (label, options) in EQUALITY_QUESTIONS.items()}


@bp.route("/lead/intakes/<int:intake_id>/selection")
@role_required(*APPLICATION_READERS)
def show_selection(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    mixes = build_mix(
        lead_queries.selection_rows(intake.id),
        values={name: [key.value for key in labels] for name, labels in MIX_LABELS.items()},
    )
    questions = _equality_questions()
    equality = equality_counts(
        lead_queries.equality_rows(intake.id, services.EQUALITY_FIELDS),
        {name: list(options) for name, (_label, options) in questions.items()},
    )
    return render_template(
        "applications/lead_selection.html",
        intake=intake,
        mixes=mixes,
        mix_labels={
            name: {k.value: v for k, v in labels.items()} for name, labels in MIX_LABELS.items()
        },
        equality=equality,
        questions=questions,
    )

"""The applicant's pages: start, the task list, each section, check answers, submit, and
answering an offer."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.access import require
from lms.accounts.models import Organisation
from lms.applications import bp, decisions, endorsement, queries, services
from lms.applications.apply_forms import SECTION_FORMS, EqualityForm, ReasonForm
from lms.applications.models import (
    DELIVERY_MODE_LABELS,
    Application,
    ApplicationStatus,
    DeliveryMode,
    Intake,
    IntakeStatus,
)
from lms.applications.permissions import is_owner
from lms.applications.sections import (
    SECTIONS,
    SECTIONS_BY_KEY,
    SectionState,
    answered_ineligible,
    section_state,
)
from lms.extensions import db
from lms.forms import EmptyForm, add_error, choices


def _own_application(application_id: int) -> Application:
    """The signed-in person's application; anyone else's is answered as not found."""
    application = db.get_or_404(Application, application_id)
    require(is_owner(current_user, application), hide=True, subject=application)
    return application


def _refuse_unless_draft(application: Application):
    if not application.is_draft:
        flash(_("You have submitted this application, so it can no longer be changed"), "warning")
        return redirect(url_for("applications.show_my_application", application_id=application.id))
    return None


@bp.route("/applications")
@login_required
def list_my_applications():
    applications = db.session.scalars(
        db.select(Application)
        .where(Application.applicant_id == current_user.id)
        .options(db.joinedload(Application.intake))
        .order_by(Application.created_at.desc())
    ).all()
    applied = {a.intake_id for a in applications}
    today = services.today()
    open_intakes = [
        intake
        for intake in queries.public_intakes(today)
        if intake.id not in applied and intake.status(today) is IntakeStatus.OPEN
    ]
    return render_template(
        "applications/my_applications.html",
        applications=applications,
        open_intakes=open_intakes,
        today=today,
    )


@bp.route("/intakes/<int:intake_id>/apply", methods=["GET", "POST"])
@login_required
def start_application(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    existing = services.find_application(intake, current_user)
    if existing is not None:
        return redirect(url_for("applications.show_my_application", application_id=existing.id))
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            application = services.start_application(intake, current_user, services.today())
        except services.ApplicationError as exc:
            add_error(form, None, exc.message)
        else:
            return redirect(
                url_for("applications.show_my_application", application_id=application.id)
            )
    return render_template(
        "applications/apply_start.html",
        intake=intake,
        form=form,
        status=intake.status(services.today()),
    )


@bp.route("/applications/<int:application_id>")
@login_required
def show_my_application(application_id: int):
    application = _own_application(application_id)
    if application.is_draft:
        states = {s.key: section_state(application, s) for s in SECTIONS}
        return render_template(
            "applications/task_list.html",
            application=application,
            states=states,
            completed=sum(state is SectionState.COMPLETED for state in states.values()),
            eligible=not answered_ineligible(application),
        )
    return render_template(
        "applications/my_application.html",
        application=application,
        today=services.today(),
        latest_link=endorsement.latest_request(application),
        moves=decisions.allowed_moves(application, "applicant"),
        form=EmptyForm(),
    )


def _section_form(application: Application, key: str):
    form_class = SECTION_FORMS[key]
    section = SECTIONS_BY_KEY[key]
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(data=section.to_form(application))
    if key == "role":
        organisations = db.session.execute(
            db.select(Organisation.id, Organisation.name).order_by(Organisation.name)
        ).all()
        form.organisation_id.choices = choices(
            [
                ("", _("My organisation is not in the list")),
                *((str(i), n) for i, n in organisations),
            ]
        )
        if request.method == "GET" and application.organisation_id is not None:
            form.organisation_id.data = str(application.organisation_id)
    if key == "delivery":
        offered = [DeliveryMode(value) for value in application.intake.delivery_modes]
        form.preferred_mode.choices = choices((m.value, DELIVERY_MODE_LABELS[m]) for m in offered)
    return form, section


@bp.route("/applications/<int:application_id>/sections/<key>", methods=["GET", "POST"])
@login_required
def edit_section(application_id: int, key: str):
    application = _own_application(application_id)
    if key not in SECTION_FORMS:
        abort(404)
    refused = _refuse_unless_draft(application)
    if refused:
        return refused
    form, section = _section_form(application, key)
    if form.validate_on_submit():
        complete = request.form.get("action") != "draft"
        try:
            missing = services.save_section(application, section, form.data, complete=complete)
        except services.ApplicationError as exc:
            add_error(form, exc.field, exc.message)
        else:
            if not missing:
                if complete:
                    flash(_("%(section)s saved", section=section.title), "success")
                else:
                    flash(
                        _("Your draft has been saved. You can come back to it at any time."),
                        "success",
                    )
                return redirect(
                    url_for("applications.show_my_application", application_id=application.id)
                )
            for name, message in missing.items():
                add_error(form, name, message)
    return render_template(
        "applications/section_edit.html",
        application=application,
        section=section,
        form=form,
        word_limit=current_app.config.get(getattr(form, "word_limit_key", ""), None),
    )


@bp.route("/applications/<int:application_id>/equality", methods=["GET", "POST"])
@login_required
def edit_equality(application_id: int):
    application = _own_application(application_id)
    refused = _refuse_unless_draft(application)
    if refused:
        return refused
    response = services.equality_response(application)
    form = EqualityForm(obj=response if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_equality(
            application, {name: getattr(form, name).data for name in services.EQUALITY_FIELDS}
        )
        flash(_("Thank you. Your equality monitoring answers have been saved."), "success")
        return redirect(url_for("applications.show_my_application", application_id=application.id))
    return render_template("applications/equality_edit.html", application=application, form=form)


@bp.route("/applications/<int:application_id>/check")
@login_required
def check_answers(application_id: int):
    application = _own_application(application_id)
    refused = _refuse_unless_draft(application)
    if refused:
        return refused
    return render_template(
        "applications/check_answers.html",
        application=application,
        problems=services.submit_problems(application, services.today()),
        form=EmptyForm(),
    )


@bp.route("/applications/<int:application_id>/submit", methods=["POST"])
@login_required
def submit_application(application_id: int):
    application = _own_application(application_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.submit_application(application, services.today(), by=current_user)
        except services.ApplicationError as exc:
            flash(exc.message, "error")
            if application.is_draft:
                return redirect(
                    url_for("applications.check_answers", application_id=application.id)
                )
        else:
            return render_template("applications/submitted.html", application=application)
    return redirect(url_for("applications.show_my_application", application_id=application.id))


@bp.route("/applications/<int:application_id>/endorsement", methods=["POST"])
@login_required
def resend_my_endorsement(application_id: int):
    application = _own_application(application_id)
    if EmptyForm().validate_on_submit():
        try:
            endorsement.request_endorsement(application, by=current_user)
        except services.ApplicationError as exc:
            flash(exc.message, "error")
        else:
            flash(
                _(
                    "We have sent %(manager)s a new link. Any earlier link no longer works.",
                    manager=application.manager_name,
                ),
                "success",
            )
    return redirect(url_for("applications.show_my_application", application_id=application.id))


ANSWERS = {
    "accept": ApplicationStatus.ACCEPTED,
    "decline": ApplicationStatus.DECLINED,
    "withdraw": ApplicationStatus.WITHDRAWN,
}


@bp.route("/applications/<int:application_id>/accept", methods=["GET", "POST"])
@login_required
def accept_offer(application_id: int):
    return _answer_application(application_id, "accept")


@bp.route("/applications/<int:application_id>/decline", methods=["GET", "POST"])
@login_required
def decline_offer(application_id: int):
    return _answer_application(application_id, "decline")


@bp.route("/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_application(application_id: int):
    return _answer_application(application_id, "withdraw")


def _answer_application(application_id: int, answer: str):
    """Accept or decline an offer, or withdraw: a confirmation page, then the change."""
    application = _own_application(application_id)
    if ANSWERS[answer] not in decisions.allowed_moves(application, "applicant"):
        flash(_("You cannot do that with this application now"), "warning")
        return redirect(url_for("applications.show_my_application", application_id=application.id))
    form = EmptyForm() if answer == "accept" else ReasonForm()
    if form.validate_on_submit():
        try:
            if answer == "accept":
                decisions.accept_offer(application, current_user, services.today())
            elif answer == "decline":
                decisions.decline_offer(application, current_user, form.reason.data)
            else:
                decisions.withdraw(application, current_user, form.reason.data)
        except services.ApplicationError as exc:
            add_error(form, exc.field, exc.message)
        else:
            if answer == "accept":
                flash(
                    _(
                        "Welcome to %(intake)s. You are now a trainee facilitator.",
                        intake=application.intake.name,
                    ),
                    "success",
                )
                return redirect(url_for("main.home"))
            flash(application.status.label, "success")
            return redirect(
                url_for("applications.show_my_application", application_id=application.id)
            )
    return render_template(
        "applications/answer_confirm.html", application=application, form=form, answer=answer
    )

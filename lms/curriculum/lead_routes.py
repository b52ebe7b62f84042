"""Leads' pages: training progress by intake, and scheduling an intake's workshop days.

Admins may read the progress pages (SPEC section 9: modules, "all"); only leads schedule.
"""

from __future__ import annotations

from collections import Counter

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import role_required
from lms.accounts.models import Role, User
from lms.accounts.queries import people_with
from lms.applications.models import Intake
from lms.applications.queries import facilitator_counts, intakes_newest_first
from lms.curriculum import bp, queries, services
from lms.curriculum.forms import CancelWorkshopForm, ProgressFilterForm, WorkshopForm
from lms.curriculum.models import ATTENDANCE_STATUS_LABELS, WorkshopDay
from lms.curriculum.progress import ModuleState
from lms.curriculum.services import CurriculumError
from lms.extensions import db
from lms.forms import add_error, choices


@bp.route("/lead/training")
@role_required(Role.LEAD, Role.ADMIN)
def training_overview():
    intakes = intakes_newest_first()
    facilitators = facilitator_counts()
    workshops = dict(
        db.session.execute(
            db.select(WorkshopDay.intake_id, db.func.count())
            .where(WorkshopDay.cancelled_at.is_(None))
            .group_by(WorkshopDay.intake_id)
        ).all()
    )
    return render_template(
        "curriculum/lead_training.html",
        intakes=intakes,
        facilitators=facilitators,
        workshops=workshops,
        modules=queries.current_modules(),
    )


def _filtered(rows, form: ProgressFilterForm, modules):
    if form.errors:
        return rows
    term = (form.name.data or "").strip().lower()
    if term:
        rows = [
            r
            for r in rows
            if term in r.user.name.lower()
            or term in r.user.email.lower()
            or (r.user.organisation and term in r.user.organisation.name.lower())
        ]
    module_ids = {str(m.id): m.id for m in modules}
    if form.module.data in module_ids and form.state.data:
        wanted = ModuleState(form.state.data)
        rows = [r for r in rows if r.state(module_ids[form.module.data]) is wanted]
    core_total = sum(1 for m in modules if m.current.is_core)
    if form.core.data == "complete":
        rows = [r for r in rows if r.core_completed == core_total]
    elif form.core.data == "incomplete":
        rows = [r for r in rows if r.core_completed < core_total]
    return rows


@bp.route("/lead/training/<int:intake_id>")
@role_required(Role.LEAD, Role.ADMIN)
def intake_progress(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    modules = queries.current_modules()
    form = ProgressFilterForm(formdata=request.args)
    form.module.choices = choices(
        [("", _("Any module")), *((str(m.id), m.current.title) for m in modules)]
    )
    form.validate()
    if form.state.data and not form.module.data and not form.errors:
        add_error(form, "module", _("Select a module to filter by its progress"))
    everyone = queries.intake_progress(intake.id, modules)
    rows = _filtered(everyone, form, modules)
    summary = {}
    for m in modules:
        counts = Counter(r.state(m.id) for r in everyone)  # one pass, not one per state
        summary[m.id] = {state: counts[state] for state in ModuleState}
    args = {k: v for k, v in request.args.items() if v and k in form._fields}
    return render_template(
        "curriculum/lead_progress.html",
        intake=intake,
        modules=modules,
        rows=rows,
        everyone=len(everyone),
        summary=summary,
        states=list(ModuleState),
        form=form,
        filtered=bool(args),
    )


@bp.route("/lead/training/<int:intake_id>/workshops")
@role_required(Role.LEAD, Role.ADMIN)
def intake_workshops(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    workshops = queries.workshops_for_intake(intake.id)
    return render_template(
        "curriculum/lead_workshops.html",
        intake=intake,
        workshops=workshops,
        counts=queries.register_counts(w.id for w in workshops),
        status_labels=ATTENDANCE_STATUS_LABELS,
        facilitators=queries.facilitator_count(intake.id),
        can_schedule=current_user.has_role(Role.LEAD),
    )


def _people_who_can_run() -> list[User]:
    return people_with(Role.SUPERVISOR, Role.LEAD)


def _prepare(form: WorkshopForm, modules) -> dict[str, tuple]:
    """Fill the form's choices; returns workshop choice value -> (module, activity)."""
    options = {
        f"{module.slug}:{activity.key}": (module, activity)
        for module, activity in services.workshop_activities(modules)
    }
    form.workshop.choices = choices(
        [
            ("", _("Select a workshop")),
            *(
                (value, f"{activity.title} ({module.current.title})")
                for value, (module, activity) in options.items()
            ),
        ]
    )
    form.run_by.choices = choices(
        [("", _("Nobody named yet")), *((str(u.id), u.name) for u in _people_who_can_run())]
    )
    return options


def _plan(form: WorkshopForm) -> services.WorkshopPlan:
    """What the lead typed, as a plan: UK times to UTC, and the person named to run it."""
    return services.WorkshopPlan(
        starts_at=services.london_to_utc(form.day.data, form.starts_at.data),
        ends_at=services.london_to_utc(form.day.data, form.ends_at.data),
        mode=form.mode_value,
        venue=(form.venue.data or "").strip() or None,
        joining_link=(form.joining_link.data or "").strip() or None,
        details=(form.details.data or "").strip() or None,
        run_by=db.session.get(User, int(form.run_by.data)) if form.run_by.data else None,
    )


@bp.route("/lead/training/<int:intake_id>/workshops/new", methods=["GET", "POST"])
@role_required(Role.LEAD)
def new_workshop(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    form = WorkshopForm()
    options = _prepare(form, queries.current_modules())
    if form.validate_on_submit():
        module, activity = options[form.workshop.data]
        try:
            workshop = services.schedule_workshop(
                intake, module, activity.key, _plan(form), by=current_user
            )
        except CurriculumError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("%(title)s has been scheduled", title=workshop.title), "success")
            return redirect(url_for("curriculum.intake_workshops", intake_id=intake.id))
    return render_template("curriculum/workshop_edit.html", form=form, intake=intake, workshop=None)


@bp.route("/lead/training/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@role_required(Role.LEAD)
def edit_workshop(workshop_id: int):
    workshop = queries.workshop(workshop_id)
    if workshop is None or workshop.is_cancelled:
        abort(404)
    local = workshop.starts_at.astimezone(services.LONDON)
    form = WorkshopForm(
        data={
            "workshop": f"{workshop.module.slug}:{workshop.activity_key}",
            "day": local.date(),
            "starts_at": local.time(),
            "ends_at": workshop.ends_at.astimezone(services.LONDON).time(),
            "mode": workshop.mode.value,
            "venue": workshop.venue,
            "joining_link": workshop.joining_link,
            "details": workshop.details,
            "run_by": str(workshop.run_by_id) if workshop.run_by_id else "",
        }
        if request.method == "GET"
        else None
    )
    _prepare(form, queries.current_modules())
    # Which workshop a day is for is fixed once it is scheduled (its register depends on it).
    form.workshop.data = f"{workshop.module.slug}:{workshop.activity_key}"
    if form.validate_on_submit():
        try:
            services.update_workshop(workshop, _plan(form), by=current_user)
        except CurriculumError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("%(title)s has been changed", title=workshop.title), "success")
            return redirect(url_for("curriculum.show_workshop", workshop_id=workshop.id))
    return render_template(
        "curriculum/workshop_edit.html", form=form, intake=workshop.intake, workshop=workshop
    )


@bp.route("/lead/training/workshops/<int:workshop_id>/cancel", methods=["GET", "POST"])
@role_required(Role.LEAD)
def cancel_workshop(workshop_id: int):
    workshop = queries.workshop(workshop_id)
    if workshop is None or workshop.is_cancelled:
        abort(404)
    form = CancelWorkshopForm()
    if form.validate_on_submit():
        try:
            services.cancel_workshop(workshop, form.reason.data, by=current_user)
        except CurriculumError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("%(title)s has been cancelled", title=workshop.title), "success")
            return redirect(url_for("curriculum.intake_workshops", intake_id=workshop.intake_id))
    return render_template("curriculum/workshop_cancel.html", form=form, workshop=workshop)

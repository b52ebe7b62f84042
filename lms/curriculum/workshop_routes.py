"""Workshop days as facilitators and the people running them meet them: the list, one day
with its calendar file, and the register."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.calendar import CalendarEvent, ics_response
from lms.curriculum import bp, permissions, queries, services
from lms.curriculum.forms import register_field_name, register_form, statuses_from
from lms.curriculum.models import AttendanceStatus, WorkshopDay, WorkshopMode
from lms.curriculum.services import CurriculumError
from lms.db_types import utcnow
from lms.forms import add_error
from lms.notifications.services import absolute_url


def _workshop(workshop_id: int) -> WorkshopDay:
    workshop = queries.workshop(workshop_id)
    if workshop is None:
        abort(404)
    return workshop


def _visible_workshop(workshop_id: int) -> WorkshopDay:
    """A workshop day the signed-in person may see; others get 404 (and it is logged)."""
    workshop = _workshop(workshop_id)
    require(
        permissions.can_see_workshop(current_user, workshop),
        hide=True,
        subject=workshop,
        reason="not a workshop of their intake",
    )
    return workshop


@bp.route("/workshops")
@role_required(Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD)
def list_workshops():
    attending = (
        queries.workshops_for_member(current_user.id)
        if permissions.is_learner(current_user)
        else []
    )
    now = utcnow()
    return render_template(
        "curriculum/workshops_list.html",
        upcoming=[w for w in attending if w.ends_at >= now],
        past=[w for w in attending if w.ends_at < now][::-1],
        attendance=queries.attendance_of(current_user.id) if attending else {},
        running=queries.workshops_run_by(current_user.id),
        is_learner=permissions.is_learner(current_user),
    )


@bp.route("/workshops/<int:workshop_id>")
@role_required(Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD, Role.ADMIN)
def show_workshop(workshop_id: int):
    workshop = _visible_workshop(workshop_id)
    return render_template(
        "curriculum/workshop_show.html",
        workshop=workshop,
        status=queries.attendance_of(current_user.id).get(workshop.id),
        can_keep_register=permissions.can_keep_register(current_user, workshop),
        can_edit=current_user.has_role(Role.LEAD),
    )


@bp.route("/workshops/<int:workshop_id>/calendar.ics")
@role_required(Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD, Role.ADMIN)
def workshop_calendar(workshop_id: int):
    workshop = _visible_workshop(workshop_id)
    page = absolute_url("curriculum.show_workshop", workshop_id=workshop.id)
    where = workshop.venue if workshop.mode is WorkshopMode.IN_PERSON else workshop.joining_link
    description = "\n\n".join(
        part
        for part in (
            workshop.activity.description if workshop.activity else "",
            _("Join online: %(link)s", link=workshop.joining_link) if workshop.joining_link else "",
            workshop.details or "",
            _("Details: %(link)s", link=page),
        )
        if part
    )
    event = CalendarEvent(
        uid=f"workshop-{workshop.id}@{request.host}",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=workshop.title,
        description=description,
        location=where or "",
        url=page,
        sequence=workshop.sequence,
        is_cancelled=workshop.is_cancelled,
    )
    return ics_response(event, f"workshop-{workshop.id}.ics")


@bp.route("/workshops/<int:workshop_id>/register", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR, Role.LEAD)
def keep_register(workshop_id: int):
    workshop = _workshop(workshop_id)
    require(
        permissions.can_keep_register(current_user, workshop),
        subject=workshop,
        reason="not running this workshop day",
    )
    people = queries.intake_facilitators(workshop.intake_id)
    register = queries.register_of(workshop.id)
    form = register_form(people, register)
    if form.validate_on_submit():
        statuses: dict[int, AttendanceStatus | None] = dict(statuses_from(form, people))
        try:
            changed = services.record_attendance(workshop, statuses, by=current_user)
        except CurriculumError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _("The register has been saved")
                if changed
                else _("The register has been saved. Nothing had changed."),
                "success",
            )
            return redirect(url_for("curriculum.show_workshop", workshop_id=workshop.id))
    return render_template(
        "curriculum/workshop_register.html",
        workshop=workshop,
        form=form,
        people=people,
        field_name=register_field_name,
        started=workshop.starts_at <= utcnow(),
    )

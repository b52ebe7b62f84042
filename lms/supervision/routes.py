"""Supervision as facilitators and supervisors meet it: their groups, sessions with their
calendar files, registers, notes, and cases."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.calendar import ics_response
from lms.curriculum.forms import register_field_name, register_form, statuses_from
from lms.curriculum.models import AttendanceStatus
from lms.curriculum.services import LONDON
from lms.db_types import utcnow
from lms.forms import add_error, choices
from lms.supervision import bp, permissions, queries, services
from lms.supervision.forms import (
    CancelSessionForm,
    CaseForm,
    NewSessionsForm,
    NotesForm,
    ResponseForm,
    SessionForm,
)
from lms.supervision.models import SupervisionGroup, SupervisionSession
from lms.supervision.services import SessionPlan, SupervisionError

PEOPLE = (Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD)


def _group(group_id: int) -> SupervisionGroup:
    group = queries.group(group_id)
    if group is None:
        abort(404)
    require(
        permissions.can_see_group(current_user, group),
        hide=True,
        subject=group,
        reason="not their supervision group",
    )
    return group


def _session(session_id: int, run: bool = False) -> SupervisionSession:
    session = queries.session(session_id)
    if session is None:
        abort(404)
    require(
        permissions.can_see_session(current_user, session),
        hide=True,
        subject=session,
        reason="not their supervision group's session",
    )
    if run:
        require(
            permissions.can_run_session(current_user, session),
            subject=session,
            reason="not this group's supervisor",
        )
    return session


@bp.route("/supervision")
@role_required(Role.FACILITATOR, Role.SUPERVISOR)
def overview():
    now = utcnow()
    is_facilitator = current_user.has_role(Role.FACILITATOR)
    my_groups = queries.current_groups_of(current_user.id) if is_facilitator else []
    running = (
        queries.groups_run_by(current_user.id) if current_user.has_role(Role.SUPERVISOR) else []
    )
    sessions = queries.sessions_of_groups([g.id for g in my_groups + running])
    upcoming = [s for s in sessions if s.ends_at >= now and not s.is_cancelled]
    return render_template(
        "supervision/overview.html",
        my_groups=my_groups,
        running=running,
        upcoming=upcoming,
        attended=queries.attended_sessions(current_user.id) if is_facilitator else [],
        required=services.sessions_required(_own_intake_id()),
        my_cases=queries.cases_of(current_user.id) if is_facilitator else [],
        group_cases=queries.cases_for_groups([g.id for g in running]),
        is_facilitator=is_facilitator,
    )


@bp.route("/supervision/groups/<int:group_id>")
@role_required(*PEOPLE)
def show_group(group_id: int):
    group = _group(group_id)
    sessions = queries.group_sessions(group.id)
    now = utcnow()
    member_ids = [m.user_id for m in group.current_members]
    sees_people = permissions.runs(current_user, group) or current_user.has_role(Role.LEAD)
    return render_template(
        "supervision/group_show.html",
        group=group,
        upcoming=[s for s in sessions if s.ends_at >= now],
        past=[s for s in sessions if s.ends_at < now][::-1],
        runs=permissions.runs(current_user, group),
        sees_people=sees_people,
        attended=queries.attended_counts(member_ids) if sees_people else {},
        required=services.sessions_required(group.intake_id),
        can_bring_case=permissions.can_bring_case(current_user, group),
        can_manage=permissions.can_manage_groups(current_user),
    )


def _plan(form: SessionForm) -> SessionPlan:
    return SessionPlan(
        day=form.day.data,
        start=form.start.data,
        minutes=int(form.minutes.data),
        mode=form.mode_value,
        venue=form.venue.data,
        joining_link=form.joining_link.data,
    )


@bp.route("/supervision/groups/<int:group_id>/sessions/new", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def new_sessions(group_id: int):
    group = _group(group_id)
    require(permissions.runs(current_user, group), subject=group, reason="not their group")
    form = NewSessionsForm()
    if form.validate_on_submit():
        try:
            sessions = services.schedule_sessions(
                group,
                _plan(form),
                by=current_user,
                count=int(form.count.data),
                every_weeks=int(form.every_weeks.data),
            )
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _(
                    "%(num)d sessions booked. The group has been sent the invitations.",
                    num=len(sessions),
                )
                if len(sessions) > 1
                else _("Session booked. The group has been sent the invitation."),
                "success",
            )
            return redirect(url_for("supervision.show_group", group_id=group.id))
    return render_template("supervision/session_form.html", form=form, group=group, session=None)


@bp.route("/supervision/sessions/<int:session_id>")
@role_required(*PEOPLE)
def show_session(session_id: int):
    session = _session(session_id)
    runs = permissions.can_run_session(current_user, session)
    sees_register = runs or current_user.has_role(Role.LEAD)
    return render_template(
        "supervision/session_show.html",
        session=session,
        runs=runs,
        register=services.register_people(session) if sees_register else [],
        statuses={a.user_id: a.status for a in session.attendance},
        own_status=next(
            (a.status for a in session.attendance if a.user_id == current_user.id), None
        ),
        note=queries.private_note(session.id, current_user.id) if runs else None,
        cases=[
            c
            for c in queries.cases_for_session(session.id)
            if permissions.can_see_case(current_user, c)
        ],
        can_bring_case=permissions.can_bring_case_to(current_user, session),
        started=session.starts_at <= utcnow(),
    )


@bp.route("/supervision/sessions/<int:session_id>/calendar.ics")
@role_required(*PEOPLE)
def session_calendar(session_id: int):
    session = _session(session_id)
    [event] = services.calendar_events([session])
    return ics_response(event, f"supervision-{session.id}.ics")


@bp.route("/supervision/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def edit_session(session_id: int):
    session = _session(session_id, run=True)
    if session.is_cancelled:
        flash(_("This session has been cancelled, so it cannot be changed."), "warning")
        return redirect(url_for("supervision.show_session", session_id=session.id))
    local = session.starts_at.astimezone(LONDON)
    form = SessionForm(
        data={
            "day": local.date(),
            "start": local.time(),
            "minutes": str(session.minutes),
            "mode": session.mode.value,
            "venue": session.venue,
            "joining_link": session.joining_link,
        }
        if request.method == "GET"
        else None
    )
    if str(session.minutes) not in [c.value for c in form.minutes.choices]:
        form.minutes.choices = [
            *form.minutes.choices,
            *choices([(str(session.minutes), _("%(num)d minutes", num=session.minutes))]),
        ]
    if form.validate_on_submit():
        try:
            services.update_session(session, _plan(form), by=current_user)
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("The session has been changed"), "success")
            return redirect(url_for("supervision.show_session", session_id=session.id))
    return render_template(
        "supervision/session_form.html", form=form, group=session.group, session=session
    )


@bp.route("/supervision/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def cancel_session(session_id: int):
    session = _session(session_id, run=True)
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(session, form.reason.data, by=current_user)
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("The session has been cancelled and the group has been told"), "success")
            return redirect(url_for("supervision.show_group", group_id=session.group_id))
    return render_template("supervision/session_cancel.html", form=form, session=session)


@bp.route("/supervision/sessions/<int:session_id>/register", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def session_register(session_id: int):
    session = _session(session_id, run=True)
    if session.is_cancelled:
        flash(_("This session has been cancelled."), "warning")
        return redirect(url_for("supervision.show_session", session_id=session.id))
    people = services.register_people(session)
    form = register_form(people, {a.user_id: a.status for a in session.attendance})
    if form.validate_on_submit():
        statuses: dict[int, AttendanceStatus | None] = dict(statuses_from(form, people))
        try:
            changed = services.record_register(session, statuses, by=current_user)
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _("The register has been saved")
                if changed
                else _("The register has been saved. Nothing had changed."),
                "success",
            )
            return redirect(url_for("supervision.show_session", session_id=session.id))
    return render_template(
        "supervision/session_register.html",
        session=session,
        form=form,
        people=people,
        field_name=register_field_name,
        started=session.starts_at <= utcnow(),
    )


@bp.route("/supervision/sessions/<int:session_id>/notes", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def session_notes(session_id: int):
    session = _session(session_id, run=True)
    note = queries.private_note(session.id, current_user.id)
    form = NotesForm()
    if request.method == "GET":
        form.shared_summary.data = session.shared_summary
        form.private_notes.data = note.text if note else ""
    if form.validate_on_submit():
        try:
            services.save_notes(
                session, form.shared_summary.data, form.private_notes.data, by=current_user
            )
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your notes have been saved"), "success")
            return redirect(url_for("supervision.show_session", session_id=session.id))
    return render_template("supervision/session_notes.html", form=form, session=session)


# --- Cases -----------------------------------------------------------------------------


def _case_sessions(
    form: CaseForm, group: SupervisionGroup, keep: SupervisionSession | None = None
) -> dict[str, SupervisionSession]:
    """The sessions the form offers: those a case can go to, and the one a case being
    changed is already for (so saving it does not drop the link)."""
    sessions = {str(s.id): s for s in services.case_sessions(group)}
    if keep is not None and str(keep.id) not in sessions:
        sessions = {str(keep.id): keep, **sessions}
    form.session.choices = choices(
        [("", _("Not a particular session"))]
        + [(key, services.session_label(s)) for key, s in sessions.items()]
    )
    return sessions


@bp.route("/supervision/groups/<int:group_id>/cases/new", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def new_case(group_id: int):
    group = _group(group_id)
    require(permissions.can_bring_case(current_user, group), subject=group, reason="not a member")
    form = CaseForm()
    sessions = _case_sessions(form, group)
    if request.method == "GET" and request.args.get("session") in sessions:
        form.session.data = request.args["session"]
    if form.validate_on_submit():
        try:
            case = services.bring_case(
                current_user,
                group,
                sessions.get(form.session.data),
                form.what_happened.data,
                form.help_wanted.data,
            )
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your case has been sent to your supervisor"), "success")
            return redirect(url_for("supervision.show_case", case_id=case.id))
    return render_template("supervision/case_form.html", form=form, group=group, case=None)


def _case(case_id: int):
    case = queries.case(case_id)
    if case is None:
        abort(404)
    require(
        permissions.can_see_case(current_user, case),
        hide=True,
        subject=case,
        reason="not their case or group",
    )
    return case


@bp.route("/supervision/cases/<int:case_id>")
@role_required(*PEOPLE)
def show_case(case_id: int):
    case = _case(case_id)
    return render_template(
        "supervision/case_show.html",
        case=case,
        can_edit=permissions.can_edit_case(current_user, case),
        can_respond=permissions.can_respond_to_case(current_user, case),
    )


@bp.route("/supervision/cases/<int:case_id>/edit", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def edit_case(case_id: int):
    case = _case(case_id)
    require(permissions.can_edit_case(current_user, case), subject=case, reason="cannot edit")
    form = CaseForm()
    sessions = _case_sessions(form, case.group, keep=case.session)
    if request.method == "GET":
        form.session.data = str(case.session_id) if str(case.session_id) in sessions else ""
        form.what_happened.data = case.what_happened
        form.help_wanted.data = case.help_wanted
    if form.validate_on_submit():
        try:
            services.update_case(
                case,
                sessions.get(form.session.data),
                form.what_happened.data,
                form.help_wanted.data,
            )
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your case has been saved"), "success")
            return redirect(url_for("supervision.show_case", case_id=case.id))
    return render_template("supervision/case_form.html", form=form, group=case.group, case=case)


@bp.route("/supervision/cases/<int:case_id>/respond", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def respond_to_case(case_id: int):
    case = _case(case_id)
    require(
        permissions.can_respond_to_case(current_user, case), subject=case, reason="cannot respond"
    )
    form = ResponseForm()
    if request.method == "GET":
        form.response.data = case.response
    if form.validate_on_submit():
        try:
            services.respond_to_case(case, form.response.data, by=current_user)
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your response has been saved and the facilitator has been told"), "success")
            return redirect(url_for("supervision.show_case", case_id=case.id))
    return render_template("supervision/case_respond.html", form=form, case=case)


def _own_intake_id() -> int | None:
    """The signed-in person's intake, whose award criteria their counts are shown against."""
    # Imported here: assessment reads this package's models, which load these routes.
    from lms.assessment.portfolio import current_intake_id

    return current_intake_id(current_user.id)

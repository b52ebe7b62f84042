"""Leads' supervision pages: an intake's groups side by side, forming and changing groups,
and moving people between them (the history is kept)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import role_required
from lms.accounts.models import Role, User
from lms.accounts.queries import people_with
from lms.applications.models import Intake
from lms.applications.queries import facilitator_counts, facilitator_profiles, intakes_newest_first
from lms.extensions import db
from lms.forms import add_error, choices
from lms.supervision import bp, queries, services
from lms.supervision.forms import GroupForm, MoveForm
from lms.supervision.models import GroupMembership, SupervisionGroup
from lms.supervision.services import SupervisionError


def _intake(intake_id: int) -> Intake:
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        abort(404)
    return intake


def _supervisors() -> list[User]:
    return people_with(Role.SUPERVISOR)


@bp.route("/lead/supervision")
@role_required(Role.LEAD)
def lead_overview():
    intakes = intakes_newest_first()
    facilitators = facilitator_counts()
    groups = dict(
        db.session.execute(
            db.select(SupervisionGroup.intake_id, db.func.count()).group_by(
                SupervisionGroup.intake_id
            )
        ).all()
    )
    placed = dict(
        db.session.execute(
            db.select(SupervisionGroup.intake_id, db.func.count(GroupMembership.id))
            .join(GroupMembership)
            .where(GroupMembership.left_at.is_(None))
            .group_by(SupervisionGroup.intake_id)
        ).all()
    )
    return render_template(
        "supervision/lead_overview.html",
        intakes=intakes,
        facilitators=facilitators,
        groups=groups,
        placed=placed,
    )


def _move_form(profiles, groups) -> MoveForm:
    form = MoveForm()
    form.person.choices = choices(
        [("", _("Select a person"))]
        + [
            (
                str(p.user.id),
                f"{p.user.name} ({p.organisation_name})" if p.organisation else p.user.name,
            )
            for p in profiles
        ]
    )
    form.group.choices = choices([("", _("No group"))] + [(str(g.id), g.name) for g in groups])
    return form


@bp.route("/lead/supervision/<int:intake_id>")
@role_required(Role.LEAD)
def intake_groups(intake_id: int):
    intake = _intake(intake_id)
    profiles = facilitator_profiles(intake.id)
    groups = queries.intake_groups(intake.id)
    return _render_intake(intake, profiles, groups, _move_form(profiles, groups))


def _render_intake(intake, profiles, groups, move_form):
    by_id = {p.user.id: p for p in profiles}
    placed = {m.user_id for g in groups for m in g.current_members}
    return render_template(
        "supervision/lead_intake.html",
        intake=intake,
        groups=groups,
        profiles=by_id,
        mix={g.id: services.group_mix(g, by_id) for g in groups},
        unplaced=[p for p in profiles if p.user.id not in placed],
        move_form=move_form,
    )


@bp.route("/lead/supervision/<int:intake_id>/move", methods=["POST"])
@role_required(Role.LEAD)
def move_member(intake_id: int):
    intake = _intake(intake_id)
    profiles = facilitator_profiles(intake.id)
    groups = queries.intake_groups(intake.id)
    form = _move_form(profiles, groups)
    if form.validate_on_submit():
        person = next(p.user for p in profiles if str(p.user.id) == form.person.data)
        to = next((g for g in groups if str(g.id) == form.group.data), None)
        try:
            services.move_member(intake, person, to, by=current_user)
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _("%(name)s is now in %(group)s", name=person.name, group=to.name)
                if to
                else _("%(name)s is no longer in a group", name=person.name),
                "success",
            )
            return redirect(url_for("supervision.intake_groups", intake_id=intake.id))
    return _render_intake(intake, profiles, queries.intake_groups(intake.id), form), 400


def _group_form(form: GroupForm, profiles, with_members: bool) -> None:
    form.supervisor.choices = choices(
        [("", _("Select a supervisor"))] + [(str(u.id), u.name) for u in _supervisors()]
    )
    if with_members:
        form.members.choices = choices(
            (
                str(p.user.id),
                f"{p.user.name} ({p.organisation_name})" if p.organisation else p.user.name,
            )
            for p in profiles
        )
    else:
        del form.members


@bp.route("/lead/supervision/<int:intake_id>/groups/new", methods=["GET", "POST"])
@role_required(Role.LEAD)
def new_group(intake_id: int):
    intake = _intake(intake_id)
    profiles = facilitator_profiles(intake.id)
    form = GroupForm()
    _group_form(form, profiles, with_members=True)
    if request.method == "GET":
        placed = {m.user_id for g in queries.intake_groups(intake.id) for m in g.current_members}
        form.members.description = _(
            "Typically 4 to 8. %(num)d of %(total)d are not in a group yet; anyone already in "
            "another group will move to this one.",
            num=sum(1 for p in profiles if p.user.id not in placed),
            total=len(profiles),
        )
    if form.validate_on_submit():
        people = {str(p.user.id): p.user for p in profiles}
        supervisor = db.session.get(User, int(form.supervisor.data))
        try:
            group = services.create_group(
                intake,
                form.name.data,
                supervisor,
                [people[v] for v in form.members.data or []],
                by=current_user,
            )
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("%(group)s has been formed", group=group.name), "success")
            return redirect(url_for("supervision.intake_groups", intake_id=intake.id))
    return render_template("supervision/group_form.html", form=form, intake=intake, group=None)


@bp.route("/supervision/groups/<int:group_id>/edit", methods=["GET", "POST"])
@role_required(Role.LEAD)
def edit_group(group_id: int):
    group = queries.group(group_id)
    if group is None:
        abort(404)
    form = GroupForm(
        data={"name": group.name, "supervisor": str(group.supervisor_id)}
        if request.method == "GET"
        else None
    )
    _group_form(form, [], with_members=False)
    if form.validate_on_submit():
        supervisor = db.session.get(User, int(form.supervisor.data))
        try:
            services.update_group(group, form.name.data, supervisor, by=current_user)
        except SupervisionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("The group has been changed"), "success")
            return redirect(url_for("supervision.intake_groups", intake_id=group.intake_id))
    return render_template(
        "supervision/group_form.html", form=form, intake=group.intake, group=group
    )

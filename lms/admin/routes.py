"""Admin pages. Every view here is for the admin role only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import jobs
from lms.access import role_required
from lms.accounts import services as accounts
from lms.accounts.fresh import fresh_login_required
from lms.accounts.models import ROLE_LABELS, Organisation, Role, User
from lms.admin import bp, queries
from lms.admin.forms import (
    AuditFilterForm,
    OrganisationForm,
    PersonOrganisationForm,
    RevokeRoleForm,
    RoleForm,
)
from lms.admin.services import OrganisationError, save_organisation
from lms.extensions import db
from lms.forms import EmptyForm, add_error, choices
from lms.notifications.models import EmailMessage

admin_only = role_required(Role.ADMIN)


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


@bp.route("/people")
@admin_only
def list_people():
    search = request.args.get("q", "").strip()[:200]
    role_value = request.args.get("role", "")
    role = Role(role_value) if role_value in {r.value for r in Role} else None
    people = db.paginate(
        queries.people_query(search, role),
        page=_page(),
        per_page=queries.PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "admin/people_list.html", people=people, search=search, role=role, role_labels=ROLE_LABELS
    )


def _person_forms(person: User):
    role_form = RoleForm(prefix="grant")
    role_form.role.choices = choices(
        (r.value, ROLE_LABELS[r]) for r in Role if not person.has_role(r)
    )
    org_form = PersonOrganisationForm(
        prefix="org", organisation_id=str(person.organisation_id or "")
    )
    org_form.organisation_id.choices = choices(
        [("", _("No organisation"))]
        + [(str(o.id), o.name) for o in db.session.scalars(queries.organisations_query())]
    )
    return role_form, org_form


def _render_person(person: User, role_form: RoleForm, org_form: PersonOrganisationForm) -> str:
    return render_template(
        "admin/person_show.html",
        person=person,
        role_form=role_form,
        org_form=org_form,
        revoke_form=RevokeRoleForm(),
        toggle_form=EmptyForm(),
    )


@bp.route("/people/<int:user_id>")
@admin_only
def show_person(user_id: int):
    person = db.get_or_404(User, user_id)
    return _render_person(person, *_person_forms(person))


@bp.route("/people/<int:user_id>/roles", methods=["POST"])
@admin_only
@fresh_login_required
def grant_role(user_id: int):
    person = db.get_or_404(User, user_id)
    role_form, org_form = _person_forms(person)
    if role_form.validate_on_submit():
        role = Role(role_form.role.data)
        accounts.grant_role(person, role, by=current_user)
        flash(_("%(name)s is now a %(role)s", name=person.name, role=ROLE_LABELS[role]), "success")
        return redirect(url_for("admin.show_person", user_id=person.id))
    return _render_person(person, role_form, org_form), 400


@bp.route("/people/<int:user_id>/roles/revoke", methods=["POST"])
@admin_only
@fresh_login_required
def revoke_role(user_id: int):
    person = db.get_or_404(User, user_id)
    form = RevokeRoleForm()
    if not form.validate_on_submit() or form.role.data not in {r.value for r in Role}:
        abort(400)
    role = Role(form.role.data)
    try:
        accounts.revoke_role(person, role, by=current_user)
    except accounts.AccountError as exc:
        flash(exc.message, "error")
    else:
        flash(
            _("%(name)s is no longer a %(role)s", name=person.name, role=ROLE_LABELS[role]),
            "success",
        )
    return redirect(url_for("admin.show_person", user_id=person.id))


@bp.route("/people/<int:user_id>/organisation", methods=["POST"])
@admin_only
def set_person_organisation(user_id: int):
    person = db.get_or_404(User, user_id)
    role_form, org_form = _person_forms(person)
    if org_form.validate_on_submit():
        value = org_form.organisation_id.data
        accounts.set_organisation(person, int(value) if value else None, by=current_user)
        flash(_("Organisation saved"), "success")
        return redirect(url_for("admin.show_person", user_id=person.id))
    return _render_person(person, role_form, org_form), 400


@bp.route("/people/<int:user_id>/active", methods=["POST"])
@admin_only
def toggle_active(user_id: int):
    person = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_active(person, not person.is_active, by=current_user)
    except accounts.AccountError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Account enabled") if person.is_active else _("Account disabled"), "success")
    return redirect(url_for("admin.show_person", user_id=person.id))


@bp.route("/organisations")
@admin_only
def list_organisations():
    organisations = db.paginate(
        queries.organisations_query(), page=_page(), per_page=queries.PAGE_SIZE, error_out=False
    )
    return render_template("admin/organisations_list.html", organisations=organisations)


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_organisation(organisation_id: int | None = None):
    org = db.get_or_404(Organisation, organisation_id) if organisation_id else None
    form = OrganisationForm(obj=org)
    if request.method == "GET" and org is not None:
        form.sector.data, form.region.data = org.sector.value, org.region.value
    if form.validate_on_submit():
        try:
            org = save_organisation(
                org,
                name=form.name.data,
                sector=form.sector.data,
                region=form.region.data,
                ods_code=form.ods_code.data,
                by=current_user,
            )
        except OrganisationError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("%(name)s has been saved", name=org.name), "success")
            return redirect(url_for("admin.list_organisations"))
    return render_template("admin/organisation_edit.html", form=form, organisation=org)


@bp.route("/audit")
@admin_only
def audit_log():
    form = AuditFilterForm(request.args)
    valid = form.validate() if request.args else True
    events = None
    if valid:
        query = queries.audit_query(form.person.data, form.action.data, form.start, form.end)
        events = db.paginate(query, page=_page(), per_page=queries.PAGE_SIZE, error_out=False)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/audit_log.html", form=form, events=events, filters=filters)


@bp.route("/outbox")
@admin_only
def outbox():
    messages = db.paginate(
        db.select(EmailMessage).order_by(EmailMessage.created_at.desc(), EmailMessage.id.desc()),
        page=_page(),
        per_page=queries.PAGE_SIZE,
        error_out=False,
    )
    return render_template("admin/outbox.html", messages=messages)


@bp.route("/outbox/<int:message_id>")
@admin_only
def show_email(message_id: int):
    return render_template("admin/email_show.html", message=db.get_or_404(EmailMessage, message_id))


@bp.route("/jobs/failed")
@admin_only
def failed_jobs():
    failures = db.paginate(
        db.select(jobs.JobFailure).order_by(jobs.JobFailure.failed_at.desc()),
        page=_page(),
        per_page=queries.PAGE_SIZE,
        error_out=False,
    )
    return render_template("admin/failed_jobs.html", failures=failures, retry_form=EmptyForm())


@bp.route("/jobs/failed/<int:failure_id>/retry", methods=["POST"])
@admin_only
def retry_job(failure_id: int):
    failure = db.get_or_404(jobs.JobFailure, failure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if failure.retried_at is None:
        jobs.retry_failure(failure)
        flash(_("The job has been run again"), "success")
    return redirect(url_for("admin.failed_jobs"))

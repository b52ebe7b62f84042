"""Leads' set allocation pages: run the allocator for an intake's facilitators and a GMTS
cohort, read the proposed sets with every rule and preference the allocator could not
meet, move trainees and change facilitators by hand, then confirm or discard.

Proposed sets are seen by leads only; confirming is refused while any set breaks a hard
rule (``allocation_runs.confirm_run`` checks again, whatever the page showed).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import role_required
from lms.accounts.models import Role, User
from lms.applications.models import Intake
from lms.applications.queries import facilitator_counts, intakes_newest_first
from lms.extensions import db
from lms.forms import EmptyForm, add_error
from lms.practice import allocation_data, allocation_runs, bp, queries
from lms.practice.allocation_runs import SetCheck
from lms.practice.lead_forms import (
    AllocateForm,
    FacilitatorsForm,
    MoveForm,
    allocate_form,
    facilitators_form,
    move_form,
)
from lms.practice.models import (
    AllocationRun,
    PracticeSet,
)
from lms.practice.services import PracticeError


def _intake(intake_id: int) -> Intake:
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        abort(404)
    return intake


def _run(run_id: int) -> AllocationRun:
    run = db.session.get(AllocationRun, run_id)
    if run is None:
        abort(404)
    return run


def _back(intake_id: int, anchor: str):
    return redirect(url_for("practice.lead_intake", intake_id=intake_id, _anchor=anchor))


# --- Reading -------------------------------------------------------------------------------


@dataclass
class Explanation:
    """One rule or preference the allocator could not meet, for the page."""

    text: str
    people: list[str]


def _explain(reason: dict, names: dict[int, str], leave_out: int | None = None) -> Explanation:
    ids = [*reason.get("trainee_ids", []), *reason.get("facilitator_ids", [])]
    people = [names[uid] for uid in dict.fromkeys(ids) if uid != leave_out and uid in names]
    return Explanation(allocation_data.reason_text(reason), people)


@dataclass
class Card:
    """A proposed set as the lead reads it."""

    practice_set: PracticeSet
    points: int
    breaches: list[Explanation]
    reasons: list[Explanation]
    form: FacilitatorsForm


@dataclass
class Unplaced:
    user: User
    why: Explanation


# --- Pages ---------------------------------------------------------------------------------


@bp.route("/lead/practice")
@role_required(Role.LEAD)
def lead_overview():
    return render_template(
        "practice/lead_overview.html",
        intakes=intakes_newest_first(),
        facilitators=facilitator_counts(),
        counts=queries.set_counts(),
        cohorts=queries.cohorts(),
    )


@bp.route("/lead/practice/<int:intake_id>")
@role_required(Role.LEAD)
def lead_intake(intake_id: int):
    return _page(_intake(intake_id))


def _page(
    intake: Intake,
    status: int = 200,
    allocate: AllocateForm | None = None,
    move: MoveForm | None = None,
    confirm: EmptyForm | None = None,
    facilitator_forms: dict[int, FacilitatorsForm] | None = None,
):
    run = queries.open_run(intake.id)
    sets = queries.run_sets(run.id) if run else []
    checks: list[SetCheck] = allocation_runs.check_sets(sets) if sets else []
    profiles = allocation_data.facilitator_pool(intake)
    in_sets = {uid for s in sets for uid in s.member_ids}
    waiting = [r for r in (run.unplaced if run else []) if r["trainee_id"] not in in_sets]
    unplaced_users = queries.users_by_id([r["trainee_id"] for r in waiting])
    names = {p.user.id: p.user.name for p in profiles}
    names.update({m.user_id: m.user.name for s in sets for m in s.members})
    names.update({f.user_id: f.user.name for s in sets for f in s.facilitators})
    names.update({uid: u.name for uid, u in unplaced_users.items()})
    facilitator_forms = facilitator_forms or {}
    cards = [
        Card(
            c.practice_set,
            c.points,
            [_explain(r, names) for r in c.breaches],
            [_explain(r, names) for r in c.reasons],
            facilitators_form(c.practice_set, profiles, facilitator_forms.get(c.practice_set.id)),
        )
        for c in checks
    ]
    unplaced = [
        Unplaced(unplaced_users[r["trainee_id"]], _explain(r, names, leave_out=r["trainee_id"]))
        for r in waiting
        if r["trainee_id"] in unplaced_users
    ]
    confirmed = queries.confirmed_sets(intake.id)
    moving = move_form(sets, [u.user for u in unplaced], move)
    forms_with_errors = [
        f
        for f in (allocate, move, confirm, *facilitator_forms.values())
        if f is not None and f.errors
    ]
    return (
        render_template(
            "practice/lead_intake.html",
            intake=intake,
            run=run,
            cards=cards,
            broken=[c for c in cards if c.breaches],
            total=sum(c.points for c in cards),
            unplaced=unplaced,
            trainees=queries.trainee_profiles([*in_sets, *unplaced_users]),
            confirmed=confirmed,
            allocate=allocate_form(allocation_data.gmts_cohorts(), allocate),
            move=moving,
            action_form=EmptyForm(),
            errors=forms_with_errors,
        ),
        status,
    )


# --- Changes -------------------------------------------------------------------------------


@bp.route("/lead/practice/<int:intake_id>/allocate", methods=["POST"])
@role_required(Role.LEAD)
def allocate_sets(intake_id: int):
    intake = _intake(intake_id)
    form = allocate_form(allocation_data.gmts_cohorts())
    if form.validate_on_submit():
        try:
            run = allocation_runs.run_allocation(
                intake, form.gmts_intake.data, form.mode.data or None, by=current_user
            )
        except PracticeError as exc:
            add_error(form, exc.field, exc.message)
        else:
            made = len(queries.run_sets(run.id))
            flash(
                ngettext(
                    "%(num)d set proposed. Check it, move people if you need to, then confirm.",
                    "%(num)d sets proposed. Check them, move people if you need to, then confirm.",
                    made,
                ),
                "success",
            )
            if run.unplaced:
                flash(
                    ngettext(
                        "%(num)d trainee could not be placed. The page says why.",
                        "%(num)d trainees could not be placed. The page says why.",
                        len(run.unplaced),
                    ),
                    "info",
                )
            return _back(intake.id, "proposal")
    return _page(intake, 400, allocate=form)


@bp.route("/lead/practice/runs/<int:run_id>/move", methods=["POST"])
@role_required(Role.LEAD)
def move_trainee(run_id: int):
    run = _run(run_id)
    intake = _intake(run.intake_id)
    # Every set the run made, confirmed ones too: the service says why those cannot change.
    sets = queries.sets_of_run(run.id)
    in_sets = {uid for s in sets for uid in s.member_ids}
    waiting = queries.users_by_id(
        [r["trainee_id"] for r in run.unplaced if r["trainee_id"] not in in_sets]
    )
    form = move_form(sets, list(waiting.values()), MoveForm(prefix="move"))
    if form.validate_on_submit():
        target = next(s for s in sets if str(s.id) == form.to_set.data)
        trainee_id = int(form.trainee.data)
        try:
            allocation_runs.move_trainee(trainee_id, target, by=current_user)
        except PracticeError as exc:
            add_error(form, "to_set" if exc.field is None else exc.field, exc.message)
        else:
            flash(
                _(
                    "Moved to %(set)s. Every set's rules and score have been checked again.",
                    set=target.name,
                ),
                "success",
            )
            return _back(intake.id, f"set-{target.id}")
    return _page(intake, 400, move=form)


@bp.route("/lead/practice/sets/<int:set_id>/facilitators", methods=["POST"])
@role_required(Role.LEAD)
def change_facilitators(set_id: int):
    practice_set = queries.practice_set(set_id)
    if practice_set is None:
        abort(404)
    intake = practice_set.intake
    form = facilitators_form(
        practice_set,
        allocation_data.facilitator_pool(intake),
        FacilitatorsForm(prefix=f"set{practice_set.id}"),
    )
    if form.validate_on_submit():
        try:
            allocation_runs.set_facilitators(
                practice_set, [int(uid) for uid in form.facilitators.data], by=current_user
            )
        except PracticeError as exc:
            add_error(form, "facilitators", exc.message)
        else:
            flash(
                _("The facilitators of %(set)s have been changed", set=practice_set.name),
                "success",
            )
            return _back(intake.id, f"set-{practice_set.id}")
    return _page(intake, 400, facilitator_forms={practice_set.id: form})


@bp.route("/lead/practice/runs/<int:run_id>/confirm", methods=["POST"])
@role_required(Role.LEAD)
def confirm_sets(run_id: int):
    run = _run(run_id)
    intake = _intake(run.intake_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        confirmed = allocation_runs.confirm_run(run, by=current_user)
    except PracticeError as exc:
        add_error(form, None, exc.message)
        return _page(intake, 400, confirm=form)
    flash(
        ngettext(
            "%(num)d set confirmed. Its facilitators and trainees have been told.",
            "%(num)d sets confirmed. Their facilitators and trainees have been told.",
            len(confirmed),
        ),
        "success",
    )
    return _back(intake.id, "confirmed-sets")


@bp.route("/lead/practice/<int:intake_id>/discard", methods=["POST"])
@role_required(Role.LEAD)
def discard_sets(intake_id: int):
    intake = _intake(intake_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if allocation_runs.discard_proposals(intake, by=current_user):
        flash(_("The proposed sets have been discarded"), "success")
    else:
        flash(_("There were no proposed sets to discard"), "info")
    return _back(intake.id, "allocate")

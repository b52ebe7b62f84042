"""Leads' buddy pages: run pairing for an intake, preview the pairs with their reasons,
swap people, confirm, set must and must-not rules, and deal with re-pairing requests."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask import request as flask_request
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import role_required
from lms.accounts.models import Role
from lms.applications.models import Intake
from lms.applications.queries import facilitator_counts, facilitator_profiles, intakes_newest_first
from lms.buddy import bp, queries, services
from lms.buddy.forms import JoinForm, RuleForm, SwapForm
from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus, PairingRule, RuleKind
from lms.buddy.services import REASON_LABELS, WARNINGS, BuddyError
from lms.extensions import db
from lms.forms import EmptyForm, add_error, choices


def _intake(intake_id: int) -> Intake:
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        abort(404)
    return intake


@bp.route("/lead/buddies")
@role_required(Role.LEAD)
def lead_overview():
    intakes = intakes_newest_first()
    facilitators = facilitator_counts()
    counts = {
        (intake_id, status.value): n
        for intake_id, status, n in db.session.execute(
            db.select(BuddyGroup.intake_id, BuddyGroup.status, db.func.count(BuddyMember.id))
            .join(BuddyMember)
            .group_by(BuddyGroup.intake_id, BuddyGroup.status)
        ).all()
    }
    return render_template(
        "buddy/lead_overview.html", intakes=intakes, facilitators=facilitators, counts=counts
    )


def _forms(profiles, pending, confirmed, unpaired):
    label = {p.user.id: p.user.name for p in profiles}
    in_pending = [(str(m.user_id), label.get(m.user_id, "")) for g in pending for m in g.members]
    swap = SwapForm(prefix="swap")
    swap.first.choices = choices([("", _("Select a person")), *sorted(in_pending, key=_by_name)])
    swap.second.choices = swap.first.choices
    rule = RuleForm(prefix="rule")
    everyone = [("", _("Select a person"))] + [(str(p.user.id), p.user.name) for p in profiles]
    rule.first.choices = rule.second.choices = choices(everyone)
    join = JoinForm(prefix="join")
    join.person.choices = choices(
        [("", _("Select a person"))] + [(str(p.user.id), p.user.name) for p in unpaired]
    )
    join.group.choices = choices(
        [("", _("Select a pair"))]
        + [
            (str(g.id), " & ".join(m.user.name for m in g.members))
            for g in confirmed
            if len(g.members) == 2
        ]
    )
    return {"swap": swap, "rule": rule, "join": join}


def _by_name(choice):
    return choice[1]


@bp.route("/lead/buddies/<int:intake_id>")
@role_required(Role.LEAD)
def intake_pairs(intake_id: int):
    return _page(_intake(intake_id))


def _page(intake: Intake, status: int = 200, **forms):
    profiles = facilitator_profiles(intake.id)
    current = queries.groups(intake.id, BuddyStatus.PENDING, BuddyStatus.CONFIRMED)
    pending = [g for g in current if g.status is BuddyStatus.PENDING]
    confirmed = [g for g in current if g.status is BuddyStatus.CONFIRMED]
    paired = {m.user_id for g in current for m in g.members}
    unpaired = [p for p in profiles if p.user.id not in paired]
    built = _forms(profiles, pending, confirmed, unpaired)
    built.update(forms)
    rules = queries.rules(intake.id)
    names = {p.user.id: p.user.name for p in profiles}
    for g in pending + confirmed:
        names.update({m.user_id: m.user.name for m in g.members})
    return (
        render_template(
            "buddy/lead_intake.html",
            intake=intake,
            pending=pending,
            confirmed=confirmed,
            unpaired=unpaired,
            profiles={p.user.id: p for p in profiles},
            names=names,
            check_ins=queries.check_in_counts_by_group([g.id for g in confirmed]),
            requests=queries.open_requests(intake.id),
            rules=rules,
            problems=services.problems(intake, pending, rules) if pending else [],
            total=sum(g.points for g in pending),
            same_organisation=sum(g.same_organisation for g in pending),
            repeats=sum(g.repeats for g in pending),
            reason_labels=REASON_LABELS,
            warnings={r.value for r in WARNINGS},
            required=services.check_ins_required(intake.id),
            action_form=EmptyForm(),
            **built,
        ),
        status,
    )


def _done(intake: Intake):
    return redirect(url_for("buddy.intake_pairs", intake_id=intake.id))


def _post_button(intake: Intake, action) -> tuple | None:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        return action()
    except BuddyError as exc:
        flash(exc.message, "error")
        return None


@bp.route("/lead/buddies/<int:intake_id>/run", methods=["POST"])
@role_required(Role.LEAD)
def run_pairing(intake_id: int):
    intake = _intake(intake_id)
    proposal = _post_button(intake, lambda: services.run_pairing(intake, by=current_user))
    if proposal is not None:
        flash(
            _(
                "%(num)d groups proposed, scoring %(total)d in all. Check them, swap people if "
                "you need to, then confirm.",
                num=len(proposal.result.groups),
                total=proposal.result.total,
            ),
            "success",
        )
    return _done(intake)


@bp.route("/lead/buddies/<int:intake_id>/confirm", methods=["POST"])
@role_required(Role.LEAD)
def confirm(intake_id: int):
    intake = _intake(intake_id)
    count = _post_button(intake, lambda: services.confirm(intake, by=current_user))
    if count:
        flash(
            _("%(num)d pairs confirmed. Everyone has been told who their buddy is.", num=count),
            "success",
        )
    return _done(intake)


@bp.route("/lead/buddies/<int:intake_id>/discard", methods=["POST"])
@role_required(Role.LEAD)
def discard(intake_id: int):
    intake = _intake(intake_id)
    if _post_button(intake, lambda: services.discard(intake, by=current_user)) is not None:
        flash(_("The proposed pairs have been discarded"), "success")
    return _done(intake)


def _person(form_field, profiles):
    return next((p.user for p in profiles if str(p.user.id) == form_field.data), None)


@bp.route("/lead/buddies/<int:intake_id>/swap", methods=["POST"])
@role_required(Role.LEAD)
def swap(intake_id: int):
    intake = _intake(intake_id)
    profiles = facilitator_profiles(intake.id)
    pending = queries.groups(intake.id, BuddyStatus.PENDING)
    form = _forms(profiles, pending, [], [])["swap"]
    if form.validate_on_submit():
        try:
            services.swap(
                intake, _person(form.first, profiles), _person(form.second, profiles), current_user
            )
        except BuddyError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Swapped. The scores of both groups have been worked out again."), "success")
            return _done(intake)
    return _page(intake, 400, swap=form)


@bp.route("/lead/buddies/<int:intake_id>/rules", methods=["POST"])
@role_required(Role.LEAD)
def add_rule(intake_id: int):
    intake = _intake(intake_id)
    profiles = facilitator_profiles(intake.id)
    form = _forms(profiles, [], [], [])["rule"]
    if form.validate_on_submit():
        try:
            services.add_rule(
                intake,
                _person(form.first, profiles),
                _person(form.second, profiles),
                RuleKind(form.kind.data),
                by=current_user,
            )
        except BuddyError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _("The rule has been saved. It applies the next time you run pairing."), "success"
            )
            return _done(intake)
    return _page(intake, 400, rule=form)


@bp.route("/lead/buddies/<int:intake_id>/rules/<int:rule_id>/delete", methods=["POST"])
@role_required(Role.LEAD)
def remove_rule(intake_id: int, rule_id: int):
    intake = _intake(intake_id)
    rule = db.session.get(PairingRule, rule_id)
    if rule is None or rule.intake_id != intake.id:
        abort(404)
    if _post_button(intake, lambda: services.remove_rule(rule, by=current_user) or True):
        flash(_("The rule has been removed"), "success")
    return _done(intake)


@bp.route("/lead/buddies/<int:intake_id>/join", methods=["POST"])
@role_required(Role.LEAD)
def join_pair(intake_id: int):
    intake = _intake(intake_id)
    profiles = facilitator_profiles(intake.id)
    confirmed = queries.groups(intake.id, BuddyStatus.CONFIRMED)
    paired = {m.user_id for g in confirmed for m in g.members}
    form = _forms(profiles, [], confirmed, [p for p in profiles if p.user.id not in paired])["join"]
    if form.validate_on_submit():
        group = next(g for g in confirmed if str(g.id) == form.group.data)
        person = _person(form.person, profiles)
        try:
            services.join_pair(intake, person, group, by=current_user)
        except BuddyError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _("%(name)s has joined the pair, and all three have been told", name=person.name),
                "success",
            )
            return _done(intake)
    return _page(intake, 400, join=form)


@bp.route("/lead/buddies/requests/<int:request_id>/resolve", methods=["POST"])
@role_required(Role.LEAD)
def resolve_request(request_id: int):
    request = queries.request(request_id)
    decision = flask_request.form.get("decision")
    if request is None:
        abort(404)
    if decision not in ("repair", "keep"):
        abort(400)
    intake = _intake(request.group.intake_id)
    done = _post_button(
        intake,
        lambda: services.resolve_repair(request, decision == "repair", by=current_user) or True,
    )
    if done:
        flash(
            _("The pair has ended. Run pairing to pair the people affected again.")
            if decision == "repair"
            else _("The pair has been kept and the facilitator has been told."),
            "success",
        )
    return _done(intake)

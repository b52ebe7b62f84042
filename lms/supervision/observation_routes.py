"""Observation pages: supervisors observing and signing off, buddies observing, facilitators'
self-assessments and reflections, and the leads' read-only view. Rules live in
:mod:`lms.supervision.observation_permissions` and :mod:`lms.supervision.observations`;
these views load, check access, call them and render."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role, User
from lms.applications.queries import intakes_newest_first
from lms.extensions import db
from lms.forms import add_error, choices
from lms.supervision import bp
from lms.supervision import observation_permissions as may
from lms.supervision import observation_queries as obs_queries
from lms.supervision import observations as obs
from lms.supervision.models import CRITERION_LABELS, Observation, ObservationKind
from lms.supervision.observation_forms import (
    RECORD,
    CorrectionForm,
    IntakeFilterForm,
    ReflectionForm,
    observation_form,
)
from lms.supervision.observations import ObservationError

OBSERVERS = (Role.SUPERVISOR, Role.FACILITATOR)


def _observation(observation_id: int) -> Observation:
    found = obs.observation(observation_id)
    if found is None:
        abort(404)
    require(
        may.can_see(current_user, found),
        hide=True,
        subject=found,
        reason="not their observation",
    )
    return found


def _practice_session(session_id: int):
    session = obs.practice_session(session_id)
    if session is None:
        abort(404)
    return session


def _show_errors(form, exc: ObservationError) -> None:
    for field, message in exc.problems:
        add_error(form, field if field and field in form else None, message)


def _list_for(observation: Observation) -> str:
    """Where "back" goes: the list the person reaches this observation from."""
    mine = observation.facilitator_id == current_user.id or (
        observation.observer_id == current_user.id
        and observation.kind is not ObservationKind.SUPERVISOR
    )
    if mine and current_user.has_role(Role.FACILITATOR):
        return url_for("supervision.my_observations")
    if current_user.has_role(Role.SUPERVISOR):
        return url_for("supervision.observations")
    if current_user.has_role(Role.LEAD):
        return url_for("supervision.lead_observations")
    return url_for("supervision.my_observations")


@bp.route("/supervision/observations")
@role_required(Role.SUPERVISOR)
def observations():
    return render_template(
        "supervision/observation_overview.html",
        people=obs_queries.supervisor_overview(current_user),
    )


@bp.route("/supervision/observations/mine")
@role_required(Role.FACILITATOR)
def my_observations():
    return render_template(
        "supervision/observation_mine.html", mine=obs_queries.facilitator_overview(current_user)
    )


def _edit(observation: Observation):
    """The form for a draft (or a new one, stored on its first save)."""
    form = observation_form(observation)
    if form.validate_on_submit():
        record = form.recording
        try:
            obs.save_observation(
                observation,
                form.ratings(),
                form.summary.data,
                form.outcome_value,
                record=record,
                by=current_user,
            )
        except ObservationError as exc:
            _show_errors(form, exc)
        else:
            if observation.kind is ObservationKind.SELF:
                flash(_("Your self-assessment has been saved"), "success")
                return redirect(url_for("supervision.my_observations"))
            if record:
                flash(
                    _(
                        "The observation has been recorded and %(name)s has been told",
                        name=observation.facilitator.name,
                    ),
                    "success",
                )
                return redirect(
                    url_for("supervision.show_observation", observation_id=observation.id)
                )
            flash(_("Your draft has been saved. Only you can see it."), "success")
            return redirect(url_for("supervision.edit_observation", observation_id=observation.id))
    return render_template(
        "supervision/observation_form.html",
        form=form,
        observation=observation,
        record=RECORD,
        back_url=_list_for(observation),
    )


@bp.route(
    "/supervision/observations/new/<int:session_id>/<int:facilitator_id>",
    methods=["GET", "POST"],
)
@role_required(*OBSERVERS)
def new_observation(session_id: int, facilitator_id: int):
    session = _practice_session(session_id)
    facilitator = db.session.get(User, facilitator_id)
    kind = may.may_observe(current_user, facilitator, session) if facilitator else None
    require(kind is not None, subject=session, reason="may not observe this facilitator")
    existing = obs.own_observation(current_user.id, facilitator.id, session.id, kind)
    if existing is not None and existing.is_recorded:
        flash(
            _(
                "You have already recorded an observation of this session. To change it, "
                "correct it."
            ),
            "warning",
        )
        return redirect(url_for("supervision.show_observation", observation_id=existing.id))
    if existing is not None:
        return redirect(url_for("supervision.edit_observation", observation_id=existing.id))
    return _edit(obs.start_or_get_draft(current_user, facilitator, session))


@bp.route("/supervision/observations/<int:observation_id>/edit", methods=["GET", "POST"])
@role_required(*OBSERVERS)
def edit_observation(observation_id: int):
    observation = _observation(observation_id)
    if observation.is_recorded:
        flash(
            _("This observation has been recorded, so it cannot be changed."),
            "warning",
        )
        return redirect(url_for("supervision.show_observation", observation_id=observation.id))
    if observation.kind is ObservationKind.SELF:
        return redirect(url_for("supervision.self_assessment", session_id=observation.session_id))
    require(may.can_edit(current_user, observation), subject=observation, reason="not the observer")
    return _edit(observation)


@bp.route("/supervision/observations/<int:observation_id>")
@role_required(Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD)
def show_observation(observation_id: int):
    observation = _observation(observation_id)
    own_view, buddy = obs.companions(current_user, observation)
    correction = obs.correction_of(observation.id)
    if correction is not None and not correction.is_recorded:
        # An unfinished correction is its observer's alone, like any draft.
        own_draft = correction if correction.observer_id == current_user.id else None
        correction = None
    else:
        own_draft = None
    return render_template(
        "supervision/observation_show.html",
        observation=observation,
        criteria=list(CRITERION_LABELS),
        ratings=obs.ratings_by_criterion(observation),
        own_view=own_view,
        own_ratings=obs.ratings_by_criterion(own_view),
        buddy=buddy,
        buddy_ratings=obs.ratings_by_criterion(buddy),
        correction=correction,
        sees_correction=correction is not None and may.can_see(current_user, correction),
        sees_original=observation.corrects is not None
        and may.can_see(current_user, observation.corrects),
        correction_draft=own_draft,
        reflection=obs.reflection(observation.id)
        if observation.kind is not ObservationKind.SELF
        else None,
        can_edit=may.can_edit(current_user, observation),
        can_correct=correction is None
        and own_draft is None
        and may.can_correct(current_user, observation),
        can_reflect=may.can_reflect(current_user, observation),
        can_self_assess=observation.kind is ObservationKind.SELF
        and observation.observer_id == current_user.id
        and not obs.self_assessment_locked(current_user.id, observation.session_id),
        back_url=_list_for(observation),
    )


@bp.route("/supervision/observations/<int:observation_id>/correct", methods=["GET", "POST"])
@role_required(*OBSERVERS)
def correct_observation(observation_id: int):
    observation = _observation(observation_id)
    require(
        may.can_correct(current_user, observation),
        subject=observation,
        reason="may not correct this observation",
    )
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            draft = obs.correct(observation, current_user, form.reason.data)
        except ObservationError as exc:
            _show_errors(form, exc)
        else:
            flash(_("Make your corrections, then record them. The original is kept."), "success")
            return redirect(url_for("supervision.edit_observation", observation_id=draft.id))
    return render_template(
        "supervision/observation_correct.html", form=form, observation=observation
    )


@bp.route("/supervision/observations/<int:observation_id>/reflection", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def observation_reflection(observation_id: int):
    observation = _observation(observation_id)
    require(
        may.can_reflect(current_user, observation),
        subject=observation,
        reason="may not reflect on this observation",
    )
    existing = obs.reflection(observation.id)
    form = ReflectionForm(
        data={"text": existing.text} if existing and request.method == "GET" else None
    )
    if form.validate_on_submit():
        try:
            obs.save_reflection(observation, current_user, form.text.data)
        except ObservationError as exc:
            _show_errors(form, exc)
        else:
            flash(_("Your reflection has been saved"), "success")
            return redirect(url_for("supervision.show_observation", observation_id=observation.id))
    return render_template(
        "supervision/observation_reflection.html",
        form=form,
        observation=observation,
        existing=existing,
    )


@bp.route("/supervision/observations/self/<int:session_id>", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def self_assessment(session_id: int):
    session = _practice_session(session_id)
    require(
        may.may_self_assess(current_user, session),
        subject=session,
        reason="not a facilitator of this set",
    )
    observation = obs.self_assessment(current_user, session)
    if obs.self_assessment_locked(current_user.id, session.id):
        flash(
            _(
                "Your supervisor has recorded their observation of this session, so your "
                "self-assessment can no longer be changed."
            ),
            "warning",
        )
        if observation.id is None:
            return redirect(url_for("supervision.my_observations"))
        return redirect(url_for("supervision.show_observation", observation_id=observation.id))
    return _edit(observation)


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


@bp.route("/lead/supervision/observations")
@role_required(Role.LEAD)
def lead_observations():
    form = IntakeFilterForm(formdata=request.args)
    intakes = intakes_newest_first()
    form.intake.choices = choices([("", _("All intakes")), *((str(i.id), i.name) for i in intakes)])
    intake_id = int(form.intake.data) if form.validate() and form.intake.data else None
    page = obs_queries.lead_page(intake_id, _page())
    return render_template(
        "supervision/observation_lead.html",
        form=form,
        page=page,
        superseded=obs_queries.superseded_among([o.id for o in page.items]),
        counts=obs_queries.outcome_counts(intake_id),
        args={"intake": str(intake_id)} if intake_id else {},
    )

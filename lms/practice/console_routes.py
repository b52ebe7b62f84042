"""The session console: one page a facilitator runs a live set session from.

Every part of it is an ordinary form that posts and comes back to the console, so it
works with JavaScript off. With JavaScript, ``console.js`` posts the same forms in the
background as the facilitator types (asking for JSON), keeps unsent changes in the
browser until the server has them, and runs the stage timer from the time the server
recorded, so a reload or a dropped connection loses nothing.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.curriculum.forms import register_field_name
from lms.db_types import utcnow
from lms.extensions import db
from lms.forms import EmptyForm, choices
from lms.practice import bp, confidential, equity, permissions, queries, running
from lms.practice.equity import STAGE_HINTS, STAGE_LABELS
from lms.practice.forms import (
    PresenterForm,
    StageForm,
    follow_through_field,
    follow_through_form,
    presentation_form,
    register_form,
)
from lms.practice.models import (
    FollowThroughStatus,
    PracticeAttendanceStatus,
    PracticeSession,
    Presentation,
    Theme,
)
from lms.practice.routes import load_session
from lms.practice.running import ActionDraft
from lms.practice.services import PracticeError


def _run(session_id: int) -> PracticeSession:
    session = load_session(session_id)
    require(
        permissions.can_run(current_user, session.set),
        hide=True,
        subject=session,
        reason="not a facilitator of this set",
    )
    return session


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _console_url(session: PracticeSession, anchor: str | None = None) -> str:
    return url_for("practice.console", session_id=session.id, _anchor=anchor)


def _saved(session: PracticeSession, message: str, anchor: str, **extra):
    if _wants_json():
        return jsonify(
            ok=True,
            message=message,
            saved_at=format_datetime(utcnow(), "HH:mm:ss"),
            **extra,
        )
    flash(message)
    return redirect(_console_url(session, anchor))


def _failed(
    session: PracticeSession,
    forms: dict,
    message: str,
    field: str | None = None,
    anchor: str | None = None,
):
    """Show the console again with the error and everything that was typed; the error
    summary links to ``anchor``, the part of the page with the problem."""
    if _wants_json():
        return jsonify(ok=False, errors=[message], field=field), 400
    return _render(session, forms=forms, error=(message, anchor or field)), 400


def _form_errors(form) -> str:
    for f in form:
        if f.errors:
            return f.errors[0]
    return _("Check what you entered")


def _render(session: PracticeSession, forms: dict | None = None, error=None):
    forms = forms or {}
    practice_set = session.set
    presentations = confidential.presentations(session.id)
    plan = running.stages(session, len(presentations))
    step = equity.stage_index(plan, session.stage, session.stage_round)
    register = queries.register(session.id)
    items = confidential.report_back(session)
    ledger = running.ledger(practice_set)
    unavailable = [
        uid
        for uid, status in register.items()
        if status in (PracticeAttendanceStatus.APOLOGIES, PracticeAttendanceStatus.ABSENT)
    ]
    presenting = [p.presenter_id for p in presentations]
    queue = equity.presenter_queue(ledger, unavailable, presenting)
    suggested = equity.suggest_presenters(ledger, unavailable, presenting)
    presenter_form = forms.get("presenter") or PresenterForm(prefix="presenter")
    presenter_form.presenter.choices = choices(
        [("", _("Select a member"))] + [(str(e.user_id), e.name) for e in queue]
    )
    if not presenter_form.presenter.data and suggested:
        presenter_form.presenter.data = str(suggested[0].user_id)
    presentation_forms = {
        p.id: forms.get(("presentation", p.id)) or presentation_form(p, p.actions)
        for p in presentations
    }
    form = forms.get("register") or register_form(practice_set.members, register)
    follow = forms.get("follow") or follow_through_form(items)
    return render_template(
        "practice/console.html",
        session=session,
        practice_set=practice_set,
        plan=plan,
        step=step,
        stage_labels=STAGE_LABELS,
        stage_hints=STAGE_HINTS,
        empty=EmptyForm(),
        register_form=form,
        register_field=register_field_name,
        register=register,
        items=items,
        follow_form=follow,
        follow_field=follow_through_field,
        presentations=presentations,
        presentation_forms=presentation_forms,
        presenter_form=presenter_form,
        queue=queue,
        suggested=suggested,
        ledger=ledger,
        first_session=session.number == 1,
        error=error,
        now=utcnow(),
    )


@bp.route("/practice/sessions/<int:session_id>/console")
@role_required(Role.FACILITATOR)
def console(session_id: int):
    return _render(_run(session_id))


@bp.route("/practice/sessions/<int:session_id>/console/start", methods=["POST"])
@role_required(Role.FACILITATOR)
def start_session(session_id: int):
    session = _run(session_id)
    if not EmptyForm().validate_on_submit():
        return _failed(session, {}, _("Your form expired. Try again"))
    try:
        running.start_session(session, current_user)
    except PracticeError as exc:
        return _failed(session, {}, exc.message)
    return _saved(session, _("Session started: check-in"), "stages")


@bp.route("/practice/sessions/<int:session_id>/console/stage", methods=["POST"])
@role_required(Role.FACILITATOR)
def move_stage(session_id: int):
    session = _run(session_id)
    form = StageForm(prefix="stage")
    if not form.validate_on_submit() or not (form.step.data or "").isdigit():
        return _failed(session, {}, _("Select a stage"))
    try:
        running.go_to_stage(session, int(form.step.data), current_user)
    except PracticeError as exc:
        return _failed(session, {}, exc.message)
    plan = running.stages(session)
    stage = plan[int(form.step.data)]
    return _saved(
        session,
        _("Now: %(stage)s", stage=str(STAGE_LABELS[stage.key])),
        "stages",
        step=int(form.step.data),
        started_at=session.stage_started_at.isoformat(),
        minutes=stage.minutes,
    )


@bp.route("/practice/sessions/<int:session_id>/console/register", methods=["POST"])
@role_required(Role.FACILITATOR)
def save_register(session_id: int):
    session = _run(session_id)
    members = session.set.members
    form = register_form(members, queries.register(session.id))
    if not form.validate_on_submit():
        return _failed(session, {"register": form}, _form_errors(form), anchor="register")
    statuses = {
        m.user_id: PracticeAttendanceStatus(form[register_field_name(m.user_id)].data)
        for m in members
        if form[register_field_name(m.user_id)].data
    }
    try:
        running.record_register(session, statuses, current_user)
    except PracticeError as exc:
        return _failed(session, {"register": form}, exc.message, "register")
    return _saved(session, _("Register saved"), "register")


@bp.route("/practice/sessions/<int:session_id>/console/presenters", methods=["POST"])
@role_required(Role.FACILITATOR)
def add_presenter(session_id: int):
    session = _run(session_id)
    form = PresenterForm(prefix="presenter")
    form.presenter.choices = choices(
        [("", "")] + [(str(m.user_id), m.user.name) for m in session.set.members]
    )
    if not form.validate_on_submit():
        return _failed(
            session, {"presenter": form}, _form_errors(form), "presenter", anchor="presenters"
        )
    try:
        running.add_presenter(session, int(form.presenter.data), current_user)
    except PracticeError as exc:
        return _failed(session, {"presenter": form}, exc.message, "presenter", "presenters")
    if _wants_json():
        return jsonify(ok=True, reload=True)
    flash(_("Presenter added"))
    return redirect(_console_url(session, "presenters"))


def _presentation(presentation_id: int) -> Presentation:
    # Check who is asking before the row is read: it holds the confidential challenge.
    session_id = queries.presentation_session_id(presentation_id)
    if session_id is None:
        abort(404)
    _run(session_id)
    return db.session.get(Presentation, presentation_id)


@bp.route("/practice/presentations/<int:presentation_id>", methods=["POST"])
@role_required(Role.FACILITATOR)
def save_presentation(presentation_id: int):
    presentation = _presentation(presentation_id)
    session = presentation.session
    form = presentation_form(presentation, confidential.actions_of(presentation.id))
    key = ("presentation", presentation.id)
    if not form.validate_on_submit():
        return _failed(
            session, {key: form}, _form_errors(form), anchor=f"presentation-{presentation.id}"
        )
    drafts = [
        ActionDraft(
            text=form[f"action_{n}_text"].data or "",
            supports=form[f"action_{n}_supports"].data or "",
            risks=form[f"action_{n}_risks"].data or "",
        )
        for n in (1, 2)
    ]
    try:
        running.save_presentation(
            presentation,
            Theme(form.theme.data) if form.theme.data else None,
            form.challenge.data,
            drafts,
            current_user,
        )
    except PracticeError as exc:
        return _failed(
            session, {key: form}, exc.message, exc.field, f"presentation-{presentation.id}"
        )
    return _saved(
        session,
        _("Saved for %(name)s", name=presentation.presenter.name),
        f"presentation-{presentation.id}",
    )


@bp.route("/practice/presentations/<int:presentation_id>/remove", methods=["POST"])
@role_required(Role.FACILITATOR)
def remove_presenter(presentation_id: int):
    presentation = _presentation(presentation_id)
    session = presentation.session
    if not EmptyForm().validate_on_submit():
        return _failed(session, {}, _("Your form expired. Try again"))
    try:
        running.remove_presenter(presentation, current_user)
    except PracticeError as exc:
        return _failed(session, {}, exc.message)
    if _wants_json():
        return jsonify(ok=True, reload=True)
    flash(_("Presenter removed"))
    return redirect(_console_url(session, "presenters"))


@bp.route("/practice/sessions/<int:session_id>/console/follow-through", methods=["POST"])
@role_required(Role.FACILITATOR)
def save_follow_through(session_id: int):
    session = _run(session_id)
    items = confidential.report_back(session)
    form = follow_through_form(items)
    if not form.validate_on_submit():
        return _failed(session, {"follow": form}, _form_errors(form), anchor="report-back")
    entries = {}
    for item in items:
        name = follow_through_field(item.action.id)
        status = form[name].data
        note = form[name + "_note"].data
        if status:
            entries[item.action.id] = (FollowThroughStatus(status), note)
        elif note and note.strip():
            return _failed(
                session,
                {"follow": form},
                _(
                    "Select what became of %(name)s's action before adding a note",
                    name=item.action.owner.name,
                ),
                anchor="report-back",
            )
    try:
        running.record_follow_through(session, entries, current_user)
    except PracticeError as exc:
        return _failed(session, {"follow": form}, exc.message, anchor="report-back")
    return _saved(session, _("Report-back saved"), "report-back")


@bp.route("/practice/sessions/<int:session_id>/console/close", methods=["POST"])
@role_required(Role.FACILITATOR)
def close_session(session_id: int):
    session = _run(session_id)
    if not EmptyForm().validate_on_submit():
        return _failed(session, {}, _("Your form expired. Try again"))
    try:
        running.close_session(session, current_user)
    except PracticeError as exc:
        return _failed(session, {}, exc.message, exc.field)
    message = _("Session ended. Write your reflective log while it is fresh.")
    log_url = url_for("practice.session_log", session_id=session.id)
    if _wants_json():
        # Like every other console endpoint: a fetch gets JSON, never an HTML redirect.
        return jsonify(ok=True, message=message, redirect=log_url)
    flash(message)
    return redirect(log_url)


@bp.route("/practice/sessions/<int:session_id>/console/reopen", methods=["POST"])
@role_required(Role.FACILITATOR)
def reopen_session(session_id: int):
    session = _run(session_id)
    if EmptyForm().validate_on_submit():
        running.reopen_session(session, current_user)
        flash(_("Session reopened"))
    return redirect(_console_url(session, "stages"))

"""Sets and their sessions as facilitators, trainees, supervisors and leads meet them:
the set page, booking, the calendar, the charter, session pages, logs and feedback.

What each person sees of a set is decided by ``permissions``; the text of challenges and
actions is only ever loaded for the set's facilitators (and a trainee's own actions)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.calendar import ics_many
from lms.db_types import utcnow
from lms.forms import add_error
from lms.practice import (
    aggregates,
    bp,
    confidential,
    permissions,
    queries,
    running,
    scheduling,
    services,
)
from lms.practice.forms import CharterForm, FeedbackForm, LogForm, ScheduleForm
from lms.practice.holidays import HOLIDAY_LABELS, nation_for_region
from lms.practice.models import PracticeSession, PracticeSet
from lms.practice.scheduling import SchedulePlan
from lms.practice.services import PracticeError

PEOPLE = (Role.FACILITATOR, Role.TRAINEE, Role.SUPERVISOR, Role.LEAD)


def load_set(set_id: int) -> PracticeSet:
    practice_set = queries.practice_set(set_id)
    if practice_set is None:
        abort(404)
    return check_set(practice_set)


def check_set(practice_set: PracticeSet) -> PracticeSet:
    """Refuse (404) anyone who may not see the set at all."""
    require(
        permissions.can_see_set(current_user, practice_set),
        hide=True,
        subject=practice_set,
        reason="not their set",
    )
    if practice_set.status.value != "confirmed":
        require(
            permissions.can_manage(current_user),
            hide=True,
            subject=practice_set,
            reason="proposed sets are for leads",
        )
    return practice_set


def load_session(session_id: int) -> PracticeSession:
    session = queries.session(session_id)
    if session is None:
        abort(404)
    check_set(session.set)  # loaded with the session, with its people
    return session


@bp.route("/practice")
@role_required(Role.FACILITATOR, Role.TRAINEE, Role.SUPERVISOR)
def overview():
    facilitating = (
        queries.sets_facilitated_by(current_user.id)
        if current_user.has_role(Role.FACILITATOR)
        else []
    )
    member_of = (
        queries.sets_of_member(current_user.id) if current_user.has_role(Role.TRAINEE) else []
    )
    supervised = (
        queries.sets_supervised_by(current_user.id)
        if current_user.has_role(Role.SUPERVISOR)
        else []
    )
    return render_template(
        "practice/overview.html",
        facilitating=facilitating,
        member_of=member_of,
        supervised=supervised,
        now=utcnow(),
        is_facilitator=current_user.has_role(Role.FACILITATOR),
        is_trainee=current_user.has_role(Role.TRAINEE),
        is_supervisor=current_user.has_role(Role.SUPERVISOR),
    )


@bp.route("/practice/sets/<int:set_id>")
@role_required(*PEOPLE)
def show_set(set_id: int):
    practice_set = load_set(set_id)
    runs = permissions.can_run(current_user, practice_set)
    member = permissions.is_member(current_user, practice_set)
    session_ids = [s.id for s in practice_set.sessions]
    context = {
        "practice_set": practice_set,
        "runs": runs,
        "member": member,
        "now": utcnow(),
        "can_book": permissions.can_book(current_user, practice_set),
        "holiday_labels": HOLIDAY_LABELS,
        "is_lead": permissions.can_manage(current_user),
        "questions": services.FEEDBACK_QUESTIONS,
    }
    if runs or not member:
        context["ledger"] = running.ledger(practice_set)
        context["summary"] = aggregates.set_summaries([practice_set.id])[practice_set.id]
        context["presenter_counts"] = aggregates.session_presenter_counts(session_ids)
        context["feedback_counts"] = aggregates.feedback_counts(session_ids)
    if runs:
        context["logs"] = queries.session_logs(session_ids, current_user.id)
        context["feedback"] = aggregates.feedback_summary(session_ids, services.FEEDBACK_THRESHOLD)
        context["threshold"] = services.FEEDBACK_THRESHOLD
    if member:
        context["membership"] = queries.membership(practice_set.id, current_user.id)
        context["own_actions"] = confidential.own_actions(current_user.id, practice_set.id)
        context["answered"] = queries.feedback_receipts(session_ids, current_user.id)
        context["own_register"] = queries.own_attendance(session_ids, current_user.id)
    return render_template("practice/set_show.html", **context)


@bp.route("/practice/sets/<int:set_id>/calendar.ics")
@role_required(*PEOPLE)
def set_calendar(set_id: int):
    practice_set = load_set(set_id)
    body = ics_many(scheduling.calendar_events(practice_set))
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="set-{practice_set.id}.ics"',
        },
    )


@bp.route("/practice/sets/<int:set_id>/book", methods=["GET", "POST"])
@role_required(Role.FACILITATOR, Role.LEAD)
def book_sessions(set_id: int):
    practice_set = load_set(set_id)
    require(
        permissions.can_book(current_user, practice_set),
        subject=practice_set,
        reason="not their set",
    )
    if practice_set.sessions:
        flash(_("This set's sessions are already booked."))
        return redirect(url_for("practice.show_set", set_id=practice_set.id))
    form = ScheduleForm()
    if request.method == "GET":
        form.nation.data = nation_for_region(
            practice_set.region.value if practice_set.region else None
        )
        form.venue.data = practice_set.venue
        form.joining_link.data = practice_set.joining_link
    preview = None
    if form.validate_on_submit():
        plan = SchedulePlan(
            first=form.first.data,
            starts=form.starts.data,
            count=int(form.count.data),
            every_weeks=int(form.every_weeks.data),
            minutes=int(form.minutes.data),
            nation=form.nation.data,
        )
        try:
            if request.form.get("action") == "book":
                scheduling.schedule_set(
                    practice_set, plan, form.venue.data, form.joining_link.data, current_user
                )
                flash(
                    _("Sessions booked. Everyone in the set has been sent the calendar invitation.")
                )
                return redirect(url_for("practice.show_set", set_id=practice_set.id))
            preview = scheduling.preview_schedule(plan)
        except PracticeError as exc:
            add_error(form, exc.field, exc.message)
    return render_template(
        "practice/book.html", form=form, practice_set=practice_set, preview=preview
    )


@bp.route("/practice/sets/<int:set_id>/charter", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def charter(set_id: int):
    practice_set = load_set(set_id)
    membership = queries.membership(practice_set.id, current_user.id)
    require(membership is not None, subject=practice_set, reason="not a member of the set")
    form = CharterForm()
    if form.validate_on_submit():
        services.acknowledge_charter(membership, current_user)
        flash(_("Thank you. You have agreed to the set's charter."))
        return redirect(url_for("practice.show_set", set_id=practice_set.id))
    return render_template(
        "practice/charter.html", form=form, practice_set=practice_set, membership=membership
    )


@bp.route("/practice/sessions/<int:session_id>")
@role_required(*PEOPLE)
def show_session(session_id: int):
    session = load_session(session_id)
    practice_set = session.set
    runs = permissions.can_run(current_user, practice_set)
    member = permissions.is_member(current_user, practice_set)
    register = queries.register(session.id)
    return render_template(
        "practice/session_show.html",
        session=session,
        practice_set=practice_set,
        runs=runs,
        member=member,
        register=register if not member else {},
        own_status=register.get(current_user.id) if member else None,
        themes=aggregates.themes_of([session.id])[session.id] if not member else [],
        presenters=len(queries.presenters(session.id)),
        can_give_feedback=member and services.can_give_feedback(session, current_user),
        gave_feedback=member and queries.gave_feedback(session.id, current_user.id),
        log=queries.session_log(session.id, current_user.id) if runs else None,
        feedback=aggregates.feedback_summary([session.id], services.FEEDBACK_THRESHOLD)
        if runs
        else None,
        responses=aggregates.feedback_counts([session.id]).get(session.id, 0),
        threshold=services.FEEDBACK_THRESHOLD,
        questions=services.FEEDBACK_QUESTIONS,
        now=utcnow(),
        holiday_labels=HOLIDAY_LABELS,
    )


@bp.route("/practice/sessions/<int:session_id>/feedback", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def give_feedback(session_id: int):
    session = load_session(session_id)
    require(
        permissions.is_member(current_user, session.set),
        subject=session,
        reason="not a member of the set",
    )
    if queries.gave_feedback(session.id, current_user.id):
        flash(_("You have already given feedback on this session. Thank you."))
        return redirect(url_for("practice.show_session", session_id=session.id))
    if services.was_away(session, current_user):
        flash(_("You can give feedback only on sessions you were at."))
        return redirect(url_for("practice.show_session", session_id=session.id))
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            services.give_feedback(session, current_user, form.answers, form.comment.data)
        except PracticeError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Thank you. Your feedback has been sent without your name."))
            return redirect(url_for("practice.show_session", session_id=session.id))
    return render_template(
        "practice/feedback.html",
        form=form,
        session=session,
        practice_set=session.set,
        too_early=session.starts_at > utcnow(),
    )


@bp.route("/practice/sessions/<int:session_id>/log", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def session_log(session_id: int):
    session = load_session(session_id)
    require(
        permissions.can_run(current_user, session.set),
        subject=session,
        reason="not their set",
    )
    log = queries.session_log(session.id, current_user.id)
    form = LogForm(obj=log)
    if form.validate_on_submit():
        try:
            services.save_log(session, current_user, form.went_well.data, form.do_differently.data)
        except PracticeError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your log of this session has been saved. It is part of your portfolio."))
            return redirect(url_for("practice.show_session", session_id=session.id))
    return render_template(
        "practice/log.html",
        form=form,
        session=session,
        practice_set=session.set,
        too_early=session.starts_at > utcnow(),
    )


@bp.route("/practice/sets/<int:set_id>/summary.csv")
@role_required(Role.FACILITATOR, Role.SUPERVISOR, Role.LEAD)
def set_summary_csv(set_id: int):
    """The set's registers and counts per session as CSV: never any challenge or action
    text, whoever downloads it."""
    practice_set = load_set(set_id)
    require(
        permissions.can_see_registers(current_user, practice_set),
        subject=practice_set,
        reason="not their set",
    )
    body = scheduling.summary_csv(practice_set)
    return (
        body,
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="set-{practice_set.id}-summary.csv"',
        },
    )

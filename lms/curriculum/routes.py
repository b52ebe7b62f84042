"""The modules as facilitators meet them: the list with progress, a module, its activities,
knowledge-check results, completion, and their own reflections.

Supervisors, leads and admins read the same pages without progress or forms.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.curriculum import bp, permissions, queries, services
from lms.curriculum.activities import Activity, KnowledgeCheck, Reading, Reflection, Workshop
from lms.curriculum.forms import ReflectionForm, answers_from, knowledge_check_form
from lms.curriculum.models import Module, QuizAttempt
from lms.curriculum.progress import AnswerError, ModuleProgress, overall
from lms.curriculum.services import CurriculumError
from lms.db_types import utcnow
from lms.extensions import db
from lms.forms import EmptyForm, add_error

READERS = permissions.MODULE_READERS


def _module(slug: str) -> Module:
    module = queries.module_by_slug(slug)
    if module is None:
        abort(404)
    return module


def _activity(module: Module, key: str, kind: type[Activity] = Activity) -> Activity:
    """The module's activity ``key``; 404 if there is none, or it is not a ``kind``."""
    activity = module.current.activity(key)
    if not isinstance(activity, kind):
        abort(404)
    return activity


def _progress(module: Module, modules: list[Module] | None = None) -> ModuleProgress | None:
    """The signed-in facilitator's progress on ``module``; None for readers who only read."""
    if not permissions.is_learner(current_user):
        return None
    return queries.progress_for(current_user.id, modules or queries.current_modules())[module.id]


def _neighbours(module: Module, activity: Activity) -> tuple[Activity | None, Activity | None]:
    activities = module.current.activities
    index = activities.index(activity)
    before = activities[index - 1] if index > 0 else None
    after = activities[index + 1] if index + 1 < len(activities) else None
    return before, after


def _next_url(module: Module, activity: Activity) -> str:
    after = _neighbours(module, activity)[1]
    if after is None:
        return url_for("curriculum.show_module", slug=module.slug)
    return url_for("curriculum.show_activity", slug=module.slug, key=after.key)


@bp.route("/modules")
@role_required(*READERS)
def list_modules():
    modules = queries.current_modules()
    progress = (
        queries.progress_for(current_user.id, modules)
        if permissions.is_learner(current_user)
        else None
    )
    workshops = queries.workshops_for_member(current_user.id) if progress is not None else []
    return render_template(
        "curriculum/modules_list.html",
        core=[m for m in modules if m.current.is_core],
        optional=[m for m in modules if not m.current.is_core],
        progress=progress,
        overall=overall(progress.values()) if progress is not None else None,
        workshops=[w for w in workshops if not w.is_cancelled and w.ends_at >= utcnow()],
        attendance=queries.attendance_of(current_user.id) if workshops else {},
        titles={m.slug: m.current.title for m in modules},
    )


@bp.route("/modules/<slug>")
@role_required(*READERS)
def show_module(slug: str):
    modules = queries.current_modules()
    module = _module(slug)
    progress = _progress(module, modules)
    return render_template(
        "curriculum/module_show.html",
        module=module,
        version=module.current,
        progress=progress,
        titles={m.slug: m.current.title for m in modules},
        scores=queries.best_scores(current_user.id, module.id) if progress else {},
        form=EmptyForm(),
    )


def _render_activity(module: Module, activity: Activity, progress, **context):
    before, after = _neighbours(module, activity)
    if progress is not None and progress.is_locked:
        modules = queries.current_modules()
        return render_template(
            "curriculum/activity_locked.html",
            module=module,
            activity=activity,
            progress=progress,
            titles={m.slug: m.current.title for m in modules},
            before=None,
            after=None,
        )
    return render_template(
        activity.template,
        module=module,
        activity=activity,
        progress=progress,
        done=progress is not None and activity.key in progress.done_keys,
        before=before,
        after=after,
        **context,
    )


def _activity_context(module: Module, activity: Activity, progress) -> dict:
    """What each kind of activity's page shows besides the activity itself."""
    if isinstance(activity, Reading):
        return {"page": module.current.pages[activity.key], "form": EmptyForm()}
    if isinstance(activity, Reflection):
        saved = queries.reflection(current_user.id, module.id, activity.key) if progress else None
        form = ReflectionForm(data={"answer": saved.answer if saved else ""})
        form.answer.label.text = activity.prompt
        return {"form": form, "saved": saved}
    if isinstance(activity, KnowledgeCheck):
        best = queries.best_scores(current_user.id, module.id) if progress else {}
        return {
            "form": knowledge_check_form(activity),
            "best": best.get((module.id, activity.key)),
        }
    if isinstance(activity, Workshop):
        days = [
            w
            for w in queries.workshops_for_member(current_user.id)
            if w.module_id == module.id and w.activity_key == activity.key
        ]
        return {"days": days, "attendance": queries.attendance_of(current_user.id)}
    return {}


@bp.route("/modules/<slug>/<key>")
@role_required(*READERS)
def show_activity(slug: str, key: str):
    module = _module(slug)
    activity = _activity(module, key)
    progress = _progress(module)
    return _render_activity(
        module, activity, progress, **_activity_context(module, activity, progress)
    )


@bp.route("/modules/<slug>/<key>/read", methods=["POST"])
@role_required(Role.FACILITATOR)
def mark_read(slug: str, key: str):
    module = _module(slug)
    activity = _activity(module, key, Reading)
    if EmptyForm().validate_on_submit():
        try:
            services.mark_read(current_user, module, activity, _progress(module))
        except CurriculumError as exc:
            flash(exc.message, "error")
            return redirect(url_for("curriculum.show_module", slug=slug))
    return redirect(_next_url(module, activity))


@bp.route("/modules/<slug>/<key>/reflection", methods=["POST"])
@role_required(Role.FACILITATOR)
def save_reflection(slug: str, key: str):
    module = _module(slug)
    activity = _activity(module, key, Reflection)
    progress = _progress(module)
    form = ReflectionForm()
    form.answer.label.text = activity.prompt
    if form.validate_on_submit():
        try:
            services.save_reflection(current_user, module, activity, form.answer.data, progress)
        except CurriculumError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(_("Your reflection has been saved to your portfolio"), "success")
            return redirect(_next_url(module, activity))
    saved = queries.reflection(current_user.id, module.id, activity.key)
    return _render_activity(module, activity, progress, form=form, saved=saved)


@bp.route("/modules/<slug>/<key>/answers", methods=["POST"])
@role_required(Role.FACILITATOR)
def submit_answers(slug: str, key: str):
    module = _module(slug)
    check = _activity(module, key, KnowledgeCheck)
    progress = _progress(module)
    form = knowledge_check_form(check)
    if form.validate_on_submit():
        try:
            attempt, _marking = services.submit_answers(
                current_user, module, check, answers_from(form, check), progress
            )
        except AnswerError as exc:
            for question_key in exc.unanswered:
                number = [q.key for q in check.questions].index(question_key) + 1
                add_error(form, None, _("Answer question %(n)d", n=number))
        except CurriculumError as exc:
            add_error(form, exc.field, exc.message)
        else:
            return redirect(
                url_for("curriculum.show_attempt", slug=slug, key=key, attempt_id=attempt.id)
            )
    best = queries.best_scores(current_user.id, module.id).get((module.id, check.key))
    return _render_activity(module, check, progress, form=form, best=best)


@bp.route("/modules/<slug>/<key>/attempts/<int:attempt_id>")
@role_required(Role.FACILITATOR)
def show_attempt(slug: str, key: str, attempt_id: int):
    module = _module(slug)
    attempt = db.get_or_404(QuizAttempt, attempt_id)
    require(
        permissions.can_see_attempt(current_user, attempt)
        and attempt.module_id == module.id
        and attempt.activity_key == key,
        hide=True,
        subject=attempt,
        reason="someone else's knowledge-check answers",
    )
    marked = services.remark(attempt)
    if marked is None:
        abort(404)
    check, marking = marked
    current = module.current.activity(key)
    best = queries.best_scores(current_user.id, module.id).get((module.id, key))
    return render_template(
        "curriculum/attempt_show.html",
        module=module,
        check=check,
        attempt=attempt,
        marking=marking,
        best=best,
        next_url=_next_url(module, current) if current else None,
    )


@bp.route("/modules/<slug>", methods=["POST"])
@role_required(Role.FACILITATOR)
def complete_module(slug: str):
    module = _module(slug)
    if EmptyForm().validate_on_submit():
        try:
            services.complete_module(current_user, module, _progress(module))
        except CurriculumError as exc:
            flash(exc.message, "error")
        else:
            flash(_("You have completed %(title)s", title=module.current.title), "success")
            return redirect(url_for("curriculum.list_modules"))
    return redirect(url_for("curriculum.show_module", slug=slug))


@bp.route("/reflections")
@role_required(Role.FACILITATOR)
def list_reflections():
    return render_template(
        "curriculum/reflections_list.html", reflections=queries.reflections_of(current_user.id)
    )

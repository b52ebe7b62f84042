"""Reviewers' pages: the applications assigned to them, and scoring one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import require, role_required
from lms.accounts.models import Role
from lms.applications import bp, queries, review
from lms.applications.models import RUBRIC, ReviewAssignment
from lms.applications.permissions import can_score
from lms.applications.review_forms import ScoreForm
from lms.applications.services import ApplicationError
from lms.extensions import db
from lms.forms import add_error


@bp.route("/reviews")
@role_required(Role.REVIEWER)
def list_reviews():
    assignments = queries.reviewer_assignments(current_user.id)
    return render_template(
        "applications/review_list.html",
        assignments=assignments,
        reviewable=review.REVIEWABLE,
    )


def _own_assignment(assignment_id: int) -> ReviewAssignment:
    """The signed-in reviewer's assignment; anyone else's is answered as not found."""
    assignment = db.session.get(ReviewAssignment, assignment_id)
    allowed = assignment is not None and can_score(current_user, assignment)
    require(allowed, hide=True, subject=assignment, reason="not their review")
    return assignment


@bp.route("/reviews/<int:assignment_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def score_application(assignment_id: int):
    assignment = _own_assignment(assignment_id)
    page = url_for("applications.score_application", assignment_id=assignment.id)
    if assignment.is_submitted:
        if request.method == "POST":
            flash(_("You have already submitted your scores for this application"), "warning")
            return redirect(page)
        return _show_scores(assignment)
    form = ScoreForm()
    if form.validate_on_submit():
        try:
            review.submit_review(assignment, form.scores(), form.comment.data, by=current_user)
        except ApplicationError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _(
                    "Your scores for %(name)s's application have been saved",
                    name=assignment.application.full_name,
                ),
                "success",
            )
            return redirect(url_for("applications.list_reviews"))
    return render_template(
        "applications/review_score.html",
        assignment=assignment,
        application=assignment.application,
        form=form,
        is_open=assignment.application.status in review.REVIEWABLE,
    )


def _show_scores(assignment: ReviewAssignment):
    """Read-only: the reviewer's own scores and, now that theirs are in, the others'."""
    others, waiting = review.other_reviews(assignment)
    return render_template(
        "applications/review_scores.html",
        assignment=assignment,
        application=assignment.application,
        others=others,
        waiting=waiting,
        rubric=RUBRIC,
    )

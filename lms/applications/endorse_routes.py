"""The line manager's endorsement page, reached by a single-use link without an account."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request

from lms.applications import bp, endorsement
from lms.applications.models import EndorsementDecision
from lms.applications.review_forms import EndorsementForm
from lms.applications.services import ApplicationError
from lms.extensions import limiter
from lms.forms import add_error

# A link that can no longer be used is gone for good: 410, with a page saying why.
GONE = 410


@bp.after_request
def _keep_link_private(response: Response) -> Response:
    # The token is the line manager's only credential: keep it out of Referer headers
    # sent to other pages and out of any cache, whatever the answer (429 and 404 too).
    if request.endpoint == "applications.endorse":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/endorse/<token>", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["ENDORSE_LIMIT"],
    # Only failed look-ups count, so managers behind one NHS address are not locked out
    # by each other; guessing tokens (which all fail) is what this stops.
    deduct_when=lambda response: response.status_code >= 400,
    scope="endorse-address",
)
def endorse(token: str):
    try:
        link = endorsement.check_link(token)
    except endorsement.LinkProblem as problem:
        return _link_problem(problem)
    form = EndorsementForm()
    if form.validate_on_submit():
        try:
            link = endorsement.respond(
                token, EndorsementDecision(form.decision.data), form.comment.data
            )
        except endorsement.LinkProblem as problem:  # answered in another tab meanwhile
            return _link_problem(problem)
        except ApplicationError as exc:
            add_error(form, exc.field, exc.message)
        else:
            # Shown in answer to the POST: the link is spent, so a redirect to it would
            # only say "already used".
            return render_template(
                "applications/endorse_done.html", link=link, application=link.application
            )
    return render_template(
        "applications/endorse_form.html", form=form, link=link, application=link.application
    )


def _link_problem(problem: endorsement.LinkProblem):
    if problem.kind == "unknown":
        abort(404)
    link = problem.request
    return (
        render_template(
            "applications/endorse_link_problem.html",
            kind=problem.kind,
            link=link,
            application=link.application if link else None,
        ),
        GONE,
    )

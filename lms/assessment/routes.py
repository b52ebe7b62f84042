"""Portfolio pages: the facilitator's own portfolio and readiness for the award, submitting
it, choosing what to showcase, and the read-only view for their supervisor and leads.

Rules live in :mod:`lms.assessment.submission` and :mod:`lms.assessment.permissions`;
these views load, check access, call them and render. Every page costs a fixed number of
queries, however much evidence there is (the evidence is one statement).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from lms.access import require, role_required
from lms.accounts.models import Role, User
from lms.assessment import bp, evidence, portfolio
from lms.assessment import outcomes as lo
from lms.assessment import permissions as may
from lms.assessment.criteria import REQUIREMENT_LABELS, RequirementKind, Result
from lms.assessment.evidence import Item
from lms.assessment.forms import ShowcaseForm, SubmitForm
from lms.assessment.models import Award, PortfolioSubmission, SubmissionStatus
from lms.assessment.sources import SOURCES
from lms.assessment.submission import SubmissionError, check_can_submit, set_showcase, submit
from lms.extensions import db
from lms.forms import add_error

SOURCE_LABELS = {s.key: s.label for s in SOURCES}
# Sources whose records people other than the holder may open (see Source.shared_links).
SHARED_SOURCES = frozenset(s.key for s in SOURCES if s.shared_links)


def missing(result: Result) -> list[str]:
    """Exactly what is still needed for a criterion, in words (empty when it is met)."""
    if result.met:
        return []
    kind, short = result.kind, result.short
    if kind is RequirementKind.CORE_MODULES:
        return [
            _("Complete these core modules: %(modules)s", modules=", ".join(result.missing_modules))
        ]
    if kind is RequirementKind.SETS_FACILITATED:
        return _sets_missing(result)
    words = {
        RequirementKind.SUPERVISION_SESSIONS: lambda: ngettext(
            "Attend %(num)d more supervision session",
            "Attend %(num)d more supervision sessions",
            short,
        ),
        RequirementKind.OBSERVATIONS_SIGNED_OFF: lambda: ngettext(
            "Have %(num)d more observed session signed off by your supervisor",
            "Have %(num)d more observed sessions signed off by your supervisor",
            short,
        ),
        RequirementKind.SESSION_LOGS: lambda: ngettext(
            "Write %(num)d more session log", "Write %(num)d more session logs", short
        ),
        RequirementKind.BUDDY_CHECK_INS: lambda: ngettext(
            "Log %(num)d more buddy check-in", "Log %(num)d more buddy check-ins", short
        ),
    }
    return [words[kind]()]


def _sets_missing(result: Result) -> list[str]:
    sessions = result.requirement.sessions_per_set
    if result.nearest_set is None and not result.counted_sets:
        if result.short == 1:
            return [_("Facilitate a set: none yet")]
        return [
            ngettext(
                "Facilitate %(num)d set: none yet",
                "Facilitate %(num)d sets: none yet",
                result.short,
            )
        ]
    lines = []
    others = result.short
    if result.nearest_set is not None:
        name, more = result.nearest_set
        lines.append(
            ngettext(
                "Hold %(num)d more session in %(set)s",
                "Hold %(num)d more sessions in %(set)s",
                more,
                set=name,
            )
        )
        others -= 1
    if others > 0:
        lines.append(
            ngettext(
                "Facilitate %(num)d more set that holds at least %(sessions)d sessions",
                "Facilitate %(num)d more sets that hold at least %(sessions)d sessions",
                others,
                sessions=sessions,
            )
        )
    return lines


def _award_for(user_id: int, latest: PortfolioSubmission | None) -> Award | None:
    """The award a latest AWARDED submission led to (one query, only then)."""
    if latest is None or latest.status is not SubmissionStatus.AWARDED:
        return None
    awards = portfolio.awards_of(user_id)
    return next((a for a in awards if a.submission_id == latest.id), awards[0] if awards else None)


def _own_values(user: User) -> dict:
    """What both of the facilitator's own pages show: readiness and where they stand."""
    state = portfolio.readiness(user.id)
    latest = portfolio.latest_submission(user.id)
    award = _award_for(user.id, latest)
    return {
        "state": state,
        "latest": latest,
        "award": award,
        # An award from an earlier intake does not stop them submitting in this one.
        "awarded_here": award is not None
        and state.intake is not None
        and award.intake_id == state.intake.id,
        # Only one submission at a time is SUBMITTED, and it is the latest.
        "frozen": latest is not None and latest.status is SubmissionStatus.SUBMITTED,
        "labels": SOURCE_LABELS,
        "outcomes": lo.BY_CODE,
    }


def groups(items: list[Item], by: str) -> list[tuple[str, str, list[Item]]]:
    """(heading, anchor, items) for each group that has items, by source or by outcome."""
    if by == "source":
        return [(str(s.label), s.key, found) for s, found in evidence.by_source(items) if found]
    result = [(str(o.title), o.code, found) for o, found in evidence.by_outcome(items) if found]
    unmapped = [i for i in items if not any(code in lo.BY_CODE for code in i.outcomes)]
    if unmapped:
        result.append((_("Not linked to a learning outcome"), "none", unmapped))
    return result


def _grouping() -> str:
    return "source" if request.args.get("by") == "source" else "outcome"


def _portfolio_page(by: str, form: ShowcaseForm | None = None, status: int = 200):
    values = _own_values(current_user)
    return (
        render_template(
            "assessment/portfolio.html",
            by=by,
            groups=groups(values["state"].items, by),
            showcased=portfolio.showcased(current_user.id),
            form=form or ShowcaseForm(),
            **values,
        ),
        status,
    )


@bp.route("/portfolio", endpoint="portfolio")
@role_required(Role.FACILITATOR)
def portfolio_page():
    return _portfolio_page(_grouping())


@bp.route("/portfolio/showcase", methods=["POST"])
@role_required(Role.FACILITATOR)
def save_showcase():
    form = ShowcaseForm()
    if form.validate_on_submit():
        keys = form.keys()
        try:
            if keys is None:
                raise SubmissionError(_("Choose only items that are in your portfolio"), "items")
            set_showcase(current_user, keys)
        except SubmissionError as exc:
            add_error(form, None, exc.message)
        else:
            flash(_("The items to show your supervisor and reviewer have been saved"), "success")
            return redirect(url_for("assessment.portfolio", by="source"))
    return _portfolio_page("source", form, 400)


def _readiness_page(form: SubmitForm, status: int = 200):
    values = _own_values(current_user)
    state = values["state"]
    criteria_view = [
        {
            "result": result,
            "label": REQUIREMENT_LABELS[result.kind],
            "evidence": evidence.behind(result.kind, state.items),
            "missing": missing(result),
        }
        for result in state.results
    ]
    not_required = [REQUIREMENT_LABELS[r.kind] for r in state.requirements if not r.required]
    return (
        render_template(
            "assessment/readiness.html",
            form=form,
            criteria_view=criteria_view,
            not_required=not_required,
            **values,
        ),
        status,
    )


@bp.route("/portfolio/readiness")
@role_required(Role.FACILITATOR)
def readiness():
    form = SubmitForm(data={"personal_email": current_user.personal_email or ""})
    return _readiness_page(form)


@bp.route("/portfolio/submit", methods=["POST"], endpoint="submit")
@role_required(Role.FACILITATOR)
def submit_portfolio():
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            submit(current_user, form.personal_email.data, form.statement.data)
        except SubmissionError as exc:
            add_error(form, exc.field if exc.field in form else None, exc.message)
        else:
            flash(_("Portfolio submitted"), "success")
            return redirect(url_for("assessment.portfolio"))
    else:
        # Say why it cannot be sent even when the form itself has problems too.
        try:
            check_can_submit(current_user)
        except SubmissionError as exc:
            add_error(form, None, exc.message)
    return _readiness_page(form, 400)


@bp.route("/portfolio/people/<int:user_id>")
@login_required
def person_portfolio(user_id: int):
    if user_id == current_user.id and current_user.has_role(Role.FACILITATOR):
        return redirect(url_for("assessment.portfolio"))
    # The person and their roles in one statement (the roles decide whether they have a
    # portfolio at all).
    owner = (
        db.session.execute(
            db.select(User).where(User.id == user_id).options(db.joinedload(User.role_grants))
        )
        .unique()
        .scalar_one_or_none()
    )
    if owner is None:
        abort(404)
    require(
        owner.has_role(Role.FACILITATOR) and may.can_view_portfolio(current_user, owner.id),
        hide=True,
        subject=owner,
        reason="may not view this portfolio",
    )
    state = portfolio.readiness(owner.id)
    showcased = portfolio.showcased(owner.id)
    latest = portfolio.latest_submission(owner.id)
    return render_template(
        "assessment/portfolio_person.html",
        owner=owner,
        state=state,
        latest=latest,
        picked=[i for i in state.items if i.key in showcased],
        groups=groups(state.items, "outcome"),
        labels=SOURCE_LABELS,
        outcomes=lo.BY_CODE,
        shared=SHARED_SOURCES,
        requirement_labels=REQUIREMENT_LABELS,
        is_lead=may.is_lead(current_user),
    )

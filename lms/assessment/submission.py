"""Submitting a portfolio for review, returning it, and picking what to showcase (SPEC
section 8). Issuing the award is in :mod:`lms.assessment.awards`.

A submission's life: SUBMITTED (the portfolio is frozen) -> RETURNED (a lead sent it back
with comments; the portfolio is open again, and submitting again makes a new row) or
AWARDED (set when the award is issued). Every check is made here, on the server, before
anything changes: a page's button is never the guard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import Role, User
from lms.accounts.queries import people_with
from lms.assessment import criteria, evidence, portfolio
from lms.assessment.evidence import Item
from lms.assessment.models import (
    Award,
    PortfolioSubmission,
    ShowcaseItem,
    SubmissionStatus,
)
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.services import absolute_url, notify, path_for, tell

STATEMENT_MAX = 2_000  # the messages say "2,000": change them with it
COMMENTS_MAX = 4_000  # the messages say "4,000"

# What a submission may become next (STYLE.md rule 8). AWARDED is set by issuing the award.
TRANSITIONS: dict[SubmissionStatus, frozenset[SubmissionStatus]] = {
    SubmissionStatus.SUBMITTED: frozenset({SubmissionStatus.RETURNED, SubmissionStatus.AWARDED}),
    SubmissionStatus.RETURNED: frozenset(),
    SubmissionStatus.AWARDED: frozenset(),
}


class SubmissionError(Exception):
    """A refusal, with a translated ``message`` and the form ``field`` it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Checks ------------------------------------------------------------------------------------


def checked_email(value: str | None) -> str:
    """A personal email address as stored (lower case), or a refusal if it is not one.
    Used at submission and when a holder changes the address their award is keyed to."""
    text = (value or "").strip()
    if not text:
        raise SubmissionError(
            _("Enter the personal email address your award will be linked to"), "personal_email"
        )
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise SubmissionError(
            _("Enter an email address in the correct format, like name@example.org"),
            "personal_email",
        ) from exc


def check_can_submit(user: User) -> portfolio.Readiness:
    """The person's readiness if they may submit now; otherwise a refusal saying why."""
    if not user.has_role(Role.FACILITATOR):
        raise SubmissionError(_("Only trainee facilitators submit a portfolio"))
    intake = portfolio.current_intake(user.id)
    if intake is None:
        raise SubmissionError(_("You can submit your portfolio once you have joined an intake"))
    if portfolio.is_frozen(user.id):
        raise SubmissionError(
            _("You have already submitted your portfolio. A programme lead is reviewing it.")
        )
    awarded = db.session.scalar(
        db.select(Award.id).where(Award.user_id == user.id, Award.intake_id == intake.id)
    )
    if awarded is not None:
        raise SubmissionError(_("You have already been given the award for this intake"))
    state = portfolio.readiness(user.id, intake)
    if not state.ready:
        raise SubmissionError(
            _("You can submit your portfolio once every award criterion is met"), None
        )
    return state


def _snapshot(state: portfolio.Readiness, showcased: set[tuple[str, int]]) -> dict:
    keys = {item.key for item in state.items}
    return {
        "items": [item.as_json() for item in state.items],
        "results": [
            {"kind": r.kind.value, "met": r.met, "have": r.have, "need": r.need}
            for r in state.results
        ],
        "requirements": criteria.requirements_json(state.requirements),
        "showcased": [[source, ref] for source, ref in sorted(showcased & keys)],
    }


# --- Writes ------------------------------------------------------------------------------------


def submit(user: User, personal_email: str, statement: str | None) -> PortfolioSubmission:
    """Send the person's portfolio for review, freezing it as it stands. Refused unless they
    are a facilitator in an intake, have no submission waiting and no award for it, and
    meet every criterion (computed here)."""
    state = check_can_submit(user)
    email = checked_email(personal_email)
    statement = (statement or "").strip() or None
    if statement and len(statement) > STATEMENT_MAX:
        raise SubmissionError(_("Your statement must be 2,000 characters or fewer"), "statement")
    submission = PortfolioSubmission(
        user_id=user.id,
        intake_id=state.intake.id,
        status=SubmissionStatus.SUBMITTED,
        personal_email=email,
        statement=statement,
        snapshot=_snapshot(state, portfolio.showcased(user.id)),
        submitted_at=utcnow(),
    )
    db.session.add(submission)
    user.personal_email = email
    db.session.flush()
    audit.record(
        "portfolio.submitted",
        submission,
        actor=user,
        intake_id=state.intake.id,
        items=len(state.items),
    )
    _tell_leads(submission, user, state.intake.name)
    return submission


def _tell_leads(submission: PortfolioSubmission, holder: User, intake_name: str) -> None:
    link = path_for("assessment.review_submission", submission_id=submission.id)
    for lead in people_with(Role.LEAD):
        with force_locale(lead.language):
            notify(
                lead,
                _(
                    "%(name)s has submitted their portfolio for review (%(intake)s)",
                    name=holder.name,
                    intake=intake_name,
                ),
                link,
            )


def return_submission(
    submission: PortfolioSubmission, by: User, comments: str | None
) -> PortfolioSubmission:
    """A lead sends a submitted portfolio back with comments; it is open to change again."""
    if not by.has_role(Role.LEAD):
        raise SubmissionError(_("Only programme leads can return a portfolio"))
    if SubmissionStatus.RETURNED not in TRANSITIONS[submission.status]:
        raise SubmissionError(
            _("This portfolio is not waiting for review, so it cannot be returned")
        )
    comments = (comments or "").strip()
    if not comments:
        raise SubmissionError(
            _("Enter what the facilitator needs to do before they submit again"), "comments"
        )
    if len(comments) > COMMENTS_MAX:
        raise SubmissionError(_("Your comments must be 4,000 characters or fewer"), "comments")
    submission.status = SubmissionStatus.RETURNED
    submission.reviewed_at = utcnow()
    submission.reviewed_by_id = by.id
    submission.comments = comments
    db.session.flush()
    audit.record("portfolio.returned", submission, actor=by, holder_id=submission.user_id)
    tell(
        submission.user,
        lambda: _("Your portfolio has been returned"),
        lambda: _(
            "A programme lead has returned your portfolio with comments. You can add to it "
            "and submit it again."
        ),
        absolute_url("assessment.portfolio"),
        lambda: _("Read the comments and your portfolio:"),
    )
    return submission


def set_showcase(user: User, keys: Iterable[tuple[str, int]]) -> None:
    """Replace the items the person picked to show their supervisor and reviewer. Only
    their own current items, and not while their portfolio is frozen."""
    wanted = set(keys)
    if portfolio.is_frozen(user.id):
        raise SubmissionError(
            _("You cannot change your showcase while your portfolio is being reviewed")
        )
    current = {item.key for item in evidence.collect([user.id])[user.id]}
    if not wanted <= current:
        raise SubmissionError(_("Choose only items that are in your portfolio"), "items")
    existing = {
        (row.source, row.ref): row
        for row in db.session.scalars(
            db.select(ShowcaseItem).where(ShowcaseItem.user_id == user.id)
        )
    }
    for key, row in existing.items():
        if key not in wanted:
            db.session.delete(row)
    for source, ref in sorted(wanted - set(existing)):
        db.session.add(ShowcaseItem(user_id=user.id, source=source, ref=ref))
    db.session.flush()


# --- Reading a submission back -----------------------------------------------------------------


@dataclass(frozen=True)
class SubmittedResult:
    """A criterion's result as it stood when the portfolio was submitted."""

    kind: criteria.RequirementKind
    met: bool
    have: int
    need: int


def snapshot_items(submission: PortfolioSubmission) -> list[Item]:
    return [Item.from_json(data) for data in (submission.snapshot or {}).get("items", [])]


def snapshot_results(submission: PortfolioSubmission) -> list[SubmittedResult]:
    known = {k.value: k for k in criteria.RequirementKind}
    return [
        SubmittedResult(known[r["kind"]], bool(r["met"]), int(r["have"]), int(r["need"]))
        for r in (submission.snapshot or {}).get("results", [])
        if r.get("kind") in known
    ]


def snapshot_showcased(submission: PortfolioSubmission) -> set[tuple[str, int]]:
    return {(source, int(ref)) for source, ref in (submission.snapshot or {}).get("showcased", [])}

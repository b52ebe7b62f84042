"""Erasing a person (UK GDPR right to erasure), done by an admin, in one transaction.

Their account stays as a pseudonym ("Erased person 12", ``erased-12@invalid.invalid``),
so registers, counts, statuses and reports still add up: organisation, roles,
memberships, attendance, progress, scores, outcomes and the award row are kept. What
identifies them goes:

- sign-in: password unusable, account disabled, every session ended, two-factor records,
  reset links, notifications and the emails sent to them deleted;
- personal details: on the account, their applications, portfolio submissions and award
  (the award's code keeps working; the verification page says "Name withheld");
- text they wrote, replaced by ``[erased]`` (see ``_erase_text``): application answers,
  reflections, supervision cases, observation reflections, buddy check-in notes they
  logged, repair requests, challenges and actions they presented, session logs,
  portfolio statements; and text about them that only concerned them: the timeline
  notes, endorsement and reviewer comments on their applications, the observations of
  their practice, the lead's comments on their portfolio and why an award was revoked;
- their uploaded evidence and certificate files (deleted after the commit);
- their private supervision notes (only ever readable by them);
- mentions of their name or addresses in what other people wrote
  (:mod:`lms.privacy.mentions`).

Text they wrote that other people need stays (a reviewer's comments on someone else's
application, a supervisor's shared summary or observation of someone else): it does not
identify them once their account is a pseudonym. The audit log records the erasure by
ids only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import PasswordResetToken, User
from lms.applications.models import (
    Application,
    ApplicationEvent,
    EndorsementRequest,
    EqualityResponse,
    ReviewAssignment,
)
from lms.assessment.models import Award, EvidenceUpload, PortfolioSubmission, ShowcaseItem
from lms.buddy.models import CheckIn, RepairRequest
from lms.curriculum.models import Reflection
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.models import EmailMessage, Notification
from lms.practice.models import Action, FollowThrough, Presentation, SessionLog, TraineeProfile
from lms.privacy import mentions
from lms.privacy.files import delete_after_commit
from lms.supervision.models import (
    Observation,
    ObservationRating,
    ObservationReflection,
    PrivateNote,
    SupervisionCase,
)

ERASED = "[erased]"
REMOVED_EMAIL = "removed@invalid.invalid"  # a third party's address tied to the person
# Not an argon2 hash, so no password can ever match it.
UNUSABLE_PASSWORD = "!erased"  # noqa: S105 - a marker, not a secret
# What a portfolio submission's frozen snapshot keeps: the criteria results (counts).
SNAPSHOT_KEPT = ("results", "requirements")


def pseudonym(user_id: int) -> str:
    return f"Erased person {user_id}"


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@invalid.invalid"


class ErasureError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Identity:
    """The names and addresses that identified the person, gathered before erasing."""

    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    def replacements(self, user_id: int) -> dict[str, str]:
        found = dict.fromkeys(self.names, pseudonym(user_id))
        found.update(dict.fromkeys(self.emails, erased_email(user_id)))
        return found


def check_can_erase(person: User, by: User) -> None:
    if person.erased_at is not None:
        raise ErasureError(_("This person's data has already been erased"))
    if person.id == by.id:
        raise ErasureError(_("You cannot erase your own account. Ask another administrator"))


def erase(person: User, by: User) -> dict[str, int]:
    """Erase ``person`` (see the module docstring); returns rows changed per table.
    Flushes; the caller commits."""
    check_can_erase(person, by)
    identity = _identity(person)
    from lms.accounts import sessions  # sign-in machinery, needed only when erasing

    counts: dict[str, int] = {"user_session": sessions.end_all(person, "erased")}
    db.session.execute(
        sa.delete(sessions.UserSession).where(sessions.UserSession.user_id == person.id)
    )
    counts.update(_delete_sign_in(person, identity))
    counts.update(_erase_applications(person))
    counts.update(_erase_text(person))
    counts.update(_erase_portfolio(person))
    _erase_account(person)
    db.session.flush()
    counts["mentions"] = mentions.replace_mentions(identity.replacements(person.id))
    audit.record("privacy.erased", person, actor=by, **{k: v for k, v in counts.items() if v})
    db.session.flush()
    db.session.expire_all()  # the statements above went round the ORM
    return counts


def _identity(person: User) -> Identity:
    identity = Identity({person.name}, {person.email, person.personal_email or ""})
    for name, email in db.session.execute(
        sa.select(Application.full_name, Application.contact_email).where(
            Application.applicant_id == person.id
        )
    ):
        identity.names.add(name or "")
        identity.emails.add(email or "")
    for email in db.session.scalars(
        sa.select(PortfolioSubmission.personal_email).where(
            PortfolioSubmission.user_id == person.id
        )
    ):
        identity.emails.add(email or "")
    for name, email in db.session.execute(
        sa.select(Award.holder_name, Award.holder_email).where(Award.user_id == person.id)
    ):
        identity.names.add(name)
        identity.emails.add(email)
    identity.names.discard("")
    identity.emails = {e.strip().lower() for e in identity.emails if e and e.strip()}
    return identity


def run(statement) -> int:
    # "fetch": the session forgets deleted rows and reloads changed ones, so nothing it
    # already holds goes stale (or clashes with a new row given a deleted row's id).
    return db.session.execute(statement.execution_options(synchronize_session="fetch")).rowcount


def _blank(column) -> Any:
    """``[erased]`` where there was text; nothing stays nothing."""
    return sa.case((column.is_(None), sa.null()), else_=sa.literal(ERASED))


def _delete_sign_in(person: User, identity: Identity) -> dict[str, int]:
    from lms.accounts.two_factor import RecoveryCode, TwoFactor

    counts = {}
    for model in (TwoFactor, RecoveryCode, PasswordResetToken, Notification):
        counts[model.__tablename__] = run(sa.delete(model).where(model.user_id == person.id))
    counts["email_message"] = run(
        sa.delete(EmailMessage).where(sa.func.lower(EmailMessage.recipient).in_(identity.emails))
    )
    return counts


def _erase_applications(person: User) -> dict[str, int]:
    theirs = sa.select(Application.id).where(Application.applicant_id == person.id)
    blanked = {
        Application.facilitation_experience: _blank(Application.facilitation_experience),
        Application.motivation: _blank(Application.motivation),
        Application.availability: _blank(Application.availability),
        Application.adjustments: _blank(Application.adjustments),
        Application.decision_reason: _blank(Application.decision_reason),
    }
    removed = dict.fromkeys(
        (
            Application.phone,
            Application.job_title,
            Application.organisation_other,
            Application.previous_other,
            Application.manager_name,
            Application.manager_email,
        )
    )
    return {
        "application": run(
            sa.update(Application)
            .where(Application.applicant_id == person.id)
            .values(
                {
                    Application.full_name: pseudonym(person.id),
                    Application.contact_email: erased_email(person.id),
                    **blanked,
                    **removed,
                }
            )
        ),
        "application_event": run(
            sa.update(ApplicationEvent)
            .where(ApplicationEvent.application_id.in_(theirs))
            .values(note=_blank(ApplicationEvent.note))
        ),
        "endorsement_request": run(
            sa.update(EndorsementRequest)
            .where(EndorsementRequest.application_id.in_(theirs))
            .values(manager_email=REMOVED_EMAIL, comment=_blank(EndorsementRequest.comment))
        ),
        "review_assignment": run(
            sa.update(ReviewAssignment)
            .where(ReviewAssignment.application_id.in_(theirs))
            .values(comment=_blank(ReviewAssignment.comment))
        ),
        # Unlinked, the answers can still be counted but never traced back.
        "equality_response": run(
            sa.update(EqualityResponse)
            .where(EqualityResponse.user_id == person.id)
            .values(user_id=None)
        ),
    }


def _erase_text(person: User) -> dict[str, int]:
    """Free text they wrote, or that was only about them, as ``[erased]``. Bulk statements
    do not fire the ORM's events, so a recorded observation of them is blanked too."""
    pid = person.id
    their_observations = sa.select(Observation.id).where(Observation.facilitator_id == pid)
    their_actions = sa.select(Action.id).where(Action.owner_id == pid)
    updates = [
        (Reflection, Reflection.user_id == pid, {Reflection.answer: ERASED}),
        (
            SupervisionCase,
            SupervisionCase.user_id == pid,
            {
                SupervisionCase.what_happened: ERASED,
                SupervisionCase.help_wanted: ERASED,
                SupervisionCase.response: _blank(SupervisionCase.response),
            },
        ),
        (
            Observation,
            Observation.facilitator_id == pid,
            {
                Observation.summary: _blank(Observation.summary),
                Observation.correction_reason: _blank(Observation.correction_reason),
            },
        ),
        (
            ObservationRating,
            ObservationRating.observation_id.in_(their_observations),
            {ObservationRating.comment: _blank(ObservationRating.comment)},
        ),
        (ObservationReflection, ObservationReflection.author_id == pid, {"text": ERASED}),
        (CheckIn, CheckIn.logged_by_id == pid, {CheckIn.notes: _blank(CheckIn.notes)}),
        (RepairRequest, RepairRequest.user_id == pid, {RepairRequest.reason: ERASED}),
        (TraineeProfile, TraineeProfile.user_id == pid, {TraineeProfile.line_manager_email: None}),
        (
            Presentation,
            Presentation.presenter_id == pid,
            {"challenge": _blank(Presentation.challenge)},
        ),
        (
            Action,
            Action.owner_id == pid,
            {"text": ERASED, "supports": _blank(Action.supports), "risks": _blank(Action.risks)},
        ),
        (
            FollowThrough,
            FollowThrough.action_id.in_(their_actions),
            {FollowThrough.learning_note: _blank(FollowThrough.learning_note)},
        ),
        (
            SessionLog,
            SessionLog.author_id == pid,
            {SessionLog.went_well: ERASED, SessionLog.do_differently: ERASED},
        ),
    ]
    counts = {
        model.__tablename__: run(sa.update(model).where(where).values(values))
        for model, where, values in updates
    }
    # Nobody but their author may read private notes, so nobody needs them now.
    counts["supervision_private_note"] = run(
        sa.delete(PrivateNote).where(PrivateNote.author_id == pid)
    )
    return counts


def _erase_portfolio(person: User) -> dict[str, int]:
    from lms.assessment.uploads import SOURCE as UPLOADS

    uploads = list(
        db.session.execute(
            sa.select(EvidenceUpload.id, EvidenceUpload.storage_name).where(
                EvidenceUpload.owner_id == person.id
            )
        )
    )
    delete_after_commit(name for _id, name in uploads)
    run(
        sa.delete(ShowcaseItem).where(
            ShowcaseItem.user_id == person.id,
            ShowcaseItem.source == UPLOADS,
            ShowcaseItem.ref.in_([upload_id for upload_id, _name in uploads]),
        )
    )
    counts = {
        "evidence_upload": run(
            sa.delete(EvidenceUpload).where(EvidenceUpload.owner_id == person.id)
        )
    }
    submissions = db.session.scalars(
        sa.select(PortfolioSubmission).where(PortfolioSubmission.user_id == person.id)
    ).all()
    for submission in submissions:
        submission.personal_email = erased_email(person.id)
        submission.statement = ERASED if submission.statement else None
        submission.comments = ERASED if submission.comments else None
        snapshot = submission.snapshot or {}
        submission.snapshot = {key: snapshot[key] for key in SNAPSHOT_KEPT if key in snapshot}
    counts["portfolio_submission"] = len(submissions)
    awards = db.session.scalars(sa.select(Award).where(Award.user_id == person.id)).all()
    for award in awards:
        award.holder_name = pseudonym(person.id)
        award.holder_email = erased_email(person.id)
        award.revoke_reason = ERASED if award.revoke_reason else None
        if award.certificate_name:
            delete_after_commit([award.certificate_name])
        award.certificate_name = None
        award.certificate_made_at = None
    counts["award"] = len(awards)
    return counts


def _erase_account(person: User) -> None:
    person.name = pseudonym(person.id)
    person.email = erased_email(person.id)
    person.personal_email = None
    person.access_notes = None
    person.needs_captions = False
    person.needs_extra_processing_time = False
    person.needs_low_stimulation = False
    person.password_hash = UNUSABLE_PASSWORD
    person.is_active = False
    person.erased_at = utcnow()

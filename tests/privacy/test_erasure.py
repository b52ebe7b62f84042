"""Erasing a person: nothing that identifies them is left in any table, the counts and
reports stay as they were, and their award still verifies without their name."""

from __future__ import annotations

import json
from io import BytesIO

import sqlalchemy as sa
from pypdf import PdfReader

from lms.accounts.models import Role, User
from lms.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    EndorsementRequest,
    EventKind,
    Intake,
    ReviewAssignment,
)
from lms.assessment import storage
from lms.assessment.certificate import certificate_pdf
from lms.assessment.credential import open_badge
from lms.assessment.models import Award, EvidenceUpload, PortfolioSubmission
from lms.assessment.tasks import make_certificate
from lms.audit import AuditEvent
from lms.buddy.models import BuddyMember, CheckIn, RepairRequest
from lms.curriculum.models import Module, Reflection
from lms.demo import DEMO_PASSWORD
from lms.practice.models import (
    Action,
    FollowThrough,
    FollowThroughStatus,
    PracticeSession,
    Presentation,
    SessionLog,
    SetFacilitator,
    SetMember,
    TraineeImport,
    TraineeProfile,
)
from lms.privacy import erasure
from lms.reports.base import Filters
from lms.reports.registry import REPORTS
from lms.supervision.models import (
    GroupMembership,
    Observation,
    ObservationReflection,
    SupervisionCase,
    SupervisionSession,
)

MARK = "Quillfeather sentence 4417"  # written by the people erased, and nobody else
KEPT = "The group agreed to meet earlier next time."
GRACE = "grace.okafor@example.org"


def scan(db, needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a text or JSON value of any row holds one."""
    hits = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.JSON)]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                value = getattr(value, "value", value)
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                hits += [(table.name, column.name, n) for n in needles if n.lower() in text.lower()]
    return hits


def report_totals() -> dict:
    """Every report's tables: the sum of each numeric column, and the number of rows."""
    totals = {}
    for key, report in REPORTS.items():
        for table in report.build(report.load(Filters())):
            numbers = table.frame.select_dtypes("number")
            totals[(key, table.key)] = (
                len(table.frame),
                {column: float(numbers[column].sum()) for column in numbers.columns},
            )
    return totals


def give_grace_text_everywhere(db, grace: User, lead: User, reviewer: User) -> dict:
    """Text Grace wrote (or that is about her alone) in every area, marked with MARK."""
    grace.access_notes = MARK
    grace.personal_email = "grace.okafor@example.com"
    intake = db.session.scalar(db.select(Intake).where(Intake.name == "Open demo intake"))
    application = Application(
        intake_id=intake.id,
        applicant_id=grace.id,
        status=ApplicationStatus.WITHDRAWN,
        full_name="Grace Okafor",
        contact_email=GRACE,
        phone="07700 900123",
        job_title="Psychologist",
        motivation=MARK,
        facilitation_experience=MARK,
        availability=MARK,
        adjustments=MARK,
        manager_name="Morgan Mbeki",
        manager_email="morgan.mbeki@example.org",
    )
    db.session.add(application)
    db.session.flush()
    db.session.add_all(
        [
            ApplicationEvent(application_id=application.id, kind=EventKind.STARTED, note=MARK),
            EndorsementRequest(
                application_id=application.id,
                token_hash="0" * 64,
                manager_email="morgan.mbeki@example.org",
                expires_at=application.created_at,
                comment=MARK,
            ),
            ReviewAssignment(application_id=application.id, reviewer_id=reviewer.id, comment=MARK),
        ]
    )
    module = db.session.scalar(db.select(Module))
    db.session.add(
        Reflection(
            user_id=grace.id,
            module_id=module.id,
            activity_key="reflect",
            version=1,
            title="A reflection",
            prompt="What did you notice?",
            answer=MARK,
        )
    )
    membership = db.session.scalar(
        db.select(GroupMembership).where(GroupMembership.user_id == grace.id)
    )
    db.session.add(
        SupervisionCase(
            user_id=grace.id, group_id=membership.group_id, what_happened=MARK, help_wanted=MARK
        )
    )
    # A supervisor's summary that names her: kept, with her name replaced.
    session = db.session.scalar(
        db.select(SupervisionSession).where(SupervisionSession.group_id == membership.group_id)
    )
    session.shared_summary = f"Grace Okafor brought a case. {KEPT}"
    pair = db.session.scalar(db.select(BuddyMember).where(BuddyMember.user_id == grace.id))
    check_in = db.session.scalar(db.select(CheckIn).where(CheckIn.group_id == pair.group_id))
    check_in.logged_by_id, check_in.notes = grace.id, MARK
    db.session.add(RepairRequest(group_id=pair.group_id, user_id=grace.id, reason=MARK))
    for log in db.session.scalars(db.select(SessionLog).where(SessionLog.author_id == grace.id)):
        log.went_well = MARK
    observation = db.session.scalar(
        db.select(Observation).where(Observation.facilitator_id == grace.id)
    )
    db.session.add(
        ObservationReflection(observation_id=observation.id, author_id=grace.id, text=MARK)
    )
    # Recorded observations cannot be changed through the ORM: the test goes round it.
    db.session.execute(
        sa.update(Observation.__table__)
        .where(Observation.__table__.c.id == observation.id)
        .values(summary=f"{MARK}, Grace Okafor")
    )
    stored = storage.save(b"%PDF-1.4 evidence")
    db.session.add(
        EvidenceUpload(
            owner_id=grace.id,
            storage_name=stored,
            filename="Grace Okafor reflective account.pdf",
            content_type="application/pdf",
            size=17,
            description=MARK,
            outcomes=["reflect"],
        )
    )
    submission = db.session.scalar(
        db.select(PortfolioSubmission).where(PortfolioSubmission.user_id == grace.id)
    )
    submission.statement = MARK
    award = db.session.scalar(db.select(Award).where(Award.user_id == grace.id))
    make_certificate(award.id)
    db.session.flush()
    return {"files": [stored, award.certificate_name], "award": award}


def give_trainee_text(db, trainee: User, grace: User, lead: User) -> None:
    """A challenge and actions the trainee presented in Grace's set, and a lead's CSV."""
    membership = db.session.scalar(db.select(SetMember).where(SetMember.user_id == trainee.id))
    first, second = db.session.scalars(
        db.select(PracticeSession)
        .where(PracticeSession.set_id == membership.set_id)
        .order_by(PracticeSession.number)
        .limit(2)
    )
    presentation = Presentation(
        session_id=first.id, set_id=membership.set_id, presenter_id=trainee.id, challenge=MARK
    )
    db.session.add(presentation)
    db.session.flush()
    action = Action(
        presentation_id=presentation.id,
        set_id=membership.set_id,
        session_id=first.id,
        owner_id=trainee.id,
        text=MARK,
        supports=MARK,
        risks=MARK,
    )
    db.session.add(action)
    db.session.flush()
    db.session.add(
        FollowThrough(
            action_id=action.id,
            session_id=second.id,
            status=FollowThroughStatus.DONE,
            learning_note=MARK,
            recorded_by_id=grace.id,
        )
    )
    profile = db.session.scalar(
        db.select(TraineeProfile).where(TraineeProfile.user_id == trainee.id)
    )
    profile.line_manager_email = "their.manager@example.org"
    db.session.add(
        TraineeImport(
            filename="trainees.csv",
            content=f"name,email\n{trainee.name},{trainee.email}\nAnn Other,ann@example.org\n",
            created_by_id=lead.id,
        )
    )
    db.session.flush()


def test_erasing_leaves_nothing_that_identifies_them_and_keeps_the_counts(db, demo, make_user):
    grace, lead = demo(GRACE), demo("lead@example.org")
    made = give_grace_text_everywhere(db, grace, lead, demo("reviewer@example.org"))
    set_id = db.session.scalar(
        db.select(SetFacilitator.set_id).where(SetFacilitator.user_id == grace.id)
    )
    trainee = db.session.scalar(
        db.select(User)
        .join(SetMember, SetMember.user_id == User.id)
        .where(SetMember.set_id == set_id)
    )
    give_trainee_text(db, trainee, grace, lead)
    needles = [
        "Grace Okafor",
        GRACE,
        "grace.okafor@example.com",
        MARK,
        "Morgan Mbeki",
        "morgan.mbeki@example.org",
        trainee.name,
        trainee.email,
        "their.manager@example.org",
    ]
    assert {hit[0] for hit in scan(db, needles)} >= {"application", "award", "practice_action"}
    before = report_totals()
    admin = make_user(Role.ADMIN)

    counts = erasure.erase(grace, admin)
    erasure.erase(trainee, admin)
    db.session.commit()  # the files go once the erasure is committed

    assert scan(db, needles) == []
    assert report_totals() == before
    assert counts["practice_session_log"] == 6 and counts["award"] == 1
    assert not any(storage.exists(name) for name in made["files"])
    summary = db.session.scalar(
        db.select(SupervisionSession.shared_summary).where(
            SupervisionSession.shared_summary.contains(KEPT)
        )
    )
    assert summary == f"Erased person {grace.id} brought a case. {KEPT}"
    assert grace.name == f"Erased person {grace.id}" and not grace.is_active
    assert grace.email == f"erased-{grace.id}@invalid.invalid" and grace.erased_at
    assert grace.has_role(Role.FACILITATOR) and grace.organisation_id  # for aggregates
    award = made["award"]
    assert award.code and award.user_id == grace.id and award.holder_name == grace.name
    submission = db.session.scalar(
        db.select(PortfolioSubmission).where(PortfolioSubmission.user_id == grace.id)
    )
    assert "items" not in submission.snapshot and submission.snapshot["results"]


def test_an_erased_holder_s_award_still_verifies_and_they_cannot_come_back(app, db, demo, login_as):
    grace = demo(GRACE)
    award = db.session.scalar(db.select(Award).where(Award.user_id == grace.id))
    theirs = app.test_client()
    signed_in = theirs.post("/sign-in", data={"email": GRACE, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert theirs.get("/account").status_code == 200
    admin = login_as(Role.ADMIN)

    response = admin.post(f"/admin/people/{grace.id}/erase", data={"email": GRACE})
    assert response.status_code == 302

    # Their other browser is signed out, and they cannot sign in again.
    assert theirs.get("/account").status_code == 302
    for email in (GRACE, f"erased-{grace.id}@invalid.invalid"):
        again = app.test_client().post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        assert again.status_code != 302
    page = app.test_client().get(f"/verify/{award.code}").get_data(as_text=True)
    assert "Name withheld" in page and "Valid" in page and "Grace" not in page
    assert open_badge(award)["credentialSubject"]["name"] == "Name withheld"
    certificate = PdfReader(BytesIO(certificate_pdf(award))).pages[0].extract_text()
    assert "Name withheld" in certificate and "Grace" not in certificate
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "privacy.erased"))
    assert entry.actor_id == admin.user.id and entry.subject_id == grace.id
    assert all(isinstance(value, int) for value in entry.detail.values())

"""The scale seed (``flask seed scale``) at a tiny factor: counts, the consistency rules the
app keeps (sets, sessions, registers, line managers), reproducibility, refusing a second
run, living beside existing data, and the app's pages on the result."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest

from config import TestingConfig
from lms.accounts.models import User
from lms.applications.models import Application, ApplicationStatus, Intake, IntakeFacilitator
from lms.assessment.models import Award, AwardStatus, PortfolioSubmission, SubmissionStatus
from lms.practice.models import (
    FeedbackReceipt,
    PracticeAttendance,
    PracticeSession,
    PracticeSet,
    Presentation,
    SetFacilitator,
    SetMember,
    TraineeProfile,
)
from lms.scale import SCALE_PASSWORD, ScaleDataExists, programme_period, seed_scale

FACTOR = 0.01
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
EVERY_KIND = [
    "organisation",
    "user_account",
    "user_role",
    "intake",
    "application",
    "application_event",
    "endorsement_request",
    "review_assignment",
    "equality_response",
    "intake_facilitator",
    "activity_progress",
    "module_completion",
    "quiz_attempt",
    "reflection",
    "workshop_day",
    "workshop_attendance",
    "supervision_group",
    "supervision_membership",
    "supervision_session",
    "supervision_attendance",
    "buddy_group",
    "buddy_member",
    "buddy_check_in",
    "practice_trainee",
    "practice_set",
    "practice_set_member",
    "practice_set_facilitator",
    "practice_session",
    "practice_attendance",
    "practice_presentation",
    "practice_action",
    "practice_follow_through",
    "practice_session_log",
    "practice_feedback",
    "practice_feedback_receipt",
    "observation",
    "observation_rating",
    "award_scheme",
    "portfolio_submission",
    "award",
]


@pytest.fixture
def seeded(db) -> dict[str, int]:
    return seed_scale(factor=FACTOR, seed=2026, now=NOW)


def _all(db, model):
    return list(db.session.scalars(db.select(model)))


def _sets(db) -> dict[int, dict]:
    sets = {s.id: {"set": s, "members": [], "facilitators": []} for s in _all(db, PracticeSet)}
    for member in _all(db, SetMember):
        sets[member.set_id]["members"].append(member.user_id)
    for facilitator in _all(db, SetFacilitator):
        sets[facilitator.set_id]["facilitators"].append(facilitator.user_id)
    return sets


def test_every_kind_is_made_in_proportion(db, seeded):
    assert all(seeded.get(table, 0) > 0 for table in EVERY_KIND), [
        t for t in EVERY_KIND if not seeded.get(t)
    ]
    # Factor 0.01 of 2,000 facilitators and 2,000 sets; trainees about six a set.
    assert seeded["intake_facilitator"] == 20
    assert seeded["practice_set"] == 20
    assert 5 * 20 <= seeded["practice_set_member"] <= 8 * 20
    assert seeded["practice_trainee"] >= seeded["practice_set_member"]
    assert 4 * 20 <= seeded["practice_session"] <= 6 * 20
    assert seeded["intake"] == 3  # the minimum: completed, running and open
    for table, model in (("practice_session", PracticeSession), ("award", Award)):
        assert db.session.scalar(db.select(db.func.count()).select_from(model)) == seeded[table]
    kinds = {i.name: i for i in _all(db, Intake)}
    assert len(kinds) == 3


def test_sets_have_5_to_8_members_and_1_or_2_facilitators_of_their_intake(db, seeded):
    in_intake = {(f.intake_id, f.user_id) for f in _all(db, IntakeFacilitator)}
    cohort = {p.user_id: p.gmts_intake for p in _all(db, TraineeProfile)}
    seen: Counter = Counter()
    for found in _sets(db).values():
        practice_set = found["set"]
        assert 5 <= len(found["members"]) <= 8
        assert 1 <= len(found["facilitators"]) <= 2
        assert all((practice_set.intake_id, f) in in_intake for f in found["facilitators"])
        assert all(cohort[m] == practice_set.gmts_intake for m in found["members"])
        seen.update((practice_set.gmts_intake, m) for m in found["members"])
    assert seen and max(seen.values()) == 1  # at most one set per trainee per cohort


def test_sessions_are_numbered_and_dated_within_the_programme(db, seeded):
    intakes = {i.id: i for i in _all(db, Intake)}
    by_set = defaultdict(list)
    for session in _all(db, PracticeSession):
        by_set[session.set_id].append(session)
    held = 0
    for found in _sets(db).values():
        sessions = sorted(by_set[found["set"].id], key=lambda s: s.number)
        assert 4 <= len(sessions) <= 6
        assert [s.number for s in sessions] == list(range(1, len(sessions) + 1))
        starts = [s.starts_at for s in sessions]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        first, last = programme_period(intakes[found["set"].intake_id])
        assert all(first <= s.starts_at.date() <= last for s in sessions)
        for session in sessions:
            if session.closed_at is not None:
                held += 1
                assert session.started_at <= session.closed_at < NOW
            else:
                assert session.started_at is None
    assert held > 0


def test_registers_presenters_and_feedback_are_only_for_the_sets_members(db, seeded):
    sets = _sets(db)
    sessions = {s.id: s for s in _all(db, PracticeSession)}
    members_of = {sid: set(found["members"]) for sid, found in sets.items()}
    register = defaultdict(set)
    for line in _all(db, PracticeAttendance):
        assert line.user_id in members_of[sessions[line.session_id].set_id]
        register[line.session_id].add(line.user_id)
    for session in sessions.values():
        if session.closed_at is not None:  # every held session has a complete register
            assert register[session.id] == members_of[session.set_id]
        else:
            assert not register[session.id]
    for presentation in _all(db, Presentation):
        assert presentation.presenter_id in members_of[presentation.set_id]
        assert sessions[presentation.session_id].set_id == presentation.set_id
        assert presentation.challenge == "A workplace challenge"
    for receipt in _all(db, FeedbackReceipt):
        assert receipt.user_id in members_of[sessions[receipt.session_id].set_id]


def test_no_line_manager_is_in_a_set_with_someone_they_manage(db, seeded):
    emails = {u.id: u.email.lower() for u in _all(db, User)}
    manager_of = {p.user_id: (p.line_manager_email or "").lower() for p in _all(db, TraineeProfile)}
    people_managers = 0
    for found in _sets(db).values():
        in_set = {emails[u] for u in found["members"] + found["facilitators"]}
        for member in found["members"]:
            assert manager_of[member] not in in_set
            people_managers += manager_of[member] in set(emails.values())
    assert people_managers > 0  # some line managers are people in the data


def test_applications_in_every_status_and_awards_in_every_state(db, seeded):
    statuses = set(db.session.scalars(db.select(Application.status).distinct()))
    assert statuses == set(ApplicationStatus)
    accepted = db.session.scalar(
        db.select(db.func.count())
        .select_from(Application)
        .where(Application.status == ApplicationStatus.ACCEPTED)
    )
    assert accepted == seeded["intake_facilitator"]
    submissions = set(db.session.scalars(db.select(PortfolioSubmission.status).distinct()))
    assert submissions == set(SubmissionStatus)
    awards = _all(db, Award)
    assert {a.status(NOW) for a in awards} == set(AwardStatus)  # valid, revoked, expired
    assert len({a.code for a in awards}) == len(awards)


def _digest(url: str, seed: int) -> str:
    from lms import create_app
    from lms.extensions import db

    other = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with other.app_context():
        db.create_all()
        seed_scale(factor=FACTOR, seed=seed, now=NOW)
        digest = hashlib.sha256()
        for query in (
            db.select(User.id, User.email, User.name, User.language).order_by(User.id),
            db.select(
                PracticeSession.set_id, PracticeSession.number, PracticeSession.starts_at
            ).order_by(PracticeSession.id),
            db.select(PracticeAttendance.user_id, PracticeAttendance.status).order_by(
                PracticeAttendance.id
            ),
            db.select(TraineeProfile.user_id, TraineeProfile.line_manager_email).order_by(
                TraineeProfile.id
            ),
            db.select(Award.code, Award.user_id).order_by(Award.id),
        ):
            for row in db.session.execute(query):
                digest.update(repr(tuple(row)).encode())
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_data(tmp_path):
    first = _digest(f"sqlite:///{tmp_path / 'a.sqlite'}", 2026)
    again = _digest(f"sqlite:///{tmp_path / 'b.sqlite'}", 2026)
    other = _digest(f"sqlite:///{tmp_path / 'c.sqlite'}", 7)
    assert first == again
    assert other != first


def test_a_second_seed_refuses(db, seeded):
    with pytest.raises(ScaleDataExists):
        seed_scale(factor=FACTOR, seed=1, now=NOW)


def test_it_seeds_beside_existing_records(db, make_set, make_user):
    existing = make_set(sessions=4)
    before = {u.id: u.email for u in _all(db, User)}
    session_ids = {s.id for s in existing.sessions}
    counts = seed_scale(factor=FACTOR, seed=2026, now=NOW)
    after = {u.id: u.email for u in _all(db, User)}
    assert {k: after[k] for k in before} == before  # nothing overwritten
    assert len(after) == len(before) + counts["user_account"]
    assert min(k for k in after if k not in before) > max(before)
    assert session_ids <= {s.id for s in _all(db, PracticeSession)}
    db.session.expire_all()
    assert len(db.session.get(PracticeSet, existing.id).members) == len(existing.member_ids)


@pytest.mark.parametrize(
    ("email", "paths"),
    [
        ("scale.lead.1@example.org", ["/lead/practice", "/lead/portfolios", "/lead/applications"]),
        ("scale.supervisor.001@example.org", ["/supervision", "/practice", "/workshops"]),
        ("scale.facilitator.00001@example.org", ["/portfolio/readiness", "/practice", "/buddy"]),
        ("scale.trainee.00001@example.org", ["/practice", "/account"]),
    ],
)
def test_scale_accounts_sign_in_and_their_pages_work(db, seeded, client, email, paths):
    from lms.accounts import services, two_factor
    from tests.conftest import TOTP_SECRET, sign_in

    user = services.find_user_by_email(email)
    if two_factor.is_required(user):  # the scale seed makes no authenticators: set one up
        two_factor.enable_with_secret(user, TOTP_SECRET)
    sign_in(client, user, SCALE_PASSWORD)
    for path in ["/", *paths]:
        assert client.get(path).status_code == 200, path


def test_the_cli_command_seeds_and_prints_the_accounts(app, db):
    result = app.test_cli_runner().invoke(args=["seed", "scale", "--factor", "0.01"])
    assert result.exit_code == 0, result.output
    assert SCALE_PASSWORD in result.output
    assert "scale.lead.1@example.org" in result.output
    assert "practice_session" in result.output and "seconds" in result.output
    again = app.test_cli_runner().invoke(args=["seed", "scale", "--factor", "0.01"])
    assert again.exit_code != 0
    assert "already has scale data" in again.output

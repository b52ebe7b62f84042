"""Observation and sign-off: who may observe whom, recording against the criteria,
immutability and corrections, self-assessments, reflections, and every page's access and
privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.audit import AuditEvent
from lms.buddy.models import BuddyGroup, BuddyMember, BuddyStatus
from lms.curriculum.services import join_intake
from lms.db_types import utcnow
from lms.extensions import db
from lms.notifications.models import Notification
from lms.practice.models import Action, FollowThrough, FollowThroughStatus, Presentation, Theme
from lms.supervision import observation_permissions as may
from lms.supervision import observations as obs
from lms.supervision import queries, services
from lms.supervision.models import (
    Criterion,
    ImmutableRecordError,
    Observation,
    ObservationKind,
    Outcome,
    Rating,
)
from lms.supervision.observations import ObservationError

CHALLENGE = "CHALLENGE-TEXT the rota keeps collapsing on nights"
ACTION = "ACTION-TEXT speak to the rota coordinator"
SUPPORTS = "SUPPORTS-TEXT my line manager"
RISKS = "RISKS-TEXT it could sour things"
LEARNING = "LEARNING-TEXT asking early worked"
SECRETS = (CHALLENGE, ACTION, SUPPORTS, RISKS, LEARNING)


def full(rating: Rating = Rating.COMPETENT, comment: str | None = None):
    return dict.fromkeys(Criterion, (rating, comment))


def record(observer, facilitator, session, outcome=Outcome.SIGNED_OFF, rating=Rating.COMPETENT):
    draft = obs.start_or_get_draft(observer, facilitator, session)
    return obs.save_observation(draft, full(rating), "Well held.", outcome, True, observer)


def audit_actions(subject_id: int) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AuditEvent.action)
            .where(AuditEvent.subject_type == "Observation", AuditEvent.subject_id == subject_id)
            .order_by(AuditEvent.id)
        )
    )


@pytest.fixture
def make_buddies(db, intake):
    def make(*people):
        pair = BuddyGroup(
            intake_id=intake.id,
            status=BuddyStatus.CONFIRMED,
            members=[BuddyMember(user_id=p.id) for p in people],
        )
        db.session.add(pair)
        db.session.flush()
        return pair

    return make


@pytest.fixture
def w(intake, group, members, supervisor, lead, make_user, make_member, make_set, make_buddies):
    """Group A (run by ``supervisor``) holds the facilitator, their co-facilitator, the
    facilitator's buddy and a peer. The facilitator's set has three past sessions and one
    coming; the buddy runs a set of their own. Group B has another supervisor."""
    facilitator, co, buddy, peer = members
    first = (utcnow() - timedelta(days=20)).replace(second=0, microsecond=0)
    practice_set = make_set(facilitators=[facilitator, co], intake=intake, first=first)
    buddy_set = make_set(facilitators=[buddy], intake=intake, first=first)
    make_buddies(facilitator, buddy)
    other_supervisor = make_user(Role.SUPERVISOR)
    outsider = make_member()
    services.create_group(intake, "Group B", other_supervisor, [outsider], by=lead)
    return {
        "intake": intake,
        "group": group,
        "facilitator": facilitator,
        "co": co,
        "buddy": buddy,
        "peer": peer,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "outsider": outsider,
        "lead": lead,
        "set": practice_set,
        "sessions": practice_set.sessions,
        "buddy_set": buddy_set,
        "trainee": practice_set.members[0].user,
        "applicant": make_user(Role.APPLICANT),
        "reviewer": make_user(Role.REVIEWER),
        "admin": make_user(Role.ADMIN),
    }


# --- Who may observe whom -------------------------------------------------------------------


def test_may_observe_gives_the_kind_by_relationship(w):
    session, f = w["sessions"][0], w["facilitator"]
    assert may.may_observe(w["supervisor"], f, session) is ObservationKind.SUPERVISOR
    assert may.may_observe(w["buddy"], f, session) is ObservationKind.BUDDY
    for who in ("peer", "co", "other_supervisor", "facilitator", "lead", "trainee"):
        assert may.may_observe(w[who], f, session) is None, who
    # Only the facilitators of the session's own set can be observed running it.
    assert may.may_observe(w["supervisor"], f, w["buddy_set"].sessions[0]) is None


def test_a_supervisor_who_is_also_the_buddy_observes_as_supervisor(w, make_user, lead):
    dual = make_user(Role.SUPERVISOR, Role.FACILITATOR)
    services.update_group(w["group"], "Group A", dual, by=lead)
    pair = db.session.scalar(db.select(BuddyGroup))
    pair.members.append(BuddyMember(user_id=dual.id))
    db.session.flush()
    assert may.may_observe(dual, w["facilitator"], w["sessions"][0]) is ObservationKind.SUPERVISOR


def test_a_supervisor_never_signs_themselves_off(w, make_user, make_set, intake, lead, login):
    dual = make_user(Role.SUPERVISOR, Role.FACILITATOR)
    join_intake(intake, dual)
    services.create_group(intake, "Group D", dual, [dual], by=lead)
    own_set = make_set(facilitators=[dual], intake=intake)
    session = own_set.sessions[0]
    assert may.may_observe(dual, dual, session) is None
    with pytest.raises(ObservationError):
        obs.start_or_get_draft(dual, dual, session)
    client = login(dual)
    url = f"/supervision/observations/new/{session.id}/{dual.id}"
    assert client.get(url).status_code == 403
    response = client.post(url, data={"action": "record", "outcome": "signed_off", **form(full())})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Observation.id))) == 0
    page = client.get("/supervision/observations").get_data(as_text=True)
    assert "Your own session" in page


def test_a_supervisor_of_another_group_is_refused_and_it_is_logged(w, login):
    session, f = w["sessions"][0], w["facilitator"]
    with pytest.raises(ObservationError):
        obs.start_or_get_draft(w["other_supervisor"], f, session)
    response = login(w["other_supervisor"]).get(
        f"/supervision/observations/new/{session.id}/{f.id}"
    )
    assert response.status_code == 403
    refused = db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.action == "access.refused")
        .order_by(AuditEvent.id.desc())
    )
    assert refused.actor_id == w["other_supervisor"].id and refused.detail["status"] == 403


def test_moving_group_moves_who_may_observe_and_finish_a_draft(w, lead):
    session, f = w["sessions"][0], w["facilitator"]
    draft = obs.start_or_get_draft(w["supervisor"], f, session)
    obs.save_observation(draft, full(), None, None, False, w["supervisor"])
    other_group = queries.current_groups_of(w["outsider"].id)[0]
    services.move_member(w["intake"], f, other_group, by=lead)
    with pytest.raises(ObservationError):
        obs.save_observation(draft, full(), None, Outcome.SIGNED_OFF, True, w["supervisor"])
    assert may.may_observe(w["other_supervisor"], f, session) is ObservationKind.SUPERVISOR


# --- Recording --------------------------------------------------------------------------------


def test_recording_needs_every_criterion_and_an_outcome(w):
    session, f, s = w["sessions"][0], w["facilitator"], w["supervisor"]
    ratings = full()
    ratings[Criterion.INCLUSION] = (None, None)
    ratings[Criterion.CLOSING] = (None, None)
    draft = obs.start_or_get_draft(s, f, session)
    with pytest.raises(ObservationError) as exc:
        obs.save_observation(draft, ratings, None, None, True, s)
    assert [field for field, _message in exc.value.problems] == [
        "rating_inclusion",
        "rating_closing",
        "outcome",
    ]
    assert db.session.scalar(db.select(db.func.count(Observation.id))) == 0  # nothing stored


def test_a_draft_may_be_incomplete_but_keeps_no_comment_without_a_rating(w):
    session, f, s = w["sessions"][0], w["facilitator"], w["supervisor"]
    draft = obs.start_or_get_draft(s, f, session)
    obs.save_observation(
        draft, {Criterion.CONTRACTING: (Rating.STRONG, "Clear")}, None, None, False, s
    )
    assert draft.id is not None and not draft.is_recorded
    assert [(r.criterion, r.rating) for r in draft.ratings] == [
        (Criterion.CONTRACTING, Rating.STRONG)
    ]
    with pytest.raises(ObservationError) as exc:
        obs.save_observation(draft, {Criterion.ACTIONS: (None, "Thoughts")}, None, None, False, s)
    assert exc.value.problems[0][0] == "rating_actions"
    assert obs.start_or_get_draft(s, f, session) is draft  # the same draft is reopened


def test_recording_before_the_session_has_started_is_refused(w):
    future = w["sessions"][3]
    draft = obs.start_or_get_draft(w["supervisor"], w["facilitator"], future)
    with pytest.raises(ObservationError):
        obs.save_observation(draft, full(), None, Outcome.SIGNED_OFF, True, w["supervisor"])


def test_recording_is_audited_and_the_facilitator_is_told(w, outbox):
    done = record(w["supervisor"], w["facilitator"], w["sessions"][0])
    assert done.is_recorded and done.outcome is Outcome.SIGNED_OFF
    assert audit_actions(done.id) == ["observation.recorded", "observation.signed_off"]
    emails = [e for e in outbox() if e.recipient == w["facilitator"].email]
    assert any("signed off" in e.subject for e in emails)
    links = db.session.scalars(
        db.select(Notification.link).where(Notification.user_id == w["facilitator"].id)
    ).all()
    assert f"/supervision/observations/{done.id}" in links
    with pytest.raises(ObservationError):
        obs.start_or_get_draft(w["supervisor"], w["facilitator"], w["sessions"][0])


def test_a_not_yet_outcome_is_not_a_sign_off(w):
    done = record(w["supervisor"], w["facilitator"], w["sessions"][0], outcome=Outcome.NOT_YET)
    assert audit_actions(done.id) == ["observation.recorded"]


def test_a_buddy_observation_is_formative_and_has_no_outcome(w, outbox):
    session, f, b = w["sessions"][1], w["facilitator"], w["buddy"]
    draft = obs.start_or_get_draft(b, f, session)
    assert draft.kind is ObservationKind.BUDDY
    with pytest.raises(ObservationError):
        obs.save_observation(draft, full(), None, Outcome.SIGNED_OFF, True, b)
    done = obs.save_observation(draft, full(Rating.DEVELOPING), "Try silence", None, True, b)
    assert done.is_recorded and done.outcome is None
    assert audit_actions(done.id) == ["observation.recorded"]
    assert any("buddy" in e.subject for e in outbox() if e.recipient == f.email)


def test_someone_who_is_not_a_buddy_cannot_make_a_buddy_observation(w, login):
    session, f = w["sessions"][1], w["facilitator"]
    with pytest.raises(ObservationError):
        obs.start_or_get_draft(w["peer"], f, session)
    url = f"/supervision/observations/new/{session.id}/{f.id}"
    assert login(w["peer"]).post(url, data={"action": "record", **form(full())}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Observation.id))) == 0


# --- Immutability and corrections -----------------------------------------------------------


def test_a_recorded_observation_cannot_be_changed_through_the_orm(w):
    done = record(w["supervisor"], w["facilitator"], w["sessions"][0])
    done.outcome = Outcome.NOT_YET
    with pytest.raises(ImmutableRecordError):
        db.session.flush()


def test_a_recorded_observations_ratings_cannot_be_changed_through_the_orm(w):
    done = record(w["supervisor"], w["facilitator"], w["sessions"][0])
    done.ratings[0].rating = Rating.NOT_YET
    with pytest.raises(ImmutableRecordError):
        db.session.flush()


def test_a_recorded_observation_cannot_be_deleted(w):
    done = record(w["supervisor"], w["facilitator"], w["sessions"][0])
    db.session.delete(done)
    with pytest.raises(ImmutableRecordError):
        db.session.flush()


def test_saving_a_recorded_observation_again_is_refused(w):
    done = record(w["supervisor"], w["facilitator"], w["sessions"][0])
    with pytest.raises(ObservationError):
        obs.save_observation(done, full(), None, Outcome.NOT_YET, False, w["supervisor"])
    assert done.outcome is Outcome.SIGNED_OFF


def test_a_correction_is_a_new_linked_record_and_both_are_audited(w):
    s, f, session = w["supervisor"], w["facilitator"], w["sessions"][0]
    original = record(s, f, session, outcome=Outcome.NOT_YET, rating=Rating.DEVELOPING)
    with pytest.raises(ObservationError):
        obs.correct(original, s, "  ")
    fix = obs.correct(original, s, "Rated the wrong session")
    assert fix.id != original.id and fix.corrects_id == original.id and not fix.is_recorded
    assert fix.kind is original.kind and fix.session_id == session.id and fix.facilitator_id == f.id
    assert fix.outcome is Outcome.NOT_YET and fix.summary == original.summary
    copied = {r.criterion: r.rating for r in fix.ratings}
    assert copied == dict.fromkeys(Criterion, Rating.DEVELOPING)
    assert obs.correct(original, s, "Again") is fix  # your own unfinished correction
    assert not may.is_superseded(original.id)

    obs.save_observation(fix, full(Rating.STRONG), "Now right", Outcome.SIGNED_OFF, True, s)
    db.session.expire_all()
    original = db.session.get(Observation, original.id)
    assert original.outcome is Outcome.NOT_YET and original.summary == "Well held."
    assert {r.rating for r in original.ratings} == {Rating.DEVELOPING}
    assert may.is_superseded(original.id)
    assert audit_actions(original.id) == ["observation.recorded"]
    assert audit_actions(fix.id) == [
        "observation.correction_started",
        "observation.recorded",
        "observation.signed_off",
        "observation.corrected",
    ]
    corrected = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "observation.corrected")
    )
    assert corrected.detail["corrects"] == original.id
    assert corrected.detail["correction"] == fix.id
    with pytest.raises(ObservationError):
        obs.correct(original, s, "Once more")  # correct the correction instead
    assert obs.correct(fix, s, "A typo").corrects_id == fix.id


def test_who_may_correct(w, make_user, lead):
    f, s, b = w["facilitator"], w["supervisor"], w["buddy"]
    by_supervisor = record(s, f, w["sessions"][0])
    by_buddy = obs.save_observation(
        obs.start_or_get_draft(b, f, w["sessions"][1]), full(), None, None, True, b
    )
    assert may.can_correct(s, by_supervisor) and may.can_correct(b, by_buddy)
    assert not may.can_correct(s, by_buddy)  # a buddy's view is the buddy's
    for who in ("facilitator", "lead", "other_supervisor", "peer"):
        assert not may.can_correct(w[who], by_supervisor), who
        with pytest.raises(ObservationError):
            obs.correct(by_supervisor, w[who], "No")
    successor = make_user(Role.SUPERVISOR)
    services.update_group(w["group"], "Group A", successor, by=lead)
    assert may.can_correct(successor, by_supervisor)
    assert not may.can_correct(s, by_supervisor)


# --- Visibility -------------------------------------------------------------------------------


def test_a_draft_is_the_observers_alone(w):
    draft = obs.start_or_get_draft(w["supervisor"], w["facilitator"], w["sessions"][0])
    obs.save_observation(draft, full(), None, None, False, w["supervisor"])
    assert may.can_see(w["supervisor"], draft)
    for who in ("facilitator", "lead", "buddy", "other_supervisor"):
        assert not may.can_see(w[who], draft), who


def test_a_recorded_observation_is_read_by_the_facilitator_supervisor_and_leads(w):
    done = record(w["supervisor"], w["facilitator"], w["sessions"][0])
    for who in ("supervisor", "facilitator", "lead"):
        assert may.can_see(w[who], done), who
    for who in ("buddy", "peer", "co", "other_supervisor", "admin", "trainee"):
        assert not may.can_see(w[who], done), who


# --- Self-assessment and reflection -----------------------------------------------------------


def test_a_self_assessment_locks_when_the_supervisor_records(w):
    f, s, session = w["facilitator"], w["supervisor"], w["sessions"][0]
    own = obs.self_assessment(f, session)
    with pytest.raises(ObservationError):
        obs.save_observation(own, {}, None, None, False, f)  # nothing at all
    obs.save_observation(
        own, {Criterion.INCLUSION: (Rating.DEVELOPING, None)}, None, None, False, f
    )
    obs.save_observation(
        own, {Criterion.INCLUSION: (Rating.COMPETENT, "Better")}, "Me", None, False, f
    )
    assert obs.self_assessment(f, session) is own and not own.is_recorded
    assert not may.can_see(s, own)  # until the supervisor has recorded their own view
    with pytest.raises(ObservationError):
        obs.save_observation(own, full(), None, None, True, f)  # never recorded by hand

    record(s, f, session)
    assert own.is_recorded  # kept as it stands, though only one criterion is rated
    assert [r.rating for r in own.ratings] == [Rating.COMPETENT]
    assert obs.self_assessment_locked(f.id, session.id)
    assert may.can_see(s, own) and may.can_see(w["lead"], own)
    with pytest.raises(ObservationError):
        obs.save_observation(own, full(), None, None, False, f)
    assert "observation.recorded" in audit_actions(own.id)
    # Another session's self-assessment is still open.
    later = obs.self_assessment(f, w["sessions"][1])
    obs.save_observation(later, full(), None, None, False, f)
    assert not later.is_recorded


def test_a_buddy_observation_does_not_lock_the_self_assessment(w):
    f, session = w["facilitator"], w["sessions"][0]
    own = obs.self_assessment(f, session)
    obs.save_observation(own, full(), None, None, False, f)
    obs.save_observation(
        obs.start_or_get_draft(w["buddy"], f, session), full(), None, None, True, w["buddy"]
    )
    assert not own.is_recorded and not obs.self_assessment_locked(f.id, session.id)


def test_only_a_facilitator_of_the_set_self_assesses(w):
    session = w["sessions"][0]
    assert may.may_self_assess(w["co"], session)
    for who in ("buddy", "supervisor", "trainee", "lead"):
        assert not may.may_self_assess(w[who], session), who
        with pytest.raises(ObservationError):
            obs.self_assessment(w[who], session)


def test_a_supervisor_sees_the_self_assessment_beside_theirs(w):
    f, s, session = w["facilitator"], w["supervisor"], w["sessions"][0]
    own = obs.self_assessment(f, session)
    obs.save_observation(own, full(Rating.STRONG), None, None, False, f)
    buddy = obs.save_observation(
        obs.start_or_get_draft(w["buddy"], f, session), full(), None, None, True, w["buddy"]
    )
    draft = obs.start_or_get_draft(s, f, session)
    obs.save_observation(draft, full(), None, None, False, s)
    assert obs.companions(s, draft) == (None, buddy)  # the self-assessment is still theirs
    obs.save_observation(draft, full(), None, Outcome.SIGNED_OFF, True, s)
    assert obs.companions(s, draft) == (own, buddy)
    assert obs.companions(w["buddy"], buddy) == (None, None)


def test_only_the_facilitator_reflects(w):
    f, s = w["facilitator"], w["supervisor"]
    done = record(s, f, w["sessions"][0])
    for who in ("supervisor", "buddy", "lead"):
        with pytest.raises(ObservationError):
            obs.save_reflection(done, w[who], "Not mine to write")
    with pytest.raises(ObservationError):
        obs.save_reflection(done, f, "   ")
    first = obs.save_reflection(done, f, "I rushed the close.")
    again = obs.save_reflection(done, f, "I rushed the close; next time I will watch the clock.")
    assert again.id == first.id and again.text.endswith("clock.")
    assert audit_actions(done.id)[-1] == "observation.reflection_saved"


def test_no_reflection_on_a_draft_a_self_assessment_or_a_corrected_observation(w):
    f, s = w["facilitator"], w["supervisor"]
    draft = obs.start_or_get_draft(s, f, w["sessions"][1])
    obs.save_observation(draft, full(), None, None, False, s)
    own = obs.self_assessment(f, w["sessions"][2])
    obs.save_observation(own, full(), None, None, False, f)
    done = record(s, f, w["sessions"][0])
    fix = obs.correct(done, s, "Wrong outcome")
    obs.save_observation(fix, full(), None, Outcome.NOT_YET, True, s)
    for target in (draft, own, done):
        with pytest.raises(ObservationError):
            obs.save_reflection(target, f, "Thoughts")
    assert obs.save_reflection(fix, f, "Thoughts").observation_id == fix.id


# --- Pages ------------------------------------------------------------------------------------


def form(ratings, comment: str = "") -> dict:
    data = {}
    for criterion, (rating, text) in ratings.items():
        if rating is not None:
            data[f"rating_{criterion.value}"] = rating.value
        data[f"comment_{criterion.value}"] = text or comment
    return data


@pytest.fixture
def login(client, login):
    """Sign in, first signing out whoever was signed in (so one test can switch people)."""

    def switch(user):
        client._cookies.clear()
        return login(user)

    return switch


@pytest.fixture
def pages(w):
    """A recorded observation (session 1), a supervisor's draft (session 2), a
    self-assessment (session 3) and the URLs of every observation page."""
    f, s, sessions = w["facilitator"], w["supervisor"], w["sessions"]
    done = record(s, f, sessions[0], outcome=Outcome.NOT_YET)
    draft = obs.start_or_get_draft(s, f, sessions[1])
    obs.save_observation(draft, full(), "Draft thoughts", None, False, s)
    own = obs.self_assessment(f, sessions[2])
    obs.save_observation(own, full(Rating.STRONG), None, None, False, f)
    w.update(done=done, draft=draft, own=own)
    return {
        "list": "/supervision/observations",
        "mine": "/supervision/observations/mine",
        "new": f"/supervision/observations/new/{sessions[2].id}/{f.id}",
        "show": f"/supervision/observations/{done.id}",
        "show_draft": f"/supervision/observations/{draft.id}",
        "show_self": f"/supervision/observations/{own.id}",
        "edit": f"/supervision/observations/{draft.id}/edit",
        "correct": f"/supervision/observations/{done.id}/correct",
        "reflection": f"/supervision/observations/{done.id}/reflection",
        "self": f"/supervision/observations/self/{sessions[2].id}",
        "lead": "/lead/supervision/observations",
    }


REFUSED = {"applicant": 403, "trainee": 403, "reviewer": 403, "admin": 403}
EXPECTED = {
    "list": {"supervisor": 200, "other_supervisor": 200, "facilitator": 403, "lead": 403},
    "mine": {"facilitator": 200, "buddy": 200, "supervisor": 403, "lead": 403},
    "new": {
        "supervisor": 200,
        "buddy": 200,
        "facilitator": 403,
        "peer": 403,
        "co": 403,
        "other_supervisor": 403,
        "lead": 403,
    },
    "show": {
        "supervisor": 200,
        "facilitator": 200,
        "lead": 200,
        "buddy": 404,
        "peer": 404,
        "co": 404,
        "other_supervisor": 404,
    },
    "show_draft": {"supervisor": 200, "facilitator": 404, "lead": 404, "other_supervisor": 404},
    "show_self": {"facilitator": 200, "supervisor": 404, "lead": 404, "co": 404},
    "edit": {"supervisor": 200, "facilitator": 404, "other_supervisor": 404, "lead": 403},
    "correct": {
        "supervisor": 200,
        "facilitator": 403,
        "other_supervisor": 404,
        "buddy": 404,
        "lead": 403,
    },
    "reflection": {"facilitator": 200, "supervisor": 403, "buddy": 404, "lead": 403},
    "self": {"facilitator": 200, "co": 200, "buddy": 403, "supervisor": 403, "lead": 403},
    "lead": {"lead": 200, "supervisor": 403, "facilitator": 403},
}
CASES = [
    (page, who, status)
    for page, row in EXPECTED.items()
    for who, status in {**REFUSED, **row}.items()
]


@pytest.mark.parametrize(("page", "who", "status"), CASES)
def test_who_may_open_each_page(w, pages, login, page, who, status):
    assert login(w[who]).get(pages[page]).status_code == status


def test_anonymous_people_are_sent_to_sign_in(w, pages, client):
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url


def test_a_session_that_does_not_exist_is_not_found(w, login):
    url = f"/supervision/observations/new/999999/{w['facilitator'].id}"
    assert login(w["supervisor"]).get(url).status_code == 404
    assert login(w["facilitator"]).get("/supervision/observations/self/999999").status_code == 404


def test_recording_from_the_form(w, login, outbox):
    f, session = w["facilitator"], w["sessions"][0]
    client = login(w["supervisor"])
    url = f"/supervision/observations/new/{session.id}/{f.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Contracting and charter" in page and "Self-awareness and use of self" in page
    assert "Record observation" in page and "Save as draft" in page and "Signed off" in page
    assert db.session.scalar(db.select(db.func.count(Observation.id))) == 0  # GET stores nothing
    response = client.post(
        url, data={"action": "record", "outcome": "signed_off", "summary": "Solid", **form(full())}
    )
    done = db.session.scalar(db.select(Observation))
    assert response.status_code == 302 and response.location.endswith(f"/observations/{done.id}")
    assert done.is_recorded and done.outcome is Outcome.SIGNED_OFF and len(done.ratings) == 8
    mine = login(f).get("/supervision/observations/mine").get_data(as_text=True)
    assert "Signed off" in mine and "Add your reflection" in mine


def test_a_missing_rating_shows_an_error_per_criterion_and_keeps_what_was_typed(w, login):
    f, session = w["facilitator"], w["sessions"][0]
    ratings = full(comment="Kept to time well")
    ratings[Criterion.QUESTIONING] = (None, None)
    ratings[Criterion.CLOSING] = (None, None)
    response = login(w["supervisor"]).post(
        f"/supervision/observations/new/{session.id}/{f.id}",
        data={"action": "record", "summary": "SUMMARY-TYPED", **form(ratings)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Select a rating for Questioning: inquiry, not advice" in page
    assert "Select a rating for Closing and capturing learning" in page
    assert "Select the outcome: signed off or not yet" in page
    assert 'href="#rating_questioning"' in page
    assert "SUMMARY-TYPED" in page and "Kept to time well" in page
    assert 'value="competent" checked' in page
    assert db.session.scalar(db.select(db.func.count(Observation.id))) == 0


def test_a_rating_that_is_not_offered_is_refused(w, login):
    f, session = w["facilitator"], w["sessions"][0]
    response = login(w["supervisor"]).post(
        f"/supervision/observations/new/{session.id}/{f.id}",
        data={"action": "draft", **form(full()), "rating_actions": "superb"},
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Observation.id))) == 0


def test_a_draft_from_the_form_is_invisible_to_the_facilitator(w, login):
    f, session = w["facilitator"], w["sessions"][0]
    client = login(w["supervisor"])
    response = client.post(
        f"/supervision/observations/new/{session.id}/{f.id}",
        data={"action": "draft", "summary": "DRAFT-ONLY-TEXT", "rating_actions": "strong"},
    )
    draft = db.session.scalar(db.select(Observation))
    assert response.location.endswith(f"/observations/{draft.id}/edit")
    assert not draft.is_recorded
    assert "Continue your draft" in client.get("/supervision/observations").get_data(as_text=True)
    facilitator = login(f)
    assert facilitator.get(f"/supervision/observations/{draft.id}").status_code == 404
    assert "DRAFT-ONLY-TEXT" not in facilitator.get("/supervision/observations/mine").get_data(
        as_text=True
    )
    links = db.session.scalars(db.select(Notification.link).where(Notification.user_id == f.id))
    assert not [link for link in links if "/observations/" in link]


def test_the_edit_page_refuses_a_recorded_observation(w, pages, login):
    done = w["done"]
    client = login(w["supervisor"])
    url = f"/supervision/observations/{done.id}/edit"
    response = client.post(url, data={"action": "draft", "summary": "Rewritten", **form(full())})
    assert response.status_code == 302 and response.location.endswith(f"/observations/{done.id}")
    db.session.expire_all()
    assert db.session.get(Observation, done.id).summary == "Well held."
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "has been recorded, so it cannot be changed" in page


def test_a_buddy_form_has_no_outcome_and_ignores_one_sent(w, login):
    f, session = w["facilitator"], w["sessions"][1]
    client = login(w["buddy"])
    url = f"/supervision/observations/new/{session.id}/{f.id}"
    page = client.get(url).get_data(as_text=True)
    assert "formative" in page and 'name="outcome"' not in page
    response = client.post(url, data={"action": "record", "outcome": "signed_off", **form(full())})
    assert response.status_code == 302
    done = db.session.scalar(db.select(Observation))
    assert done.kind is ObservationKind.BUDDY and done.outcome is None and done.is_recorded
    mine = client.get("/supervision/observations/mine").get_data(as_text=True)
    assert "Read your observation" in mine


def test_correcting_from_the_pages(w, pages, login):
    done = w["done"]
    client = login(w["supervisor"])
    assert "Correct this observation" in client.get(pages["show"]).get_data(as_text=True)
    empty = client.post(pages["correct"], data={"reason": ""})
    assert "Enter why the observation needs correcting" in empty.get_data(as_text=True)
    response = client.post(pages["correct"], data={"reason": "Wrong outcome chosen"})
    fix = db.session.scalar(db.select(Observation).where(Observation.corrects_id == done.id))
    assert response.location.endswith(f"/observations/{fix.id}/edit")
    form_page = client.get(f"/supervision/observations/{fix.id}/edit").get_data(as_text=True)
    assert "Wrong outcome chosen" in form_page and 'value="not_yet" checked' in form_page
    # Before it is recorded, the original is not shown as corrected to anyone else.
    assert "Corrected on" not in login(w["facilitator"]).get(pages["show"]).get_data(as_text=True)
    client = login(w["supervisor"])
    client.post(
        f"/supervision/observations/{fix.id}/edit",
        data={"action": "record", "outcome": "signed_off", **form(full())},
    )
    for who in ("supervisor", "facilitator", "lead"):
        client = login(w[who])
        old = client.get(pages["show"]).get_data(as_text=True)
        assert "Corrected on" in old and "see the correction" in old, who
        assert f'href="/supervision/observations/{fix.id}"' in old
        new = client.get(f"/supervision/observations/{fix.id}").get_data(as_text=True)
        assert "This corrects the observation of" in new and "Wrong outcome chosen" in new, who
    mine = login(w["facilitator"]).get(pages["mine"]).get_data(as_text=True)
    assert "Corrected" in mine


def test_self_assessment_pages_lock_after_the_supervisor_records(w, pages, login):
    f, own = w["facilitator"], w["own"]
    client = login(f)
    page = client.get(pages["self"]).get_data(as_text=True)
    assert 'value="strong" checked' in page and "Save your self-assessment" in page
    assert 'name="outcome"' not in page and "Record observation" not in page
    response = client.post(pages["self"], data={"action": "draft", **form(full(Rating.DEVELOPING))})
    assert response.status_code == 302
    assert {r.rating for r in own.ratings} == {Rating.DEVELOPING}
    assert "Change your self-assessment" in client.get(pages["mine"]).get_data(as_text=True)

    record(w["supervisor"], f, w["sessions"][2])
    client = login(f)
    response = client.post(pages["self"], data={"action": "draft", **form(full(Rating.STRONG))})
    assert response.status_code == 302 and response.location.endswith(f"/observations/{own.id}")
    db.session.expire_all()
    assert {r.rating for r in db.session.get(Observation, own.id).ratings} == {Rating.DEVELOPING}
    assert "Read your self-assessment" in client.get(pages["mine"]).get_data(as_text=True)
    supervisor_view = login(w["supervisor"]).get(pages["show_self"])
    assert supervisor_view.status_code == 200


def test_reflecting_from_the_pages(w, pages, login):
    client = login(w["facilitator"])
    assert "Add your reflection" in client.get(pages["show"]).get_data(as_text=True)
    assert "Enter your reflection" in client.post(pages["reflection"], data={"text": ""}).get_data(
        as_text=True
    )
    response = client.post(pages["reflection"], data={"text": "REFLECTION-TEXT I'll pause more"})
    assert response.status_code == 302
    assert "REFLECTION-TEXT" in client.get(pages["reflection"]).get_data(as_text=True)
    for who in ("supervisor", "lead"):
        assert "REFLECTION-TEXT" in login(w[who]).get(pages["show"]).get_data(as_text=True)
    response = login(w["supervisor"]).post(pages["reflection"], data={"text": "Forged"})
    assert response.status_code == 403


def test_leads_read_but_change_nothing(w, pages, login, make_intake, make_set):
    client = login(w["lead"])
    page = client.get(pages["show"]).get_data(as_text=True)
    assert "Correct this observation" not in page and "Add your reflection" not in page
    for url in (pages["edit"], pages["correct"], pages["reflection"], pages["new"]):
        assert client.post(url, data={"reason": "x", "text": "x"}).status_code == 403, url
    listing = client.get(pages["lead"]).get_data(as_text=True)
    assert w["facilitator"].name in listing and "Draft thoughts" not in listing
    other = make_intake(name="Elsewhere")
    shown = client.get(f"{pages['lead']}?intake={other.id}").get_data(as_text=True)
    assert w["facilitator"].name not in shown
    shown = client.get(f"{pages['lead']}?intake={w['intake'].id}").get_data(as_text=True)
    assert w["facilitator"].name in shown


def test_no_challenge_or_action_text_on_any_page(w, pages, login):
    sessions, trainee = w["sessions"], w["trainee"]
    presentation = Presentation(
        session_id=sessions[0].id,
        set_id=w["set"].id,
        presenter_id=trainee.id,
        theme=Theme.ROTA_WORKFLOW,
        challenge=CHALLENGE,
    )
    db.session.add(presentation)
    db.session.flush()
    action = Action(
        presentation_id=presentation.id,
        set_id=w["set"].id,
        session_id=sessions[0].id,
        owner_id=trainee.id,
        text=ACTION,
        supports=SUPPORTS,
        risks=RISKS,
    )
    db.session.add(action)
    db.session.flush()
    db.session.add(
        FollowThrough(
            action_id=action.id,
            session_id=sessions[1].id,
            status=FollowThroughStatus.DONE,
            learning_note=LEARNING,
        )
    )
    obs.save_reflection(w["done"], w["facilitator"], "Mine")
    db.session.flush()
    seen = []
    for who in ("supervisor", "facilitator", "buddy", "lead"):
        client = login(w[who])
        for name, url in pages.items():
            response = client.get(url, follow_redirects=True)
            if response.status_code == 200:
                seen.append((who, name))
                text = response.get_data(as_text=True)
                assert not [s for s in SECRETS if s in text], (who, name)
    assert len(seen) >= 14


# --- Query counts -----------------------------------------------------------------------------


def _grow(w, make_member, make_set, make_buddies, n: int = 3):
    """More facilitators in the group, each with a set and observations; more buddies."""
    first = (utcnow() - timedelta(days=13)).replace(second=0, microsecond=0)
    for _ in range(n):
        person = make_member()
        services.move_member(w["intake"], person, w["group"], by=w["lead"])
        their_set = make_set(facilitators=[person], intake=w["intake"], first=first)
        record(w["supervisor"], person, their_set.sessions[0])
        draft = obs.start_or_get_draft(w["supervisor"], person, their_set.sessions[1])
        obs.save_observation(draft, full(), None, None, False, w["supervisor"])
        own = obs.self_assessment(person, their_set.sessions[1])
        obs.save_observation(own, full(), None, None, False, person)
        buddy = make_member()
        make_buddies(w["facilitator"], buddy)
        make_set(facilitators=[buddy], intake=w["intake"], first=first)
        obs.save_observation(
            obs.start_or_get_draft(buddy, w["facilitator"], w["sessions"][1]),
            full(),
            None,
            None,
            True,
            buddy,
        )
    extra = make_set(facilitators=[w["facilitator"]], intake=w["intake"], first=first)
    record(w["supervisor"], w["facilitator"], extra.sessions[0])
    own = obs.self_assessment(w["facilitator"], extra.sessions[1])
    obs.save_observation(own, full(), None, None, False, w["facilitator"])


@pytest.mark.parametrize(
    ("page", "who"), [("list", "supervisor"), ("mine", "facilitator"), ("lead", "lead")]
)
def test_list_pages_use_a_constant_number_of_queries(
    w, pages, login, make_member, make_set, make_buddies, count_queries, page, who
):
    client = login(w[who])
    url = pages[page]
    client.get(url)
    db.session.flush()
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(w, make_member, make_set, make_buddies)
    db.session.flush()
    with count_queries() as large:
        response = client.get(url)
        assert response.status_code == 200
    assert large.count == small.count, (small.count, large.count)
    assert response.get_data(as_text=True).count("/supervision/observations/") > 5

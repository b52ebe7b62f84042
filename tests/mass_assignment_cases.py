"""The forms the mass-assignment test posts (``tests/test_mass_assignment.py``): who uses
each, the page it is on, the valid answers it needs beyond the page's defaults and the
steps it needs first; the records some need made beforehand (``SETUP``); and the POST
endpoints left out, with the reason (``EXCLUDED``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from lms.demo import DEMO_PASSWORD
from tests.mass_assignment_steps import (
    ADMIN,
    APPLICANT,
    COHORT,
    ENDORSED,
    ERASED,
    FACILITATOR,
    GMTS_MODULE,
    GMTS_TRAINEE,
    HOLDER,
    LEAD,
    OFFERED,
    PASSPHRASE,
    PASSWORDS,
    REVIEWER,
    SHORTLISTED,
    SUBMITTED,
    SUPERVISOR,
    TRAINEE,
    Case,
    activity,
    application,
    award,
    buddy_group,
    charter_not_yet_agreed,
    choose,
    complete_sections,
    console,
    csv,
    day,
    do_every_activity,
    draft_observation,
    endorsement_link,
    evidence,
    failed_report_run,
    group,
    group_session,
    intake,
    little_required,
    new_set,
    observation,
    offer_past_reply_date,
    one_without_a_buddy,
    open_case,
    open_review,
    other_choice,
    pairs_proposed,
    password_given,
    pdf,
    pending_import,
    practice_session,
    practice_set,
    ready_to_close,
    renewal_scheme,
    repair_requested,
    reset_link,
    reviewer_assigned,
    scores,
    second,
    sets_confirmed,
    submission,
    tick_first,
    totp,
    user,
    workshop,
)

COMPLETED = "rhiannon.price@example.org"  # a facilitator from the completed intake
READY = "owen.jenkins@example.org"  # submitted a portfolio in the completed intake
BUDDY = "dev.sharma@example.org"  # Fatima's buddy, co-facilitating set 1


def first_session() -> int:
    return practice_session("Set 1", 1)


def held() -> int:
    """Set 1's latest session held (the demo data's third)."""
    return practice_session("Set 1", 3)


def _running(path: str) -> Callable[[], str]:
    return lambda: path.format(intake("Running"))


CASES: dict[str, Case] = {
    # Accounts
    "accounts.register": Case(
        None,
        "/register",
        {"name": "New Person", "email": "new.person@example.org", **PASSWORDS},
    ),
    "accounts.sign_in": Case(None, "/sign-in", {"email": APPLICANT, "password": DEMO_PASSWORD}),
    "accounts.sign_in_code": Case(
        None, "/sign-in/code", lambda form: {"code": totp(LEAD)}, password_given(LEAD)
    ),
    "accounts.request_reset": Case(None, "/reset-password", {"email": TRAINEE}),
    "accounts.reset_password": Case(None, reset_link, PASSWORDS),
    "accounts.edit_details": Case(TRAINEE, "/account/details"),
    "accounts.edit_access_needs": Case(TRAINEE, "/account/access-needs"),
    "accounts.edit_language": Case(TRAINEE, "/account/language", {"language": "cy"}),
    "accounts.change_password": Case(
        TRAINEE,
        "/account/password",
        {"current_password": DEMO_PASSWORD, "new_password": PASSPHRASE, "confirm": PASSPHRASE},
    ),
    "accounts.confirm_identity": Case(
        TRAINEE, "/account/confirm-identity", {"password": DEMO_PASSWORD}
    ),
    "accounts.sign_out": Case(TRAINEE, "/account"),
    "accounts.sign_out_everywhere": Case(TRAINEE, "/account"),
    "accounts.two_factor_start": Case(REVIEWER, "/account/two-factor/set-up"),
    "accounts.two_factor_setup": Case(
        REVIEWER,
        "/account/two-factor/set-up",
        lambda form: {"code": totp(REVIEWER)},
        lambda world, client: client.post("/account/two-factor/start"),
    ),
    "accounts.two_factor_new_codes": Case(ADMIN, "/account/two-factor"),
    "accounts.two_factor_turn_off": Case(GMTS_TRAINEE, "/account/two-factor"),
    "main.set_language": Case(TRAINEE, "/account"),
    "notifications.mark_read": Case(LEAD, "/notifications"),
    "privacy.download_data": Case(TRAINEE, "/account/data"),
    "privacy.erase_person": Case(
        ADMIN, lambda: f"/admin/people/{user(ERASED)}/erase", {"email": ERASED}
    ),
    # Administration
    "admin.edit_organisation": Case(ADMIN, "/admin/organisations/new"),
    "admin.grant_role": Case(ADMIN, lambda: f"/admin/people/{user(APPLICANT)}"),
    "admin.revoke_role": Case(ADMIN, lambda: f"/admin/people/{user(APPLICANT)}"),
    "admin.set_person_organisation": Case(ADMIN, lambda: f"/admin/people/{user(APPLICANT)}"),
    "admin.toggle_active": Case(ADMIN, lambda: f"/admin/people/{user(APPLICANT)}"),
    "admin.retry_job": Case(ADMIN, "/admin/jobs/failed"),
    # Applications
    "applications.start_application": Case(TRAINEE, lambda: f"/intakes/{intake('Open')}/apply"),
    "applications.edit_section": Case(
        APPLICANT, lambda: f"/applications/{application(APPLICANT)}/sections/personal"
    ),
    "applications.edit_equality": Case(
        APPLICANT, lambda: f"/applications/{application(APPLICANT)}/equality"
    ),
    "applications.submit_application": Case(
        APPLICANT,
        lambda: f"/applications/{application(APPLICANT)}/check",
        prepare=complete_sections,
    ),
    "applications.withdraw_application": Case(
        SUBMITTED, lambda: f"/applications/{application(SUBMITTED)}/withdraw"
    ),
    "applications.resend_my_endorsement": Case(
        SUBMITTED, lambda: f"/applications/{application(SUBMITTED)}"
    ),
    "applications.endorse": Case(None, endorsement_link),
    "applications.accept_offer": Case(
        OFFERED, lambda: f"/applications/{application(OFFERED)}/accept"
    ),
    "applications.decline_offer": Case(
        OFFERED, lambda: f"/applications/{application(OFFERED)}/decline"
    ),
    "applications.score_application": Case(
        REVIEWER, open_review, scores, prepare=reviewer_assigned
    ),
    "applications.edit_intake": Case(
        LEAD,
        "/lead/intakes/new",
        {
            "delivery_modes": ["online"],
            "regions": ["wales"],
            **day("opens_on", date(date.today().year + 1, 3, 1)),
            **day("closes_on", date(date.today().year + 1, 4, 1)),
            **day("programme_starts_on", date(date.today().year + 1, 6, 1)),
        },
    ),
    "applications.assign_reviewers": Case(
        LEAD, lambda: f"/lead/applications/{application(SUBMITTED)}", tick_first
    ),
    "applications.assign_reviewers_automatically": Case(
        LEAD, lambda: f"/lead/applications/{application(SUBMITTED)}"
    ),
    "applications.remove_reviewer": Case(
        LEAD, lambda: f"/lead/applications/{application(SUBMITTED)}", prepare=reviewer_assigned
    ),
    "applications.resend_endorsement_link": Case(
        LEAD, lambda: f"/lead/applications/{application(SUBMITTED)}"
    ),
    "applications.shortlist_application": Case(
        LEAD, lambda: f"/lead/applications/{application(ENDORSED)}"
    ),
    "applications.waitlist_application": Case(
        LEAD, lambda: f"/lead/applications/{application(ENDORSED)}"
    ),
    "applications.reject_application": Case(
        LEAD, lambda: f"/lead/applications/{application(ENDORSED)}"
    ),
    "applications.offer_place": Case(
        LEAD, lambda: f"/lead/applications/{application(SHORTLISTED)}"
    ),
    "applications.lapse_offer": Case(
        LEAD, lambda: f"/lead/applications/{application(OFFERED)}", prepare=offer_past_reply_date
    ),
    # Curriculum
    "curriculum.mark_read": Case(COHORT, lambda: activity("reading")),
    "curriculum.save_reflection": Case(COHORT, lambda: activity("reflection")),
    "curriculum.submit_answers": Case(COHORT, lambda: activity("knowledge_check"), tick_first),
    "curriculum.complete_module": Case(
        COHORT, f"/modules/{GMTS_MODULE}", prepare=do_every_activity
    ),
    "curriculum.new_workshop": Case(LEAD, _running("/lead/training/{}/workshops/new")),
    "curriculum.edit_workshop": Case(
        LEAD, lambda: f"/lead/training/workshops/{workshop(past=False)}/edit"
    ),
    "curriculum.cancel_workshop": Case(
        LEAD, lambda: f"/lead/training/workshops/{workshop(past=False)}/cancel"
    ),
    "curriculum.keep_register": Case(
        LEAD, lambda: f"/workshops/{workshop(past=True)}/register", other_choice
    ),
    # Supervision
    "supervision.new_group": Case(LEAD, lambda: f"/lead/supervision/{intake('Next')}/groups/new"),
    "supervision.edit_group": Case(LEAD, lambda: f"/supervision/groups/{group()}/edit"),
    "supervision.move_member": Case(LEAD, _running("/lead/supervision/{}"), {"group": ""}),
    "supervision.new_sessions": Case(
        SUPERVISOR, lambda: f"/supervision/groups/{group()}/sessions/new"
    ),
    "supervision.edit_session": Case(
        SUPERVISOR, lambda: f"/supervision/sessions/{group_session(past=False)}/edit"
    ),
    "supervision.cancel_session": Case(
        SUPERVISOR, lambda: f"/supervision/sessions/{group_session(past=False)}/cancel"
    ),
    "supervision.session_register": Case(
        SUPERVISOR,
        lambda: f"/supervision/sessions/{group_session(past=True)}/register",
        other_choice,
    ),
    "supervision.session_notes": Case(
        SUPERVISOR, lambda: f"/supervision/sessions/{group_session(past=True)}/notes"
    ),
    "supervision.new_case": Case(FACILITATOR, lambda: f"/supervision/groups/{group()}/cases/new"),
    "supervision.edit_case": Case(FACILITATOR, lambda: open_case() + "/edit"),
    "supervision.respond_to_case": Case(SUPERVISOR, lambda: open_case() + "/respond"),
    "supervision.new_observation": Case(
        SUPERVISOR, lambda: f"/supervision/observations/new/{first_session()}/{user(FACILITATOR)}"
    ),
    "supervision.edit_observation": Case(SUPERVISOR, draft_observation),
    "supervision.self_assessment": Case(
        FACILITATOR, lambda: f"/supervision/observations/self/{first_session()}"
    ),
    "supervision.observation_reflection": Case(
        FACILITATOR,
        lambda: f"/supervision/observations/{observation(SUPERVISOR, FACILITATOR)}/reflection",
    ),
    "supervision.correct_observation": Case(
        SUPERVISOR,
        lambda: f"/supervision/observations/{observation(SUPERVISOR, COMPLETED)}/correct",
    ),
    # Buddies
    "buddy.new_check_in": Case(
        FACILITATOR,
        lambda: f"/buddy/{buddy_group(FACILITATOR)}/check-ins/new",
        lambda form: {**tick_first(form), **day("met_on", date.today() - timedelta(days=7))},
    ),
    "buddy.request_repair": Case(FACILITATOR, lambda: f"/buddy/{buddy_group(FACILITATOR)}/re-pair"),
    "buddy.run_pairing": Case(LEAD, _running("/lead/buddies/{}"), prepare=pairs_proposed),
    "buddy.add_rule": Case(LEAD, _running("/lead/buddies/{}"), choose("rule-first", "rule-second")),
    "buddy.remove_rule": Case(LEAD, _running("/lead/buddies/{}")),
    "buddy.swap": Case(LEAD, _running("/lead/buddies/{}"), choose("swap-first", "swap-second")),
    "buddy.join_pair": Case(LEAD, _running("/lead/buddies/{}"), prepare=one_without_a_buddy),
    "buddy.confirm": Case(LEAD, _running("/lead/buddies/{}")),
    "buddy.discard": Case(LEAD, _running("/lead/buddies/{}")),
    "buddy.resolve_request": Case(LEAD, _running("/lead/buddies/{}"), prepare=repair_requested),
    # Observed practice
    "practice.import_trainees": Case(LEAD, "/lead/practice/trainees/import", csv),
    "practice.confirm_import": Case(LEAD, pending_import),
    "practice.allocate_sets": Case(
        LEAD, _running("/lead/practice/{}"), {"allocate-gmts_intake": "GMTS 2027"}
    ),
    "practice.move_trainee": Case(LEAD, _running("/lead/practice/{}"), second("move-to_set")),
    "practice.confirm_sets": Case(LEAD, _running("/lead/practice/{}")),
    "practice.discard_sets": Case(LEAD, _running("/lead/practice/{}")),
    "practice.change_facilitators": Case(LEAD, _running("/lead/practice/{}")),
    "practice.book_sessions": Case(LEAD, new_set, {"action": "book"}, sets_confirmed),
    "practice.charter": Case(
        GMTS_TRAINEE,
        lambda: f"/practice/sets/{practice_set('Set 1')}/charter",
        {"agree": "y"},
        charter_not_yet_agreed,
    ),
    "practice.start_session": Case(
        COHORT, lambda: f"/practice/sessions/{practice_session('Set 2', 1)}/console"
    ),
    "practice.save_register": Case(FACILITATOR, console, other_choice),
    "practice.save_follow_through": Case(FACILITATOR, console),
    "practice.add_presenter": Case(FACILITATOR, console),
    "practice.save_presentation": Case(FACILITATOR, console),
    "practice.remove_presenter": Case(FACILITATOR, console),
    "practice.move_stage": Case(FACILITATOR, console),
    "practice.close_session": Case(FACILITATOR, console, prepare=ready_to_close),
    "practice.reopen_session": Case(FACILITATOR, lambda: f"/practice/sessions/{held()}/console"),
    "practice.session_log": Case(FACILITATOR, lambda: f"/practice/sessions/{held()}/log"),
    "practice.give_feedback": Case(TRAINEE, lambda: f"/practice/sessions/{held()}/feedback"),
    # Assessment and award
    "assessment.new_upload": Case(FACILITATOR, "/portfolio/evidence/new", pdf),
    "assessment.delete_upload": Case(
        FACILITATOR, lambda: f"/portfolio/evidence/{evidence(FACILITATOR)}/delete"
    ),
    "assessment.save_showcase": Case(FACILITATOR, "/portfolio?by=source", tick_first),
    "assessment.submit": Case(
        FACILITATOR,
        "/portfolio/readiness",
        lambda form: {**tick_first(form), "personal_email": "fatima@example.com"},
        prepare=little_required,
    ),
    "assessment.lead_scheme": Case(LEAD, _running("/lead/awards/{}/criteria")),
    "assessment.issue_award": Case(LEAD, lambda: f"/lead/portfolios/{submission(READY)}"),
    "assessment.return_submission": Case(LEAD, lambda: f"/lead/portfolios/{submission(READY)}"),
    "assessment.revoke_award": Case(LEAD, lambda: f"/lead/awards/award/{award(HOLDER)}/revoke"),
    "assessment.renew_award": Case(
        LEAD, lambda: f"/lead/awards/award/{award(HOLDER)}", prepare=renewal_scheme
    ),
    "assessment.award_email": Case(
        HOLDER, lambda: f"/awards/{award(HOLDER)}/email", {"email": "a.friend@example.org"}
    ),
    # Reports
    "reports.build": Case(LEAD, "/reports/applications"),
    "reports.rebuild_run": Case(LEAD, failed_report_run),
}

# Records some cases need, made through the forms that make them before any case runs:
# (who, page, the form's action, answers beyond the page's defaults).
SETUP: list[tuple[str, str | Callable[[], str], str, Any]] = [
    (LEAD, _running("/lead/buddies/{}"), "/run", {}),
    (LEAD, _running("/lead/buddies/{}"), "/rules", choose("rule-first", "rule-second")),
    (FACILITATOR, console, "/console/start", {}),
    (FACILITATOR, console, "/console/presenters", {}),
    (LEAD, "/lead/practice/trainees/import", "/import", csv),
    (LEAD, pending_import, "/confirm", {}),
    (LEAD, _running("/lead/practice/{}"), "/allocate", {"allocate-gmts_intake": "GMTS 2027"}),
    (LEAD, "/lead/practice/trainees/import", "/import", csv),
    (LEAD, "/reports/applications", "/build", {}),
    (FACILITATOR, lambda: f"/supervision/groups/{group()}/cases/new", "/cases/new", {}),
    (
        SUPERVISOR,
        lambda: f"/supervision/observations/new/{first_session()}/{user(BUDDY)}",
        "/observations/new",
        {"action": "draft"},
    ),
]

# POST endpoints no case posts to, and why.
EXCLUDED: dict[str, str] = {}

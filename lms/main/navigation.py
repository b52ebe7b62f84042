"""What each role sees: header navigation and the sections of the home page.

One declared list: a feature adds its pages here (with the roles that may use them),
and both the header and the home page pick them up.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role


@dataclass(frozen=True)
class Link:
    label: object  # a lazy string
    endpoint: str
    roles: tuple[Role, ...]
    description: object = ""
    in_header: bool = True


LINKS: list[Link] = [
    Link(
        _l("Your applications"),
        "applications.list_my_applications",
        (Role.APPLICANT,),
        _l("Apply to an open intake, finish a draft, and follow your application"),
    ),
    Link(
        _l("Reviews"),
        "applications.list_reviews",
        (Role.REVIEWER,),
        _l("Score the applications assigned to you"),
    ),
    Link(
        _l("Applications"),
        "applications.applications_overview",
        (Role.LEAD,),
        _l("Assign reviewers, decide applications and see the mix of people offered places"),
    ),
    Link(
        _l("Intakes"),
        "applications.list_intakes",
        (Role.LEAD,),
        _l("Create intakes and set their application windows, places, modes and regions"),
    ),
    Link(
        _l("Training modules"),
        "curriculum.list_modules",
        (Role.FACILITATOR, Role.SUPERVISOR),
        _l("Work through the modules: reading, reflections, knowledge checks and workshops"),
    ),
    Link(
        _l("Workshop days"),
        "curriculum.list_workshops",
        (Role.FACILITATOR, Role.SUPERVISOR),
        _l("See your live workshop days, add them to your calendar and keep registers"),
        in_header=False,
    ),
    Link(
        _l("Your reflections"),
        "curriculum.list_reflections",
        (Role.FACILITATOR,),
        _l("Read and change the reflections you have written in the modules"),
        in_header=False,
    ),
    Link(
        _l("Supervision"),
        "supervision.overview",
        (Role.FACILITATOR, Role.SUPERVISOR),
        _l("Your supervision group, its sessions, the register, notes and cases"),
    ),
    Link(
        _l("Supervision groups"),
        "supervision.lead_overview",
        (Role.LEAD,),
        _l("Form supervision groups for an intake and move people between them"),
    ),
    Link(
        _l("Your buddy"),
        "buddy.overview",
        (Role.FACILITATOR,),
        _l("Your buddy's contact details, your check-ins, and asking to be re-paired"),
    ),
    Link(
        _l("Buddy pairing"),
        "buddy.lead_overview",
        (Role.LEAD,),
        _l("Pair an intake's trainee facilitators as buddies, check the pairs and confirm"),
    ),
    Link(
        _l("Action learning sets"),
        "practice.overview",
        (Role.FACILITATOR, Role.TRAINEE, Role.SUPERVISOR),
        _l("Your sets and their sessions, the session console, actions and feedback"),
    ),
    Link(
        _l("Observations"),
        "supervision.observations",
        (Role.SUPERVISOR,),
        _l("Observe and sign off your facilitators' set sessions"),
    ),
    Link(
        _l("Observations of your practice"),
        "supervision.my_observations",
        (Role.FACILITATOR,),
        _l("Observations of your sessions, your self-assessments, and observing your buddy"),
        in_header=False,
    ),
    Link(
        _l("Observations and sign-offs"),
        "supervision.lead_observations",
        (Role.LEAD,),
        _l("Recorded observations and sign-offs, by intake"),
        in_header=False,
    ),
    Link(
        _l("Portfolio"),
        "assessment.portfolio",
        (Role.FACILITATOR,),
        _l("Your evidence for the award, what is still missing, and submitting for review"),
    ),
    Link(
        _l("Your award"),
        "assessment.my_awards",
        (Role.FACILITATOR,),
        _l("Your certificate, its verification address and your digital badge"),
        in_header=False,
    ),
    Link(
        _l("Awards"),
        "assessment.lead_intakes",
        (Role.LEAD,),
        _l("Award criteria for each intake, who is ready, portfolios to review, and awards"),
    ),
    Link(
        _l("Portfolios to review"),
        "assessment.lead_submissions",
        (Role.LEAD,),
        _l("Portfolios submitted for the award: return them with comments or issue the award"),
        in_header=False,
    ),
    Link(
        _l("Sets and trainees"),
        "practice.lead_overview",
        (Role.LEAD,),
        _l("Import GMTS trainees, allocate them to action learning sets and confirm the sets"),
    ),
    Link(
        _l("Training"),
        "curriculum.training_overview",
        (Role.LEAD, Role.ADMIN),
        _l("See each intake's progress through the modules and schedule workshop days"),
    ),
    Link(
        _l("Reports"),
        "reports.index",
        (Role.LEAD,),
        _l("The whole programme in figures and charts, with CSV and spreadsheet downloads"),
    ),
    Link(
        _l("People"),
        "admin.list_people",
        (Role.ADMIN,),
        _l("Find people, grant and revoke roles, and disable accounts"),
    ),
    Link(
        _l("Organisations"),
        "admin.list_organisations",
        (Role.ADMIN,),
        _l("Add and edit the organisations people work for"),
    ),
    Link(
        _l("Audit log"),
        "admin.audit_log",
        (Role.ADMIN,),
        _l("See who changed what, and every refused request"),
    ),
    Link(
        _l("Email outbox"),
        "admin.outbox",
        (Role.ADMIN,),
        _l("Read the emails the service has sent"),
        in_header=False,
    ),
    Link(
        _l("Failed jobs"),
        "admin.failed_jobs",
        (Role.ADMIN,),
        _l("See background jobs that failed and run them again"),
        in_header=False,
    ),
]

ROLE_SUMMARIES = {
    Role.APPLICANT: _l(
        "Apply to join the programme as a trainee facilitator and follow "
        "your application through endorsement, review and decision."
    ),
    Role.FACILITATOR: _l(
        "Work through the training modules, attend supervision, meet your "
        "buddy, run your action learning set and build your portfolio "
        "towards the award."
    ),
    Role.TRAINEE: _l(
        "Take part in your action learning set: see your sessions and your "
        "own actions, and give feedback on facilitation."
    ),
    Role.SUPERVISOR: _l(
        "Lead your supervision groups, keep their registers, and observe "
        "and sign off your facilitators' practice."
    ),
    Role.REVIEWER: _l("Score the applications assigned to you against the selection rubric."),
    Role.LEAD: _l(
        "Run intakes: decide applications, form supervision groups, pair "
        "buddies, allocate sets, review portfolios and issue awards."
    ),
    Role.ADMIN: _l(
        "Manage accounts, roles and organisations, and keep an eye on the "
        "audit log, email and background jobs."
    ),
}


@dataclass(frozen=True)
class HomeSection:
    role: Role
    summary: object
    links: list[Link]


def links_for(user) -> list[Link]:
    held = set(user.roles)
    return [link for link in LINKS if held.intersection(link.roles)]


def home_sections(user) -> list[HomeSection]:
    return [
        HomeSection(role, ROLE_SUMMARIES[role], [lk for lk in LINKS if role in lk.roles])
        for role in user.roles
    ]


def header_items(user) -> list[dict]:
    """The header navigation for ``user``, as nhsuk header ``navigation.items``."""
    items = [
        {
            "text": str(_l("Home")),
            "href": url_for("main.home"),
            "current": request.endpoint == "main.home",
        }
    ]
    links = [(link, url_for(link.endpoint)) for link in links_for(user) if link.in_header]
    # Only the closest section is active: /supervision/observations is "Observations",
    # not "Supervision" as well.
    matches = [href for _link, href in links if request.path.startswith(href)]
    active = max(matches, key=len) if matches else None
    for link, href in links:
        items.append({"text": str(link.label), "href": href, "active": href == active})
    return items

"""The sections of the application task list: what each holds and when it is complete.

A section is a small declaration: its key, title and the application columns it owns,
each with a kind that says how a form's text becomes a stored value and back. What a
section still needs is worked out by its ``missing`` rule, so a draft can be saved with
gaps and the task list, check-your-answers and submit all agree on what is left.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Region, Sector
from lms.applications.models import (
    Application,
    Band,
    DeliveryMode,
    Programme,
    StaffGroup,
)

WORD = re.compile(r"\S+")


def count_words(text: str | None) -> int:
    """Words as the NHS.UK character count component counts them (runs of non-spaces)."""
    return len(WORD.findall(text or ""))


Missing = dict[str, str]  # field name -> what the person still needs to do


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    fields: dict[str, Any]  # column -> kind: str, bool, int, list, or an Enum class
    missing: Callable[[Application], Missing]

    def to_form(self, application: Application) -> dict[str, Any]:
        """Stored values as a form's data (enums by value, booleans as yes or no)."""
        return {
            name: _to_form(kind, getattr(application, name)) for name, kind in self.fields.items()
        }

    def from_form(self, data: dict[str, Any]) -> dict[str, Any]:
        """A form's data as stored values; fields the form did not send are left out."""
        return {
            name: _from_form(kind, data[name]) for name, kind in self.fields.items() if name in data
        }

    def has_answers(self, application: Application) -> bool:
        return any(getattr(application, name) not in (None, "", []) for name in self.fields)


def _to_form(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if kind is bool:
        return "yes" if value else "no"
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return value.value
    return value


def _from_form(kind: Any, raw: Any) -> Any:
    if kind is list:
        return list(raw or [])
    if isinstance(raw, str):
        raw = raw.strip()
    if raw in (None, ""):
        return None
    if kind is bool:
        return {"yes": True, "no": False}.get(raw)
    if kind is int:
        return int(raw)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(raw)
    return raw


def _required(application: Application, messages: dict[str, str]) -> Missing:
    return {
        name: message
        for name, message in messages.items()
        if getattr(application, name) in (None, "", [])
    }


def _missing_personal(a: Application) -> Missing:
    return _required(
        a,
        {
            "full_name": _("Enter your full name"),
            "contact_email": _("Enter your email address"),
            "phone": _("Enter your phone number"),
        },
    )


def _missing_role(a: Application) -> Missing:
    missing = _required(
        a,
        {
            "job_title": _("Enter your job title"),
            "staff_group": _("Select your staff group"),
            "sector": _("Select the sector you work in"),
            "band": _("Select your band or equivalent"),
            "region": _("Select your region"),
        },
    )
    if a.organisation_id is None and not a.organisation_other:
        missing["organisation_id"] = _(
            "Select your organisation, or enter its name if it is not in the list"
        )
    return missing


def _missing_eligibility(a: Application) -> Missing:
    return _required(
        a,
        {
            "works_in_health_care": _("Select yes if you work in health and care"),
            "can_commit_time": _("Select yes if you can commit the time the programme needs"),
        },
    )


def _missing_programmes(a: Application) -> Missing:
    missing = _required(
        a, {"previous_programmes": _("Select the programmes you have done, or none of these")}
    )
    if Programme.OTHER.value in a.previous_programmes and not a.previous_other:
        missing["previous_other"] = _("Enter the name of the other programme")
    return missing


def _missing_experience(a: Application) -> Missing:
    return _required(
        a, {"facilitation_experience": _("Describe your facilitation and coaching experience")}
    )


def _missing_motivation(a: Application) -> Missing:
    return _required(a, {"motivation": _("Enter your motivation statement")})


def _missing_delivery(a: Application) -> Missing:
    missing = _required(
        a,
        {
            "preferred_mode": _("Select how you would prefer the programme to be delivered"),
            "availability": _("Tell us when you are available"),
        },
    )
    if a.preferred_mode is not None and a.preferred_mode.value not in a.intake.delivery_modes:
        missing["preferred_mode"] = _("Select a delivery mode this intake offers")
    return missing


def _missing_adjustments(a: Application) -> Missing:
    missing = _required(
        a, {"has_adjustments": _("Select yes if you would like us to make adjustments")}
    )
    if a.has_adjustments and not a.adjustments:
        missing["adjustments"] = _("Tell us what adjustments would help you")
    return missing


def _missing_manager(a: Application) -> Missing:
    missing = _required(
        a,
        {
            "manager_name": _("Enter your line manager's name"),
            "manager_email": _("Enter your line manager's email address"),
        },
    )
    own = {(a.contact_email or "").lower(), a.applicant.email.lower()}
    if a.manager_email and a.manager_email.lower() in own:
        missing["manager_email"] = _(
            "Enter your line manager's email address, not your own; they will be asked to "
            "endorse your application"
        )
    return missing


SECTIONS: tuple[Section, ...] = (
    Section(
        "personal",
        _l("Personal and contact details"),
        {"full_name": str, "contact_email": str, "phone": str},
        _missing_personal,
    ),
    Section(
        "role",
        _l("Your current role"),
        {
            "job_title": str,
            "organisation_id": int,
            "organisation_other": str,
            "staff_group": StaffGroup,
            "sector": Sector,
            "band": Band,
            "region": Region,
        },
        _missing_role,
    ),
    Section(
        "eligibility",
        _l("Eligibility"),
        {"works_in_health_care": bool, "can_commit_time": bool},
        _missing_eligibility,
    ),
    Section(
        "programmes",
        _l("Previous programmes"),
        {"previous_programmes": list, "previous_other": str},
        _missing_programmes,
    ),
    Section(
        "experience",
        _l("Facilitation and coaching experience"),
        {"facilitation_experience": str},
        _missing_experience,
    ),
    Section("motivation", _l("Motivation statement"), {"motivation": str}, _missing_motivation),
    Section(
        "delivery",
        _l("Delivery mode and availability"),
        {"preferred_mode": DeliveryMode, "availability": str},
        _missing_delivery,
    ),
    Section(
        "adjustments",
        _l("Reasonable adjustments"),
        {"has_adjustments": bool, "adjustments": str},
        _missing_adjustments,
    ),
    Section(
        "manager",
        _l("Your line manager"),
        {"manager_name": str, "manager_email": str},
        _missing_manager,
    ),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


class SectionState(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


def section_state(application: Application, section: Section) -> SectionState:
    """Completed once saved with nothing missing; in progress once anything is saved."""
    if section.key in application.completed_sections and not section.missing(application):
        return SectionState.COMPLETED
    if section.has_answers(application):
        return SectionState.IN_PROGRESS
    return SectionState.NOT_STARTED


def incomplete_sections(application: Application) -> list[Section]:
    return [s for s in SECTIONS if section_state(application, s) is not SectionState.COMPLETED]


def is_eligible(application: Application) -> bool:
    return bool(application.works_in_health_care and application.can_commit_time)


def answered_ineligible(application: Application) -> bool:
    """The eligibility section is complete and its answers rule the applicant out."""
    state = section_state(application, SECTIONS_BY_KEY["eligibility"])
    return state is SectionState.COMPLETED and not is_eligible(application)

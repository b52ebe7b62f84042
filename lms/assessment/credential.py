"""The award as an Open Badges 3.0 credential (``OpenBadgeCredential``, JSON-LD), and the
award criteria in words, which the credential and the public criteria page share.

The credential is **not signed**: it carries no ``proof``. It is verified instead through
its ``credentialStatus``, a public address of ours that says whether the award is valid,
revoked or expired right now (type ``1EdTechRevocationList``; OB 3.0 has since moved to
Bitstring Status Lists, which need a signed list credential we do not publish). Its
``id``, ``issuer.id`` and ``achievement.id`` are all addresses under ``PUBLIC_URL``.

The holder is identified by a salted SHA-256 hash of the personal email address the award
is keyed to (an OB ``IdentityObject``), so the credential does not reveal the address but
whoever knows it can check it. The holder's name is included too: the OB context defines
``name`` for every object, and a displayer needs it; it is already public on the
verification page.

Everything in the credential is in English (JSON is not translated).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from lms.assessment import portfolio
from lms.assessment.criteria import Requirement, RequirementKind
from lms.assessment.models import AWARD_TITLE, ISSUER_NAME, Award
from lms.assessment.outcomes import OUTCOMES
from lms.privacy.names import award_holder_name

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_TYPE = "1EdTechRevocationList"
# The spec's AlignmentTargetType for a competency; our learning outcomes are competencies.
OUTCOME_TARGET_TYPE = "ceasn:Competency"
# Award codes are turned into stable credential ids in this namespace.
CREDENTIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://purl.imsglobal.org/spec/ob/v3p0")


def public_url(endpoint: str, **values: Any) -> str:
    """An address of ours under ``PUBLIC_URL`` (whatever host the request came in on), so
    the credential says the same wherever it is made."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return base + url_for(endpoint, **values)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second, as the VC data model uses."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_id() -> str:
    """The issuer's id and address: the service's public address."""
    return current_app.config["PUBLIC_URL"].rstrip("/")


def credential_id(award: Award) -> str:
    """The credential's own id: a URN that stays the same for the award, whatever its
    status or the address the service runs at."""
    return f"urn:uuid:{uuid.uuid5(CREDENTIAL_NAMESPACE, award.code)}"


def status_url(award: Award) -> str:
    return public_url("assessment.credential_status", code=award.code)


def criteria_url() -> str:
    return public_url("assessment.award_criteria")


def outcome_url(code: str) -> str:
    return f"{criteria_url()}#outcome-{code}"


def identity_salt(award: Award) -> str:
    """A salt that is the same each time the award's credential is made, but cannot be
    worked out from the award's public code alone."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"award-salt:{award.code}".encode(), hashlib.sha256).hexdigest()[:32]


def identity_hash(email: str, salt: str) -> str:
    """The OB hashed identity: ``sha256$`` and the hex SHA-256 of the address plus salt."""
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def _sets(r: Requirement) -> str:
    if r.sessions_per_set > 0:
        return ngettext(
            "At least %(num)d action learning set facilitated, with at least %(sessions)d of "
            "its sessions held.",
            "At least %(num)d action learning sets facilitated, each with at least "
            "%(sessions)d of its sessions held.",
            r.threshold,
            sessions=r.sessions_per_set,
        )
    return ngettext(
        "At least %(num)d action learning set facilitated.",
        "At least %(num)d action learning sets facilitated.",
        r.threshold,
    )


# How each kind of requirement reads, in the current language.
_SENTENCES: dict[RequirementKind, Callable[[Requirement], str]] = {
    RequirementKind.CORE_MODULES: lambda r: _("All core modules complete."),
    RequirementKind.SUPERVISION_SESSIONS: lambda r: ngettext(
        "At least %(num)d supervision session attended.",
        "At least %(num)d supervision sessions attended.",
        r.threshold,
    ),
    RequirementKind.SETS_FACILITATED: _sets,
    RequirementKind.OBSERVATIONS_SIGNED_OFF: lambda r: ngettext(
        "At least %(num)d observed session signed off.",
        "At least %(num)d observed sessions signed off.",
        r.threshold,
    ),
    RequirementKind.SESSION_LOGS: lambda r: ngettext(
        "At least %(num)d session log written.",
        "At least %(num)d session logs written.",
        r.threshold,
    ),
    RequirementKind.BUDDY_CHECK_INS: lambda r: ngettext(
        "At least %(num)d buddy check-in.", "At least %(num)d buddy check-ins.", r.threshold
    ),
}


def criteria_in_words(requirements: Iterable[Requirement]) -> list[str]:
    """One sentence per requirement that asks for something, in the current language (a
    count of zero asks for nothing, so it is left out)."""
    return [
        _SENTENCES[r.kind](r)
        for r in requirements
        if r.required and (r.kind is RequirementKind.CORE_MODULES or r.threshold > 0)
    ]


def award_description() -> str:
    return _(
        "Awarded to facilitators of NHS action learning sets who have completed the "
        "programme's training, facilitated sets under supervision and observation, and had "
        "their portfolio of evidence reviewed by the programme team."
    )


def _alignments() -> list[dict[str, Any]]:
    return [
        {
            "type": ["Alignment"],
            "targetName": str(outcome.title),
            "targetDescription": _(
                "A learning outcome of the programme: %(outcome)s.", outcome=outcome.title
            ),
            "targetCode": outcome.code,
            "targetUrl": outcome_url(outcome.code),
            "targetFramework": _("Learning outcomes of the %(programme)s", programme=ISSUER_NAME),
            "targetType": OUTCOME_TARGET_TYPE,
        }
        for outcome in OUTCOMES
    ]


def open_badge(award: Award) -> dict[str, Any]:
    """The award as an Open Badges 3.0 ``OpenBadgeCredential`` (unsigned; see the module
    docstring), ready for ``json.dumps``."""
    with force_locale("en"):
        issuer_url = issuer_id()
        salt = identity_salt(award)
        credential: dict[str, Any] = {
            "@context": list(CONTEXT),
            "id": credential_id(award),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": str(AWARD_TITLE),
            "issuer": {
                "id": issuer_url,
                "type": ["Profile"],
                "name": str(ISSUER_NAME),
                "url": issuer_url,
            },
            "validFrom": iso(award.issued_at),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "name": award_holder_name(award),
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityHash": identity_hash(award.holder_email, salt),
                        "identityType": "emailAddress",
                        "hashed": True,
                        "salt": salt,
                    }
                ],
                "achievement": {
                    "id": criteria_url(),
                    "type": ["Achievement"],
                    "achievementType": "Certificate",
                    "name": str(AWARD_TITLE),
                    "description": award_description(),
                    "criteria": {
                        "id": criteria_url(),
                        "narrative": " ".join(
                            criteria_in_words(portfolio.requirements_for(award.intake_id))
                        ),
                    },
                    "alignment": _alignments(),
                    "inLanguage": "en",
                },
            },
            "credentialStatus": {"id": status_url(award), "type": STATUS_TYPE},
        }
        if award.expires_at is not None:
            credential["validUntil"] = iso(award.expires_at)
    return credential

"""Admin writes: organisations. (Role changes live in accounts.services.)"""

from __future__ import annotations

from flask_babel import gettext as _

from lms import audit
from lms.accounts.models import Organisation, Region, Sector
from lms.extensions import db


class OrganisationError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def save_organisation(
    org: Organisation | None, *, name: str, sector: str, region: str, ods_code: str | None, by
) -> Organisation:
    """Create (``org`` None) or update an organisation; names and ODS codes are unique."""
    name = " ".join(name.split())
    ods_code = ods_code.strip().upper() if ods_code else None
    same_name = db.session.scalar(
        db.select(Organisation).where(db.func.lower(Organisation.name) == name.lower())
    )
    if same_name is not None and same_name is not org:
        raise OrganisationError(_("An organisation with this name already exists"), "name")
    if ods_code:
        same_code = db.session.scalar(
            db.select(Organisation).where(Organisation.ods_code == ods_code)
        )
        if same_code is not None and same_code is not org:
            raise OrganisationError(_("Another organisation already has this ODS code"), "ods_code")
    created = org is None
    if org is None:
        org = Organisation()
        db.session.add(org)
    org.name, org.sector, org.region, org.ods_code = name, Sector(sector), Region(region), ods_code
    db.session.flush()
    audit.record(
        "organisation.created" if created else "organisation.updated", org, actor=by, name=name
    )
    return org

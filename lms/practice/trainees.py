"""GMTS trainees: storing an uploaded file, reporting what importing it would do,
importing it whole (or not at all), and the leads' list of trainees.

The file is parsed by the pure ``lms.practice.importing``; this module compares each
accepted row with the database. Importing is idempotent: a row that matches what is
stored is left alone, so the same file imported twice changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager

from lms import audit
from lms.accounts import services as accounts
from lms.accounts.models import Organisation, Region, Role, Sector, User, UserRole
from lms.accounts.passwords import hash_password
from lms.db_types import LabelledEnum, set_labels, utcnow
from lms.extensions import db
from lms.practice.importing import (
    ImportCheck,
    ImportFileError,
    RejectedRow,
    TraineeRow,
    decode,
    parse_trainees,
)
from lms.practice.models import PracticeSet, SetMember, SetStatus, TraineeImport, TraineeProfile

PAGE_SIZE = 50
_CHUNK = 500  # keeps IN (...) lists well inside every database's parameter limit


class TraineeImportError(ValueError):
    """The file cannot be stored or imported; ``messages`` say why, for the error summary."""

    def __init__(self, messages: str | Iterable[str]) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.message = self.messages[0]
        super().__init__(self.message)


class Outcome(LabelledEnum):
    """What importing a row will do."""

    NEW_ACCOUNT = "new_account"
    ADD_ROLE = "add_role"  # an existing account (a facilitator, say) becomes a trainee too
    UPDATE = "update"
    UNCHANGED = "unchanged"


OUTCOME_LABELS = set_labels(
    Outcome,
    {
        Outcome.NEW_ACCOUNT: _l("Create a new account"),
        Outcome.ADD_ROLE: _l("Add the trainee role to their existing account"),
        Outcome.UPDATE: _l("Update their details"),
        Outcome.UNCHANGED: _l("No change"),
    },
)

# What an import can change about a trainee, in the words the report uses.
FIELD_LABELS = {
    "name": _l("name"),
    "organisation": _l("organisation"),
    "region": _l("region"),
    "gmts_intake": _l("GMTS intake"),
    "mode": _l("mode"),
    "line_manager_email": _l("line manager's email"),
}
_PROFILE_FIELDS = ("gmts_intake", "region", "mode", "line_manager_email")


@dataclass
class PlannedRow:
    """An accepted row and what importing it will do."""

    trainee: TraineeRow
    outcome: Outcome
    new_organisation: bool
    changes: tuple[str, ...] = ()  # keys of FIELD_LABELS
    user: User | None = field(default=None, repr=False)
    profile: TraineeProfile | None = field(default=None, repr=False)
    organisation_id: int | None = None  # None: a new organisation

    @property
    def description(self) -> str:
        """What will happen, in a sentence for the report."""
        if self.outcome is Outcome.ADD_ROLE:
            # Their GMTS details are new, not changes; say only what the account loses.
            account = [key for key in self.changes if key in ("name", "organisation")]
            if account:
                return _(
                    "Add the trainee role to their existing account, and change their %(fields)s",
                    fields=_list(FIELD_LABELS[key] for key in account),
                )
        if self.outcome is Outcome.UPDATE:
            return _("Change their %(fields)s", fields=_list(FIELD_LABELS[k] for k in self.changes))
        return str(OUTCOME_LABELS[self.outcome])


@dataclass
class ImportReport:
    """Everything the report page (and the command line) shows about a file."""

    import_: TraineeImport | None
    check: ImportCheck
    planned: list[PlannedRow]
    rejected: list[RejectedRow]
    new_organisations: list[tuple[str, Region]]

    @property
    def problems(self) -> list[str]:
        return self.check.problems

    @property
    def rows(self) -> int:
        return len(self.planned) + len(self.rejected)

    @property
    def counts(self) -> dict[Outcome, int]:
        counts = dict.fromkeys(Outcome, 0)
        for row in self.planned:
            counts[row.outcome] += 1
        return counts

    @property
    def is_imported(self) -> bool:
        return self.import_ is not None and self.import_.imported_at is not None

    @property
    def can_import(self) -> bool:
        return (
            not self.problems and not self.rejected and bool(self.planned) and not self.is_imported
        )


def _list(items: Iterable[object]) -> str:
    return format_list([str(item) for item in items], locale=str(get_locale() or "en"))


# --- Checking a file ------------------------------------------------------------------------


def check_upload(filename: str, content: bytes, by: User | None) -> TraineeImport:
    """Read an uploaded file and keep it for the report. A file that cannot be read, or
    whose header is wrong, is refused with the reasons; rows with problems are kept, so
    the report can list them."""
    try:
        text = decode(content)
    except ImportFileError as exc:
        raise TraineeImportError(exc.message) from None
    check = parse_trainees(text)
    if check.problems:
        raise TraineeImportError(check.problems)
    import_ = TraineeImport(
        filename=(filename or "trainees.csv").replace("\\", "/").rsplit("/", 1)[-1][:255],
        content=text,
        rows=check.rows,
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(import_)
    db.session.flush()
    audit.record(
        "practice.trainee_file_checked",
        import_,
        actor=by,
        accepted=len(check.accepted),
        rejected=len(check.rejected),
    )
    return import_


def report(import_: TraineeImport) -> ImportReport:
    """Check the stored file again, against the database as it is now."""
    return _report(parse_trainees(import_.content), import_)


def preview(text: str) -> ImportReport:
    """The report for a file that is not stored (the command line's --dry-run)."""
    return _report(parse_trainees(text), None)


def _in_chunks(values: list, query: Callable) -> list:
    found = []
    for start in range(0, len(values), _CHUNK):
        found.extend(db.session.scalars(query(values[start : start + _CHUNK])))
    return found


def _report(check: ImportCheck, import_: TraineeImport | None) -> ImportReport:
    rows = check.accepted
    users = {
        user.email: user
        for user in _in_chunks(
            [row.email for row in rows], lambda chunk: db.select(User).where(User.email.in_(chunk))
        )
    }
    profiles = {
        profile.user_id: profile
        for profile in _in_chunks(
            [user.id for user in users.values()],
            lambda chunk: db.select(TraineeProfile).where(TraineeProfile.user_id.in_(chunk)),
        )
    }
    # Organisations are few (hundreds), so match names in Python: case-insensitively,
    # whatever the database's idea of lower case, and exact spelling first.
    exact, folded = {}, {}
    for org_id, name in db.session.execute(
        db.select(Organisation.id, Organisation.name).order_by(Organisation.id)
    ):
        exact[name] = org_id
        folded.setdefault(name.casefold(), org_id)
    planned: list[PlannedRow] = []
    rejected = list(check.rejected)
    new_organisations: dict[str, tuple[str, Region]] = {}
    for row in rows:
        user = users.get(row.email)
        if user is not None and not user.is_active:
            rejected.append(
                RejectedRow(
                    row=row.row,
                    name=row.name,
                    email=row.email,
                    reasons=(
                        _(
                            "This email address belongs to an account that has been switched "
                            "off. Ask an administrator to switch it back on, or remove the row."
                        ),
                    ),
                )
            )
            continue
        org_id = exact.get(row.organisation, folded.get(row.organisation.casefold()))
        if org_id is None:
            new_organisations.setdefault(
                row.organisation.casefold(), (row.organisation, row.region)
            )
        planned.append(_plan(row, user, profiles, org_id))
    rejected.sort(key=lambda r: r.row)
    return ImportReport(
        import_=import_,
        check=check,
        planned=planned,
        rejected=rejected,
        new_organisations=list(new_organisations.values()),
    )


def _plan(
    row: TraineeRow, user: User | None, profiles: dict[int, TraineeProfile], org_id: int | None
) -> PlannedRow:
    if user is None:
        return PlannedRow(row, Outcome.NEW_ACCOUNT, org_id is None, organisation_id=org_id)
    changes = []
    if user.name != row.name:
        changes.append("name")
    if org_id is None or user.organisation_id != org_id:
        changes.append("organisation")
    profile = profiles.get(user.id)
    for key in _PROFILE_FIELDS:
        if profile is None:
            if getattr(row, key) is not None:
                changes.append(key)
        elif getattr(profile, key) != getattr(row, key):
            changes.append(key)
    if not user.has_role(Role.TRAINEE):
        outcome = Outcome.ADD_ROLE
    elif profile is None or changes:
        outcome = Outcome.UPDATE
    else:
        outcome = Outcome.UNCHANGED
    return PlannedRow(
        row,
        outcome,
        org_id is None,
        tuple(changes) if outcome is not Outcome.UNCHANGED else (),
        user=user,
        profile=profile,
        organisation_id=org_id,
    )


# --- Importing ------------------------------------------------------------------------------


def apply_import(import_: TraineeImport, by: User | None) -> TraineeImport:
    """Import every row of a checked file, or nothing: refuses if any row has a problem
    or the file was imported already. Rows that match what is stored are left alone.

    Everything is checked before anything changes, because the request commits even
    after a refusal the view has handled.
    """
    db.session.refresh(import_, with_for_update=True)  # two leads confirming at once
    if import_.imported_at is not None:
        raise TraineeImportError(
            _("This file has already been imported. Upload it again to import it again.")
        )
    found = report(import_)
    if found.problems:
        raise TraineeImportError(found.problems)
    if found.rejected:
        raise TraineeImportError(
            ngettext(
                "%(num)d row has a problem, so nothing has been imported. Fix the file and "
                "upload it again.",
                "%(num)d rows have problems, so nothing has been imported. Fix the file and "
                "upload it again.",
                len(found.rejected),
            )
        )
    if not found.planned:
        raise TraineeImportError(_("The file has no trainees to import."))

    organisations = {
        name.casefold(): Organisation(name=name, sector=Sector.OTHER, region=region)
        for name, region in found.new_organisations
    }
    db.session.add_all(organisations.values())
    # New accounts cannot be signed in to until their owner sets a password from the
    # invitation sent when their set is confirmed. One hash of a random secret that is
    # thrown away serves the whole file: hashing is deliberately slow, and a file may
    # hold thousands of people.
    unusable = hash_password(secrets.token_urlsafe(32)) if found.counts[Outcome.NEW_ACCOUNT] else ""
    for planned in found.planned:
        if planned.outcome is not Outcome.UNCHANGED:
            _apply_row(planned, import_, organisations, unusable, by)

    counts = found.counts
    import_.imported_at = utcnow()
    import_.rows = found.rows
    import_.created_count = counts[Outcome.NEW_ACCOUNT] + counts[Outcome.ADD_ROLE]
    import_.updated_count = counts[Outcome.UPDATE]
    import_.unchanged_count = counts[Outcome.UNCHANGED]
    db.session.flush()
    audit.record(
        "practice.trainees_imported",
        import_,
        actor=by,
        created=import_.created_count,
        updated=import_.updated_count,
        unchanged=import_.unchanged_count,
        new_accounts=counts[Outcome.NEW_ACCOUNT],
        new_organisations=len(organisations),
    )
    return import_


def _apply_row(
    planned: PlannedRow,
    import_: TraineeImport,
    organisations: dict[str, Organisation],
    unusable: str,
    by: User | None,
) -> None:
    row = planned.trainee
    new_org = organisations.get(row.organisation.casefold())
    user = planned.user
    if user is None:
        user = User(email=row.email, name=row.name, password_hash=unusable, language="en")
        user.role_grants = [UserRole(role=Role.TRAINEE, granted_by_id=getattr(by, "id", None))]
        db.session.add(user)
    else:
        if planned.outcome is Outcome.ADD_ROLE:
            accounts.grant_role(user, Role.TRAINEE, by=by)
        if "name" in planned.changes:
            user.name = row.name
    if new_org is not None:
        user.organisation = new_org
    elif user.organisation_id != planned.organisation_id:
        user.organisation_id = planned.organisation_id
    profile = planned.profile
    if profile is None:
        profile = TraineeProfile(user=user)
        db.session.add(profile)
    for key in _PROFILE_FIELDS:
        if getattr(profile, key) != getattr(row, key):
            setattr(profile, key, getattr(row, key))
    profile.import_id = import_.id


# --- The list of trainees -------------------------------------------------------------------


@dataclass
class TraineePage:
    """A page of trainees and, for each, the sets they are in (name and status)."""

    pagination: Pagination
    sets: dict[int, list[tuple[str, SetStatus]]]


def gmts_intakes() -> list[str]:
    """Every GMTS intake that has trainees, for the filter."""
    return list(
        db.session.scalars(
            db.select(TraineeProfile.gmts_intake).distinct().order_by(TraineeProfile.gmts_intake)
        )
    )


def trainee_rows(gmts_intake: str | None, search: str | None, page: int) -> TraineePage:
    """One page of trainees, by name, in a fixed number of queries whatever the page size."""
    query = (
        db.select(TraineeProfile)
        .join(TraineeProfile.user)
        .options(contains_eager(TraineeProfile.user).selectinload(User.organisation))
        .order_by(User.name, User.id)
    )
    if gmts_intake:
        query = query.where(TraineeProfile.gmts_intake == gmts_intake)
    if search:
        like = "%" + search.strip().lower().replace("%", r"\%").replace("_", r"\_") + "%"
        query = query.where(
            db.or_(
                db.func.lower(User.name).like(like, escape="\\"),
                db.func.lower(User.email).like(like, escape="\\"),
            )
        )
    pagination = db.paginate(query, page=max(page, 1), per_page=PAGE_SIZE, error_out=False)
    user_ids = [profile.user_id for profile in pagination.items]
    sets: dict[int, list[tuple[str, SetStatus]]] = {}
    if user_ids:
        memberships = db.session.execute(
            db.select(SetMember.user_id, PracticeSet.name, PracticeSet.status)
            .join(SetMember.set)
            .where(SetMember.user_id.in_(user_ids))
            .order_by(PracticeSet.name)
        )
        for user_id, name, status in memberships:
            sets.setdefault(user_id, []).append((name, status))
    return TraineePage(pagination=pagination, sets=sets)

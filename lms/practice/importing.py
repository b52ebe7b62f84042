"""Reading a CSV file of GMTS trainees: pure parsing and validation, no database.

``parse_trainees(text)`` checks every row and returns what it accepted and what it
rejected, with reasons a lead can act on. Whether a row creates, updates or leaves a
trainee as they are is worked out against the database in ``lms.practice.trainees``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.lists import format_list
from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from flask_babel import force_locale, format_number, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.models import REGION_LABELS, Region
from lms.applications.models import DELIVERY_MODE_LABELS, DeliveryMode

MAX_ROWS = 5_000
NAME_MAX = 200
ORGANISATION_MAX = 200
GMTS_INTAKE_MAX = 60


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy string: the name in the template file and the guidance
    required: bool
    aliases: tuple[str, ...]  # other names people give the column, in English


COLUMNS: tuple[Column, ...] = (
    Column("name", _l("Name"), True, ("full name", "trainee name", "trainee's name")),
    Column("email", _l("Email"), True, ("email address", "trainee email", "trainee's email")),
    Column(
        "organisation",
        _l("Organisation"),
        True,
        ("organization", "organisation name", "employer", "employing organisation", "trust"),
    ),
    Column("region", _l("Region"), True, ("NHS region",)),
    Column("gmts_intake", _l("GMTS intake"), True, ("intake", "GMTS cohort", "cohort")),
    Column(
        "line_manager_email",
        _l("Line manager's email"),
        True,
        (
            "line manager email",
            "line manager's email address",
            "line manager email address",
            "manager's email",
            "manager email",
        ),
    ),
    Column("mode", _l("Mode"), False, ("delivery mode", "preferred mode", "mode (optional)")),
)

# What people write for "either way" (or leave blank): no preference, so the allocator
# can place them in a set of any mode.
_EITHER = {"", "either", "any", "both", "nopreference", "none"}
_MODE_WORDS = {
    "online": DeliveryMode.ONLINE,
    "virtual": DeliveryMode.ONLINE,
    "remote": DeliveryMode.ONLINE,
    "inperson": DeliveryMode.IN_PERSON,
    "facetoface": DeliveryMode.IN_PERSON,
    "blended": DeliveryMode.BLENDED,
    "hybrid": DeliveryMode.BLENDED,
}


@dataclass(frozen=True)
class TraineeRow:
    """One accepted row, cleaned: emails lower-case, spaces tidied."""

    row: int  # as the spreadsheet numbers it: the header is row 1
    name: str
    email: str
    organisation: str
    region: Region
    gmts_intake: str
    line_manager_email: str
    mode: DeliveryMode | None


@dataclass(frozen=True)
class RejectedRow:
    """A row with problems: what was typed, and every reason it cannot be imported."""

    row: int
    name: str
    email: str
    reasons: tuple[str, ...]


@dataclass
class ImportCheck:
    """What a file holds. ``problems`` are about the whole file (nothing else is checked
    when there are any); ``rejected`` rows each say what is wrong with them."""

    accepted: list[TraineeRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.accepted) + len(self.rejected)

    @property
    def ok(self) -> bool:
        """True when every row can be imported (and there is at least one)."""
        return not self.problems and not self.rejected and bool(self.accepted)


class ImportFileError(ValueError):
    """The file cannot be read at all (not UTF-8 text)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode(content: bytes) -> str:
    """The file's text. Accepts UTF-8 with or without the byte order mark Excel adds."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file must be saved as CSV UTF-8. In Excel, choose Save As, then "
                "'CSV UTF-8 (Comma delimited)', and upload that file."
            )
        ) from None


def squash(text: str) -> str:
    """Lower case with everything but letters and digits removed, so "Line manager's
    e-mail" and "line_manager_email" compare equal."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config.get("LANGUAGES", ("en",))) if has_app_context() else ("en",)


def _in_every_language(labels: Iterable[object]) -> list[list[str]]:
    """Each lazy label as written in every language the service offers (files may come
    from a lead who works in Welsh)."""
    labels = list(labels)
    found: list[list[str]] = [[] for _label in labels]
    for language in _languages():
        with force_locale(language):
            for names, label in zip(found, labels, strict=True):
                names.append(str(label))
    return found


def _header_names() -> dict[str, Column]:
    names: dict[str, Column] = {}
    for column, labels in zip(COLUMNS, _in_every_language(c.label for c in COLUMNS), strict=True):
        for name in (column.key, *column.aliases, *labels):
            names[squash(name)] = column
    return names


def _region_names() -> dict[str, Region]:
    regions = list(REGION_LABELS)
    names = {squash(region.value): region for region in regions}
    for region, labels in zip(
        regions, _in_every_language(REGION_LABELS[r] for r in regions), strict=True
    ):
        names.update({squash(label): region for label in labels})
    return names


def _mode_names() -> dict[str, DeliveryMode]:
    modes = list(DELIVERY_MODE_LABELS)
    names = dict(_MODE_WORDS)
    for mode, labels in zip(
        modes, _in_every_language(DELIVERY_MODE_LABELS[m] for m in modes), strict=True
    ):
        names.update({squash(label): mode for label in labels})
        names[squash(mode.value)] = mode
    return names


def _listed(items: Iterable[object], style: str = "standard") -> str:
    """``a, b and c`` (or ``a, b or c``) in the current language."""
    return format_list([str(item) for item in items], style=style, locale=str(get_locale() or "en"))


def _dialect(first_line: str) -> str:
    """Comma, unless the header is plainly separated by semicolons or tabs (Excel in some
    locales saves "CSV" with semicolons)."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _email(value: str) -> str | None:
    """The address, lower case, or None if it is not a valid email address."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _tidy(value: str) -> str:
    return " ".join(value.split())


def parse_trainees(text: str) -> ImportCheck:
    """Check every row of a CSV file of GMTS trainees (the header row names the columns).

    Blank rows are skipped. Row numbers are as a spreadsheet shows them, the header being
    row 1, so a lead can find the row to fix.
    """
    check = ImportCheck()
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        check.problems.append(_not_csv())
        return check
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first_line))
    try:
        records = list(reader)
    except csv.Error:
        check.problems.append(_not_csv())
        return check
    header_at = next(
        (i for i, record in enumerate(records) if any(c.strip() for c in record)), None
    )
    if header_at is None:
        check.problems.append(_("The file is empty. Add a header row and a row for each trainee."))
        return check
    columns = _read_header(records[header_at], check)
    if check.problems:
        return check
    data = [
        (number, record)
        for number, record in enumerate(records[header_at + 1 :], start=header_at + 2)
        if any(cell.strip() for cell in record)
    ]
    if not data:
        check.problems.append(
            _("The file has a header row but no trainees. Add a row for each trainee.")
        )
        return check
    if len(data) > MAX_ROWS:
        check.problems.append(
            _(
                "The file has %(num)s trainees. You can import up to %(max)s at a time: split "
                "the file into smaller files.",
                num=format_number(len(data)),
                max=format_number(MAX_ROWS),
            )
        )
        return check
    seen: dict[str, int] = {}
    regions, modes = _region_names(), _mode_names()
    for number, record in data:
        _check_row(number, record, columns, seen, regions, modes, check)
    return check


def _not_csv() -> str:
    return _(
        "The file could not be read as a CSV file. Save it from your spreadsheet as "
        "'CSV UTF-8 (Comma delimited)' and upload it again."
    )


def _read_header(header: list[str], check: ImportCheck) -> list[Column | None]:
    """The column each position holds (None for an unnamed, empty column)."""
    names = _header_names()
    columns: list[Column | None] = []
    unknown: list[str] = []
    for cell in header:
        if not cell.strip():
            columns.append(None)
            continue
        column = names.get(squash(cell))
        if column is None:
            unknown.append(cell.strip())
        elif column in columns:
            check.problems.append(
                _(
                    "The column '%(column)s' appears more than once. Keep one and remove the "
                    "other.",
                    column=cell.strip(),
                )
            )
        columns.append(column)
    missing = [c.label for c in COLUMNS if c.required and c not in columns]
    if missing:
        check.problems.append(
            _(
                "The first row must name the columns. These columns are missing: %(columns)s.",
                columns=_listed(missing),
            )
        )
    if unknown:
        check.problems.append(
            _(
                "The file has columns we do not recognise: %(unknown)s. Remove them, or "
                "name them as in the template: %(columns)s.",
                unknown=_listed(unknown),
                columns=_listed(c.label for c in COLUMNS),
            )
        )
    return columns


def _check_row(
    number: int,
    record: list[str],
    columns: list[Column | None],
    seen: dict[str, int],
    regions: dict[str, Region],
    modes: dict[str, DeliveryMode],
    check: ImportCheck,
) -> None:
    values = {c.key: "" for c in COLUMNS}
    for column, cell in zip(columns, record, strict=False):
        if column is not None:
            values[column.key] = cell.strip()
    reasons: list[str] = []

    name = _tidy(values["name"])
    if not name:
        reasons.append(_("Enter the trainee's name"))
    elif len(name) > NAME_MAX:
        reasons.append(_("The name must be %(max)d characters or fewer", max=NAME_MAX))

    email = _email(values["email"]) if values["email"] else None
    if not values["email"]:
        reasons.append(_("Enter the trainee's email address"))
    elif email is None:
        reasons.append(
            _("Enter the trainee's email address in the correct format, like name@example.org")
        )
    elif email in seen:
        reasons.append(
            _(
                "This email address is also on row %(row)d. Each trainee must be on one row only.",
                row=seen[email],
            )
        )

    organisation = _tidy(values["organisation"])
    if not organisation:
        reasons.append(_("Enter the trainee's organisation"))
    elif len(organisation) > ORGANISATION_MAX:
        reasons.append(
            _("The organisation must be %(max)d characters or fewer", max=ORGANISATION_MAX)
        )

    region = regions.get(squash(values["region"]))
    if not values["region"]:
        reasons.append(_("Enter the trainee's region"))
    elif region is None:
        reasons.append(
            _(
                "'%(value)s' is not a region. Use one of: %(regions)s.",
                value=values["region"],
                regions=_listed(REGION_LABELS.values(), "or"),
            )
        )

    gmts_intake = _tidy(values["gmts_intake"])
    if not gmts_intake:
        reasons.append(_("Enter the trainee's GMTS intake, for example GMTS 2026"))
    elif len(gmts_intake) > GMTS_INTAKE_MAX:
        reasons.append(
            _("The GMTS intake must be %(max)d characters or fewer", max=GMTS_INTAKE_MAX)
        )

    manager = values["line_manager_email"]
    manager_email = _email(manager) if manager else None
    if not manager:
        reasons.append(_("Enter the line manager's email address"))
    elif manager_email is None:
        reasons.append(
            _("Enter the line manager's email address in the correct format, like name@example.org")
        )
    elif email is not None and manager_email == email:
        reasons.append(
            _(
                "The line manager's email address is the trainee's own. Enter the email "
                "address of the trainee's line manager."
            )
        )

    mode_text = squash(values["mode"])
    mode = modes.get(mode_text)
    if mode is None and mode_text not in _EITHER:
        reasons.append(
            _(
                "'%(value)s' is not a way of meeting. Enter online, in person, blended or "
                "either, or leave it blank.",
                value=values["mode"],
            )
        )

    if email is not None and email not in seen:
        seen[email] = number
    # More cells than columns: usually a comma inside an unquoted value, which shifts the
    # rest of the row along. (Blank extra cells alone are harmless padding.)
    extra = record[len(columns) :]
    if any(cell.strip() for cell in extra) or (extra and reasons):
        reasons.insert(
            0,
            _(
                "This row has more values than there are columns. If a value has a comma in "
                "it, put the value in double quotes."
            ),
        )
    if reasons:
        check.rejected.append(
            RejectedRow(row=number, name=name, email=values["email"], reasons=tuple(reasons))
        )
        return
    check.accepted.append(
        TraineeRow(
            row=number,
            name=name,
            email=email,
            organisation=organisation,
            region=region,
            gmts_intake=gmts_intake,
            line_manager_email=manager_email,
            mode=mode,
        )
    )

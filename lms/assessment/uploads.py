"""Evidence a facilitator uploads to their portfolio: checking, storing and removing files.

A file is checked by its content (:mod:`lms.assessment.filetypes`), kept outside the web
root under a random name (:mod:`lms.assessment.storage`), and tied to one or more learning
outcomes with a description. The name it had on the person's computer is kept for display
only. Everything is checked before anything is written, so a refusal changes nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from lms import audit
from lms.accounts.models import User
from lms.assessment import filetypes, permissions, portfolio, storage
from lms.assessment import outcomes as lo
from lms.assessment.models import EvidenceUpload, ShowcaseItem
from lms.extensions import db

SOURCE = "uploads"  # the evidence source key, as in ShowcaseItem.source
DESCRIPTION_MAX = 1000
FILENAME_MAX = 255


class UploadError(Exception):
    """A refusal to show the person. ``field`` names the form field it belongs to (None: the
    whole form); ``problems`` holds every (field, message) found, so a form can show them
    all at once."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        problems: list[tuple[str | None, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems = problems or [(field, message)]


def max_mb() -> int:
    return int(current_app.config["EVIDENCE_MAX_MB"])


def max_bytes() -> int:
    return max_mb() * 1024 * 1024


def frozen_message() -> str:
    return _(
        "Your portfolio has been submitted for review, so you cannot add or remove evidence "
        "until a programme lead has reviewed it."
    )


def type_message() -> str:
    return _("The selected file must be a PDF, Word document (DOCX), PNG or JPEG")


def check_file(data: bytes) -> str:
    """The file's type if it may be uploaded; otherwise :class:`UploadError` on ``file``."""
    if not data:
        raise UploadError(_("The selected file is empty"), "file")
    if len(data) > max_bytes():
        raise UploadError(
            _("The selected file must be smaller than %(size)dMB", size=max_mb()), "file"
        )
    content_type = filetypes.sniff(data)
    if content_type not in filetypes.ALLOWED:
        raise UploadError(type_message(), "file")
    return content_type


def display_name(filename: str | None, content_type: str) -> str:
    """What the person called the file, for display only: no folders, no control
    characters, trimmed, at most 255 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name:
        name = f"evidence.{filetypes.extension(content_type)}"
    return name[:FILENAME_MAX].strip()


def download_name(upload: EvidenceUpload) -> str:
    """A name safe to offer a browser, always ending in the extension of the type the
    content was found to be (never the one it was uploaded with)."""
    stem = upload.filename.rsplit(".", 1)[0] if "." in upload.filename else upload.filename
    stem = secure_filename(stem)[:100] or f"evidence-{upload.id}"
    return f"{stem}.{filetypes.extension(upload.content_type)}"


def _problems(
    owner: User, data: bytes, description: str, codes: list[str]
) -> list[tuple[str | None, str]]:
    if portfolio.is_frozen(owner.id):
        return [(None, frozen_message())]
    found: list[tuple[str | None, str]] = []
    try:
        check_file(data)
    except UploadError as exc:
        found.append((exc.field, exc.message))
    if not description:
        found.append(("description", _("Enter a description of the evidence")))
    elif len(description) > DESCRIPTION_MAX:
        found.append(("description", _("The description must be 1,000 characters or fewer")))
    if not codes:
        found.append(("outcomes", _("Select at least one learning outcome")))
    return found


def add_upload(
    owner: User, data: bytes, filename: str, description: str, outcomes: Iterable[str]
) -> EvidenceUpload:
    """Add a file to ``owner``'s portfolio, mapped to the learning outcomes (codes) given.

    Refuses (:class:`UploadError`, nothing written) while the portfolio is submitted for
    review, for a file too large or of a type we do not accept, without a description
    (up to 1,000 characters) or without at least one known learning outcome.
    """
    description = (description or "").strip()
    codes = lo.known(outcomes or ())
    problems = _problems(owner, data, description, codes)
    if problems:
        field, message = problems[0]
        raise UploadError(message, field, problems)
    content_type = filetypes.sniff(data)
    upload = EvidenceUpload(
        owner_id=owner.id,
        storage_name=storage.save(data),
        filename=display_name(filename, content_type),
        content_type=content_type,
        size=len(data),
        description=description,
        outcomes=codes,
    )
    db.session.add(upload)
    db.session.flush()
    audit.record(
        "evidence.uploaded",
        upload,
        actor=owner,
        content_type=content_type,
        size=len(data),
        outcomes=codes,
    )
    return upload


def delete_upload(upload: EvidenceUpload, by: User) -> None:
    """Remove an upload: its row, any showcase pick of it, then the stored file. Only its
    owner may, and not while their portfolio is submitted for review."""
    if not permissions.can_change_upload(by, upload):
        raise UploadError(_("Only the person who uploaded a file can delete it"))
    if portfolio.is_frozen(upload.owner_id):
        raise UploadError(frozen_message())
    name = upload.storage_name
    db.session.execute(
        db.delete(ShowcaseItem).where(
            ShowcaseItem.user_id == upload.owner_id,
            ShowcaseItem.source == SOURCE,
            ShowcaseItem.ref == upload.id,
        )
    )
    audit.record(
        "evidence.deleted",
        upload,
        actor=by,
        content_type=upload.content_type,
        size=upload.size,
    )
    db.session.delete(upload)
    db.session.flush()
    # The file goes last: if removing the row had failed, the file would still be there.
    storage.delete(name)


def upload_of(upload_id: int) -> EvidenceUpload | None:
    return db.session.get(EvidenceUpload, upload_id)

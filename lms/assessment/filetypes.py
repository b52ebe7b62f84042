"""What kind of file an upload is, read from its content rather than its name.

A name says nothing we can trust: a script renamed ``cv.pdf`` is still a script. So an
uploaded file counts as a PDF, Word document, PNG or JPEG only when its first bytes (or,
for a Word document, the names inside its zip) say so. Pure: no app, no database.
"""

from __future__ import annotations

import io
import zipfile

from flask_babel import lazy_gettext as _l

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"

# The types people may upload, in the order we name them.
ALLOWED: tuple[str, ...] = (PDF, DOCX, PNG, JPEG)

# The extension a downloaded file gets, from its type (never from what it was called).
EXTENSIONS: dict[str, str] = {PDF: "pdf", DOCX: "docx", PNG: "png", JPEG: "jpg"}

LABELS: dict[str, object] = {
    PDF: _l("PDF"),
    DOCX: _l("Word document (DOCX)"),
    PNG: _l("PNG image"),
    JPEG: _l("JPEG image"),
}

# What a file picker should offer (a convenience only: the content decides).
ACCEPT = ",".join([".pdf", ".docx", ".png", ".jpg", ".jpeg", *ALLOWED])

_PDF_MAGIC = b"%PDF-"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_ZIP_MAGIC = b"PK\x03\x04"
# A Word document is a zip holding at least these two parts (ECMA-376 Part 2).
_DOCX_PARTS = frozenset({"[Content_Types].xml", "word/document.xml"})


def sniff(data: bytes) -> str | None:
    """The MIME type of ``data`` if it is one we accept (PDF, DOCX, PNG, JPEG), else None."""
    if data.startswith(_PDF_MAGIC):
        return PDF
    if data.startswith(_PNG_MAGIC):
        return PNG
    if data.startswith(_JPEG_MAGIC):
        return JPEG
    if data.startswith(_ZIP_MAGIC) and _is_docx(data):
        return DOCX
    return None


def _is_docx(data: bytes) -> bool:
    """Only the zip's directory is read: nothing is extracted or decompressed, so a zip
    bomb costs no more than its own size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return False
    return names >= _DOCX_PARTS


def extension(content_type: str) -> str:
    """The file extension (no dot) for one of the allowed types."""
    return EXTENSIONS[content_type]


def label(content_type: str) -> object:
    """What to call a type to a person ("PDF", "Word document (DOCX)", ...)."""
    return LABELS.get(content_type, content_type)

"""The form for adding a file to a portfolio. Deleting one uses ``EmptyForm``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from lms.assessment import uploads
from lms.assessment.outcomes import OUTCOMES
from lms.forms import EmptyForm, choices

__all__ = ["EmptyForm", "UploadForm"]


class UploadForm(FlaskForm):
    file = FileField(
        _l("Upload a file"),
        validators=[FileRequired(message=_l("Select a file"))],
    )
    description = TextAreaField(
        _l("Describe the evidence"),
        validators=[
            DataRequired(message=_l("Enter a description of the evidence")),
            Length(
                max=uploads.DESCRIPTION_MAX,
                message=_l("The description must be 1,000 characters or fewer"),
            ),
        ],
        description=_l(
            "What the file is and what it shows about your practice. Your supervisor and "
            "programme leads will read this. Up to 1,000 characters."
        ),
    )
    outcomes = SelectMultipleField(
        _l("Which learning outcomes does it show?"),
        choices=choices((outcome.code, outcome.title) for outcome in OUTCOMES),
        validators=[DataRequired(message=_l("Select at least one learning outcome"))],
        description=_l("Select all that apply"),
    )

    # The file's bytes, read once while checking it (only as many as the size limit
    # needs to be exceeded), for the view to hand to the service.
    file_bytes: bytes = b""

    def validate_file(self, field) -> None:
        """Checks size and type here too, so every problem shows at once."""
        self.file_bytes = field.data.read(uploads.max_bytes() + 1)
        try:
            uploads.check_file(self.file_bytes)
        except uploads.UploadError as exc:
            raise ValidationError(exc.message) from exc

"""The form for uploading a CSV file of GMTS trainees. Confirming uses ``EmptyForm``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize

from lms.forms import EmptyForm

MAX_BYTES = 2 * 1024 * 1024

__all__ = ["MAX_BYTES", "EmptyForm", "TraineeUploadForm"]


class TraineeUploadForm(FlaskForm):
    file = FileField(
        _l("Upload a file"),
        validators=[
            FileRequired(message=_l("Select a CSV file of trainees")),
            FileAllowed(["csv"], message=_l("The selected file must be a CSV file")),
            FileSize(MAX_BYTES, message=_l("The selected file must be smaller than 2MB")),
        ],
        description=_l("A CSV file, up to 2MB and 5,000 trainees"),
    )

"""Privacy forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError
from wtforms.validators import InputRequired, Length


class EraseForm(FlaskForm):
    """The admin types the person's email address, so nobody is erased by a slip."""

    email = StringField(
        _l("Their email address"),
        validators=[
            InputRequired(_l("Enter the person's email address to confirm")),
            Length(max=254),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )

    def __init__(self, expected_email: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email.strip().lower()

    def validate_email(self, field: StringField) -> None:
        if (field.data or "").strip().lower() != self.expected_email:
            raise ValidationError(
                _l("The email address does not match. Type the address shown on this page")
            )

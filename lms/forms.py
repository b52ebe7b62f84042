"""Helpers shared by every feature's forms."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def add_error(form: FlaskForm, field_name: str | None, message: str) -> None:
    """Show a service-level refusal against a field (or the whole form) in the error summary."""
    field = getattr(form, field_name, None) if field_name else None
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """``[(value, label), ...]`` as WTForms choices (labels may be lazy strings)."""
    return [SelectChoice(value, label) for value, label in pairs]

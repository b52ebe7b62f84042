"""Helpers shared by every feature's forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import URL, Length, Optional, StopValidation


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


class DateInputField(Field):
    """A date as three boxes, day, month and year: the NHS.UK date input pattern.

    What the person typed is kept in ``parts`` so a form shown again with an error
    loses nothing. A date that cannot exist gets ``invalid_message`` and stops there.
    """

    PARTS = ("day", "month", "year")

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a real date, for example 15 3 2027")
        self.parts = dict.fromkeys(self.PARTS, "")

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        if isinstance(data, date):
            self.parts = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        if formdata is None:
            return
        names = {part: f"{self.name}[{part}]" for part in self.PARTS}  # nhsuk namePrefix
        if not any(name in formdata for name in names.values()):
            return
        self.parts = {part: (formdata.get(name) or "").strip() for part, name in names.items()}
        self.raw_data = [value for value in self.parts.values() if value]
        if not self.raw_data:
            self.data = None
            return
        try:
            year = int(self.parts["year"])
            if year < 1900 or year > 2200:
                raise ValueError(year)
            self.data = date(year, int(self.parts["month"]), int(self.parts["day"]))
        except ValueError:
            self.data = None
            self.process_errors.append(self.invalid_message)

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()  # the invalid-date message is already shown

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""


class WholeNumberField(IntegerField):
    """A whole number. Anything else gets ``invalid_message`` (translated, unlike WTForms'
    own) and stops there, so the error summary says one clear thing; what was typed stays."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a whole number, for example 45")

    def process_formdata(self, valuelist) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = int(text)
            except ValueError as exc:
                raise ValueError(str(self.invalid_message)) from exc

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()  # the invalid-number message is already shown


def https_only(message) -> Callable:
    """A validator for links people will open from an invitation: https:// only."""

    def check(form, field) -> None:
        if field.data and not field.data.lower().startswith("https://"):
            raise StopValidation(str(message))

    return check


def venue_field(label) -> TextAreaField:
    """Where people meet in person: workshops, supervision and set sessions alike."""
    return TextAreaField(
        label,
        validators=[Length(max=1000, message=_l("The venue must be 1,000 characters or fewer"))],
        description=_l("The address and room, and anything people need to know to find it"),
    )


def joining_link_field(label) -> StringField:
    """How people join online: an https:// link only, as it goes out in invitations."""
    return StringField(
        label,
        validators=[
            Optional(),
            URL(require_tld=True, message=_l("Enter a joining link starting with https://")),
            Length(max=500, message=_l("The joining link must be 500 characters or fewer")),
            https_only(_l("Enter a joining link starting with https://")),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )

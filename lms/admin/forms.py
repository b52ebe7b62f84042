"""Admin forms."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Length, Optional, Regexp

from lms.accounts.models import REGION_LABELS, ROLE_LABELS, SECTOR_LABELS
from lms.forms import choices


def _choices(labels) -> list:
    return choices((member.value, label) for member, label in labels.items())


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Enter the organisation's name")), Length(max=200)]
    )
    sector = SelectField(_l("Sector"), validators=[InputRequired(_l("Select a sector"))])
    region = SelectField(_l("Region"), validators=[InputRequired(_l("Select a region"))])
    ods_code = StringField(
        _l("ODS code (optional)"),
        description=_l("The Organisation Data Service code, for example RJ1"),
        validators=[
            Optional(),
            Length(max=10),
            Regexp(r"^[A-Za-z0-9]+$", message=_l("An ODS code contains only letters and numbers")),
        ],
        render_kw={"spellcheck": "false"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sector.choices = choices([("", _l("Select a sector"))]) + _choices(SECTOR_LABELS)
        self.region.choices = choices([("", _l("Select a region"))]) + _choices(REGION_LABELS)


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=_choices(ROLE_LABELS), validators=[InputRequired(_l("Select a role"))]
    )


class RevokeRoleForm(FlaskForm):
    role = HiddenField(validators=[InputRequired()])


class PersonOrganisationForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=str, validators=[Optional()])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    person = StringField(_l("Person's email address"), validators=[Optional(), Length(max=254)])
    action = StringField(
        _l("Action"),
        description=_l("For example role.granted or access.refused"),
        validators=[Optional(), Length(max=80)],
    )
    date_from = StringField(
        _l("Date from"),
        description=_l("For example, 2026-11-01"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    date_to = StringField(
        _l("Date to"),
        description=_l("For example, 2026-11-30"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )

    @staticmethod
    def _parse(field) -> date | None:
        if not field.data:
            return None
        try:
            return date.fromisoformat(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a real date, like 2026-11-01")) from None

    @property
    def start(self) -> date | None:
        """The parsed start date (call after validate())."""
        return self._parse(self.date_from)

    @property
    def end(self) -> date | None:
        return self._parse(self.date_to)

    def validate_date_from(self, field) -> None:
        self._parse(field)

    def validate_date_to(self, field) -> None:
        end = self._parse(field)
        try:
            start = self._parse(self.date_from)
        except ValidationError:
            return  # the start date's own error is already shown
        if start and end and end < start:
            raise ValidationError(_l("The end date must be on or after the start date"))

"""The filters above every report, sent by GET so a report's address can be bookmarked
and shared (the downloads use the same query string)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import StopValidation

from lms.accounts.models import Organisation, Region
from lms.applications.models import Intake
from lms.forms import DateInputField, choices
from lms.reports.base import Filters


def _listed(message) -> Any:
    """A select's value must be one of its choices (or empty, for "all")."""

    def check(form, field) -> None:
        if field.data and field.data not in {str(c.value) for c in field.choices}:
            raise StopValidation(str(message))

    return check


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    intake = SelectField(
        _l("Intake"),
        validate_choice=False,
        validators=[_listed(_l("Select an intake from the list"))],
        default="",
    )
    region = SelectField(
        _l("Region"),
        choices=choices(
            [("", _l("All regions")), *((r.value, r.label) for r in Region)]  # type: ignore[misc]
        ),
        validate_choice=False,
        validators=[_listed(_l("Select a region from the list"))],
        default="",
    )
    organisation = SelectField(
        _l("Organisation"),
        validate_choice=False,
        validators=[_listed(_l("Select an organisation from the list"))],
        default="",
    )
    date_from = DateInputField(
        _l("From"),
        description=_l("For example, 1 4 2026"),
        invalid_message=_l("Enter a real start date, for example 1 4 2026"),
    )
    date_to = DateInputField(
        _l("To"),
        description=_l("For example, 31 3 2027"),
        invalid_message=_l("Enter a real end date, for example 31 3 2027"),
    )

    def __init__(self, intakes: list[Intake], organisations: list[Organisation], **kwargs):
        super().__init__(**kwargs)
        self.intake.choices = choices(
            [("", _l("All intakes")), *((str(i.id), i.name) for i in intakes)]
        )
        self.organisation.choices = choices(
            [("", _l("All organisations")), *((str(o.id), o.name) for o in organisations)]
        )

    def validate_date_to(self, field) -> None:
        start, end = self.date_from.data, field.data
        if isinstance(start, date) and isinstance(end, date) and start > end:
            raise StopValidation(
                str(_l("The end date must be the same as or after the start date"))
            )

    def filters(self) -> Filters:
        """The filters chosen (call after a successful validate())."""
        return Filters(
            intake_id=int(self.intake.data) if self.intake.data else None,
            region=self.region.data or None,
            organisation_id=int(self.organisation.data) if self.organisation.data else None,
            start=self.date_from.data,
            end=self.date_to.data,
        )


def query_args(filters: Filters) -> dict[str, str]:
    """The query string that shows a report with ``filters`` (for links and downloads)."""
    args: dict[str, str] = {}
    if filters.intake_id:
        args["intake"] = str(filters.intake_id)
    if filters.region:
        args["region"] = filters.region
    if filters.organisation_id:
        args["organisation"] = str(filters.organisation_id)
    for name, day in (("date_from", filters.start), ("date_to", filters.end)):
        if day:
            args[f"{name}[day]"] = str(day.day)
            args[f"{name}[month]"] = str(day.month)
            args[f"{name}[year]"] = str(day.year)
    return args

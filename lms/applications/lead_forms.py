"""Forms for the leads' pages: filtering the list, assigning reviewers and decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.accounts.models import REGION_LABELS, SECTOR_LABELS, Region, Sector
from lms.applications.lead_queries import ApplicationFilter
from lms.applications.models import (
    APPLICATION_STATUS_LABELS,
    BAND_LABELS,
    DELIVERY_MODE_LABELS,
    ENDORSEMENT_STATUS_LABELS,
    STAFF_GROUP_LABELS,
    ApplicationStatus,
    Band,
    DeliveryMode,
    EndorsementStatus,
    StaffGroup,
)
from lms.forms import DateInputField, choices


def _any(label, labels: dict, skip=()) -> list:
    return choices(
        [("", label), *((key.value, text) for key, text in labels.items() if key not in skip)]
    )


class ApplicationFilterForm(FlaskForm):
    """The list's filters, sent by GET so a filtered list can be bookmarked and shared."""

    class Meta:
        csrf = False  # it changes nothing

    name = StringField(
        _l("Name or email address"),
        validators=[Length(max=200, message=_l("Search terms must be 200 characters or fewer"))],
        render_kw={"spellcheck": "false"},
    )
    status = SelectField(
        _l("Status"),
        choices=_any(_l("Any status"), APPLICATION_STATUS_LABELS, skip=(ApplicationStatus.DRAFT,)),
        default="",
    )
    endorsement = SelectField(
        _l("Line manager endorsement"),
        choices=_any(_l("Any endorsement"), ENDORSEMENT_STATUS_LABELS),
        default="",
    )
    staff_group = SelectField(
        _l("Staff group"), choices=_any(_l("Any staff group"), STAFF_GROUP_LABELS), default=""
    )
    band = SelectField(_l("Band"), choices=_any(_l("Any band"), BAND_LABELS), default="")
    sector = SelectField(_l("Sector"), choices=_any(_l("Any sector"), SECTOR_LABELS), default="")
    region = SelectField(_l("Region"), choices=_any(_l("Any region"), REGION_LABELS), default="")
    mode = SelectField(
        _l("Preferred delivery mode"),
        choices=_any(_l("Any delivery mode"), DELIVERY_MODE_LABELS),
        default="",
    )
    disagree = BooleanField(_l("Only applications where reviewers disagree"))
    sort = SelectField(
        _l("Sort by"),
        choices=choices(
            [
                ("submitted", _l("Date submitted, earliest first")),
                ("name", _l("Name, A to Z")),
                ("score", _l("Mean score, highest first")),
                ("spread", _l("Spread between reviewers, largest first")),
            ]
        ),
        default="submitted",
    )

    ENUMS = {
        "status": ApplicationStatus,
        "endorsement": EndorsementStatus,
        "staff_group": StaffGroup,
        "band": Band,
        "sector": Sector,
        "region": Region,
        "mode": DeliveryMode,
    }

    def to_filter(self) -> ApplicationFilter:
        """The filter asked for, leaving out any value that did not validate."""
        values = {
            name: enum(getattr(self, name).data)
            for name, enum in self.ENUMS.items()
            if getattr(self, name).data and not getattr(self, name).errors
        }
        return ApplicationFilter(
            **values,
            disagree=bool(self.disagree.data),
            name="" if self.name.errors else (self.name.data or ""),
            sort="submitted" if self.sort.errors else (self.sort.data or "submitted"),
        )

    def query_args(self) -> dict[str, str]:
        """The filters as URL arguments, for pagination and export links."""
        args = {
            name: getattr(self, name).data
            for name in (*self.ENUMS, "name", "sort")
            if getattr(self, name).data and not getattr(self, name).errors
        }
        if self.disagree.data:
            args["disagree"] = "y"
        return args


class AssignReviewersForm(FlaskForm):
    # Choices are the eligible reviewers, set by the view. Eligibility is the service's
    # rule, so a stale or tampered choice gets the service's own explanation.
    reviewers = SelectMultipleField(
        _l("Choose reviewers"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(_l("Select at least one reviewer"))],
    )


class OfferForm(FlaskForm):
    respond_by = DateInputField(
        _l("Reply by (optional)"),
        description=_l("Leave this blank to give the applicant the usual time to reply"),
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("The applicant will see this, so write it to them in plain language"),
        validators=[
            DataRequired(_l("Enter the reason, which the applicant will see")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )

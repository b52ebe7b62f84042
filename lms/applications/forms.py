"""Forms for intakes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.accounts.models import REGION_LABELS
from lms.applications.models import DELIVERY_MODE_LABELS
from lms.forms import DateInputField, WholeNumberField, choices


class IntakeForm(FlaskForm):
    name = StringField(
        _l("Intake name"),
        description=_l("For example, 2027 spring"),
        validators=[
            InputRequired(_l("Enter a name for the intake")),
            Length(max=120, message=_l("The name must be 120 characters or fewer")),
        ],
    )
    opens_on = DateInputField(
        _l("Applications open"),
        description=_l("For example, 1 3 2027"),
        validators=[DataRequired(_l("Enter the date applications open"))],
    )
    closes_on = DateInputField(
        _l("Applications close"),
        description=_l("Applications are taken until the end of this day"),
        validators=[DataRequired(_l("Enter the date applications close"))],
    )
    programme_starts_on = DateInputField(
        _l("Programme starts"),
        validators=[DataRequired(_l("Enter the date the programme starts"))],
    )
    capacity = WholeNumberField(
        _l("Places"),
        description=_l("How many trainee facilitators this intake can take"),
        validators=[
            InputRequired(_l("Enter the number of places")),
            NumberRange(1, 1000, _l("The number of places must be between 1 and 1,000")),
        ],
        invalid_message=_l("Enter the number of places as a number, for example 40"),
    )
    delivery_modes = SelectMultipleField(
        _l("Delivery modes offered"),
        choices=choices((m.value, label) for m, label in DELIVERY_MODE_LABELS.items()),
        validators=[DataRequired(_l("Select at least one delivery mode"))],
    )
    regions = SelectMultipleField(
        _l("Regions"),
        choices=choices((r.value, label) for r, label in REGION_LABELS.items()),
        validators=[DataRequired(_l("Select at least one region"))],
    )

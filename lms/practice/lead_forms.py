"""Leads' set allocation forms. Choices that depend on the intake or the proposal are set
by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import DataRequired

from lms.applications.models import DELIVERY_MODE_LABELS
from lms.forms import choices

# "" is "follow each facilitator team's own preference" (the service takes None).
MODE_CHOICES = [("", _l("Follow each team's preference"))] + [
    (mode.value, label) for mode, label in DELIVERY_MODE_LABELS.items()
]


class AllocateForm(FlaskForm):
    gmts_intake = SelectField(
        _l("GMTS intake"),
        validators=[DataRequired(message=_l("Select the GMTS intake to allocate"))],
        description=_l("Trainees already in a confirmed set are left out."),
    )
    mode = SelectField(
        _l("How the sets will meet"),
        choices=choices(MODE_CHOICES),
        description=_l(
            "Each team's preference comes from its facilitators' applications: blended when "
            "they differ."
        ),
    )


class MoveForm(FlaskForm):
    trainee = SelectField(
        _l("Trainee"), validators=[DataRequired(message=_l("Select a trainee to move"))]
    )
    to_set = SelectField(
        _l("Move them to"), validators=[DataRequired(message=_l("Select the set to move them to"))]
    )


class FacilitatorsForm(FlaskForm):
    facilitators = SelectMultipleField(
        _l("Facilitators"),
        validators=[DataRequired(message=_l("Select one, two or three facilitators"))],
        description=_l("Normally a pair who co-facilitate. Select one, two or three."),
    )

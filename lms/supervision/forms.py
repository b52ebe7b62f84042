"""Supervision forms. Choices that depend on the intake or group are set by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from lms.curriculum.forms import TimeField
from lms.forms import DateInputField, choices, joining_link_field, venue_field
from lms.supervision.models import SESSION_MODE_LABELS, SessionMode

TEXT_LIMIT = Length(max=5000, message=_l("This must be 5,000 characters or fewer"))


class GroupForm(FlaskForm):
    name = StringField(
        _l("Group name"),
        validators=[
            DataRequired(message=_l("Enter a name for the group")),
            Length(max=120, message=_l("The name must be 120 characters or fewer")),
        ],
        description=_l("For example, Group A or North West online"),
    )
    supervisor = SelectField(
        _l("Supervisor"), validators=[DataRequired(message=_l("Select a supervisor"))]
    )
    members = SelectMultipleField(
        _l("Trainee facilitators in the group"),
        description=_l("Typically 4 to 8. Anyone already in another group will move to this one."),
        validate_choice=True,
    )


class MoveForm(FlaskForm):
    person = SelectField(
        _l("Trainee facilitator"),
        validators=[DataRequired(message=_l("Select a trainee facilitator"))],
    )
    group = SelectField(_l("Move to"), default="")


DURATIONS = choices(
    [
        ("60", _l("1 hour")),
        ("90", _l("1 hour 30 minutes")),
        ("120", _l("2 hours")),
        ("150", _l("2 hours 30 minutes")),
        ("180", _l("3 hours")),
    ]
)


class SessionForm(FlaskForm):
    day = DateInputField(
        _l("Date"),
        validators=[InputRequired(message=_l("Enter the date of the session"))],
        description=_l("For example, 15 3 2027"),
    )
    start = TimeField(
        _l("Start time"),
        validators=[InputRequired(message=_l("Enter a start time"))],
        description=_l("Use the 24-hour clock, for example 09:30"),
    )
    minutes = RadioField(
        _l("How long is the session?"),
        choices=DURATIONS,
        default="90",
        validators=[InputRequired(message=_l("Select how long the session is"))],
    )
    mode = RadioField(
        _l("How will people take part?"),
        choices=choices((m.value, label) for m, label in SESSION_MODE_LABELS.items()),
        validators=[InputRequired(message=_l("Select in person or online"))],
    )
    venue = venue_field(_l("Venue (for a session in person)"))
    joining_link = joining_link_field(_l("Joining link (for an online session)"))

    @property
    def mode_value(self) -> SessionMode | None:
        return SessionMode(self.mode.data) if self.mode.data else None


class NewSessionsForm(SessionForm):
    count = SelectField(
        _l("How many sessions?"),
        choices=choices((str(n), str(n)) for n in range(1, 13)),
        default="1",
        description=_l("Choose more than 1 to book a series at the same time of day"),
    )
    every_weeks = SelectField(
        _l("How often? (for a series)"),
        choices=choices(
            [
                ("1", _l("Every week")),
                ("2", _l("Every 2 weeks")),
                ("3", _l("Every 3 weeks")),
                ("4", _l("Every 4 weeks")),
            ]
        ),
        default="4",
    )


class CancelSessionForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the session cancelled?"),
        validators=[
            DataRequired(message=_l("Enter why the session is cancelled")),
            Length(max=1000, message=_l("The reason must be 1,000 characters or fewer")),
        ],
        description=_l("The group's members will see this."),
    )


class NotesForm(FlaskForm):
    shared_summary = TextAreaField(
        _l("Shared summary"),
        validators=[TEXT_LIMIT],
        description=_l(
            "The group's members can read this. Keep to themes and agreed actions; never "
            "include what anyone said in confidence or the content of a set member's challenge."
        ),
    )
    private_notes = TextAreaField(
        _l("Your private notes"),
        validators=[TEXT_LIMIT],
        description=_l(
            "Only you can read these. Nobody else, including programme leads, sees them."
        ),
    )


class CaseForm(FlaskForm):
    session = SelectField(_l("Which session will you bring it to? (optional)"), default="")
    what_happened = TextAreaField(
        _l("What happened?"),
        validators=[DataRequired(message=_l("Enter what happened")), TEXT_LIMIT],
        description=_l(
            "Describe the situation in your set briefly and factually. Do not include the "
            "content of anyone's challenge or anything that identifies a set member."
        ),
    )
    help_wanted = TextAreaField(
        _l("What help do you want?"),
        validators=[DataRequired(message=_l("Enter what help you want")), TEXT_LIMIT],
        description=_l(
            "For example, to understand what was going on, to plan for next time, or to "
            "check your judgement"
        ),
    )


class ResponseForm(FlaskForm):
    response = TextAreaField(
        _l("Your response"),
        validators=[
            DataRequired(message=_l("Enter your response")),
            Length(max=5000, message=_l("Your response must be 5,000 characters or fewer")),
        ],
        description=_l("The facilitator sees this with their case, in their portfolio."),
    )

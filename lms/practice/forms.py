"""Forms for sets and their sessions: booking, the console's parts, the charter, logs and
feedback. Choices that depend on the set are set by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lms.curriculum.forms import TimeField
from lms.curriculum.forms import register_form as curriculum_register_form
from lms.forms import DateInputField, choices, joining_link_field, venue_field
from lms.practice import holidays
from lms.practice.models import (
    FOLLOW_THROUGH_LABELS,
    PRACTICE_ATTENDANCE_LABELS,
    THEME_LABELS,
)
from lms.practice.services import AGREEMENT, FEEDBACK_QUESTIONS

TEXT_LIMIT = Length(max=2000, message=_l("This must be 2,000 characters or fewer"))


class ScheduleForm(FlaskForm):
    first = DateInputField(
        _l("Date of the first session"),
        validators=[InputRequired(message=_l("Enter the date of the first session"))],
        description=_l("For example, 12 1 2027"),
    )
    starts = TimeField(
        _l("Start time"),
        validators=[InputRequired(message=_l("Enter a start time"))],
        description=_l("Use the 24-hour clock, for example 09:30"),
    )
    count = RadioField(
        _l("How many sessions?"),
        choices=choices((n, n) for n in ("4", "5", "6")),
        default="6",
        validators=[InputRequired(message=_l("Select how many sessions"))],
    )
    every_weeks = SelectField(
        _l("How often?"),
        choices=choices(
            [
                ("1", _l("Every week")),
                ("2", _l("Every 2 weeks")),
                ("3", _l("Every 3 weeks")),
                ("4", _l("Every 4 weeks")),
            ]
        ),
        default="2",
    )
    minutes = SelectField(
        _l("How long is each session?"),
        choices=choices(
            [
                ("60", _l("1 hour")),
                ("90", _l("1 hour 30 minutes")),
                ("120", _l("2 hours")),
            ]
        ),
        default="90",
    )
    nation = RadioField(
        _l("Whose bank holidays should the sessions avoid?"),
        choices=choices((n, holidays.NATION_LABELS[n]) for n in holidays.NATIONS),
        validators=[InputRequired(message=_l("Select whose bank holidays to avoid"))],
        description=_l("A session that falls on a bank holiday moves to the next working day."),
    )
    venue = venue_field(_l("Venue (for sessions in person)"))
    joining_link = joining_link_field(_l("Joining link (for online sessions)"))


class CharterForm(FlaskForm):
    agree = BooleanField(
        _l("I have read the charter and I will keep to it"),
        validators=[DataRequired(message=_l("Confirm that you will keep to the charter"))],
    )


class LogForm(FlaskForm):
    went_well = TextAreaField(
        _l("What went well, and why?"),
        validators=[DataRequired(message=_l("Enter what went well")), TEXT_LIMIT],
        description=_l("Think about the process you held, not what members said."),
    )
    do_differently = TextAreaField(
        _l("What would you do differently next time?"),
        validators=[DataRequired(message=_l("Enter what you would do differently")), TEXT_LIMIT],
    )


def _agreement() -> list:
    return choices((str(n), label) for n, label in AGREEMENT.items())


class FeedbackForm(FlaskForm):
    kept_to_time = RadioField(
        FEEDBACK_QUESTIONS["kept_to_time"],
        choices=_agreement(),
        validators=[InputRequired(message=_l("Answer every question"))],
    )
    fair_say = RadioField(
        FEEDBACK_QUESTIONS["fair_say"],
        choices=_agreement(),
        validators=[InputRequired(message=_l("Answer every question"))],
    )
    questions_helped = RadioField(
        FEEDBACK_QUESTIONS["questions_helped"],
        choices=_agreement(),
        validators=[InputRequired(message=_l("Answer every question"))],
    )
    clear_action = RadioField(
        FEEDBACK_QUESTIONS["clear_action"],
        choices=_agreement(),
        validators=[InputRequired(message=_l("Answer every question"))],
    )
    comment = TextAreaField(
        _l("Anything else about how the session was facilitated? (optional)"),
        validators=[TEXT_LIMIT],
        description=_l(
            "Do not write about what anyone said in the set. Your facilitator sees comments "
            "only when at least 3 people have answered, and never who wrote them."
        ),
    )

    @property
    def answers(self) -> dict[str, int]:
        return {key: int(self[key].data) for key in FEEDBACK_QUESTIONS}


# --- The console -----------------------------------------------------------------------------


class StageForm(FlaskForm):
    step = HiddenField()


class PresenterForm(FlaskForm):
    presenter = SelectField(
        _l("Who is presenting?"),
        validators=[DataRequired(message=_l("Select who is presenting"))],
    )


def register_form(members, register: dict) -> FlaskForm:
    """One set of radios per member: present, late, apologies or absent."""
    return curriculum_register_form(
        [m.user for m in members], register, PRACTICE_ATTENDANCE_LABELS, prefix="register"
    )


def presentation_form(presentation, actions) -> FlaskForm:
    """A presenter's theme, challenge and up to two actions (prefixed by the presentation)."""
    by_position = {a.position: a for a in actions}

    class PresentationForm(FlaskForm):
        theme = SelectField(
            _l("Theme"),
            choices=choices(
                [
                    ("", _l("Select a theme")),
                    *((t.value, label) for t, label in THEME_LABELS.items()),
                ]
            ),
            default=presentation.theme.value if presentation.theme else "",
            description=_l("Supervisors and leads see only the theme, never what was said."),
        )
        challenge = TextAreaField(
            _l("Their challenge, in a few words (optional)"),
            validators=[TEXT_LIMIT],
            default=presentation.challenge or "",
            description=_l("Only the presenter and the set's facilitators can read this."),
        )

    for n in (1, 2):
        action = by_position.get(n)
        setattr(
            PresentationForm,
            f"action_{n}_text",
            TextAreaField(
                _l("Action 1") if n == 1 else _l("Action 2 (optional)"),
                validators=[TEXT_LIMIT],
                default=action.text if action else "",
            ),
        )
        setattr(
            PresentationForm,
            f"action_{n}_supports",
            TextAreaField(
                _l("Support they will ask for (optional)"),
                validators=[TEXT_LIMIT],
                default=(action.supports or "") if action else "",
            ),
        )
        setattr(
            PresentationForm,
            f"action_{n}_risks",
            TextAreaField(
                _l("Risks or what might get in the way (optional)"),
                validators=[TEXT_LIMIT],
                default=(action.risks or "") if action else "",
            ),
        )
    return PresentationForm(prefix=f"presentation-{presentation.id}")


def follow_through_field(action_id: int) -> str:
    return f"action_{action_id}"


def follow_through_form(items) -> FlaskForm:
    """For each action reported back on: what became of it, and a learning note."""

    class FollowThroughForm(FlaskForm):
        pass

    options = choices((s.value, label) for s, label in FOLLOW_THROUGH_LABELS.items())
    for item in items:
        recorded = item.follow_through
        setattr(
            FollowThroughForm,
            follow_through_field(item.action.id),
            RadioField(
                _l("What became of it?"),
                choices=options,
                default=recorded.status.value if recorded else None,
                validators=[Optional()],
            ),
        )
        setattr(
            FollowThroughForm,
            follow_through_field(item.action.id) + "_note",
            TextAreaField(
                _l("Learning note (optional)"),
                validators=[TEXT_LIMIT],
                default=(recorded.learning_note or "") if recorded else "",
            ),
        )
    return FollowThroughForm(prefix="follow")

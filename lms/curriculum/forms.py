"""Forms for the curriculum: reflections, knowledge checks, workshop days, registers and the
lead's progress filters."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from lms.curriculum.activities import KnowledgeCheck
from lms.curriculum.models import (
    ATTENDANCE_STATUS_LABELS,
    WORKSHOP_MODE_LABELS,
    AttendanceStatus,
    WorkshopMode,
)
from lms.curriculum.progress import MODULE_STATE_LABELS
from lms.curriculum.services import REFLECTION_MAX
from lms.forms import DateInputField, choices, joining_link_field, venue_field

TIME = re.compile(r"^(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)$")


class ReflectionForm(FlaskForm):
    # The label is the prompt itself, set by the page.
    answer = TextAreaField(
        _l("Your reflection"),
        validators=[
            DataRequired(message=_l("Enter your reflection")),
            Length(
                max=REFLECTION_MAX,
                message=_l("Your reflection must be 10,000 characters or fewer"),
            ),
        ],
    )


def question_field_name(key: str) -> str:
    return "q_" + key.replace("-", "_")


def knowledge_check_form(check: KnowledgeCheck, **kwargs) -> FlaskForm:
    """A form with one question per fieldset: radios where one answer is right, checkboxes
    ("select all that apply") where more than one is."""

    class KnowledgeCheckForm(FlaskForm):
        pass

    for number, question in enumerate(check.questions, start=1):
        options = choices((str(i), option.text) for i, option in enumerate(question.options))
        label = f"{number}. {question.text}"
        if question.multiple:
            hint = _l("Select all that apply.")
            field: Field = SelectMultipleField(
                label,
                choices=options,
                description=f"{question.hint} {hint}" if question.hint else hint,
                validators=[
                    InputRequired(message=_l("Answer question %(n)d", n=number)),
                ],
            )
        else:
            field = RadioField(
                label,
                choices=options,
                description=question.hint or "",
                validators=[InputRequired(message=_l("Answer question %(n)d", n=number))],
            )
        setattr(KnowledgeCheckForm, question_field_name(question.key), field)
    return KnowledgeCheckForm(**kwargs)  # formdata: the request's, as FlaskForm decides


def answers_from(form: FlaskForm, check: KnowledgeCheck) -> dict[str, list[int]]:
    """The form's answers as question key -> option indexes."""
    answers = {}
    for question in check.questions:
        data = form[question_field_name(question.key)].data
        picked = data if isinstance(data, list) else [data] if data else []
        answers[question.key] = [int(value) for value in picked if str(value).isdigit()]
    return answers


class TimeField(StringField):
    """A clock time typed as 09:30 (24-hour clock); ``data`` is a ``time``."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.typed = ""

    def process_formdata(self, valuelist) -> None:
        self.typed = (valuelist[0] if valuelist else "").strip()
        match = TIME.match(self.typed)
        self.data = time(int(match.group("hour")), int(match.group("minute"))) if match else None

    def pre_validate(self, form) -> None:
        if self.typed and self.data is None:
            raise StopValidation(
                str(_l("Enter a time in the 24-hour clock, for example 09:30 or 14:00"))
            )

    def _value(self) -> str:
        if self.typed:
            return self.typed
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""


class WorkshopForm(FlaskForm):
    workshop = SelectField(
        _l("Workshop"),
        validators=[DataRequired(message=_l("Select a workshop from the curriculum"))],
    )
    day = DateInputField(
        _l("Date"),
        validators=[InputRequired(message=_l("Enter the date of the workshop"))],
        description=_l("For example, 15 3 2027"),
    )
    starts_at = TimeField(
        _l("Start time"),
        validators=[InputRequired(message=_l("Enter a start time"))],
        description=_l("Use the 24-hour clock, for example 09:30"),
    )
    ends_at = TimeField(
        _l("Finish time"),
        validators=[InputRequired(message=_l("Enter a finish time"))],
        description=_l("Use the 24-hour clock, for example 16:30"),
    )
    mode = RadioField(
        _l("How will people take part?"),
        choices=choices((m.value, label) for m, label in WORKSHOP_MODE_LABELS.items()),
        validators=[InputRequired(message=_l("Select in person or online"))],
    )
    venue = venue_field(_l("Venue (for a workshop in person)"))
    joining_link = joining_link_field(_l("Joining link (for an online workshop)"))
    details = TextAreaField(
        _l("Anything else people need to know (optional)"),
        validators=[Length(max=2000, message=_l("This must be 2,000 characters or fewer"))],
    )
    run_by = SelectField(_l("Run by (optional)"), default="")

    @property
    def mode_value(self) -> WorkshopMode | None:
        return WorkshopMode(self.mode.data) if self.mode.data else None


class CancelWorkshopForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the workshop cancelled?"),
        validators=[
            DataRequired(message=_l("Enter why the workshop is cancelled")),
            Length(max=1000, message=_l("The reason must be 1,000 characters or fewer")),
        ],
        description=_l("The intake's facilitators will see this."),
    )


def register_field_name(user_id: int) -> str:
    return f"person_{user_id}"


def register_form(
    people, register: dict, labels: dict = ATTENDANCE_STATUS_LABELS, prefix: str = ""
) -> FlaskForm:
    """One set of radios per person, one per status in ``labels`` (by default present,
    apologies or absent); ``register`` holds each person's recorded status by their id."""

    class RegisterForm(FlaskForm):
        pass

    options = choices((s.value, label) for s, label in labels.items())
    for person in people:
        status = register.get(person.id)
        setattr(
            RegisterForm,
            register_field_name(person.id),
            RadioField(
                person.name,
                choices=options,
                default=status.value if status else None,
                validators=[Optional()],
            ),
        )
    return RegisterForm(prefix=prefix)


def statuses_from(form: FlaskForm, people) -> dict[int, AttendanceStatus]:
    """The register's answers, for the people given a status."""
    statuses = {}
    for person in people:
        value = form[register_field_name(person.id)].data
        if value:
            statuses[person.id] = AttendanceStatus(value)
    return statuses


class ProgressFilterForm(FlaskForm):
    """The lead's progress filters, sent by GET so a view can be bookmarked."""

    class Meta:
        csrf = False  # it changes nothing

    name = StringField(
        _l("Name, email address or organisation"),
        validators=[Length(max=200, message=_l("Search terms must be 200 characters or fewer"))],
        render_kw={"spellcheck": "false"},
    )
    module = SelectField(_l("Module"), default="")
    state = SelectField(
        _l("Progress on that module"),
        choices=choices(
            [
                ("", _l("Any progress")),
                *((s.value, label) for s, label in MODULE_STATE_LABELS.items()),
            ]
        ),
        default="",
    )
    core = SelectField(
        _l("Core modules"),
        choices=choices(
            [
                ("", _l("Everyone")),
                ("complete", _l("Completed every core module")),
                ("incomplete", _l("Still to complete a core module")),
            ]
        ),
        default="",
    )

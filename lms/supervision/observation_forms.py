"""Observation forms: a rating and a comment for each criterion, the summary and (for a
supervisor) the outcome; the reason for a correction; the facilitator's reflection; and the
leads' intake filter. What is required when recording is checked by the service, which
names the field of every problem, so the error summary lists each unrated criterion."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.forms import choices
from lms.supervision.models import (
    CRITERION_LABELS,
    OUTCOME_LABELS,
    RATING_LABELS,
    Criterion,
    Observation,
    ObservationKind,
    Outcome,
    Rating,
)
from lms.supervision.observations import comment_field, rating_field

DRAFT, RECORD = "draft", "record"  # the values of the two buttons, named "action"

CRITERION_HINTS = {
    Criterion.CONTRACTING: _l(
        "Agrees how the set will work and returns to the charter: confidentiality, "
        "respectful challenge, equal airtime, the right to pass"
    ),
    Criterion.PROCESS_AND_TIME: _l(
        "Keeps to the stages and their time, so each presenter has their full airtime"
    ),
    Criterion.QUESTIONING: _l(
        "Helps the set ask open questions that deepen the presenter's thinking, and holds "
        "back advice"
    ),
    Criterion.GROUP_DYNAMICS: _l(
        "Notices what is happening in the group, such as rescuing, silence or one voice "
        "dominating, and works with it"
    ),
    Criterion.INCLUSION: _l("Makes sure everyone has a fair say, in the room or online"),
    Criterion.ACTIONS: _l(
        "Presenters leave with 1 or 2 clear actions, and last session's actions are followed up"
    ),
    Criterion.CLOSING: _l("Closes on time, with the set reflecting on what it has learnt"),
    Criterion.SELF_AWARENESS: _l(
        "Aware of their own reactions and how they use themselves in the set"
    ),
}


class OptionalRadioField(RadioField):
    """Radios that may be left unanswered (a draft); an answer must still be one offered."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.type = "RadioField"  # rendered by the radios branch of macros/forms.html

    def pre_validate(self, form) -> None:
        if not self.data:
            self.data = None
            return
        super().pre_validate(form)


RATING_CHOICES = choices((r.value, label) for r, label in RATING_LABELS.items())
COMMENT_LIMIT = Length(max=2000, message=_l("Each comment must be 2,000 characters or fewer"))


def _criterion_fields() -> dict:
    fields = {}
    for criterion, label in CRITERION_LABELS.items():
        fields[rating_field(criterion)] = OptionalRadioField(
            label, choices=RATING_CHOICES, description=CRITERION_HINTS[criterion]
        )
        fields[comment_field(criterion)] = TextAreaField(
            _l("Comments on %(criterion)s (optional)", criterion=label),
            validators=[COMMENT_LIMIT],
        )
    return fields


# The criteria's fields come first, in the criteria's order, so the error summary does too.
_CriteriaForm = type("_CriteriaForm", (FlaskForm,), _criterion_fields())


class ObservationForm(_CriteriaForm):
    summary = TextAreaField(
        _l("Overall summary (optional)"),
        validators=[Length(max=5000, message=_l("The summary must be 5,000 characters or fewer"))],
        description=_l(
            "What went well and what to work on next. Describe the facilitation, never what "
            "anyone in the set said about their challenge."
        ),
    )
    outcome = OptionalRadioField(
        _l("Outcome"),
        choices=choices((o.value, label) for o, label in OUTCOME_LABELS.items()),
        description=_l("Signing off counts this session towards the facilitator's award."),
    )

    @property
    def recording(self) -> bool:
        return request.method == "POST" and request.form.get("action") == RECORD

    def criteria(self) -> list[tuple[Criterion, object, object]]:
        return [(c, self[rating_field(c)], self[comment_field(c)]) for c in Criterion]

    def ratings(self) -> dict[Criterion, tuple[Rating | None, str | None]]:
        return {
            c: (Rating(rating.data) if rating.data else None, comment.data)
            for c, rating, comment in self.criteria()
        }

    @property
    def outcome_value(self) -> Outcome | None:
        field = self._fields.get("outcome")
        return Outcome(field.data) if field is not None and field.data else None


def observation_form(observation: Observation) -> ObservationForm:
    """The form for ``observation``: filled from it on GET (from what was sent on POST, so
    nothing typed is lost), with an outcome only for a supervisor's observation."""
    data = None
    if request.method == "GET":
        data = {"summary": observation.summary}
        if observation.outcome is not None:
            data["outcome"] = observation.outcome.value
        for row in observation.ratings:
            data[rating_field(row.criterion)] = row.rating.value
            data[comment_field(row.criterion)] = row.comment
    form = ObservationForm(data=data)
    if observation.kind is not ObservationKind.SUPERVISOR:
        del form.outcome
    return form


class CorrectionForm(FlaskForm):
    reason = TextAreaField(
        _l("Why does the observation need correcting?"),
        validators=[
            DataRequired(message=_l("Enter why the observation needs correcting")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
        description=_l(
            "The facilitator, their supervisor and programme leads will see this with the "
            "correction. The observation as it was recorded is kept."
        ),
    )


class ReflectionForm(FlaskForm):
    text = TextAreaField(
        _l("Your reflection"),
        validators=[
            DataRequired(message=_l("Enter your reflection")),
            Length(max=5000, message=_l("Your reflection must be 5,000 characters or fewer")),
        ],
        description=_l(
            "What you take from the observation and what you will do differently. The "
            "observer, your supervisor and programme leads can read it."
        ),
    )


class IntakeFilterForm(FlaskForm):
    """The leads' filter, sent by GET so a view can be bookmarked."""

    class Meta:
        csrf = False  # it changes nothing

    intake = SelectField(_l("Intake"), default="")

"""Forms for the line manager's endorsement and for reviewers' scores against the rubric."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, StopValidation

from lms.applications.models import RUBRIC, SCORE_MAX, SCORE_MIN
from lms.applications.models.review import ENDORSEMENT_DECISION_LABELS, Criterion
from lms.forms import choices

COMMENT_LIMIT = 5_000  # characters


class EndorsementForm(FlaskForm):
    # Whether a comment is needed depends on the decision: endorsement.respond() decides.
    decision = RadioField(
        _l("Do you endorse this application?"),
        choices=choices((d.value, label) for d, label in ENDORSEMENT_DECISION_LABELS.items()),
        validators=[InputRequired(_l("Select whether you endorse this application"))],
    )
    comment = TextAreaField(
        _l("Comments"),
        description=_l(
            "Tell us why if you do not endorse the application. The applicant and the "
            "programme team will see what you write."
        ),
        validators=[
            Length(max=COMMENT_LIMIT, message=_l("Comments must be 5,000 characters or fewer"))
        ],
    )


class ScoreChoice:
    """A whole-number score within the rubric's range, with one message for every way
    of getting it wrong (nothing chosen, out of range, not a number)."""

    def __init__(self, criterion: Criterion) -> None:
        self.criterion = criterion
        self.field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        valid = {str(score) for score in range(SCORE_MIN, SCORE_MAX + 1)}
        if field.data not in valid:
            field.data = None  # so nothing out of range is shown as chosen
            raise StopValidation(
                _(
                    "Select a score from %(low)d to %(high)d for %(criterion)s",
                    low=SCORE_MIN,
                    high=SCORE_MAX,
                    criterion=str(self.criterion.title).lower(),
                )
            )


def _score_field(criterion: Criterion) -> RadioField:
    return RadioField(
        criterion.title,
        description=criterion.question,
        choices=choices((str(score), str(score)) for score in range(SCORE_MIN, SCORE_MAX + 1)),
        validate_choice=False,  # ScoreChoice says what is wrong in plain words
        validators=[ScoreChoice(criterion)],
    )


class ScoreForm(FlaskForm):
    """One radio group per rubric criterion (named by its key), then a comment."""

    def scores(self) -> dict[str, int]:
        return {criterion.key: int(self[criterion.key].data) for criterion in RUBRIC}

    def score_fields(self) -> list[tuple[Criterion, RadioField]]:
        return [(criterion, self[criterion.key]) for criterion in RUBRIC]


# Criteria are a registry (RUBRIC); the form follows it rather than repeating it.
for _criterion in RUBRIC:
    setattr(ScoreForm, _criterion.key, _score_field(_criterion))
ScoreForm.comment = TextAreaField(
    _l("Comments"),
    description=_l(
        "Explain your scores. The programme leads will see your comments, and so will the "
        "other reviewers of this application once they have submitted their own scores."
    ),
    validators=[
        Length(max=COMMENT_LIMIT, message=_l("Comments must be 5,000 characters or fewer"))
    ],
)
del _criterion

"""Forms for submitting a portfolio, returning it, choosing a showcase and setting an
intake's award criteria. The services check everything again."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from lms.assessment import criteria
from lms.assessment.criteria import Requirement, RequirementKind
from lms.assessment.schemes import (
    MAX_RENEWAL_MONTHS,
    SESSIONS_PER_SET_FIELD,
    required_field,
    threshold_field,
)
from lms.assessment.submission import COMMENTS_MAX, STATEMENT_MAX
from lms.forms import WholeNumberField

MAX = criteria.MAX_THRESHOLD


def personal_email_field() -> EmailField:
    """The personal address an award is keyed to: asked at submission, changed later by
    the holder."""
    return EmailField(
        _l("Personal email address"),
        validators=[
            InputRequired(_l("Enter the personal email address your award will be linked to")),
            Length(max=254, message=_l("The email address must be 254 characters or fewer")),
            Email(_l("Enter an email address in the correct format, like name@example.org")),
        ],
        description=_l(
            "Your award is linked to this address, so you keep it if you change employer. "
            "Use an address that is yours, not your work one."
        ),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class SubmitForm(FlaskForm):
    personal_email = personal_email_field()
    statement = TextAreaField(
        _l("A statement for your reviewer (optional)"),
        validators=[
            Length(
                max=STATEMENT_MAX, message=_l("Your statement must be 2,000 characters or fewer")
            )
        ],
        description=_l(
            "Anything you want the programme lead to know when they review your portfolio. "
            "Up to 2,000 characters."
        ),
    )
    declaration = BooleanField(
        _l("I confirm this portfolio is my own work and gives a true account of what I have done"),
        validators=[
            DataRequired(_l("Confirm that this portfolio is your own work and a true account"))
        ],
    )


class ReturnForm(FlaskForm):
    comments = TextAreaField(
        _l("Comments for the facilitator"),
        validators=[
            DataRequired(_l("Enter what the facilitator needs to do before they submit again")),
            Length(max=COMMENTS_MAX, message=_l("Your comments must be 4,000 characters or fewer")),
        ],
        description=_l(
            "Say what is missing or needs more work. They will see these comments with "
            "their portfolio."
        ),
    )


class ShowcaseForm(FlaskForm):
    """The items picked, each as ``source:ref``; the view checks they are the person's."""

    items = SelectMultipleField(validate_choice=False)

    def keys(self) -> set[tuple[str, int]] | None:
        """The picks as (source, ref), or None if any is not in that shape."""
        result = set()
        for value in self.items.data or []:
            source, _sep, ref = str(value).partition(":")
            if not source or not ref.isdigit():
                return None
            result.add((source, int(ref)))
        return result


# --- An intake's award criteria ----------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdText:
    """What a criterion's "how many" box says, and its messages (one per criterion, so the
    error summary says which box is wrong)."""

    label: object
    missing: object
    invalid: object
    out_of_range: object


THRESHOLD_TEXT = {
    RequirementKind.SUPERVISION_SESSIONS: ThresholdText(
        _l("How many supervision sessions must they attend?"),
        _l("Enter how many supervision sessions they must attend, or 0"),
        _l("Enter the number of supervision sessions as a whole number, like 6"),
        _l("The number of supervision sessions must be from 0 to %(max)d", max=MAX),
    ),
    RequirementKind.SETS_FACILITATED: ThresholdText(
        _l("How many sets must they facilitate?"),
        _l("Enter how many sets they must facilitate, or 0"),
        _l("Enter the number of sets as a whole number, like 1"),
        _l("The number of sets must be from 0 to %(max)d", max=MAX),
    ),
    RequirementKind.OBSERVATIONS_SIGNED_OFF: ThresholdText(
        _l("How many observed sessions must be signed off by a supervisor?"),
        _l("Enter how many observed sessions must be signed off, or 0"),
        _l("Enter the number of observed sessions as a whole number, like 2"),
        _l("The number of observed sessions must be from 0 to %(max)d", max=MAX),
    ),
    RequirementKind.SESSION_LOGS: ThresholdText(
        _l("How many session logs must they write?"),
        _l("Enter how many session logs they must write, or 0"),
        _l("Enter the number of session logs as a whole number, like 6"),
        _l("The number of session logs must be from 0 to %(max)d", max=MAX),
    ),
    RequirementKind.BUDDY_CHECK_INS: ThresholdText(
        _l("How many buddy check-ins must they log?"),
        _l("Enter how many buddy check-ins they must log, or 0"),
        _l("Enter the number of buddy check-ins as a whole number, like 4"),
        _l("The number of buddy check-ins must be from 0 to %(max)d", max=MAX),
    ),
}

HAS_THRESHOLD = tuple(THRESHOLD_TEXT)


class SchemeForm(FlaskForm):
    """Per criterion: whether it is required and how many are needed; plus, for sets, how
    many sessions must be held for a set to count, and the award's renewal period. The
    per-criterion fields are added below, named by :mod:`lms.assessment.schemes`."""

    def requirements(self) -> tuple[Requirement, ...]:
        """The criteria as entered (call after validating)."""
        result = []
        for default in criteria.DEFAULTS:
            kind = default.kind
            threshold_f = self[threshold_field(kind)] if kind in HAS_THRESHOLD else None
            result.append(
                Requirement(
                    kind=kind,
                    required=bool(self[required_field(kind)].data),
                    threshold=threshold_f.data if threshold_f is not None else 0,
                    sessions_per_set=self[SESSIONS_PER_SET_FIELD].data
                    if kind is RequirementKind.SETS_FACILITATED
                    else 0,
                )
            )
        return tuple(result)

    @staticmethod
    def data_for(requirements, renewal_months: int | None) -> dict:
        """What the form starts with, from an intake's current criteria."""
        data: dict = {"renewal_months": renewal_months}
        for r in requirements:
            data[required_field(r.kind)] = r.required
            if r.kind in HAS_THRESHOLD:
                data[threshold_field(r.kind)] = r.threshold
            if r.kind is RequirementKind.SETS_FACILITATED:
                data[SESSIONS_PER_SET_FIELD] = r.sessions_per_set
        return data


for _kind in RequirementKind:
    setattr(
        SchemeForm,
        required_field(_kind),
        BooleanField(_l("Required for the award")),
    )
    if _kind in HAS_THRESHOLD:
        setattr(
            SchemeForm,
            threshold_field(_kind),
            WholeNumberField(
                THRESHOLD_TEXT[_kind].label,
                validators=[
                    InputRequired(THRESHOLD_TEXT[_kind].missing),
                    NumberRange(min=0, max=MAX, message=THRESHOLD_TEXT[_kind].out_of_range),
                ],
                invalid_message=THRESHOLD_TEXT[_kind].invalid,
            ),
        )
    if _kind is RequirementKind.SETS_FACILITATED:
        setattr(
            SchemeForm,
            SESSIONS_PER_SET_FIELD,
            WholeNumberField(
                _l("How many sessions must a set have held for it to count?"),
                invalid_message=_l(
                    "Enter the number of sessions a set must hold as a whole number, like 4"
                ),
                validators=[
                    InputRequired(_l("Enter how many sessions a set must have held")),
                    NumberRange(
                        min=1,
                        max=criteria.MAX_SESSIONS_PER_SET,
                        message=_l(
                            "The sessions a set must hold to count must be from 1 to %(max)d",
                            max=criteria.MAX_SESSIONS_PER_SET,
                        ),
                    ),
                ],
            ),
        )
del _kind
SchemeForm.renewal_months = WholeNumberField(
    _l("Renewal period in months (optional)"),
    validators=[
        Optional(),
        NumberRange(
            min=1,
            max=MAX_RENEWAL_MONTHS,
            message=_l("Enter a renewal period from 1 to 120 months, or leave it blank"),
        ),
    ],
    description=_l(
        "Leave this blank if the award does not need renewing. Holders are reminded "
        "before it lapses."
    ),
    invalid_message=_l("Enter the renewal period as a whole number of months, like 36"),
)

"""Buddy forms. Choices that depend on the intake are set by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.buddy.models import CHECK_IN_TOPIC_LABELS, RULE_KIND_LABELS
from lms.forms import DateInputField, WholeNumberField, choices


class CheckInForm(FlaskForm):
    met_on = DateInputField(
        _l("When did you meet?"),
        validators=[InputRequired(message=_l("Enter the date you met"))],
        description=_l("For example, 27 3 2027"),
    )
    minutes = WholeNumberField(
        _l("How long did you meet for, in minutes?"),
        validators=[
            InputRequired(message=_l("Enter how long you met, in minutes")),
            NumberRange(5, 480, message=_l("Enter how long you met, between 5 and 480 minutes")),
        ],
        invalid_message=_l("Enter how long you met as a number of minutes, for example 45"),
    )
    topics = SelectMultipleField(
        _l("What did you talk about?"),
        choices=choices((t.value, label) for t, label in CHECK_IN_TOPIC_LABELS.items()),
        validators=[DataRequired(message=_l("Select at least one thing you talked about"))],
        description=_l("Select all that apply"),
    )
    notes = TextAreaField(
        _l("Notes (optional)"),
        validators=[Length(max=5000, message=_l("Notes must be 5,000 characters or fewer"))],
        description=_l(
            "Only you and your buddy can read these. Do not include the content of anyone's "
            "challenge or anything that identifies a set member."
        ),
    )


class RepairForm(FlaskForm):
    reason = TextAreaField(
        _l("Why would you like a different buddy?"),
        validators=[
            DataRequired(message=_l("Enter why you would like a different buddy")),
            Length(max=5000, message=_l("The reason must be 5,000 characters or fewer")),
        ],
        description=_l(
            "A programme lead reads this. Your buddy does not see it, but will be told if the "
            "pair ends."
        ),
    )


class SwapForm(FlaskForm):
    first = SelectField(
        _l("Swap this person"),
        validators=[DataRequired(message=_l("Select two people from the proposed pairs"))],
    )
    second = SelectField(
        _l("With this person"),
        validators=[DataRequired(message=_l("Select two people from the proposed pairs"))],
    )


class RuleForm(FlaskForm):
    first = SelectField(
        _l("First person"), validators=[DataRequired(message=_l("Select a person"))]
    )
    second = SelectField(
        _l("Second person"), validators=[DataRequired(message=_l("Select a second person"))]
    )
    kind = RadioField(
        _l("Rule"),
        choices=choices((k.value, label) for k, label in RULE_KIND_LABELS.items()),
        validators=[InputRequired(message=_l("Select must or must not"))],
    )


class JoinForm(FlaskForm):
    person = SelectField(
        _l("Person without a buddy"), validators=[DataRequired(message=_l("Select a person"))]
    )
    group = SelectField(_l("Pair to join"), validators=[DataRequired(message=_l("Select a pair"))])

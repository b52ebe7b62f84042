"""The applicant's forms: one per task-list section, plus equality monitoring.

Section forms only check the shape of what is typed (lengths, email addresses, word
limits). Whether a section is complete is the section's own rule in ``sections.py``,
so a draft with gaps can always be saved.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Email, Length, Optional, Regexp, ValidationError

from lms.accounts.models import REGION_LABELS, SECTOR_LABELS
from lms.applications.models import (
    BAND_LABELS,
    PROGRAMME_LABELS,
    STAFF_GROUP_LABELS,
)
from lms.applications.sections import count_words
from lms.forms import choices

YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])
LONG_TEXT = 20_000  # characters: a backstop; word limits are the real limit


class WordLimit:
    """No more than the configured number of words (a config key, read when validating)."""

    def __init__(self, config_key: str, message) -> None:
        self.config_key = config_key
        self.message = message

    def __call__(self, form, field) -> None:
        limit = current_app.config[self.config_key]
        words = count_words(field.data)
        if words > limit:
            raise ValidationError(self.message.format(limit=limit, count=words))


def _optional_choice(label, options, **kwargs) -> RadioField:
    return RadioField(label, choices=options, validators=[Optional()], **kwargs)


class PersonalForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[Length(max=200, message=_l("Your name must be 200 characters or fewer"))],
        render_kw={"autocomplete": "name", "spellcheck": "false"},
    )
    contact_email = EmailField(
        _l("Email address"),
        description=_l("We will use this to contact you about your application"),
        validators=[
            Optional(),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
            Length(max=254, message=_l("The email address must be 254 characters or fewer")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Phone number"),
        description=_l("For international numbers include the country code"),
        validators=[
            Optional(),
            Regexp(
                r"^\+?[0-9 ()-]{7,20}$",
                message=_l("Enter a phone number, like 01632 960 001 or +44 7700 900 982"),
            ),
        ],
        render_kw={"autocomplete": "tel"},
    )


class RoleForm(FlaskForm):
    job_title = StringField(
        _l("Job title"),
        validators=[Length(max=200, message=_l("Your job title must be 200 characters or fewer"))],
        render_kw={"autocomplete": "organization-title"},
    )
    organisation_id = SelectField(_l("Organisation"), validators=[Optional()])
    organisation_other = StringField(
        _l("If your organisation is not in the list, enter its name"),
        validators=[
            Length(max=200, message=_l("The organisation's name must be 200 characters or fewer"))
        ],
        render_kw={"autocomplete": "organization"},
    )
    staff_group = _optional_choice(
        _l("Staff group"), choices((g.value, label) for g, label in STAFF_GROUP_LABELS.items())
    )
    sector = _optional_choice(
        _l("Sector"), choices((s.value, label) for s, label in SECTOR_LABELS.items())
    )
    band = SelectField(
        _l("Band or equivalent"),
        choices=choices(
            [("", _l("Select your band")), *((b.value, lb) for b, lb in BAND_LABELS.items())]
        ),
        validators=[Optional()],
    )
    region = SelectField(
        _l("Region"),
        choices=choices(
            [("", _l("Select your region")), *((r.value, lb) for r, lb in REGION_LABELS.items())]
        ),
        validators=[Optional()],
    )


class EligibilityForm(FlaskForm):
    works_in_health_care = _optional_choice(
        _l("Do you work in health and care?"),
        YES_NO,
        description=_l("In the NHS, social care, or an organisation that provides health or care"),
    )
    can_commit_time = _optional_choice(
        _l("Can you commit the time the programme needs?"),
        YES_NO,
        description=_l(
            "Training days, regular supervision sessions, meeting your buddy, and facilitating "
            "an action learning set that meets 4 to 6 times for 90 minutes"
        ),
    )


class ProgrammesForm(FlaskForm):
    previous_programmes = SelectMultipleField(
        _l("Which of these programmes have you done?"),
        description=_l("Select all that apply"),
        choices=choices((p.value, label) for p, label in PROGRAMME_LABELS.items()),
        validators=[Optional()],
    )
    previous_other = StringField(
        _l("Name of the other programme"),
        validators=[Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )


class ExperienceForm(FlaskForm):
    facilitation_experience = TextAreaField(
        _l("Tell us about your facilitation and coaching experience"),
        description=_l(
            "For example, groups or meetings you have facilitated, coaching or mentoring, "
            "and any training you have had. It is fine if you have little experience."
        ),
        validators=[
            Length(max=LONG_TEXT, message=_l("Your answer is too long")),
            WordLimit(
                "EXPERIENCE_WORD_LIMIT",
                _l("Your answer must be {limit} words or fewer; it has {count} words"),
            ),
        ],
    )
    word_limit_key = "EXPERIENCE_WORD_LIMIT"


class MotivationForm(FlaskForm):
    motivation = TextAreaField(
        _l("Why do you want to become an action learning set facilitator?"),
        description=_l(
            "Tell us what draws you to action learning, what you hope to learn, and how "
            "you would use it in your work and for others."
        ),
        validators=[
            Length(max=LONG_TEXT, message=_l("Your statement is too long")),
            WordLimit(
                "MOTIVATION_WORD_LIMIT",
                _l(
                    "Your motivation statement must be {limit} words or fewer; it has {count} words"
                ),
            ),
        ],
    )
    word_limit_key = "MOTIVATION_WORD_LIMIT"


class DeliveryForm(FlaskForm):
    preferred_mode = _optional_choice(_l("How would you prefer the programme to be delivered?"), [])
    availability = TextAreaField(
        _l("When are you usually available?"),
        description=_l("For example, days of the week or times of day that suit you"),
        validators=[Length(max=2000, message=_l("Your answer must be 2,000 characters or fewer"))],
    )


class AdjustmentsForm(FlaskForm):
    has_adjustments = _optional_choice(
        _l("Would you like us to make any reasonable adjustments?"),
        YES_NO,
        description=_l(
            "For example, captions in online sessions, more time to process information, "
            "or a quieter setting. Only the programme team sees this, not reviewers."
        ),
    )
    adjustments = TextAreaField(
        _l("If yes, tell us what would help you"),
        validators=[Length(max=2000, message=_l("Your answer must be 2,000 characters or fewer"))],
    )


class ManagerForm(FlaskForm):
    manager_name = StringField(
        _l("Your line manager's full name"),
        validators=[Length(max=200, message=_l("The name must be 200 characters or fewer"))],
        render_kw={"spellcheck": "false"},
    )
    manager_email = EmailField(
        _l("Your line manager's work email address"),
        description=_l(
            "When you submit, we will email them a link to endorse your application. "
            "They do not need an account."
        ),
        validators=[
            Optional(),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
            Length(max=254, message=_l("The email address must be 254 characters or fewer")),
        ],
        render_kw={"spellcheck": "false"},
    )


SECTION_FORMS: dict[str, type[FlaskForm]] = {
    "personal": PersonalForm,
    "role": RoleForm,
    "eligibility": EligibilityForm,
    "programmes": ProgrammesForm,
    "experience": ExperienceForm,
    "motivation": MotivationForm,
    "delivery": DeliveryForm,
    "adjustments": AdjustmentsForm,
    "manager": ManagerForm,
}

PREFER_NOT = ("prefer_not_to_say", _l("Prefer not to say"))


# Equality monitoring questions, declared once: the form below asks them and the
# selection view counts their answers. Every question is optional, with "prefer not to say".
EQUALITY_QUESTIONS: dict[str, tuple[object, list]] = {
    "age_band": (
        _l("Your age"),
        [
            ("under_25", _l("Under 25")),
            ("25_34", _l("25 to 34")),
            ("35_44", _l("35 to 44")),
            ("45_54", _l("45 to 54")),
            ("55_64", _l("55 to 64")),
            ("65_over", _l("65 or over")),
            PREFER_NOT,
        ],
    ),
    "sex": (
        _l("Your sex"),
        [("female", _l("Female")), ("male", _l("Male")), PREFER_NOT],
    ),
    "ethnicity": (
        _l("Your ethnic group"),
        [
            ("asian", _l("Asian or Asian British")),
            ("black", _l("Black, Black British, Caribbean or African")),
            ("mixed", _l("Mixed or multiple ethnic groups")),
            ("white", _l("White")),
            ("other", _l("Another ethnic group")),
            PREFER_NOT,
        ],
    ),
    "disability": (
        _l("Do you consider yourself to have a disability or long-term condition?"),
        [("yes", _l("Yes")), ("no", _l("No")), PREFER_NOT],
    ),
    "sexual_orientation": (
        _l("Your sexual orientation"),
        [
            ("straight", _l("Straight or heterosexual")),
            ("gay_lesbian", _l("Gay or lesbian")),
            ("bisexual", _l("Bisexual")),
            ("other", _l("Another sexual orientation")),
            PREFER_NOT,
        ],
    ),
    "religion": (
        _l("Your religion or belief"),
        [
            ("none", _l("No religion")),
            ("christian", _l("Christian")),
            ("muslim", _l("Muslim")),
            ("hindu", _l("Hindu")),
            ("sikh", _l("Sikh")),
            ("jewish", _l("Jewish")),
            ("buddhist", _l("Buddhist")),
            ("other", _l("Another religion or belief")),
            PREFER_NOT,
        ],
    ),
}


class EqualityForm(FlaskForm):
    """Every question is optional, and each has "prefer not to say"."""


for _name, (_label, _options) in EQUALITY_QUESTIONS.items():
    setattr(EqualityForm, _name, _optional_choice(_label, choices(_options)))


class ReasonForm(FlaskForm):
    """An optional reason, for declining an offer or withdrawing."""

    reason = TextAreaField(
        _l("Tell us why (optional)"),
        description=_l("This helps us improve the programme"),
        validators=[Length(max=2000, message=_l("Your answer must be 2,000 characters or fewer"))],
    )

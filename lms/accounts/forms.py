"""Forms for signing in, registering, resetting a password and the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from lms.forms import choices


def _email(required: bool = True):
    first = InputRequired(_l("Enter your email address")) if required else Optional()
    return [
        first,
        Length(max=254),
        Email(_l("Enter an email address in the correct format, like name@example.org")),
    ]


def _name_field() -> StringField:
    return StringField(
        _l("Full name"),
        validators=[InputRequired(_l("Enter your full name")), Length(max=200)],
        render_kw={"autocomplete": "name", "spellcheck": "false"},
    )


def _new_password(label, missing_message) -> PasswordField:
    return PasswordField(
        label,
        validators=[InputRequired(missing_message)],
        description=_l("At least 12 characters. A few unrelated words make a strong password"),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_password(label, other_field: str) -> PasswordField:
    """The second entry of a new password; ``label`` is also the message when it is empty."""
    return PasswordField(
        label,
        validators=[InputRequired(label), EqualTo(other_field, _l("The passwords do not match"))],
        render_kw={"autocomplete": "new-password"},
    )


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=_email(),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )


class RegisterForm(FlaskForm):
    name = _name_field()
    email = EmailField(
        _l("Email address"),
        validators=_email(),
        description=_l("Use your work email address"),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = _new_password(_l("Create a password"), _l("Enter a password"))
    confirm = _confirm_password(_l("Confirm your password"), "password")


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=_email(),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("New password"), _l("Enter a new password"))
    confirm = _confirm_password(_l("Confirm your new password"), "password")


class DetailsForm(FlaskForm):
    name = _name_field()
    personal_email = EmailField(
        _l("Personal email address (optional)"),
        validators=_email(required=False),
        description=_l(
            "Your award is linked to this address, so you keep it if you change employer"
        ),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password"))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _new_password(_l("New password"), _l("Enter a new password"))
    confirm = _confirm_password(_l("Confirm your new password"), "new_password")


class LanguageForm(FlaskForm):
    language = RadioField(
        _l("Which language do you want to use?"),
        choices=choices([("en", "English"), ("cy", "Cymraeg")]),
        validators=[InputRequired(_l("Choose English or Welsh"))],
    )


class AccessNeedsForm(FlaskForm):
    captions = BooleanField(_l("Captions in online sessions"))
    extra_processing_time = BooleanField(_l("Extra processing time"))
    low_stimulation = BooleanField(
        _l("Low-stimulation options"),
        description=_l("For example, cameras optional, a quieter room or fewer slides"),
    )
    notes = TextAreaField(
        _l("Anything else facilitators and supervisors should know (optional)"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Access needs must be 2,000 characters or fewer")),
        ],
    )


def _code_field(label, description) -> StringField:
    """An authenticator app's 6-digit code or a recovery code (letters, so not numeric)."""
    return StringField(
        label,
        validators=[InputRequired(_l("Enter the code")), Length(max=20)],
        description=description,
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class SignInCodeForm(FlaskForm):
    code = _code_field(
        _l("Code"),
        _l(
            "The 6-digit code your authenticator app shows now, "
            "or one of your recovery codes, like abcd-efgh-jkmn"
        ),
    )


class TwoFactorSetupForm(FlaskForm):
    code = _code_field(
        _l("Code from your app"), _l("The 6-digit code your app shows now, like 123456")
    )


class ConfirmIdentityForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code"),
        validators=[Optional(), Length(max=20)],
        description=_l("The 6-digit code your authenticator app shows now, or a recovery code"),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )

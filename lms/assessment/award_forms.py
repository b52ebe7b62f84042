"""Award forms: a lead's reason for revoking, the holder's personal email, and the code
someone types to check an award. The services check the same rules again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from lms.assessment.forms import personal_email_field


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you revoking this award?"),
        validators=[
            InputRequired(_l("Enter the reason for revoking this award")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
        description=_l(
            "The holder is told this reason and it is kept in the audit log. It is never "
            "shown on the public verification page."
        ),
    )


class HolderEmailForm(FlaskForm):
    email = personal_email_field()


class VerifyCodeForm(FlaskForm):
    """Read from the query string (a GET form: checking an award changes nothing)."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[InputRequired(_l("Enter the verification code"))],
        description=_l(
            "The 20 letters and numbers on the certificate, for example ABCD-EFGH-JKMN-PQRS-TV12"
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

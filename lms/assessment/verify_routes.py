"""Public pages, no sign-in: checking an award by its code, the award's status as JSON (the
credential's ``credentialStatus``), and the page describing the award and its learning
outcomes (the credential's achievement).

The verification page shows only the holder's name, the award, the date of issue and the
status (SPEC section 8): nothing else about the person, their employer, intake or why an
award was revoked.
"""

from __future__ import annotations

from flask import current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.assessment import awards, bp, credential
from lms.assessment.award_forms import VerifyCodeForm
from lms.assessment.criteria import DEFAULTS
from lms.assessment.models import AWARD_TITLE, ISSUER_NAME, AwardStatus
from lms.assessment.outcomes import OUTCOMES
from lms.db_types import utcnow
from lms.extensions import limiter
from lms.forms import add_error
from lms.privacy.names import award_holder_name


def _failed_lookups() -> str:
    """Codes cannot be guessed (100 bits), but failed look-ups are still limited so nobody
    can use the page to load the database."""
    return current_app.config["VERIFY_LIMIT"]


def _failed(response) -> bool:
    return response.status_code == 404


def _noindex(response):
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/verify")
def verify():
    form = VerifyCodeForm(formdata=request.args if "code" in request.args else None)
    if "code" in request.args and form.validate():
        code = awards.normalise_code(form.code.data)
        if code is not None:
            return redirect(url_for("assessment.verify_award", code=code))
        add_error(
            form,
            "code",
            _("Enter the code as it is printed on the certificate: 20 letters and numbers"),
        )
    page = render_template("assessment/verify.html", form=form, award_title=AWARD_TITLE)
    return _noindex(make_response(page))


@bp.route("/verify/<code>")
@limiter.limit(_failed_lookups, deduct_when=_failed, scope="verify-award")
def verify_award(code: str):
    award = awards.find_by_code(code)
    if award is None:
        form = VerifyCodeForm(formdata=None, data={"code": code[:40]})
        page = render_template("assessment/verify_unknown.html", form=form)
        return _noindex(make_response(page, 404))
    if award.code != code:  # typed in lower case or with hyphens: show the address as printed
        return redirect(url_for("assessment.verify_award", code=award.code), 301)
    now = utcnow()
    # Only what the page may show is handed to it, so it cannot show anything more.
    page = render_template(
        "assessment/verify_award.html",
        holder_name=award_holder_name(award),  # "Name withheld" once the holder is erased
        issued_at=award.issued_at,
        status=award.status(now),
        checked_at=now,
        award_title=AWARD_TITLE,
        issuer_name=ISSUER_NAME,
    )
    return _noindex(make_response(page))


@bp.route("/verify/<code>/status")
@limiter.limit(_failed_lookups, deduct_when=_failed, scope="verify-award")
def credential_status(code: str):
    award = awards.find_by_code(code)
    if award is None:
        response = jsonify({"error": "No award has this code", "code": code[:40]})
        response.status_code = 404
    else:
        now = utcnow()
        status = award.status(now)
        revoked = status is AwardStatus.REVOKED
        response = jsonify(
            {
                "id": credential.status_url(award),
                "code": award.code,
                "status": status.value,
                "revoked": revoked,
                "checked_at": credential.iso(now),
                "issuer": credential.issuer_id(),
                # As a 1EdTech revocation list: the credential, if it is revoked.
                "revokedCredentials": [{"id": credential.credential_id(award), "revoked": True}]
                if revoked
                else [],
            }
        )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"  # public, for verifiers' own pages
    return _noindex(response)


@bp.route("/award-criteria")
def award_criteria():
    return render_template(
        "assessment/award_criteria.html",
        award_title=AWARD_TITLE,
        issuer_name=ISSUER_NAME,
        description=credential.award_description(),
        criteria=credential.criteria_in_words(DEFAULTS),
        outcomes=OUTCOMES,
    )

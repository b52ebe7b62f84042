"""Award pages: the holder's awards, each award with its certificate and credential, the
holder's choice of email, and the leads' issuing, revoking and renewing. Rules live in
:mod:`lms.assessment.awards` and :mod:`lms.assessment.permissions`; these views load, check
access, call them and render."""

from __future__ import annotations

import io
import json

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from lms.access import require, role_required
from lms.accounts.fresh import fresh_login_required
from lms.accounts.models import Role, User
from lms.assessment import awards, bp, portfolio, storage
from lms.assessment import permissions as may
from lms.assessment.award_forms import HolderEmailForm, RevokeForm
from lms.assessment.awards import AwardError
from lms.assessment.credential import open_badge
from lms.assessment.models import AWARD_TITLE, Award, PortfolioSubmission
from lms.db_types import utcnow
from lms.extensions import db
from lms.forms import EmptyForm, add_error


def _award(award_id: int) -> Award:
    award = db.session.scalar(
        db.select(Award)
        .where(Award.id == award_id)
        .options(
            joinedload(Award.user).lazyload(User.role_grants),
            joinedload(Award.intake),
        )
    )
    if award is None:
        abort(404)
    return award


def _visible_award(award_id: int) -> Award:
    """The award, if the person asking holds it or is a lead (404 otherwise)."""
    award = _award(award_id)
    require(
        may.can_see_award(current_user, award),
        hide=True,
        subject=award,
        reason="not their award",
    )
    return award


def _download(data: bytes, mimetype: str, name: str):
    response = send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Expires", None)
    return response


# --- The holder's pages -------------------------------------------------------------------


@bp.route("/awards")
@role_required(Role.FACILITATOR)
def my_awards():
    mine = portfolio.awards_of(current_user.id)
    now = utcnow()
    return render_template(
        "assessment/award_list.html",
        lines=[(award, award.status(now)) for award in mine],
    )


@bp.route("/awards/<int:award_id>")
@role_required(Role.FACILITATOR, Role.LEAD)
def show_award(award_id: int):
    award = _visible_award(award_id)
    return render_template(
        "assessment/award_show.html",
        award=award,
        status=award.status(),
        award_title=AWARD_TITLE,
        is_holder=may.holds(current_user, award),
        is_lead=may.is_lead(current_user),
        certificate_ready=bool(award.certificate_name),
    )


@bp.route("/awards/<int:award_id>/certificate.pdf")
@role_required(Role.FACILITATOR, Role.LEAD)
def award_certificate(award_id: int):
    award = _visible_award(award_id)
    if not award.certificate_name:
        abort(404)
    try:
        data = storage.read(award.certificate_name)
    except (FileNotFoundError, ValueError):
        abort(404)
    return _download(data, "application/pdf", f"award-certificate-{award.code}.pdf")


@bp.route("/awards/<int:award_id>/credential.json")
@role_required(Role.FACILITATOR, Role.LEAD)
def award_credential(award_id: int):
    award = _visible_award(award_id)
    body = json.dumps(open_badge(award), indent=2, ensure_ascii=False).encode()
    return _download(body, "application/ld+json", f"award-credential-{award.code}.json")


@bp.route("/awards/<int:award_id>/email", methods=["GET", "POST"])
@role_required(Role.FACILITATOR, Role.LEAD)
def award_email(award_id: int):
    award = _visible_award(award_id)
    require(may.holds(current_user, award), subject=award, reason="not the holder")
    form = HolderEmailForm(data={"email": award.holder_email} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            awards.set_holder_email(award, current_user, form.email.data)
        except AwardError as exc:
            add_error(form, exc.field if exc.field in form else None, exc.message)
        else:
            flash(_("Your award is now linked to %(email)s", email=award.holder_email), "success")
            return redirect(url_for("assessment.show_award", award_id=award.id))
    return render_template("assessment/award_email.html", form=form, award=award)


# --- The leads' pages ---------------------------------------------------------------------


@bp.route("/lead/portfolios/<int:submission_id>/issue", methods=["POST"])
@role_required(Role.LEAD)
@fresh_login_required
def issue_award(submission_id: int):
    submission = db.get_or_404(PortfolioSubmission, submission_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    already = awards.existing_award(submission)
    try:
        award = awards.issue_award(submission, current_user)
    except AwardError as exc:
        flash(exc.message, "warning")
        return redirect(url_for("assessment.review_submission", submission_id=submission.id))
    if already is not None:
        flash(_("This award had already been issued. Nothing has changed."), "warning")
    else:
        flash(
            _(
                "The award has been issued to %(name)s and they have been told. Their "
                "certificate is being prepared.",
                name=award.holder_name,
            ),
            "success",
        )
    return redirect(url_for("assessment.lead_award", award_id=award.id))


@bp.route("/lead/awards/award/<int:award_id>")
@role_required(Role.LEAD)
def lead_award(award_id: int):
    award = _award(award_id)
    return render_template(
        "assessment/award_lead.html",
        award=award,
        status=award.status(),
        renewal_months=awards.renewal_months(award.intake_id),
        renew_form=EmptyForm(),
    )


@bp.route("/lead/awards/award/<int:award_id>/revoke", methods=["GET", "POST"])
@role_required(Role.LEAD)
@fresh_login_required
def revoke_award(award_id: int):
    award = _award(award_id)
    if award.revoked_at is not None:
        flash(_("This award has already been revoked."), "warning")
        return redirect(url_for("assessment.lead_award", award_id=award.id))
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            awards.revoke(award, current_user, form.reason.data)
        except AwardError as exc:
            add_error(form, exc.field if exc.field in form else None, exc.message)
        else:
            flash(
                _("The award has been revoked and %(name)s has been told", name=award.holder_name),
                "success",
            )
            return redirect(url_for("assessment.lead_award", award_id=award.id))
    return render_template("assessment/award_revoke.html", form=form, award=award)


@bp.route("/lead/awards/award/<int:award_id>/renew", methods=["POST"])
@role_required(Role.LEAD)
def renew_award(award_id: int):
    award = _award(award_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        awards.renew(award, current_user)
    except AwardError as exc:
        flash(exc.message, "warning")
    else:
        flash(
            _(
                "The award has been renewed until %(date)s",
                date=format_date(award.expires_at, "long"),
            ),
            "success",
        )
    return redirect(url_for("assessment.lead_award", award_id=award.id))

"""Registering, signing in and out, resetting a password, and the account page."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import bp, services, sessions, two_factor
from lms.accounts.forms import (
    AccessNeedsForm,
    ChangePasswordForm,
    ConfirmIdentityForm,
    DetailsForm,
    LanguageForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from lms.accounts.limits import failures_limited
from lms.extensions import limiter
from lms.forms import add_error
from lms.security import safe_next


def _account_key() -> str:
    """Rate-limit key for one account: the email being tried, however it is written."""
    email = services.normalise_email(request.form.get("email", ""))
    return "account:" + (email or request.remote_addr or "unknown")


@bp.route("/sign-in", methods=["GET", "POST"])
@failures_limited("LOGIN_LIMIT_ACCOUNT", "sign-in-account", key_func=_account_key)
@failures_limited("LOGIN_LIMIT_ADDRESS", "sign-in-address")
def sign_in():
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            add_error(form, "email", _("Enter a correct email address and password"))
        elif two_factor.is_enabled(user):
            # Not signed in yet: only who passed the password, and when, until the code.
            session.clear()
            session["2fa_user"] = user.id
            session["2fa_at"] = int(time.time())
            session["2fa_next"] = next_url
            session["lang"] = user.language
            return redirect(url_for("accounts.sign_in_code"))
        else:
            sessions.start(user)
            return redirect(next_url)
    return render_template("accounts/sign_in.html", form=form, next_url=next_url)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    sessions.end_current()
    flash(_("You have signed out"), "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    sessions.end_all(current_user, "signed out everywhere")
    sessions.clear_browser()
    flash(_("You have signed out on every device, including this one"), "success")
    return redirect(url_for("accounts.sign_in"))


def _identity_key() -> str:
    """Rate-limit key for confirming identity: the signed-in account."""
    return "confirm:" + str(current_user.get_id())


@bp.route("/account/confirm-identity", methods=["GET", "POST"])
@login_required
@failures_limited("LOGIN_LIMIT_ACCOUNT", "confirm-identity", key_func=_identity_key)
def confirm_identity():
    """Type the password (and a code) again before a sensitive action."""
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    needs_code = two_factor.is_enabled(current_user)
    form = ConfirmIdentityForm()
    if form.validate_on_submit():
        if not services.check_password(current_user, form.password.data):
            add_error(form, "password", _("Your password is not correct"))
        elif needs_code and not form.code.data:
            add_error(form, "code", _("Enter the code"))
        elif needs_code and not two_factor.verify(current_user, form.code.data):
            add_error(form, "code", _("The code is not correct"))
        else:
            sessions.reauthenticated(two_factor=needs_code)
            return redirect(next_url)
    form.code.data = ""  # a code is never shown back
    return render_template(
        "accounts/confirm_identity.html", form=form, next_url=next_url, needs_code=needs_code
    )


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                form.email.data,
                form.name.data,
                form.password.data,
                language=session.get("lang", "en"),
            )
        except services.AccountError as exc:
            add_error(form, exc.field, exc.message)
        else:
            sessions.start(user)
            flash(_("Your account has been created"), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/register.html", form=form)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_LIMIT"],
    key_func=_account_key,
    methods=["POST"],
    scope="reset-account",
)
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template(
            "accounts/reset_sent.html",
            email=form.email.data,
            hours=current_app.config["PASSWORD_RESET_HOURS"],
        )
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.check_reset_token(token)
    except services.AccountError as exc:
        return render_template("accounts/reset_invalid.html", reason=exc.message), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as exc:
            add_error(form, exc.field, exc.message)
        else:
            sessions.clear_browser()
            flash(_("Your password has been changed. Sign in with your new password"), "success")
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account")
@login_required
def account():
    return render_template(
        "accounts/account.html",
        open_sessions=sessions.open_sessions(current_user),
        this_session=sessions.current(),
        two_factor_on=two_factor.is_enabled(current_user),
    )


@bp.route("/account/details", methods=["GET", "POST"])
@login_required
def edit_details():
    form = DetailsForm(obj=current_user)
    if form.validate_on_submit():
        services.update_details(current_user, form.name.data, form.personal_email.data)
        flash(_("Your details have been saved"), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/edit_details.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except services.AccountError as exc:
            add_error(form, exc.field, exc.message)
        else:
            sessions.rotate()
            flash(_("Your password has been changed"), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/language", methods=["GET", "POST"])
@login_required
def edit_language():
    form = LanguageForm(language=current_user.language)
    if form.validate_on_submit():
        services.set_language(current_user, form.language.data)
        session["lang"] = form.language.data
        flash(_("Your language has been saved"), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/edit_language.html", form=form)


@bp.route("/account/access-needs", methods=["GET", "POST"])
@login_required
def edit_access_needs():
    form = AccessNeedsForm(
        captions=current_user.needs_captions,
        extra_processing_time=current_user.needs_extra_processing_time,
        low_stimulation=current_user.needs_low_stimulation,
        notes=current_user.access_notes,
    )
    if form.validate_on_submit():
        services.update_access_needs(
            current_user,
            captions=form.captions.data,
            extra_processing_time=form.extra_processing_time.data,
            low_stimulation=form.low_stimulation.data,
            notes=form.notes.data,
        )
        flash(_("Your access needs have been saved"), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/edit_access_needs.html", form=form)

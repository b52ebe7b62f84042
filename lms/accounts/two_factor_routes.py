"""Two-factor pages: the code step of signing in, setting it up, recovery codes, turning
it off, and the gate that sends people whose role needs it to set it up first."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import bp, sessions, two_factor
from lms.accounts.forms import SignInCodeForm, TwoFactorSetupForm
from lms.accounts.fresh import fresh_login_required
from lms.accounts.limits import failures_limited
from lms.accounts.models import User
from lms.extensions import db
from lms.forms import add_error
from lms.security import safe_next

# How long after a right password the code may be entered.
PENDING_SECONDS = 5 * 60
_PENDING_KEYS = ("2fa_user", "2fa_at", "2fa_next")

# Pages a person whose role needs two-factor can still use before setting it up.
GATE_OPEN = {
    "static",
    "accounts.two_factor_setup",
    "accounts.two_factor_start",
    "accounts.sign_out",
    "main.set_language",
    "main.healthz",
}


@bp.before_app_request
def two_factor_gate():
    """Send someone whose role needs two-factor, and whose session has not passed it,
    to set it up; every other page waits until they have."""
    if request.endpoint is None or request.endpoint in GATE_OPEN:
        return None
    if not current_user.is_authenticated:
        return None
    record = sessions.current()
    if record is None or record.two_factor_at is not None:
        return None
    if not two_factor.is_required(current_user):
        return None
    return redirect(url_for("accounts.two_factor_setup"))


def _pending_user() -> User | None:
    """The person who has just given the right password and now owes a code."""
    user_id, started = session.get("2fa_user"), session.get("2fa_at")
    if not user_id or not started or time.time() - started > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def _code_key() -> str:
    """Rate-limit key for codes: the account that owes one."""
    return "code:" + str(session.get("2fa_user") or request.remote_addr or "unknown")


@bp.route("/sign-in/code", methods=["GET", "POST"])
@failures_limited("TWO_FACTOR_LIMIT", "sign-in-code", key_func=_code_key)
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = _pending_user()
    if user is None:
        if "2fa_user" in session:
            for key in _PENDING_KEYS:
                session.pop(key, None)
            flash(_("You took too long to enter your code. Sign in again"), "info")
        return redirect(url_for("accounts.sign_in"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        if two_factor.verify(user, form.code.data):
            next_url = safe_next(session.get("2fa_next"), url_for("main.home"))
            sessions.start(user, two_factor=True)
            return redirect(next_url)
        add_error(
            form,
            "code",
            _(
                "The code is not correct. Enter the 6-digit code your app shows now, "
                "or one of your recovery codes"
            ),
        )
    form.code.data = ""  # a code is never shown back
    return render_template("accounts/sign_in_code.html", form=form)


@bp.route("/account/two-factor")
@login_required
def two_factor_status():
    enabled = two_factor.is_enabled(current_user)
    return render_template(
        "accounts/two_factor.html",
        enabled=enabled,
        required=two_factor.is_required(current_user),
        codes_left=two_factor.recovery_codes_left(current_user) if enabled else 0,
    )


@bp.route("/account/two-factor/start", methods=["POST"])
@login_required
def two_factor_start():
    if two_factor.is_enabled(current_user):
        return redirect(url_for("accounts.two_factor_status"))
    two_factor.begin_setup(current_user)
    return redirect(url_for("accounts.two_factor_setup"))


@bp.route("/account/two-factor/set-up", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    if two_factor.is_enabled(current_user):
        record = sessions.current()
        if record is not None and record.two_factor_at is None:
            # Turned on in another browser: this one has to sign in with a code.
            sessions.end_current()
            flash(_("Sign in again with a code from your authenticator app"), "info")
            return redirect(url_for("accounts.sign_in"))
        return redirect(url_for("accounts.two_factor_status"))
    required = two_factor.is_required(current_user)
    pending = two_factor.record_for(current_user)
    if pending is None:
        return render_template("accounts/two_factor_start.html", required=required)
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_setup(current_user, form.code.data)
        except two_factor.TwoFactorError as exc:
            add_error(form, "code", exc.message)
        else:
            sessions.passed_two_factor()
            sessions.end_all(current_user, "two-factor turned on", except_current=True)
            return render_template("accounts/recovery_codes.html", codes=codes, first=True)
    form.code.data = ""
    uri = two_factor.provisioning_uri(pending, current_user)
    return render_template(
        "accounts/two_factor_setup.html",
        form=form,
        required=required,
        qr_code=two_factor.qr_code_svg(uri),
        secret=two_factor.secret_in_groups(pending.secret),
    )


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
@fresh_login_required
def two_factor_new_codes():
    try:
        codes = two_factor.regenerate_recovery_codes(current_user)
    except two_factor.TwoFactorError as exc:
        flash(exc.message, "info")
        return redirect(url_for("accounts.two_factor_status"))
    return render_template("accounts/recovery_codes.html", codes=codes, first=False)


@bp.route("/account/two-factor/turn-off", methods=["POST"])
@login_required
@fresh_login_required
def two_factor_turn_off():
    try:
        two_factor.disable(current_user)
    except two_factor.TwoFactorError as exc:
        flash(exc.message, "info")
    else:
        flash(_("Two-factor authentication is off"), "success")
    return redirect(url_for("accounts.two_factor_status"))

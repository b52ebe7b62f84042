"""Home pages, language switching, the health check and the service's information pages."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from lms import jobs
from lms.accounts.models import Role
from lms.accounts.services import set_language as set_account_language
from lms.extensions import db
from lms.main import bp
from lms.main.navigation import home_sections
from lms.privacy import retention
from lms.security import safe_next


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/start.html")
    return render_template(
        "main/home.html", sections=home_sections(current_user), towards=_towards_award()
    )


def _towards_award():
    """A trainee facilitator's award criteria against their evidence, or None."""
    if not current_user.has_role(Role.FACILITATOR):
        return None
    # Imported here: assessment reads every package's models.
    from lms.assessment import faculty, portfolio

    return {
        "readiness": portfolio.readiness(current_user.id),
        "faculty": faculty.is_faculty(current_user.id),
    }


@bp.route("/language", methods=["POST"])
def set_language():
    """The header's language switcher: remembered in the session and on the account."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
        if current_user.is_authenticated:
            set_account_language(current_user, language)
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


@bp.route("/healthz")
def healthz():
    status = {"database": "ok", "queue": "inline"}
    healthy = True
    try:
        db.session.execute(db.text("SELECT 1"))
    except Exception:  # any failure means unhealthy; the detail goes to the log
        current_app.logger.exception("health check: database")
        status["database"] = "error"
        healthy = False
    try:
        queue = jobs.queue()
        if queue is not None:
            queue.connection.ping()
            status["queue"] = "ok"
            status["queued_jobs"] = queue.count
    except Exception:
        current_app.logger.exception("health check: queue")
        status["queue"] = "error"
        healthy = False
    status["status"] = "ok" if healthy else "error"
    return jsonify(status), 200 if healthy else 503


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html", retention=retention.notice())


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")

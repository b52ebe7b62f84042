"""A person's own notifications."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.extensions import db
from lms.forms import EmptyForm
from lms.notifications import bp, services
from lms.notifications.models import Notification


@bp.route("/notifications")
@login_required
def list_notifications():
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    notifications = db.paginate(
        db.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page=page,
        per_page=30,
        error_out=False,
    )
    return render_template("notifications/list.html", notifications=notifications, form=EmptyForm())


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    if EmptyForm().validate_on_submit():
        count = services.mark_all_read(current_user)
        if count:
            flash(_("All notifications marked as read"), "success")
    return redirect(url_for("notifications.list_notifications"))

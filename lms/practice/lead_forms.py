"""Leads' set allocation forms, and the functions that give them the choices of the
intake and its proposal (from data the view has loaded: no queries here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import DataRequired

from lms.accounts.models import User
from lms.applications.models import DELIVERY_MODE_LABELS
from lms.applications.queries import FacilitatorProfile
from lms.forms import choices
from lms.practice.models import PracticeSet

# "" is "follow each facilitator team's own preference" (the service takes None).
MODE_CHOICES = [("", _l("Follow each team's preference"))] + [
    (mode.value, label) for mode, label in DELIVERY_MODE_LABELS.items()
]


class AllocateForm(FlaskForm):
    gmts_intake = SelectField(
        _l("GMTS intake"),
        validators=[DataRequired(message=_l("Select the GMTS intake to allocate"))],
        description=_l("Trainees already in a confirmed set are left out."),
    )
    mode = SelectField(
        _l("How the sets will meet"),
        choices=choices(MODE_CHOICES),
        description=_l(
            "Each team's preference comes from its facilitators' applications: blended when "
            "they differ."
        ),
    )


class MoveForm(FlaskForm):
    trainee = SelectField(
        _l("Trainee"), validators=[DataRequired(message=_l("Select a trainee to move"))]
    )
    to_set = SelectField(
        _l("Move them to"), validators=[DataRequired(message=_l("Select the set to move them to"))]
    )


class FacilitatorsForm(FlaskForm):
    facilitators = SelectMultipleField(
        _l("Facilitators"),
        validators=[DataRequired(message=_l("Select one, two or three facilitators"))],
        description=_l("Normally a pair who co-facilitate. Select one, two or three."),
    )


def _by_label(choice: tuple[str, str]) -> str:
    return str(choice[1]).casefold()


def allocate_form(cohorts: Iterable[str], form: AllocateForm | None = None) -> AllocateForm:
    """The allocation form (or the one posted) with the GMTS cohorts to choose from."""
    form = form or AllocateForm(prefix="allocate")
    form.gmts_intake.choices = choices(
        [("", _("Select a GMTS intake"))] + [(c, c) for c in cohorts]
    )
    return form


def move_form(
    sets: Sequence[PracticeSet], unplaced: Sequence[User], form: MoveForm | None = None
) -> MoveForm:
    """Anyone in the proposal, or not placed by it, to any of its sets."""
    form = form or MoveForm(prefix="move")
    people = [
        (str(m.user_id), _("%(name)s (%(set)s)", name=m.user.name, set=s.name))
        for s in sets
        for m in s.members
    ] + [(str(u.id), _("%(name)s (not placed)", name=u.name)) for u in unplaced]
    form.trainee.choices = choices([("", _("Select a trainee")), *sorted(people, key=_by_label)])
    form.to_set.choices = choices(
        [("", _("Select a set"))]
        + [
            (
                str(s.id),
                ngettext(
                    "%(set)s (%(num)d trainee)",
                    "%(set)s (%(num)d trainees)",
                    len(s.members),
                    set=s.name,
                ),
            )
            for s in sets
        ]
    )
    return form


def facilitators_form(
    practice_set: PracticeSet,
    profiles: Sequence[FacilitatorProfile],
    form: FacilitatorsForm | None = None,
) -> FacilitatorsForm:
    """A set's facilitators, ticked, among the intake's facilitators and the faculty."""
    if form is None:
        form = FacilitatorsForm(
            prefix=f"set{practice_set.id}",
            data={"facilitators": [str(uid) for uid in practice_set.facilitator_ids]},
        )
    form.facilitators.choices = choices((str(p.user.id), _choice_label(p)) for p in profiles)
    return form


def _choice_label(profile: FacilitatorProfile) -> str:
    name, organisation = profile.user.name, profile.organisation_name
    if profile.faculty:
        if organisation:
            return _("%(name)s, %(organisation)s (faculty)", name=name, organisation=organisation)
        return _("%(name)s (faculty)", name=name)
    if organisation:
        return _("%(name)s, %(organisation)s", name=name, organisation=organisation)
    return name

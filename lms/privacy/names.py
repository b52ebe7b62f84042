"""How an erased person is shown where their name was public."""

from __future__ import annotations

from flask_babel import gettext as _


def award_holder_name(award) -> str:
    """The holder's name, or "Name withheld" once the holder has been erased: the award,
    its code and its status stay checkable, but no longer say who holds it."""
    if award.user.erased_at is not None:
        return _("Name withheld")
    return award.holder_name

"""Every kind of portfolio evidence, one small class each, and the registry that
:func:`lms.assessment.evidence.collect` runs (see :mod:`lms.assessment.evidence`).

A source selects only titles, dates and counts: never the text of a reflection, a case,
a check-in's notes, a session log or a feedback comment. The holder follows the link to
read their own words. Adding a source is one class (here or in the module for its area)
and one line in :data:`SOURCES`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.assessment import outcomes as lo
from lms.assessment.evidence import Row, Source, json_list, row
from lms.assessment.learning_sources import (
    Cases,
    CheckIns,
    Modules,
    Reflections,
    Supervision,
    Workshops,
)
from lms.assessment.models import EvidenceUpload
from lms.assessment.practice_sources import (
    BuddyObservations,
    Feedback,
    Observations,
    SessionLogs,
    SessionsHeld,
    Sets,
)


class Uploads(Source):
    key = "uploads"
    label = _l("Evidence you uploaded")
    shared_links = True

    def select(self, user_ids: Sequence[int]) -> sa.Select:
        return sa.select(
            *row(
                self.key,
                ref=EvidenceUpload.id,
                user_id=EvidenceUpload.owner_id,
                title=EvidenceUpload.description,
                label=EvidenceUpload.filename,
                detail=sa.cast(EvidenceUpload.outcomes, sa.Text),
                at=EvidenceUpload.created_at,
                number=EvidenceUpload.size,
            )
        ).where(EvidenceUpload.owner_id.in_(user_ids))

    def item(self, r: Row):
        return self.make(
            r,
            r.title,
            r.at,
            outcomes=lo.known(json_list(r.detail)),
            link=("assessment.download_upload", {"upload_id": r.ref}),
            filename=r.label,
            size=r.number,
        )


# The registry, in the order a portfolio lists them.
SOURCES: tuple[Source, ...] = (
    Modules(),
    Reflections(),
    Workshops(),
    Supervision(),
    Cases(),
    CheckIns(),
    Sets(),
    SessionsHeld(),
    SessionLogs(),
    Observations(),
    BuddyObservations(),
    Feedback(),
    Uploads(),
)

"""A small fake report standing in for the real ones, so the pages, downloads, charts and
background builds are tested against numbers known in advance.

The fake counts organisations by region, from ONE query (``load``) and ONE count
(``size``), both narrowed by the region filter.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Organisation, Region
from lms.extensions import db
from lms.reports import registry
from lms.reports.base import Chart, Filters, Report, Rows, Table, rate, suppress


class FakeReport(Report):
    key = "fake"
    title = "Organisations by region"
    summary = "How many organisations each region has"
    date_basis = "Date the organisation was added"

    fail = False  # set True to make load() raise

    def _where(self, query, filters: Filters):
        if filters.region:
            query = query.where(Organisation.region == Region(filters.region))
        if filters.organisation_id:
            query = query.where(Organisation.id == filters.organisation_id)
        return query

    def size(self, filters: Filters) -> int:
        return db.session.scalar(self._where(db.select(db.func.count(Organisation.id)), filters))

    def load(self, filters: Filters) -> Rows:
        if self.fail:
            raise RuntimeError("the fake report failed")
        query = self._where(
            db.select(Organisation.name, Organisation.region).order_by(Organisation.name), filters
        )
        return {
            "organisations": [
                {"name": name, "region": region.value} for name, region in db.session.execute(query)
            ]
        }

    def build(self, rows: Rows) -> list[Table]:
        found = rows["organisations"]
        counts = Counter(row["region"] for row in found)
        total = sum(counts.values())
        regions = pd.DataFrame(
            [
                {"region": Region(value).label, "organisations": n, "share_rate": rate(n, total)}
                for value, n in sorted(counts.items())
            ],
            columns=["region", "organisations", "share_rate"],
        )
        regions = suppress(regions, "organisations", ["share_rate"])
        names = pd.DataFrame(found, columns=["name", "region"])
        return [
            Table(
                key="regions",
                title="By region",
                frame=regions,
                headings={
                    "region": str(_l("Region")),  # translated: runs build in the asker's language
                    "organisations": "Organisations",
                    "share_rate": "Share of all",
                },
                note="Numbers from fewer than 3 organisations are not shown.",
            ),
            Table(
                key="names",
                title="Every organisation",
                frame=names,
                headings={"name": "Organisation", "region": "Region code"},
            ),
        ]

    def charts(self) -> list[Chart]:
        return [Chart("regions", "Organisations in each region", "region", ("organisations",))]


@pytest.fixture
def fake(monkeypatch) -> FakeReport:
    """The fake report, as the only report there is."""
    report = FakeReport()
    monkeypatch.setattr(registry, "REPORTS", {report.key: report})
    return report


@pytest.fixture
def organisations(fake, make_organisation):
    """Four organisations in London, one in Wales: London is counted, Wales is not shown."""
    made = [make_organisation(name=f"London Trust {n}", region=Region.LONDON) for n in range(4)]
    made.append(make_organisation(name="Welsh Board", region=Region.WALES))
    return made


@pytest.fixture
def as_lead(login_as):
    """A client signed in as a lead (``.user`` is the lead)."""
    from lms.accounts.models import Role

    return login_as(Role.LEAD)

"""Every report, in the order leads see them."""

from __future__ import annotations

from lms.reports.applications import ApplicationsReport
from lms.reports.awards import AwardsReport
from lms.reports.base import Report
from lms.reports.delivery import DeliveryReport
from lms.reports.modules import ModulesReport
from lms.reports.supervision import SupervisionReport
from lms.reports.themes import ThemesReport

REPORTS: dict[str, Report] = {
    report.key: report
    for report in (
        ApplicationsReport(),
        ModulesReport(),
        SupervisionReport(),
        DeliveryReport(),
        AwardsReport(),
        ThemesReport(),
    )
}


def get(key: str) -> Report | None:
    return REPORTS.get(key)

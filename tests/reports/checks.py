"""Assertions the report tests share."""

from __future__ import annotations

from datetime import date

from lms.reports.base import Report, Rows

PLAIN = (int, float, str, date, type(None))  # bool is an int, datetime a date


def assert_plain_and_without(report: Report, rows: Rows, *secrets: str) -> None:
    """Rows hold only plain values, and neither they nor any built table holds a secret."""
    assert all(
        isinstance(value, PLAIN)
        for table in rows.values()
        for row in table
        for value in row.values()
    )
    texts = [repr(rows)] + [table.frame.to_csv() for table in report.build(rows)]
    for text in texts:
        for secret in secrets:
            assert secret not in text

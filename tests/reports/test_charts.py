"""Server-drawn SVG bar charts: accessible, escaped, free of inline styles, to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from lms.reports.base import Chart, Table
from lms.reports.charts import PALETTE, bar_chart, description

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def funnel(**extra) -> Table:
    frame = pd.DataFrame(
        {
            "stage": ["Submitted", "Offered", "<script>alert(1)</script>", "Withheld"],
            "count": [120, 40, 10, None],
            "late": [5, 0, 2, None],
        }
    )
    return Table(
        "funnel", "Funnel", frame, {"stage": "Stage", "count": "On time", "late": "Late"}, **extra
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("height") == "20"]


def test_one_bar_per_row_with_a_text_alternative():
    chart = Chart("funnel", "Applications by stage", "stage", ("count",))
    svg = str(bar_chart(chart, funnel()))
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 640 ")
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, "Applications by stage")
    assert desc.get("id") == desc_id
    assert desc.text == (
        "Submitted: 120; Offered: 40; <script>alert(1)</script>: 10; Withheld: not shown"
    )
    # Three bars: the row with no value has none. The longest is 120 on an axis to 200.
    widths = [float(r.get("width")) for r in bars(root)]
    assert len(widths) == 3
    assert widths[0] == pytest.approx(376 * 120 / 200, abs=0.1)
    assert widths[0] / widths[1] == pytest.approx(3, rel=0.01)


def test_labels_are_escaped_and_there_are_no_styles():
    chart = Chart("funnel", "<b>Title</b>", "stage", ("count",))
    svg = str(bar_chart(chart, funnel()))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "style" not in svg.lower()
    assert "<style" not in svg


def test_several_values_make_stacked_bars_with_a_legend():
    chart = Chart("funnel", "On time and late", "stage", ("count", "late"))
    root = parse(str(bar_chart(chart, funnel())))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "On time" in texts and "Late" in texts  # the legend
    fills = [r.get("fill") for r in bars(root)]
    # Submitted and the escaped row have both parts; Offered has no late ones.
    assert fills == [PALETTE[0], PALETTE[1], PALETTE[0], PALETTE[0], PALETTE[1]]
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Submitted: On time 120, Late 5; Offered: On time 40, Late 0;")
    assert "125" in texts  # the total after the stack


def test_percentages_use_an_axis_to_100():
    frame = pd.DataFrame({"module": ["One", "Two"], "rate": [45.5, 100.0]})
    table = Table("m", "Modules", frame, {"module": "Module", "rate": "Completion rate"})
    chart = Chart("m", "Completion", "module", ("rate",), percent=True)
    root = parse(str(bar_chart(chart, table)))
    widths = [float(r.get("width")) for r in bars(root)]
    assert widths == [pytest.approx(376 * 0.455, abs=0.1), pytest.approx(376, abs=0.1)]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "100%" in texts and "45.5%" in texts
    assert description(chart, table) == "One: 45.5%; Two: 100%"


def test_an_empty_table_draws_an_empty_chart():
    frame = pd.DataFrame({"stage": [], "count": []})
    table = Table("e", "Empty", frame, {"stage": "Stage", "count": "Count"})
    root = parse(str(bar_chart(Chart("e", "Nothing", "stage", ("count",)), table)))
    assert bars(root) == []
    assert root.find(f"{SVG}desc").text == "There is nothing to show."


def test_numbers_follow_the_readers_language(app):
    frame = pd.DataFrame({"stage": ["All"], "count": [12000]})
    table = Table("n", "Big", frame, {"stage": "Stage", "count": "Count"})
    svg = str(bar_chart(Chart("n", "Big", "stage", ("count",)), table))
    assert re.search(r">12,000<", svg)

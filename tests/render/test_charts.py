"""Server-side SVG: charts and the body diagram are well-formed, escaped and in bounds."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.render.body_diagram import REGION_LABELS, body_diagram_svg
from kneecoach.render.charts import (
    DATE_LABEL_SPACE,
    LONE_POINT_R,
    TITLE_CHARS,
    Band,
    LineChart,
    Marker,
    line_chart_svg,
    series_from,
)

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 1, 1)


def chart_with(values: list[float | None], **extra: object) -> LineChart:
    rows = [(START + timedelta(days=i), v) for i, v in enumerate(values)]
    return LineChart(
        title="Pain",
        y_min=0,
        y_max=10,
        y_label="pain",
        series=(series_from("Pain", rows),),
        **extra,  # type: ignore[arg-type]
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 10)), min_size=1, max_size=40))
def test_every_point_lands_inside_the_plot(values: list[float | None]) -> None:
    chart = chart_with(values)
    root = ET.fromstring(line_chart_svg(chart))
    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == sum(v is not None for v in values)
    for circle in circles:
        x, y = float(circle.get("cx", "nan")), float(circle.get("cy", "nan"))
        assert 0 <= x <= chart.width and 0 <= y <= chart.height


def test_higher_values_are_drawn_higher() -> None:
    root = ET.fromstring(line_chart_svg(chart_with([2, 8])))
    low, high = (float(c.get("cy", "0")) for c in root.findall(f".//{SVG}circle"))
    assert high < low


def test_a_gap_breaks_the_line() -> None:
    root = ET.fromstring(line_chart_svg(chart_with([1, 2, None, 3, 4])))
    assert len(root.findall(f".//{SVG}polyline")) == 2


def test_alerts_and_bands_are_drawn_and_described() -> None:
    chart = chart_with(
        [3, 4, 5],
        markers=(Marker(START + timedelta(days=1), "Swelling <rising>", "act"),),
        bands=(Band(2, 4, "minimal important change"),),
    )
    svg = line_chart_svg(chart)
    root = ET.fromstring(svg)  # parses: the label's < and > were escaped
    assert root.get("role") == "img"
    assert root.find(f"{SVG}desc") is not None
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "Alert on 2026-01-02: Swelling <rising>" in desc
    assert 'data-level="act"' in svg and "<rect" in svg


def test_body_diagram_lights_only_the_named_regions() -> None:
    svg = body_diagram_svg({"hip": 0.7, "footwear": 0.2}, painful_side="left")
    ET.fromstring(svg)
    assert "region-hip on" in svg and "region-footwear on" in svg
    assert "region-back on" not in svg
    assert "Left knee (painful)" in svg and "Right knee (painful)" not in svg
    assert set(REGION_LABELS) >= {"hip", "back", "foot_ankle", "muscle_balance", "footwear"}


def _chart(title: str = "Pain", points: int = 14, span_days: int = 13) -> LineChart:
    start = date(2026, 3, 1)
    step = max(1, span_days // max(1, points - 1))
    rows = [(start + timedelta(days=i * step), float(i % 5)) for i in range(points)]
    return LineChart(
        title=title, y_min=0, y_max=10, y_label="pain", series=(series_from("Pain", rows),)
    )


def test_the_title_is_drawn_and_wrapped_to_fit() -> None:
    long = "Exercises done against exercises asked, each 4-week period of the year"
    svg = line_chart_svg(_chart(long))
    lines = re.findall(r'<text class="chart-title"[^>]*>([^<]*)</text>', svg)
    assert " ".join(lines) == long and len(lines) == 2
    assert all(len(line) <= TITLE_CHARS for line in lines)
    hidden = line_chart_svg(replace(_chart(long), show_title=False))
    assert (
        'class="chart-title"' not in hidden and f'<title id="chart-title">{long}</title>' in hidden
    )


def test_a_lone_point_is_drawn_larger_than_points_on_a_line() -> None:
    svg = line_chart_svg(_chart(points=1))
    assert f'r="{LONE_POINT_R}"' in svg
    assert f'r="{LONE_POINT_R}"' not in line_chart_svg(_chart(points=5))


@given(span=st.integers(1, 3650))
def test_date_labels_keep_a_full_step_apart_and_label_both_ends(span: int) -> None:
    svg = line_chart_svg(_chart(points=2, span_days=span))
    xs = [
        float(x)
        for x in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+" text-anchor="\w+" font-size="15" fill="#333333">\d\d \w{3}</text>',
            svg,
        )
    ]
    assert len(xs) >= 2
    assert all(b - a >= DATE_LABEL_SPACE for a, b in itertools.pairwise(xs))

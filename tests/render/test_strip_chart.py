"""Yes/no series (clicking, catching, locking, giving way) as rows of marks: no two series'
marks overlap, whatever the days, and each series has its own shape as well as its colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.render.charts import (
    LineChart,
    Marker,
    StripChart,
    line_chart_svg,
    series_from,
    strip_chart_svg,
    strip_legend,
)

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 1, 1)
LABELS = ("Catching", "Locking", "Giving way", "Clicking")
Box = tuple[float, float, float, float]


def path_box(d: str) -> Box:
    """The bounding box of a path made of M, L, H, V, A and Z commands."""
    xs: list[float] = []
    ys: list[float] = []
    for command, args in re.findall(r"([MLHVAZ])([^MLHVAZ]*)", d):
        numbers = [float(n) for n in args.split()]
        if command in "ML":
            xs.append(numbers[0])
            ys.append(numbers[1])
        elif command == "H":
            xs.append(numbers[0])
        elif command == "V":
            ys.append(numbers[0])
        elif command == "A":  # rx ry rotation large sweep x y: a half circle of radius rx
            rx, x, y = numbers[0], numbers[5], numbers[6]
            xs.append(x)
            ys += [y - rx, y + rx]
    return min(xs), min(ys), max(xs), max(ys)


def marks_by_series(svg: str) -> dict[str, list[Box]]:
    """Each lane's marks as boxes: a "yes" mark (or a share's bar and mark) each, and each
    tick of the lane's "no" path."""
    root = ET.fromstring(svg)
    found: dict[str, list[Box]] = {}
    for lane in root.iter(f"{SVG}g"):
        if "lane" not in (lane.get("class") or ""):
            continue
        boxes: list[Box] = []
        for mark in lane.findall(f"{SVG}g[@class='mark']"):
            for path in mark.findall(f"{SVG}path"):
                boxes.append(path_box(path.get("d", "")))
            for rect in mark.findall(f"{SVG}rect"):
                x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
                w, h = float(rect.get("width", "0")), float(rect.get("height", "0"))
                boxes.append((x, y, x + w, y + h))
        for ticks in lane.findall(f"{SVG}path[@class='no']"):
            for tick in re.findall(r"M[^M]+", ticks.get("d", "")):
                x0, y0, x1, y1 = path_box(tick)
                boxes.append((x0 - 0.75, y0, x1 + 0.75, y1))  # the stroke's width
        found[lane.get("data-label", "")] = boxes
    return found


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def strip(values: list[list[float | None]], share: bool = False) -> StripChart:
    series = tuple(
        series_from(label, [(START + timedelta(days=i), v) for i, v in enumerate(row)])
        for label, row in zip(LABELS, values, strict=False)
    )
    return StripChart(title="Mechanical symptoms", series=series, share=share)


answers = st.one_of(st.none(), st.sampled_from([0.0, 1.0]))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 120).flatmap(
        lambda n: st.lists(st.lists(answers, min_size=n, max_size=n), min_size=4, max_size=4)
    )
)
def test_no_two_series_marks_overlap(values: list[list[float | None]]) -> None:
    chart = strip(values)
    svg = strip_chart_svg(chart)
    marks = marks_by_series(svg)
    assert list(marks) == list(LABELS)
    for label, row in zip(LABELS, values, strict=True):
        assert len(marks[label]) == sum(v is not None for v in row)  # a yes or a no tick each
    names = list(marks)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            for a in marks[first]:
                assert not any(overlaps(a, b) for b in marks[second]), (first, second)
    for boxes in marks.values():
        for x0, y0, x1, y1 in boxes:
            assert x0 >= 0 and x1 <= chart.width and y0 >= 0 and y1 <= chart.height


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=3, max_size=78),
        min_size=4,
        max_size=4,
    )
)
def test_shares_of_days_stay_in_their_rows_too(values: list[list[float | None]]) -> None:
    n = min(len(row) for row in values)
    chart = strip([row[:n] for row in values], share=True)
    marks = marks_by_series(strip_chart_svg(chart))
    names = list(marks)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            for a in marks[first]:
                assert not any(overlaps(a, b) for b in marks[second])


def test_the_old_lines_at_0_and_1_did_overlap() -> None:
    """What the strips fix: the same days as lines sit exactly on top of each other."""
    rows = [[1.0, 0.0, 1.0]] * 4
    chart = LineChart(
        title="Mechanical symptoms",
        y_min=0,
        y_max=1,
        y_label="yes/no",
        series=tuple(
            series_from(label, [(START + timedelta(days=i), v) for i, v in enumerate(row)])
            for label, row in zip(LABELS, rows, strict=True)
        ),
    )
    root = ET.fromstring(line_chart_svg(chart))
    spots = [(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert len(set(spots)) < len(spots)
    strips = marks_by_series(strip_chart_svg(strip(rows)))
    assert not any(overlaps(a, b) for a in strips["Catching"] for b in strips["Locking"])


def test_each_series_has_its_own_shape_colour_and_legend() -> None:
    chart = strip([[1.0, 0.0]] * 4)
    root = ET.fromstring(strip_chart_svg(chart))
    lanes = [g for g in root.iter(f"{SVG}g") if "lane" in (g.get("class") or "")]
    shapes = [g.get("data-shape") for g in lanes]
    colours = [g.find(f".//{SVG}g[@class='mark']/{SVG}path").get("fill") for g in lanes]  # type: ignore[union-attr]
    assert len(set(shapes)) == 4 and len(set(colours)) == 4
    legend = strip_legend(chart)
    assert [label for label, _ in legend] == list(LABELS)
    for (_, mark), lane in zip(legend, lanes, strict=True):
        lane_mark = lane.find(f".//{SVG}g[@class='mark']/{SVG}path")
        assert lane_mark is not None and lane_mark.get("fill") in mark


def test_alerts_cross_every_row_and_everything_is_described() -> None:
    chart = StripChart(
        title="Mechanical symptoms",
        series=strip([[1.0, None, 0.0]] * 4).series,
        markers=(Marker(START + timedelta(days=1), "Catching again"),),
    )
    svg = strip_chart_svg(chart)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc") is not None
    assert "Catching: 1 of 2 days" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    marker = root.find(f".//{SVG}g[@class='marker']/{SVG}line")
    assert marker is not None and float(marker.get("y2", "0")) > 4 * 40

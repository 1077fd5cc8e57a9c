"""Line charts as plain SVG text, drawn on the server so pages and PDF reports share them.

Pure: typed data in, an SVG string out; no network, no JavaScript, every text escaped. Each
series has its own colour *and* dash pattern and point shape, so the lines can be told apart
without colour; each chart carries a title and a text description for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Final

# Colour-blind-safe (Okabe–Ito) colours, dark enough for contrast on white.
PALETTE: tuple[str, ...] = ("#0060a8", "#b34700", "#00745a", "#8c3a8c", "#5c5c00", "#333333")
DASHES: tuple[str, ...] = ("", "6 4", "2 3", "8 3 2 3", "12 4", "1 2")
MARKER_COLOURS = {"watch": "#6a4a00", "act": "#8a1c00", "see_professional": "#8a1c00"}


@dataclass(frozen=True)
class Series:
    """One line: a label and (day, value) points; None values break the line."""

    label: str
    points: tuple[tuple[date, float | None], ...]


@dataclass(frozen=True)
class Marker:
    """A dated event drawn as a vertical line (an alert): its label says why."""

    day: date
    label: str
    level: str = "watch"


@dataclass(frozen=True)
class Band:
    """A shaded range of values, e.g. the minimal important change around a first score."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class LineChart:
    title: str
    y_min: float
    y_max: float
    y_label: str
    series: tuple[Series, ...]
    markers: tuple[Marker, ...] = ()
    bands: tuple[Band, ...] = ()
    y_step: float | None = None
    width: int = 400
    height: int = 260
    description: str = ""
    id: str = field(default="chart")
    show_title: bool = True
    """Draw the title above the plot (off where the page puts a heading over the chart)."""


# The picture is 400 units wide so that, scaled to a 360 px phone, its 15-unit text is still
# over 12 px tall; on a wide screen the stylesheet caps the chart's width.
FONT: Final = 15
TITLE_FONT: Final = 16
_LEFT, _RIGHT, _BOTTOM = 46.0, 12.0, 36.0
_TOP_PLAIN = 14.0
TITLE_CHARS: Final = 38
DATE_LABEL_SPACE: Final = 90.0
"""Units of axis a date label ("30 Nov") needs with room either side."""
"""Letters of the bold title that surely fit on one line of the 400-unit picture."""
LONE_POINT_R: Final = 7.0
"""A point with no neighbour on its line is drawn larger, so a single score is easy to see."""


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _wrapped(text: str, width: int) -> list[str]:
    """The title in lines of at most `width` letters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _days(chart: LineChart) -> tuple[date, date] | None:
    days = [day for series in chart.series for day, _ in series.points]
    days += [marker.day for marker in chart.markers]
    if not days:
        return None
    return min(days), max(days)


def _ticks(low: float, high: float, step: float | None) -> list[float]:
    if high <= low:
        return [low]
    if step is None:
        raw = (high - low) / 5
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = round((high - low) / step)
    return [low + i * step for i in range(count + 1) if low + i * step <= high + 1e-9]


def _date_ticks(first: date, last: date, limit: int = 5) -> list[date]:
    span = (last - first).days
    if span == 0:
        return [first]
    every = max(1, math.ceil(span / (limit - 1)))
    ticks = [date.fromordinal(first.toordinal() + i) for i in range(0, span + 1, every)]
    left = (last - ticks[-1]).days
    if left >= every:
        ticks.append(last)
    elif left > 0 and len(ticks) > 1:
        ticks[-1] = last  # the end is labelled, and still a full step from the tick before
    return ticks


def line_chart_svg(chart: LineChart) -> str:
    """The chart as an <svg> element that scales to its container's width."""
    width, height = float(chart.width), float(chart.height)
    title_lines = _wrapped(chart.title, TITLE_CHARS) if chart.show_title else []
    plot_top = _TOP_PLAIN + (TITLE_FONT + 6) * len(title_lines)
    plot_w = width - _LEFT - _RIGHT
    plot_h = height - plot_top - _BOTTOM
    span = _days(chart)
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    description = chart.description or describe_chart(chart)
    parts = [
        f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{chart.width}" height="{chart.height}" fill="#ffffff"/>',
    ]
    parts += _title_texts(title_lines)
    y_range = chart.y_max - chart.y_min or 1.0

    def y_of(value: float) -> float:
        clamped = min(max(value, chart.y_min), chart.y_max)
        return plot_top + plot_h - (clamped - chart.y_min) / y_range * plot_h

    first_day = span[0] if span else date.today()
    day_span = max(1, (span[1] - span[0]).days) if span else 1
    single_day = span is not None and span[0] == span[1]

    def x_of(day: date) -> float:
        if single_day:
            return _LEFT + plot_w / 2
        return _LEFT + (day - first_day).days / day_span * plot_w

    for band in chart.bands:
        top, bottom = y_of(band.high), y_of(band.low)
        parts.append(
            f'<rect x="{_LEFT:.1f}" y="{top:.1f}" width="{plot_w:.1f}" '
            f'height="{max(bottom - top, 1):.1f}" fill="#dbe8f5" stroke="none">'
            f"<title>{escape(band.label)}</title></rect>"
        )
    for tick in _ticks(chart.y_min, chart.y_max, chart.y_step):
        y = y_of(tick)
        parts.append(
            f'<line x1="{_LEFT:.1f}" x2="{_LEFT + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{_LEFT - 6:.1f}" y="{y + 5:.1f}" text-anchor="end" font-size="{FONT}" '
            f'fill="#333333">{escape(_fmt(tick))}</text>'
        )
    parts.append(
        f'<text x="14" y="{plot_top + plot_h / 2:.1f}" font-size="{FONT}" fill="#333333" '
        f'text-anchor="middle" transform="rotate(-90 14 {plot_top + plot_h / 2:.1f})">'
        f"{escape(chart.y_label)}</text>"
    )
    parts += _date_labels(span, x_of, _LEFT, plot_w, height)
    parts.append(
        f'<line x1="{_LEFT:.1f}" x2="{_LEFT + plot_w:.1f}" y1="{plot_top + plot_h:.1f}" '
        f'y2="{plot_top + plot_h:.1f}" stroke="#333333" stroke-width="1.5"/>'
    )
    parts += _marker_lines(chart.markers, x_of, plot_top, plot_top + plot_h)
    for index, series in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[tuple[float, float]]] = [[]]
        for day, value in series.points:
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x_of(day), y_of(value)))
        parts.append(f'<g class="series" data-label="{escape(series.label)}">')
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="3"{dash_attr}/>'
                )
        lone = {run[0] for run in runs if len(run) == 1}
        for day, value in series.points:
            if value is not None:
                point = (x_of(day), y_of(value))
                radius = LONE_POINT_R if point in lone else 4.5
                parts.append(
                    f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="{radius}" '
                    f'fill="{colour}"><title>{escape(series.label)} '
                    f"{escape(day.isoformat())}: {escape(_fmt(value))}</title></circle>"
                )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _title_texts(lines: Sequence[str]) -> list[str]:
    return [
        f'<text class="chart-title" x="4" y="{(TITLE_FONT + 6) * row + TITLE_FONT + 2}" '
        f'font-size="{TITLE_FONT}" font-weight="bold" fill="#1a1a1a">{escape(line)}</text>'
        for row, line in enumerate(lines)
    ]


def _date_labels(
    span: tuple[date, date] | None,
    x_of: Callable[[date], float],
    left: float,
    plot_w: float,
    height: float,
) -> list[str]:
    """The day labels under the plot ("30 Nov"), as many as fit without touching."""
    if not span:
        return []
    limit = max(2, int(plot_w // DATE_LABEL_SPACE))
    days = _date_ticks(*span, limit=limit) if span[0] != span[1] else [span[0]]
    labels: list[str] = []
    for day in days:
        x = x_of(day)
        # a label at either end of the axis keeps inside the picture
        anchor = "end" if x > left + plot_w - 30 else "start" if x < left + 30 else "middle"
        labels.append(
            f'<text x="{x:.1f}" y="{height - 14:.1f}" text-anchor="{anchor}" '
            f'font-size="{FONT}" fill="#333333">{escape(day.strftime("%d %b"))}</text>'
        )
    return labels


def _marker_lines(
    markers: Sequence[Marker], x_of: Callable[[date], float], top: float, bottom: float
) -> list[str]:
    """Each alert as a dashed line from `top` to `bottom` with a small flag at the top."""
    lines: list[str] = []
    for marker in markers:
        x = x_of(marker.day)
        colour = MARKER_COLOURS.get(marker.level, "#8a1c00")
        lines.append(
            f'<g class="marker" data-level="{escape(marker.level)}">'
            f"<title>{escape(marker.day.isoformat())}: {escape(marker.label)}</title>"
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<path d="M {x - 7:.1f} {top:.1f} L {x + 7:.1f} {top:.1f} L {x:.1f} '
            f'{top + 11:.1f} Z" fill="{colour}"/></g>'
        )
    return lines


def legend_entries(chart: LineChart) -> list[tuple[str, str, str]]:
    """(label, colour, dash) for each series, for a legend written in HTML beside the chart."""
    return [
        (series.label, PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)])
        for i, series in enumerate(chart.series)
    ]


def describe_chart(chart: LineChart) -> str:
    """A sentence per series (and per alert) for people who cannot see the chart."""
    sentences: list[str] = []
    for series in chart.series:
        known = [(day, value) for day, value in series.points if value is not None]
        if not known:
            sentences.append(f"{series.label}: no values yet.")
            continue
        (first_day, first), (last_day, last) = known[0], known[-1]
        if len(known) == 1:
            sentences.append(f"{series.label}: {_fmt(first)} on {first_day.isoformat()}.")
        else:
            sentences.append(
                f"{series.label}: from {_fmt(first)} on {first_day.isoformat()} "
                f"to {_fmt(last)} on {last_day.isoformat()}."
            )
    for marker in chart.markers:
        sentences.append(f"Alert on {marker.day.isoformat()}: {marker.label}.")
    for band in chart.bands:
        sentences.append(f"Shaded band from {_fmt(band.low)} to {_fmt(band.high)}: {band.label}.")
    return " ".join(sentences)


def series_from(label: str, rows: Sequence[tuple[date, float | int | None]]) -> Series:
    """Build a series from rows, sorted by day."""
    points = tuple(
        (day, None if value is None else float(value))
        for day, value in sorted(rows, key=lambda row: row[0])
    )
    return Series(label, points)


# ── Yes/no series: a row of marks per series ────────────────────────────────────────────────

SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "cross", "bar")
"""Each yes/no series has its own shape as well as its own colour and row."""
_LANE_LABEL: Final = FONT + 4.0
_LANE_MARKS: Final = 24.0
_LANE_GAP: Final = 6.0
MARK_R: Final = 6.0
"""Half the size of a "yes" mark; smaller when the days are closer together than that."""


@dataclass(frozen=True)
class StripChart:
    """Yes/no series (clicking, catching, giving way…) drawn as a row of marks each, one row
    under the other, so two series can never sit on top of each other as lines at 0 and 1 do.

    A day it happened is the series' shape in its colour; a day it did not is a short grey
    tick; a day with no answer is left empty. With `share` (a long window's means), each
    period is a bar as tall as the share of its days it happened, topped by the shape."""

    title: str
    series: tuple[Series, ...]
    markers: tuple[Marker, ...] = ()
    share: bool = False
    width: int = 400
    description: str = ""
    id: str = field(default="strip")
    show_title: bool = True

    @property
    def height(self) -> int:
        title = (TITLE_FONT + 6) * len(_wrapped(self.title, TITLE_CHARS)) if self.show_title else 0
        lanes = len(self.series) * (_LANE_LABEL + _LANE_MARKS + _LANE_GAP)
        return int(_TOP_PLAIN + title + lanes + _BOTTOM)


def shape_path(shape: str, x: float, y: float, r: float) -> str:
    """An SVG path of `shape` centred on (x, y), fitting a square of side 2r."""
    if shape == "square":
        k = r * 0.85
        return f"M {x - k:.1f} {y - k:.1f} H {x + k:.1f} V {y + k:.1f} H {x - k:.1f} Z"
    if shape == "triangle":
        return f"M {x:.1f} {y - r:.1f} L {x + r:.1f} {y + r:.1f} L {x - r:.1f} {y + r:.1f} Z"
    if shape == "diamond":
        return f"M {x:.1f} {y - r:.1f} L {x + r:.1f} {y:.1f} L {x:.1f} {y + r:.1f} L {x - r:.1f} {y:.1f} Z"
    if shape == "cross":
        t = r / 3
        return (
            f"M {x - t:.1f} {y - r:.1f} H {x + t:.1f} V {y - t:.1f} H {x + r:.1f} V {y + t:.1f} "
            f"H {x + t:.1f} V {y + r:.1f} H {x - t:.1f} V {y + t:.1f} H {x - r:.1f} V {y - t:.1f} "
            f"H {x - t:.1f} Z"
        )
    if shape == "bar":
        t = r / 2.5
        return f"M {x - t:.1f} {y - r:.1f} H {x + t:.1f} V {y + r:.1f} H {x - t:.1f} Z"
    return (  # a circle, as two arcs
        f"M {x - r:.1f} {y:.1f} A {r:.1f} {r:.1f} 0 1 0 {x + r:.1f} {y:.1f} "
        f"A {r:.1f} {r:.1f} 0 1 0 {x - r:.1f} {y:.1f} Z"
    )


def strip_chart_svg(chart: StripChart) -> str:
    """The chart as an <svg> element that scales to its container's width."""
    width, height = float(chart.width), float(chart.height)
    title_lines = _wrapped(chart.title, TITLE_CHARS) if chart.show_title else []
    top = _TOP_PLAIN + (TITLE_FONT + 6) * len(title_lines)
    left, plot_w = 8.0, width - 8.0 - _RIGHT
    days = [day for series in chart.series for day, _ in series.points]
    days += [marker.day for marker in chart.markers]
    span = (min(days), max(days)) if days else None
    day_span = max(1, (span[1] - span[0]).days) if span else 1
    inner = plot_w - 2 * MARK_R  # the marks at either end stay inside the plot

    def x_of(day: date) -> float:
        if span is None or span[0] == span[1]:
            return left + plot_w / 2
        return left + MARK_R + (day - span[0]).days / day_span * inner

    step = inner / day_span if span and span[0] != span[1] else 2 * MARK_R
    r = max(2.5, min(MARK_R, step * 0.45))
    lane_h = _LANE_LABEL + _LANE_MARKS + _LANE_GAP
    bottom = top + lane_h * len(chart.series)
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    parts = [
        f'<svg class="chart" data-kind="strip" viewBox="0 0 {chart.width} {int(height)}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(chart.description or describe_strip(chart))}</desc>',
        f'<rect x="0" y="0" width="{chart.width}" height="{int(height)}" fill="#ffffff"/>',
        *_title_texts(title_lines),
    ]
    for index, series in enumerate(chart.series):
        colour, shape = PALETTE[index % len(PALETTE)], SHAPES[index % len(SHAPES)]
        lane_top = top + index * lane_h
        base = lane_top + _LANE_LABEL + _LANE_MARKS  # the lane's floor
        middle = base - _LANE_MARKS / 2
        parts.append(
            f'<g class="series lane" data-label="{escape(series.label)}" data-shape="{shape}">'
            f'<text x="{left:.1f}" y="{lane_top + FONT:.1f}" font-size="{FONT}" '
            f'font-weight="bold" fill="#1a1a1a">{escape(series.label)}</text>'
            f'<line x1="{left:.1f}" x2="{left + plot_w:.1f}" y1="{base:.1f}" y2="{base:.1f}" '
            f'stroke="#c9c9c9" stroke-width="1"/>'
        )
        no_days: list[float] = []  # drawn as one path: a tick each, no per-day title
        for day, value in series.points:
            if value is None:
                continue
            x = x_of(day)
            if value <= 0 or (not chart.share and value < 0.5):
                no_days.append(x)
                continue
            if chart.share:
                said = f"{series.label} {day.isoformat()}: {round(value * 100)}% of days"
                tall = min(1.0, value) * (_LANE_MARKS - 2 * r)
                parts.append(
                    f'<g class="mark"><title>{escape(said)}</title>'
                    f'<rect x="{x - r / 2:.1f}" y="{base - tall:.1f}" width="{r:.1f}" '
                    f'height="{tall:.1f}" fill="{colour}" opacity="0.6"/>'
                    f'<path d="{shape_path(shape, x, base - tall - r, r)}" fill="{colour}"/></g>'
                )
            else:
                said = f"{series.label} {day.isoformat()}: yes"
                parts.append(
                    f'<g class="mark"><title>{escape(said)}</title>'
                    f'<path d="{shape_path(shape, x, middle, r)}" fill="{colour}"/></g>'
                )
        if no_days:
            ticks = " ".join(f"M {x:.1f} {base - 5:.1f} V {base:.1f}" for x in no_days)
            parts.append(f'<path class="no" d="{ticks}" stroke="#6b6b6b" stroke-width="1.5"/>')
        parts.append("</g>")
    parts += _date_labels(span, x_of, left, plot_w, height)
    parts += _marker_lines(chart.markers, x_of, top, bottom)
    parts.append("</svg>")
    return "".join(parts)


def strip_legend(chart: StripChart) -> list[tuple[str, str]]:
    """(label, a small SVG of the series' mark) for each series, for an HTML legend."""
    entries: list[tuple[str, str]] = []
    for index, series in enumerate(chart.series):
        colour, shape = PALETTE[index % len(PALETTE)], SHAPES[index % len(SHAPES)]
        entries.append(
            (
                series.label,
                f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">'
                f'<path d="{shape_path(shape, 8, 8, 6.5)}" fill="{colour}"/></svg>',
            )
        )
    return entries


def describe_strip(chart: StripChart) -> str:
    """A sentence per series (and per alert) for people who cannot see the chart."""
    sentences: list[str] = []
    for series in chart.series:
        known = [(day, value) for day, value in series.points if value is not None]
        if not known:
            sentences.append(f"{series.label}: no answers yet.")
        elif chart.share:
            worst = max(known, key=lambda point: point[1])
            sentences.append(
                f"{series.label}: on up to {round(worst[1] * 100)}% of days "
                f"(the period from {worst[0].isoformat()})."
            )
        else:
            yes = sum(1 for _, value in known if value >= 0.5)
            sentences.append(f"{series.label}: {yes} of {len(known)} days.")
    for marker in chart.markers:
        sentences.append(f"Alert on {marker.day.isoformat()}: {marker.label}.")
    return " ".join(sentences)

"""Mark server-made SVG as safe for Jinja2: the core builds it with every text escaped."""

from __future__ import annotations

from markupsafe import Markup


def as_markup(svg: str) -> Markup:
    """The SVG strings come from kneecoach.render.charts, which escapes all text it puts in."""
    return Markup(svg)

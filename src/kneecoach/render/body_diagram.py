"""A simple front-view body diagram as SVG that lights up the regions behind knee pain.

Regions are the assessment's (`hip`, `back`, `foot_ankle`, `muscle_balance`, `footwear`,
`load`, `body`); a region is filled more strongly the stronger its strongest contributor.
Pure: names and strengths in, SVG text out; the page lists the same regions in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

REGION_LABELS: dict[str, str] = {
    "back": "Lower back",
    "hip": "Hip",
    "muscle_balance": "Thigh and buttock muscles",
    "foot_ankle": "Foot and ankle",
    "footwear": "Shoes",
    "load": "Activity and load",
    "body": "Body weight",
}

_OFF_FILL = "#eeeeee"
_OFF_STROKE = "#6b6b6b"
_ON_STROKE = "#8a1c00"

# Shapes per region, on a 200 × 420 canvas (front view, person facing you).
_SHAPES: dict[str, tuple[str, ...]] = {
    "body": (
        '<circle cx="100" cy="34" r="24"/>',
        '<path d="M70 64 H130 L138 170 H62 Z"/>',
        '<path d="M70 68 L44 160 L54 164 L78 96 Z"/>',
        '<path d="M130 68 L156 160 L146 164 L122 96 Z"/>',
    ),
    "back": ('<rect x="70" y="128" width="60" height="30" rx="6"/>',),
    "hip": (
        '<ellipse cx="74" cy="176" rx="16" ry="14"/>',
        '<ellipse cx="126" cy="176" rx="16" ry="14"/>',
    ),
    "muscle_balance": (
        '<path d="M64 186 H96 L92 262 H70 Z"/>',
        '<path d="M104 186 H136 L130 262 H108 Z"/>',
    ),
    "foot_ankle": (
        '<path d="M72 350 H90 L92 378 L64 386 L62 376 Z"/>',
        '<path d="M110 350 H128 L138 376 L136 386 L108 378 Z"/>',
    ),
    "footwear": (
        '<rect x="52" y="386" width="44" height="12" rx="5"/>',
        '<rect x="104" y="386" width="44" height="12" rx="5"/>',
    ),
    "load": ('<path d="M160 400 H176 V384 H188 V368 H198 V400 Z"/>',),
}
_KNEES = (
    '<circle cx="81" cy="272" r="12"/>',
    '<circle cx="119" cy="272" r="12"/>',
)
_SHINS = ('<path d="M71 284 H91 L90 350 H72 Z"/>', '<path d="M109 284 H129 L128 350 H110 Z"/>')


def _fill(strength: float) -> str:
    """Stronger findings get a deeper fill; all are dark-outlined so they show without colour."""
    if strength >= 0.6:
        return "#e8743b"
    if strength >= 0.3:
        return "#f2a97e"
    return "#f8d5bf"


def body_diagram_svg(regions: Mapping[str, float], painful_side: str | None = None) -> str:
    """The diagram with each named region highlighted by its strength (0–1)."""
    lit = [REGION_LABELS[r] for r in REGION_LABELS if r in regions]
    described = "Highlighted: " + ", ".join(lit) + "." if lit else "No region is highlighted."
    parts = [
        '<svg class="body-diagram" viewBox="0 0 200 420" role="img" '
        'aria-labelledby="body-title body-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="body-title">Where your knee pain may come from</title>',
        f'<desc id="body-desc">{escape(described)}</desc>',
    ]
    order = ("body", "back", "hip", "muscle_balance", "foot_ankle", "footwear", "load")
    for region in order:
        strength = regions.get(region)
        on = strength is not None
        fill = _fill(strength) if strength is not None else _OFF_FILL
        if region == "body" and not on:
            fill = "#f6f6f6"
        stroke = _ON_STROKE if on else _OFF_STROKE
        width = "3" if on else "1.5"
        parts.append(
            f'<g class="region region-{region}{" on" if on else ""}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}">'
            f"<title>{escape(REGION_LABELS[region])}{' (highlighted)' if on else ''}</title>"
            + "".join(_SHAPES[region])
            + "</g>"
        )
        if region == "muscle_balance":
            parts.append(
                f'<g fill="#f6f6f6" stroke="{_OFF_STROKE}" stroke-width="1.5">'
                + "".join(_SHINS)
                + "</g>"
            )
    for index, knee in enumerate(_KNEES):
        side = "right" if index == 0 else "left"  # facing you: their right is on your left
        sore = painful_side in (side, "both")
        parts.append(
            f'<g class="knee{" sore" if sore else ""}" fill="{"#8a1c00" if sore else "#ffffff"}" '
            f'stroke="#111111" stroke-width="2"><title>{side.capitalize()} knee'
            f"{' (painful)' if sore else ''}</title>{knee}</g>"
        )
    parts.append("</svg>")
    return "".join(parts)

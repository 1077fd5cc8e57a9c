"""The app's icon as PNG, drawn here: a white kneecap on a blue tile (as `static/icon.svg`).

Phones want PNG icons of set sizes for the home screen (192 and 512 px), and a "maskable"
one whose shape they cut themselves (a circle, a squircle): it fills the whole square, with
the kneecap inside the central safe zone (the inner 80%). Drawn with the standard library
(zlib) so no image library or third-party file is needed; edges are smoothed by the share
of each pixel the shape covers. Pure: a size in, PNG bytes out.
"""

from __future__ import annotations

import math
import struct
import zlib
from functools import lru_cache
from typing import Final

BLUE: Final = (0x00, 0x4F, 0x9E)
WHITE: Final = (0xFF, 0xFF, 0xFF)
SIZES: Final = (192, 512)
"""The sizes the manifest lists (the ones install prompts ask for)."""


def _coverage(signed_distance: float) -> float:
    """How much of a pixel lies inside a shape, from its centre's signed distance (px)."""
    return min(1.0, max(0.0, 0.5 - signed_distance))


def _edge(dy: float, radius: float) -> tuple[float, float]:
    """On a row `dy` from a disc's centre: the half-widths within which pixels are surely
    inside (first) and beyond which surely outside (second); between them the edge runs."""
    inner = math.sqrt((radius - 1) ** 2 - dy * dy) if abs(dy) < radius - 1 else -1.0
    outer = math.sqrt((radius + 1) ** 2 - dy * dy) if abs(dy) < radius + 1 else -1.0
    return inner, outer


def _disc_row(y: float, cx: float, cy: float, radius: float, size: int) -> list[float]:
    """Each pixel's share inside a disc, on one row (only the edge is measured pixel by pixel)."""
    shares = [0.0] * size
    inner, outer = _edge(y - cy, radius)
    if outer < 0:
        return shares
    first = max(0, math.floor(cx - outer - 0.5))
    last = min(size - 1, math.ceil(cx + outer - 0.5))
    for column in range(first, last + 1):
        dx = abs(column + 0.5 - cx)
        if dx < inner:
            shares[column] = 1.0
        else:
            shares[column] = _coverage(math.hypot(dx, y - cy) - radius)
    return shares


def _tile_row(y: float, size: int, corner: float) -> list[float]:
    """Each pixel's share inside the tile (a square with round corners), on one row."""
    if corner <= 0 or corner <= y <= size - corner:
        return [1.0] * size
    cy = corner if y < corner else size - corner
    left = _disc_row(y, corner, cy, corner, size)
    right = _disc_row(y, size - corner, cy, corner, size)
    middle = range(math.ceil(corner), math.floor(size - corner))
    return [1.0 if c in middle else max(left[c], right[c]) for c in range(size)]


def _pixels(size: int, maskable: bool) -> bytes:
    """RGBA rows, each with PNG's filter byte (0: none) in front."""
    centre = size / 2
    # The SVG's proportions: a 32-unit tile, corner radius 6, kneecap radius 7. The maskable
    # icon fills the square and keeps the kneecap in the safe zone, a bit smaller.
    corner = 0.0 if maskable else size * 6 / 32
    kneecap = size * (5.6 if maskable else 7) / 32
    made: dict[tuple[float, float], bytes] = {}

    def pixel(alpha: float, white: float) -> bytes:
        found = made.get((alpha, white))
        if found is None:
            colour = (round(b + (w - b) * white) for b, w in zip(BLUE, WHITE, strict=True))
            found = made[(alpha, white)] = bytes((*colour, round(255 * alpha)))
        return found

    rows: list[bytes] = []
    for row in range(size):
        y = row + 0.5
        tile = _tile_row(y, size, corner)
        cap = _disc_row(y, centre, centre, kneecap, size)
        rows.append(b"\x00" + b"".join(map(pixel, tile, cap)))
    return b"".join(rows)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=8)
def app_icon_png(size: int, maskable: bool = False) -> bytes:
    """The icon as a PNG file of `size` × `size` pixels (8-bit RGBA)."""
    if not 16 <= size <= 1024:
        raise ValueError(f"an icon is 16 to 1024 px wide, not {size}")
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(_pixels(size, maskable), 9)),
            _chunk(b"IEND", b""),
        )
    )

"""The app icon's PNG: a well-formed file (chunk CRCs, one row per pixel line), the kneecap
white in the middle and the tile blue around it, round corners only on the plain icon."""

from __future__ import annotations

import struct
import zlib

import pytest

from kneecoach.render.app_icon import BLUE, WHITE, app_icon_png


def decoded(data: bytes) -> tuple[int, list[bytes]]:
    """The width and the RGBA rows of a PNG this module wrote (filter 0 on every row)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = body
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 6) and width == height
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 4 * width
    assert len(raw) == stride * height
    rows = [raw[i * stride : (i + 1) * stride] for i in range(height)]
    assert all(row[0] == 0 for row in rows)
    return width, [row[1:] for row in rows]


def pixel(rows: list[bytes], x: int, y: int) -> tuple[int, ...]:
    return tuple(rows[y][4 * x : 4 * x + 4])


@pytest.mark.parametrize("size", [192, 512])
def test_the_icon_is_a_kneecap_on_a_blue_tile(size: int) -> None:
    width, rows = decoded(app_icon_png(size))
    assert width == size
    middle = size // 2
    assert pixel(rows, middle, middle) == (*WHITE, 255)
    assert pixel(rows, size // 10, middle) == (*BLUE, 255)
    assert pixel(rows, 0, 0)[3] == 0  # a round corner: see-through
    _, masked = decoded(app_icon_png(size, maskable=True))
    assert pixel(masked, 0, 0) == (*BLUE, 255)  # fills its square: the phone cuts the shape
    # the kneecap stays inside the safe zone (the central circle of 80 % of the width)
    radius = sum(1 for x in range(middle, size) if pixel(masked, x, middle)[:3] == WHITE)
    assert radius < 0.4 * size


@pytest.mark.parametrize("size", [8, 2048])
def test_an_unusable_size_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match="16 to 1024"):
        app_icon_png(size)

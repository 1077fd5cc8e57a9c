"""Today's exercise cards show the figures at phone width: whole, titled, moving, and still for
a reader who asks for reduced motion.

`KNEECOACH_SCREENSHOTS_DIR=docs/screenshots` keeps the pictures (today-figures-360.png).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PHONE, LiveServer
from tests.e2e.journey import make_plan

pytestmark = pytest.mark.browser

FIGURES = "main .illustration svg"
PART_BOXES = """(svg, group) => [...svg.querySelectorAll(`g.${group} > *`)].map(e => {
  const r = e.getBoundingClientRect();
  return {name: e.getAttribute('class'), left: r.left, top: r.top, right: r.right,
          bottom: r.bottom, width: r.width, height: r.height};
})"""
DISPLAY = "(svg, group) => getComputedStyle(svg.querySelector(`g.${group}`)).display"
PARTS_AT = """(svg, t) => { svg.pauseAnimations(); svg.setCurrentTime(t);
  return [...svg.querySelectorAll('g.kc-move > *')].map(e => {
    const r = e.getBoundingClientRect();
    return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)];
  }); }"""


def _check_figures_fit(page: Any) -> int:
    figures = page.locator(FIGURES)
    count = figures.count()
    assert count >= 1, "Today shows no exercise figures"
    for i in range(count):
        svg = figures.nth(i)
        svg.scroll_into_view_if_needed()
        title = svg.locator("title").text_content() or ""
        assert title.strip(), "a figure without a title"
        box = svg.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (title, box)
        assert box["width"] >= 250, (title, box)  # big enough to copy on a small phone
        assert box["height"] == pytest.approx(box["width"] * 0.75, abs=2)
    return count


def test_today_cards_show_moving_figures_at_360_px(
    live_server: LiveServer, phone: Any, tmp_path: Path
) -> None:
    make_plan(phone, live_server.url)
    phone.wait_for_url("**/today*")
    count = _check_figures_fit(phone)
    for i in range(count):
        svg = phone.locator(FIGURES).nth(i)
        assert svg.evaluate(DISPLAY, "kc-move") != "none"
        assert svg.evaluate(DISPLAY, "kc-still") == "none"
        frame = svg.bounding_box()
        assert frame is not None
        for part in svg.evaluate(PART_BOXES, "kc-move"):
            # every drawn part stays inside its picture (1 px for anti-aliasing)
            assert (
                part["left"] >= frame["x"] - 1 and part["right"] <= frame["x"] + frame["width"] + 1
            ), part
            assert (
                part["top"] >= frame["y"] - 1 and part["bottom"] <= frame["y"] + frame["height"] + 1
            ), part
        # The figure really moves in Chromium: halfway through the loop it is elsewhere.
        assert svg.evaluate(PARTS_AT, 0) != svg.evaluate(PARTS_AT, 2)
    out = Path(os.environ.get("KNEECOACH_SCREENSHOTS_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    first = phone.locator("main .illustration").first
    first.scroll_into_view_if_needed()
    phone.locator(FIGURES).first.evaluate(PARTS_AT, 2)
    shot = out / "today-figures-360.png"
    phone.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 1000


def test_reduced_motion_shows_the_end_pose_still(live_server: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    page = context.new_page()
    try:
        make_plan(page, live_server.url)
        page.wait_for_url("**/today*")
        count = _check_figures_fit(page)
        for i in range(count):
            svg = page.locator(FIGURES).nth(i)
            assert svg.evaluate(DISPLAY, "kc-move") == "none"
            assert svg.evaluate(DISPLAY, "kc-still") != "none"
            parts = svg.evaluate(PART_BOXES, "kc-still")
            assert {"trunk", "head", "n-thigh", "f-thigh"} <= {p["name"] for p in parts}
            assert all(p["width"] > 0 and p["height"] > 0 for p in parts if p["name"] == "trunk")
    finally:
        context.close()

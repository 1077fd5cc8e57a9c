"""Progress draws the yes/no symptoms as rows of marks that never overlap, day by day and as
shares over a long window, with a legend of shapes."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from kneecoach.core.checkins import CheckIn
from kneecoach.services import checkins as checkin_service
from tests.db import in_session
from tests.render.test_strip_chart import marks_by_series, overlaps


@pytest.mark.parametrize("window", ["4w", "1y"])
def test_the_mechanical_symptoms_are_rows_of_marks(client: TestClient, window: str) -> None:
    today = date.today()
    for n in range(20):
        happened = n % 2 == 0  # all four on the same days: as lines they sat on each other
        in_session(
            checkin_service.record_checkin,
            CheckIn(
                day=today - timedelta(days=n),
                pain=3,
                clicking=happened,
                catching=happened,
                locking=happened,
                giving_way=happened,
            ),
        )
    page = client.get("/progress", params={"range": window}).text
    svg = re.search(r'<svg class="chart" data-kind="strip".*?</svg>', page, re.S)
    assert svg, page
    marks = marks_by_series(svg.group(0))
    assert sorted(marks) == ["Catching", "Clicking", "Giving way", "Locking"]
    assert all(marks.values())
    labels = list(marks)
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            assert not any(overlaps(a, b) for a in marks[first] for b in marks[second])
    legend = re.findall(r'<li><svg width="16" height="16"[^>]*><path d="([^"]+)"', page)
    assert len(set(legend)) == 4  # four different shapes in the legend

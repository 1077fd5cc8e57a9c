"""`kneecoach movement compare`: two saved results of the same test, in plain words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli_helpers import run_cli


def result(
    left: float | None, right: float | None, test: str = "single_leg_squat"
) -> dict[str, Any]:
    def side(value: float | None) -> dict[str, Any]:
        return {"fppa_mean_deg": value, "depth_mean_deg": None, "pelvis_drop_mean_deg": None,
                "repetitions": 0 if value is None else 3}  # fmt: skip

    return {"test": test, "side": "left",
            "summary": {"left": side(left), "right": side(right), "difference_fppa_deg": None}}  # fmt: skip


def saved(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


def test_a_change_under_the_smallest_detectable_difference_reads_as_no_change(
    tmp_path: Path,
) -> None:
    before = saved(tmp_path, "march.json", result(17.0, 9.0))
    after = saved(tmp_path, "may.json", result(6.0, 12.0))
    done = run_cli("movement", "compare", before, after, "--format", "json")
    assert done.exit_code == 0, done.stderr
    changes = {change["id"]: change["text"] for change in json.loads(done.stdout)}
    assert set(changes) == {"change_less", "change_none"}
    assert (
        "left knee moved inward 11° less than last time (17° then, 6° now)"
        in changes["change_less"]
    )
    assert "right knee angle was 9° last time and 12° now" in changes["change_none"]
    table = run_cli("movement", "compare", before, after)
    assert table.exit_code == 0
    assert "• Your left knee moved inward 11° less" in table.stdout


def test_results_of_different_tests_or_not_results_at_all_are_refused(tmp_path: Path) -> None:
    single = saved(tmp_path, "single.json", result(17.0, None))
    double = saved(tmp_path, "double.json", result(10.0, None, test="double_leg_squat"))
    done = run_cli("movement", "compare", single, double)
    assert done.exit_code == 2
    assert done.stderr.startswith("error: LATER: is a double_leg_squat and the earlier one a ")
    other = saved(tmp_path, "other.json", {"instrument": "koos"})
    done = run_cli("movement", "compare", other, single)
    assert (done.exit_code, done.stderr.strip()) == (
        2,
        "error: EARLIER: is not the JSON of a movement check",
    )

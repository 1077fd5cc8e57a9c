"""Export gathers everything a person stored; erase removes it all and the app still works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kneecoach.settings import reset_settings
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLES


def store_a_little_of_everything(tmp_path: Path) -> None:
    example = EXAMPLES / "hiker-downhill-front-pain.json"
    assert run_cli("intake", "--answers", str(example)).exit_code == 0
    checkins = tmp_path / "c.csv"
    checkins.write_text("date,pain,swelling\n2026-03-01,3,0\n2026-03-02,4,1\n")
    assert run_cli("checkins", "import", str(checkins)).exit_code == 0
    answers = tmp_path / "k.json"
    answers.write_text(json.dumps({code: 1 for code in ["S6", "P2", "P3", "P6", "P9", "A3", "A5"]}))
    assert run_cli("score", "koosjr", "--answers", str(answers), "--save").exit_code == 0
    assert run_cli("shoes", "add", "--name", "Trail runner").exit_code == 0


def test_export_holds_every_kind_of_record(
    tmp_path: Path, any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    store_a_little_of_everything(tmp_path)
    out = tmp_path / "all.json"
    result = run_cli("export", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    document = json.loads(out.read_text())
    assert document["format"] == "kneecoach-export/1"
    assert len(document["intakes"]) == 1
    assert [c["date"] for c in document["checkins"]] == ["2026-03-01", "2026-03-02"]
    assert document["outcomes"][0]["scores"]["raw"] == 7
    assert document["shoes"][0]["name"] == "Trail runner"


def test_erase_needs_a_yes_then_removes_everything(tmp_path: Path) -> None:
    store_a_little_of_everything(tmp_path)
    kept = run_cli("erase", input="n\n")
    assert "Nothing was deleted" in kept.stdout
    assert json.loads(run_cli("export").stdout)["intakes"]
    gone = run_cli("erase", "--yes")
    assert gone.exit_code == 0
    after = json.loads(run_cli("export").stdout)
    assert after["intakes"] == [] and after["checkins"] == [] and after["outcomes"] == []
    assert run_cli("intake", "--answers", str(EXAMPLES / "hot-knee-fever.json")).exit_code == 0


def test_export_to_a_folder_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    result = run_cli("export", "--out", str(tmp_path / "nope" / "all.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --out: cannot write")


SECRET = "erase-me-7f3c2a9d1b"


def files_hold(folder: Path, text: str) -> list[str]:
    """Database files (the file, its WAL and shared memory) that still hold the text."""
    needle = text.encode()
    return [p.name for p in sorted(folder.glob("kneecoach.db*")) if needle in p.read_bytes()]


def test_erase_leaves_no_readable_remains_on_disk(tmp_path: Path, data_dir: Path) -> None:
    """The probe found the note still in the WAL and the file 100 MB after an erase."""
    checkins = tmp_path / "c.csv"
    rows = "\n".join(f"2026-0{1 + i // 28}-{1 + i % 28:02d},3,{SECRET} {i}" for i in range(200))
    checkins.write_text("date,pain,note\n" + rows + "\n")
    assert run_cli("checkins", "import", str(checkins)).exit_code == 0
    assert files_hold(data_dir, SECRET), "the note is on disk before the erase"
    size_before = (data_dir / "kneecoach.db").stat().st_size
    assert run_cli("erase", "--yes").exit_code == 0
    assert files_hold(data_dir, SECRET) == []
    assert (data_dir / "kneecoach.db").stat().st_size <= size_before
    assert run_cli("checkins", "list", "--format", "json").exit_code == 0


def test_erase_from_the_settings_page_leaves_no_remains(data_dir: Path) -> None:
    from kneecoach.web.app import create_app
    from tests.web_client import BrowserClient

    with BrowserClient(create_app()) as client:
        saved = client.post(
            "/api/v1/checkins", json={"date": "2026-03-02", "pain": 3, "note": SECRET}
        )
        assert saved.status_code == 201
        assert files_hold(data_dir, SECRET)
        erased = client.post("/settings/delete", data={"confirm": "DELETE"}, follow_redirects=False)
        assert erased.status_code == 303
        assert files_hold(data_dir, SECRET) == []
        assert client.get("/api/v1/checkins").json()["checkins"] == []

"""The packaged knowledge files: libyaml's fast loader, and the parsed-file cache, give exactly
the documents PyYAML's own loader gives."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from kneecoach.data.files import cache_folder, parse_yaml, read_yaml, safe_loader

DATA = Path(str(resources.files("kneecoach.data")))
FILES = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.yaml"))


def reference(name: str) -> object:
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def test_the_fast_loader_is_used() -> None:
    """PyYAML's wheels ship libyaml; the pure-Python loader took 709 ms for the files, 79 ms."""
    assert issubclass(safe_loader(), yaml.CSafeLoader)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "rules:\n  - id: x\n    when: {a: 1}\n    when: {b: 2}\n",
        "outer:\n  inner:\n    3: yes\n    3: no\n",
    ],
)
def test_a_key_written_twice_is_refused_not_silently_replaced(text: str) -> None:
    """YAML keeps the last of two equal keys; a reviewed rule must never vanish that way."""
    with pytest.raises(yaml.constructor.ConstructorError, match="written twice"):
        parse_yaml(text)
    assert parse_yaml("a: 1\nb: {a: 2}\n") == {"a": 1, "b": {"a": 2}}  # nested: not twice


@pytest.mark.parametrize("name", FILES)
def test_every_file_reads_the_same_parsed_or_from_the_cache(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_CACHE_DIR", str(tmp_path))
    first = read_yaml(name)
    assert first == reference(name)
    assert len(list(tmp_path.glob("*.json"))) == 1, "the parsed file is kept"
    assert read_yaml(name) == first, "and read back unchanged"


def test_the_cache_is_what_is_read_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_CACHE_DIR", str(tmp_path))
    read_yaml("welcome.yaml")
    (kept,) = tmp_path.glob("*.json")
    kept.write_text(json.dumps({"read": "from the cache"}))
    assert read_yaml("welcome.yaml") == {"read": "from the cache"}
    kept.write_text("{not json")
    assert read_yaml("welcome.yaml") == reference("welcome.yaml"), "a broken cache is re-parsed"


def test_no_cache_when_it_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KNEECOACH_CACHE_DIR", str(blocked / "cache"))
    assert read_yaml("welcome.yaml") == reference("welcome.yaml")
    monkeypatch.setenv("KNEECOACH_CACHE_DIR", "")
    assert cache_folder() is None
    assert read_yaml("welcome.yaml") == reference("welcome.yaml")

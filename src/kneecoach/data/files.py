"""Reading the packaged YAML knowledge files (validation lives with each file's loader).

Parsing YAML is most of what a command like `kneecoach plan --answers F` spends its time on, so
each parsed file is also kept as JSON in the user's cache folder, named by a hash of the YAML
text: an edited or upgraded file has a new hash and is parsed afresh, and a cache that cannot be
written or read is simply not used. JSON holds only plain data, never code.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

CACHE_FORMAT = "2"
"""Bumped when parsing changes (2: a key written twice is refused), so old copies go."""


def cache_folder() -> Path | None:
    """Where parsed files are kept: KNEECOACH_CACHE_DIR, else the user's cache folder; an
    empty KNEECOACH_CACHE_DIR turns the cache off."""
    chosen = os.environ.get("KNEECOACH_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kneecoach", appauthor=False)) / "data"


def read_yaml(name: str) -> Any:
    """Load a YAML file shipped in `kneecoach/data/` (e.g. ``instruments/koos.yaml``)."""
    text = resources.files("kneecoach.data").joinpath(name).read_text(encoding="utf-8")
    folder = cache_folder()
    if folder is None:
        return parse_yaml(text)
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{text}".encode()).hexdigest()[:32]
    cached = folder / f"{digest}.json"
    # no cached copy yet, or a damaged one: parse the file and write it again
    with contextlib.suppress(OSError, ValueError):
        return json.loads(cached.read_text(encoding="utf-8"))
    document = parse_yaml(text)
    _keep(cached, document)
    return document


def parse_yaml(text: str) -> Any:
    """Parse YAML text; PyYAML loads only here, so a command served from the cache skips it."""
    import yaml

    return yaml.load(text, Loader=safe_loader())


@functools.cache
def safe_loader() -> type[yaml.SafeLoader]:
    """libyaml's safe loader reads the same documents about nine times faster than the
    pure-Python one (a test checks both give identical results); the pure-Python one where
    PyYAML was built without libyaml. Either refuses a key written twice in one mapping: YAML
    would keep the last one silently, so a rule or a dose could vanish from a reviewed file."""
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class OneOfEachKey(base):  # type: ignore[valid-type,misc]
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | float | bool):
                    continue  # a list or mapping as a key: never in our files, YAML decides
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"the key {key!r} is written twice",
                        key_node.start_mark,
                    )
                seen.add(key)
            return super().construct_mapping(node, deep)

    return OneOfEachKey


def _keep(path: Path, document: Any) -> None:
    """Write the parsed document for next time, atomically; give up quietly on any problem
    (a read-only home, a document JSON cannot hold exactly)."""
    try:
        text = json.dumps(document, ensure_ascii=False)
        if json.loads(text) != document:
            return
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except (OSError, TypeError, ValueError):
        return

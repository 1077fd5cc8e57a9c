"""Reading the packaged YAML knowledge files (validation lives with each file's loader).

Parsing YAML is most of what a command like `kneecoach plan --answers F` spends its time on, so
each parsed file is also kept as JSON in the user's cache folder, named by a hash of the YAML
text: an edited or upgraded file has a new hash and is parsed afresh, and a cache that cannot be
written or read is simply not used. JSON holds only plain data, never code.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

CACHE_FORMAT = "1"


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
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # no cached copy yet, or a damaged one: parse the file and write it again
    document = parse_yaml(text)
    _keep(cached, document)
    return document


def parse_yaml(text: str) -> Any:
    """Parse YAML text; PyYAML loads only here, so a command served from the cache skips it."""
    import yaml

    return yaml.load(text, Loader=safe_loader())


def safe_loader() -> type[yaml.SafeLoader]:
    """libyaml's safe loader reads the same documents about nine times faster than the
    pure-Python one (a test checks both give identical results); the pure-Python one where
    PyYAML was built without libyaml."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


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

"""Reading the packaged YAML knowledge files (validation lives with each file's loader)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

# libyaml's safe loader reads the same documents about nine times faster than the pure-Python
# one (a test checks both give identical results); fall back where PyYAML was built without it.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(name: str) -> Any:
    """Load a YAML file shipped in `kneecoach/data/` (e.g. ``instruments/koos.yaml``)."""
    text = resources.files("kneecoach.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=SafeLoader)

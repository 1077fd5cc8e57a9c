"""What kneecoach knows and why: every product decision in the data files, for a clinician.

Where the evidence has no published threshold kneecoach decides, and each such entry carries
`basis: product-decision` (shared/clinical/decisions.md). This walks every packaged data file
and lists those entries with the reason they give, so nothing decided by us hides in a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kneecoach.data.files import read_yaml

PRODUCT_DECISION = "product-decision"
_REASON_KEYS = ("reason", "source", "sources", "note", "why")
"""Where an entry's reason is read from, the first found: an explicit `reason` says most."""


def _text(value: Any) -> str:
    """A reason as one line: a list of sources is joined with semicolons."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Decision:
    file: str
    where: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"file": self.file, "where": self.where, "reason": self.reason}


def _data_root() -> Path:
    return Path(str(resources.files("kneecoach.data")))


def _name(index: int, node: Any) -> str:
    """A list entry is named by its id when it has one, else by its place (#1, #2, …)."""
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        return str(node["id"])
    return f"#{index + 1}"


def _walk(node: Any, trail: tuple[str, ...], file: str, found: list[Decision]) -> None:
    if isinstance(node, dict):
        if node.get("basis") == PRODUCT_DECISION:
            reason = next((_text(node[k]) for k in _REASON_KEYS if node.get(k)), "")
            where = " › ".join(trail) or "(whole file)"
            found.append(Decision(file, where, " ".join(reason.split())))
        for key, value in node.items():
            _walk(value, (*trail, str(key)), file, found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk(value, (*trail, _name(index, value)), file, found)


def product_decisions() -> tuple[Decision, ...]:
    """Every data entry marked `basis: product-decision`, file by file, in file order."""
    root = _data_root()
    found: list[Decision] = []
    for path in sorted(root.rglob("*.yaml")):
        name = path.relative_to(root).as_posix()
        _walk(read_yaml(name), (), name, found)
    return tuple(found)


def decisions_markdown(decisions: tuple[Decision, ...]) -> str:
    """The list as a Markdown page (docs/product-decisions.md is this, kept current by a test)."""
    lines = [
        "# Product decisions in kneecoach's data",
        "",
        "Where the evidence has no published threshold, kneecoach decides. Every such entry in",
        "`src/kneecoach/data/` carries `basis: product-decision`; this page lists them all with",
        "the reason each gives. Regenerate it with",
        "`kneecoach evidence decisions --format markdown > docs/product-decisions.md`.",
        "",
        f"{len(decisions)} decisions.",
        "",
        "| file | entry | reason |",
        "|---|---|---|",
    ]
    for d in decisions:
        reason = d.reason.replace("|", "\\|") or "(no reason given)"
        lines.append(f"| `{d.file}` | {d.where} | {reason} |")
    return "\n".join(lines) + "\n"

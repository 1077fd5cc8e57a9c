"""The welcome words (data/welcome.yaml), checked against the red-flag rules they summarise."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict

from kneecoach.data.files import read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Said(_Strict):
    title: str | None = None
    text: str


class Sign(_Strict):
    text: str
    rules: tuple[str, ...]


class HelpNow(_Strict):
    title: str
    text: str
    signs: tuple[Sign, ...]
    emergency: Sign


class Welcome(_Strict):
    version: int
    does: Said
    does_not: Said
    help_now: HelpNow
    source: str

    def rule_ids(self) -> tuple[str, ...]:
        """Every red-flag rule the welcome sums up (a test checks each exists)."""
        signs = (*self.help_now.signs, self.help_now.emergency)
        return tuple(rule for sign in signs for rule in sign.rules)


@cache
def load_welcome() -> Welcome:
    return Welcome.model_validate(read_yaml("welcome.yaml"))

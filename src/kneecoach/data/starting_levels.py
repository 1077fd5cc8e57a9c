"""Loads `starting_levels.yaml`: the four starting levels and the rules that pick one, checked.

Every rule needs a `source` (and says `basis: product-decision` where the number is ours);
every condition reads an intake answer path or a derived fact; every text uses only the known
placeholders; the levels are exactly the four, lowest first; the stance norms cover adult ages
without gaps. A mistake names the file and the entry.
"""

from __future__ import annotations

import string
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.intake import answer_paths
from kneecoach.core.rules import parse_condition, paths_in
from kneecoach.core.starting_level import (
    DERIVED_PATHS,
    LEVELS,
    RUNG_PLACEHOLDERS,
    RUNG_TEXT_IDS,
    TEXT_PLACEHOLDERS,
    Level,
    LevelRule,
    StanceBand,
    StartingLevelRules,
)
from kneecoach.data.files import read_yaml

FILE = "starting_levels.yaml"

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]
LevelName = Literal["frail", "general", "active", "athletic"]


class StartingLevelDataError(ValueError):
    """starting_levels.yaml is wrong: the message names the file and the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Decision(_Strict):
    basis: Literal["product-decision"]
    reason: Annotated[str, Field(min_length=3)]


class _LevelModel(_Strict):
    id: LevelName
    name: Text
    text: Text


class _DefaultModel(_Decision):
    level: LevelName
    text: Text


class _TieModel(_Decision):
    text: Text


class _BandModel(_Strict):
    from_age: Annotated[int, Field(ge=0, le=120)]
    to_age: Annotated[int, Field(ge=0, le=120)]
    mean_s: Annotated[float, Field(gt=0, le=45)]


class _StanceModel(_Strict):
    source: Annotated[str, Field(min_length=3)]
    below_youngest: _Decision
    bands: Annotated[list[_BandModel], Field(min_length=1)]

    @model_validator(mode="after")
    def _no_gaps(self) -> _StanceModel:
        for before, after in zip(self.bands, self.bands[1:], strict=False):
            if after.from_age != before.to_age + 1:
                raise ValueError(f"bands: {after.from_age} does not follow {before.to_age}")
        return self


class _RuleModel(_Strict):
    id: Id
    effect: Literal["at_least", "at_most"]
    level: LevelName
    when: dict[str, Any]
    shows: str
    text: Text
    source: Annotated[str, Field(min_length=3)]
    basis: Literal["product-decision"] | None = None


class _RungTextModel(_Strict):
    id: Id
    text: Text


class _File(_Strict):
    version: Text
    levels: list[_LevelModel]
    default: _DefaultModel
    tie_rule: _TieModel
    start_level_tags: _Decision
    stance_norms: _StanceModel
    rules: Annotated[list[_RuleModel], Field(min_length=1)]
    rung_texts: list[_RungTextModel]


def _placeholders(text: str, allowed: frozenset[str], where: str) -> None:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = names - allowed
    if unknown:
        raise StartingLevelDataError(f"{FILE}: {where}: unknown placeholders {sorted(unknown)}")


def _rule(model: _RuleModel, known: frozenset[str]) -> LevelRule:
    where = f"rules.{model.id}"
    try:
        condition = parse_condition(model.when, f"{where}.when")
    except ValueError as error:
        raise StartingLevelDataError(f"{FILE}: {error}") from None
    for path in (*paths_in(condition), model.shows):
        if path not in known:
            raise StartingLevelDataError(
                f"{FILE}: {where}: {path!r} is not an intake answer path or a derived fact"
            )
    _placeholders(model.text, TEXT_PLACEHOLDERS, f"{where}.text")
    return LevelRule(
        id=model.id,
        effect=model.effect,
        level=model.level,
        when=condition,
        shows=model.shows,
        text=" ".join(model.text.split()),
        source=model.source,
    )


def build_starting_levels(raw: Any) -> StartingLevelRules:
    """Check the raw YAML document and build the rules, or raise StartingLevelDataError."""
    try:
        model = _File.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        problem = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise StartingLevelDataError(f"{FILE}: {where}: {problem}") from None
    if tuple(level.id for level in model.levels) != LEVELS:
        raise StartingLevelDataError(f"{FILE}: levels: give exactly {list(LEVELS)}, lowest first")
    known = answer_paths() | DERIVED_PATHS
    rules = tuple(_rule(r, known) for r in model.rules)
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise StartingLevelDataError(f"{FILE}: rules: an id is used twice")
    _placeholders(model.default.text, TEXT_PLACEHOLDERS, "default.text")
    texts = {t.id: t.text for t in model.rung_texts}
    missing = [i for i in RUNG_TEXT_IDS if i not in texts]
    extra = [i for i in texts if i not in RUNG_TEXT_IDS]
    if missing or extra:
        raise StartingLevelDataError(
            f"{FILE}: rung_texts: missing {missing}, unknown {extra}"
            if missing
            else f"{FILE}: rung_texts: unknown {extra}"
        )
    for rung_id, text in texts.items():
        _placeholders(text, RUNG_PLACEHOLDERS, f"rung_texts.{rung_id}")
    return StartingLevelRules(
        version=model.version,
        levels=tuple(Level(m.id, m.name, " ".join(m.text.split())) for m in model.levels),
        default=model.default.level,
        default_text=" ".join(model.default.text.split()),
        tie_text=" ".join(model.tie_rule.text.split()),
        stance_bands=tuple(
            StanceBand(b.from_age, b.to_age, b.mean_s) for b in model.stance_norms.bands
        ),
        rules=rules,
        rung_texts={k: " ".join(v.split()) for k, v in texts.items()},
    )


@cache
def load_starting_levels() -> StartingLevelRules:
    """The packaged starting-level rules, checked once per process."""
    return build_starting_levels(read_yaml(FILE))

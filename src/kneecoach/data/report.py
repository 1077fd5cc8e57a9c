"""The report and handover words (data/report.yaml), validated at load."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from kneecoach.core.report import ReportWords
from kneecoach.data.files import read_yaml


class _ReportFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    basis: str
    source: str
    text: dict[str, str] = Field(min_length=1)
    not_asked: tuple[str, ...] = Field(min_length=1)
    clinical: dict[str, str]


@cache
def _report_file() -> _ReportFile:
    return _ReportFile.model_validate(read_yaml("report.yaml"))


@cache
def report_words() -> ReportWords:
    """The fixed words of the report and the letter."""
    loaded = _report_file()
    return ReportWords(text=dict(loaded.text), not_asked=loaded.not_asked)


@cache
def clinical_terms() -> dict[str, str]:
    """The clinical term for an answer, by answer path ({value} is the answer)."""
    return dict(_report_file().clinical)

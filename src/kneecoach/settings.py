"""Where kneecoach keeps its data, read from the environment (KNEECOACH_*).

The variables are validated by a pydantic model like any other input. They are read here
rather than by pydantic-settings, whose import (its many sources: dotenv, cloud secrets, a
command-line parser, asyncio) cost more than the whole of `kneecoach triage --answers F`'s own
work; the names keep pydantic-settings' rules (the prefix, any letter case, unknown names
ignored).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PREFIX = "KNEECOACH_"


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("kneecoach", appauthor=False))


class Settings(BaseModel):
    """Settings come from KNEECOACH_DATA_DIR, KNEECOACH_DATABASE_URL and KNEECOACH_COUNTRY.

    The default database is an SQLite file inside the data directory, so a new user needs no
    setup at all; a PostgreSQL URL (postgresql+psycopg://...) works the same way.
    """

    model_config = ConfigDict(extra="ignore", validate_default=True)

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    # Who runs background jobs (movement checks): "thread" runs a worker inside the web app
    # (the embedded default); "off" leaves them to `kneecoach worker` processes elsewhere.
    worker: Literal["thread", "off"] = "thread"
    # ISO 3166 code for emergency numbers and service names, used when the person has not
    # chosen one in kneecoach (a shared server, or a setup script); see services/country.py.
    country: str | None = None
    # Extra host names the web app answers to, comma-separated (e.g. "kneecoach.home,
    # 192.168.1.20"); this machine's own names always work (web/security.py).
    allowed_hosts: str = ""
    # "personal" (the default): one person on this machine, no sign-in, loopback only.
    # "server": a practice with accounts; required to listen beyond loopback (docs/deploy.md).
    mode: Literal["personal", "server"] = "personal"
    # Set when a reverse proxy serves kneecoach over HTTPS: cookies get the Secure flag.
    behind_https: bool = False

    @property
    def is_server(self) -> bool:
        return self.mode == "server"

    @property
    def allowed_host_names(self) -> tuple[str, ...]:
        return tuple(name.strip() for name in self.allowed_hosts.split(",") if name.strip())

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'kneecoach.db'}"


def settings_from(environ: Mapping[str, str]) -> Settings:
    """The settings in some environment variables: `KNEECOACH_DATA_DIR` (in any letter case)
    sets `data_dir`; other names are ignored."""
    values = {
        name[len(PREFIX) :].lower(): value
        for name, value in environ.items()
        if name.upper().startswith(PREFIX)
    }
    return Settings.model_validate(values)


@cache
def get_settings() -> Settings:
    """Read once from the environment and kept; `reset_settings()` reads it again."""
    return settings_from(os.environ)


def reset_settings() -> None:
    """Forget the settings read so far (tests that change KNEECOACH_* call this)."""
    get_settings.cache_clear()

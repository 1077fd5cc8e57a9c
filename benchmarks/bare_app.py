"""The load baseline: a bare FastAPI endpoint that inserts one row through kneecoach's engine.

Served by uvicorn exactly as `kneecoach serve` serves the real app (one process, the
threadpool for plain `def` endpoints, log level warning), on the engine kneecoach builds for
the same database URL (SQLite with WAL, or PostgreSQL through psycopg), so the difference
between the two servers is the work the real check-in endpoint does beyond one insert.

    python -m uvicorn benchmarks.bare_app:create_app --factory --port 8001
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from fastapi import Body, FastAPI
from sqlalchemy import Column, Date, Float, Integer, MetaData, Table, insert

from kneecoach.settings import get_settings
from kneecoach.storage.db import engine_for

METADATA = MetaData()
ROWS = Table(
    "bench_rows",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False, unique=True),
    Column("pain", Float, nullable=False),
)


def create_app() -> FastAPI:
    url = os.environ.get("KNEECOACH_DATABASE_URL") or get_settings().resolved_database_url
    engine = engine_for(url)
    METADATA.create_all(engine)
    app = FastAPI()

    @app.get("/ready")
    def ready() -> dict[str, bool]:
        return {"ready": True}

    @app.post("/rows", status_code=201)
    def add_row(body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        day = dt.date.fromisoformat(str(body["date"]))
        with engine.begin() as conn:
            conn.execute(insert(ROWS).values(day=day, pain=float(body["pain"])))
        return {"status": "added", "date": day.isoformat()}

    return app

"""`/healthz`: a load balancer's or a service manager's check that kneecoach answers. It reads
no data and needs no sign-in."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

router = APIRouter()


@router.get("/healthz", response_class=PlainTextResponse)
def healthz() -> str:
    return "ok"

"""Request bodies within the input limits (core/limits.py), before any page or route reads them.

A pure ASGI middleware, so a body is counted as it arrives and never held whole unless it is
small: JSON and forms up to 1 MB, activity uploads up to 100 MB and movement-check videos up to
200 MB (streamed to disk by the form parser). An API JSON body is also checked for nesting before FastAPI parses it, so a document
of 200,000 brackets is a clear 422, not a RecursionError.
"""

from __future__ import annotations

import json
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kneecoach.core.errors import InputError
from kneecoach.core.limits import MAX_BODY_BYTES, MAX_UPLOAD_BYTES, MAX_VIDEO_BYTES, parse_json

UPLOAD_PATHS: Final = frozenset({"/shoes/activities"})
VIDEO_PATHS: Final = frozenset({"/movement"})
"""A video upload's body is the file plus the form's few small fields."""
_WITH_BODY: Final = frozenset({"POST", "PUT", "PATCH"})


def limit_for(path: str) -> int:
    if path in VIDEO_PATHS:
        return MAX_VIDEO_BYTES + MAX_BODY_BYTES
    return MAX_UPLOAD_BYTES if path in UPLOAD_PATHS else MAX_BODY_BYTES


async def _answer(send: Send, status: int, field: str, problem: str) -> None:
    body = json.dumps({"error": {"field": field, "problem": problem}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimits:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = limit_for(path)
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _answer(send, 413, "body", f"is larger than {limit:,} bytes")
            return
        if path.startswith("/api/"):
            await self._whole_json(scope, receive, send, limit)
            return
        await self._counted(scope, receive, send, limit)

    async def _whole_json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the (small) body, check its size and nesting, then hand it on unchanged."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _answer(send, 413, "body", f"is larger than {limit:,} bytes")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        media = dict(scope.get("headers", ())).get(b"content-type", b"").split(b";")[0].strip()
        if body.strip() and media.endswith(b"json"):  # anything else is refused (415) next
            try:
                parse_json(body, "body")
            except InputError as error:
                status = 413 if "the most kneecoach reads" in error.problem else 422
                await _answer(send, status, error.field, error.problem)
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass the body through as it comes; past the limit the app is told the client left,
        whatever it answers is dropped, and the client gets a 413 instead."""
        size = 0
        too_large = False
        started = False

        async def counting() -> Message:
            nonlocal size, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def watching(message: Message) -> None:
            nonlocal started
            if too_large and not started:
                return  # the app's answer to a cut-off body is not the person's answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting, watching)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await _answer(send, 413, "body", f"is larger than {limit:,} bytes")

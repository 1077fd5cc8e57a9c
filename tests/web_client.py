"""A TestClient that behaves like the person's own browser on this machine.

It talks to `http://localhost` (the web app answers only to this machine's names) and sends
the form token with every form, as the pages' hidden field does. Tests of the guards
themselves (tests/web/test_security.py) use a plain TestClient to send what an attacker would.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kneecoach.web.security import CSRF_COOKIE, CSRF_FIELD

TOKEN = "a-test-form-token-of-forty-three-characters"


class BrowserClient(TestClient):
    def __init__(self, app: FastAPI, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", "http://localhost")
        super().__init__(app, **kwargs)
        self.cookies.set(CSRF_COOKIE, TOKEN)

    def post(self, url: Any, *args: Any, **kwargs: Any) -> Any:
        """Forms carry the token; JSON bodies (the API) need none."""
        if "json" not in kwargs:
            data = kwargs.get("data")
            kwargs["data"] = (
                {**(data or {}), CSRF_FIELD: TOKEN} if not isinstance(data, (str, bytes)) else data
            )
        return super().post(url, *args, **kwargs)

"""A bug in Redress answers 500 with an error naming the case, never a traceback.

Run in process (httpx's ASGI transport) because a real server has no way to make the engine
fail on purpose; everything else about the service is tested against a real server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio
import httpx
import pytest

from redress.evaluation.evaluate import Engine
from redress.serve.app import create_app
from redress.serve.config import ServiceConfig


def test_an_unexpected_exception_is_a_500_naming_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine.load()

    def broken(case: Any, as_of: dt.date | None = None) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(engine, "evaluate", broken)
    app = create_app(ServiceConfig(log_requests=False), engine)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://redress") as client:
            return await client.post("/v1/evaluate", json={"id": "CASE-9"})

    response = anyio.run(call)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["kind"] == "internal_error"
    assert "CASE-9" in error["message"] and "ZeroDivisionError" in error["message"]
    assert "Traceback" not in response.text

"""A bug in Redress answers 500 with an error naming the case, never a traceback.

Run in process (httpx's ASGI transport) because a real server has no way to make the engine
fail on purpose; everything else about the service is tested against a real server.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import anyio
import httpx
import pytest

from redress.evaluation.evaluate import Engine
from redress.serve.app import create_app
from redress.serve.config import ServiceConfig
from redress.serve.events import LOGGER_NAME


def test_an_unexpected_exception_is_a_500_naming_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine.load()

    def broken(case: Any, as_of: dt.date | None = None) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(engine, "evaluate", broken)
    app = create_app(ServiceConfig(log_requests=False), engine)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.post("/v1/evaluate", json={"id": "CASE-9"})

    response = anyio.run(call)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["kind"] == "internal_error"
    assert "CASE-9" in error["message"] and "ZeroDivisionError" in error["message"]
    assert "Traceback" not in response.text


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Any] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.entries.append(record.msg)


def test_a_500_carries_its_request_id_and_the_log_has_the_frames_under_that_id(
        monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine.load()
    secret = "Ms Zebedee Quillfeather"

    def broken(case: Any, as_of: dt.date | None = None) -> Any:
        raise KeyError(secret)  # an exception whose text quotes the case

    monkeypatch.setattr(engine, "evaluate", broken)
    captured = _Lines()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(captured)
    try:
        app = create_app(ServiceConfig(log_requests=False), engine)

        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport,
                                         base_url="http://127.0.0.1") as client:
                return await client.post("/v1/evaluate", json={"id": "CASE-9"})

        response = anyio.run(call)
    finally:
        logger.removeHandler(captured)
    request_id = response.headers["x-request-id"]
    assert response.status_code == 500 and request_id in response.json()["error"]["message"]
    (entry,) = [e for e in captured.entries if isinstance(e, dict)
                and e.get("event") == "internal_error"]
    assert entry["request_id"] == request_id and entry["error"] == "KeyError"
    assert any("test_internal_errors.py" in frame and "broken" in frame
               for frame in entry["traceback"])
    assert secret not in json.dumps(captured.entries)


def test_an_exception_outside_the_handlers_is_a_json_500_with_its_id(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from redress.serve import handlers

    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(handlers, "procedure_list", broken)
    app = create_app(ServiceConfig(log_requests=False))

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get("/v1/procedures", headers={"x-request-id": "crm-1"})

    response = anyio.run(call)
    assert response.status_code == 500 and response.headers["x-request-id"] == "crm-1"
    assert "crm-1" in response.json()["error"]["message"]

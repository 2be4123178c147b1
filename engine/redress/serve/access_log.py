"""Request logs as JSON Lines, without case contents.

One line per request on the ``redress.serve.access`` logger: time, request id, method, the
route matched (``/v1/procedures/{id}``) and the path (only when a route matched, so a mistyped
URL a client filled with personal details is not written down; never the query string), status,
duration, bytes in and out and the worker's process id.  Bodies and query strings are never
logged: complaints hold personal data, and a case id or a date in a query can identify a
complainant.  Each response carries the request id in
``X-Request-Id`` so a calling system can quote it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER_NAME = "redress.serve.access"


class JsonLinesFormatter(logging.Formatter):
    """One compact JSON line per record: a dict message as it is, any other with its level."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.msg, dict):
            data = record.msg
        else:
            data = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC)
                    .isoformat(timespec="milliseconds"),
                    "level": record.levelname.lower(), "logger": record.name,
                    "message": record.getMessage(), "pid": record.process}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def server_log_config() -> dict[str, Any]:
    """uvicorn's own messages (start, stop, errors) as JSON lines too, on standard error."""
    formatter = f"{__name__}.JsonLinesFormatter"
    handler = {"class": "logging.StreamHandler", "formatter": "json",
               "stream": "ext://sys.stderr"}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"json": {"()": formatter}},
            "handlers": {"stderr": handler},
            "loggers": {"uvicorn": {"handlers": ["stderr"], "level": "INFO",
                                    "propagate": False},
                        "uvicorn.error": {"level": "INFO"}}}


def access_logger() -> logging.Logger:
    """The access logger, writing JSON lines to standard error (set up once per process)."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLinesFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class AccessLog:
    """ASGI middleware: times each HTTP request and logs one JSON line when it ends."""

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.logger = logger or access_logger()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        started = time.perf_counter()
        seen: dict[str, int] = {"status": 500, "bytes_in": 0, "bytes_out": 0}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes_in"] += len(message.get("body", b""))
            return message

        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("ascii")))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                seen["bytes_out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, tagging_send)
        finally:
            self.logger.info(_entry(scope, request_id, started, seen))


def _entry(scope: Scope, request_id: str, started: float, seen: dict[str, int]) -> dict[str, Any]:
    # The router records the matched route in the scope it shares with this middleware.
    route = getattr(scope.get("route"), "path", None)
    return {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "request_id": request_id,
        "method": scope.get("method", ""),
        "route": route,
        "path": scope.get("path", "") if route is not None else None,
        "status": seen["status"],
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        "bytes_in": seen["bytes_in"],
        "bytes_out": seen["bytes_out"],
        "pid": os.getpid(),
    }


__all__ = ["LOGGER_NAME", "AccessLog", "JsonLinesFormatter", "access_logger", "server_log_config"]

"""Request logs as JSON Lines, without case contents.

One line per request on standard error (:class:`AccessLog`): time, request id, method, the
route matched (``/v1/procedures/{id}``) and the path (only when a route matched, so a mistyped
URL a client filled with personal details is not written down; never the query string), status,
duration, bytes in and out and the worker's process id.  Bodies and query strings are never
logged: complaints hold personal data, and a case id or a date in a query can identify a
complainant.  Each response carries the request id in
``X-Request-Id`` so a calling system can quote it (``redress.serve.guard`` writes the lines).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
from typing import Any

import orjson
from starlette.types import Scope


class JsonLinesFormatter(logging.Formatter):
    """One compact JSON line per record: a dict message as it is, any other with its level."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line; a traceback attached to it is never written."""
        if isinstance(record.msg, dict):
            data = record.msg
        else:
            data = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC)
                    .isoformat(timespec="milliseconds"),
                    "level": record.levelname.lower(), "logger": record.name,
                    "message": record.getMessage(), "pid": record.process}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class OncePerSecond(logging.Filter):
    """Lets each distinct message through at most once a second (a flood of bad requests makes
    uvicorn repeat "Invalid HTTP request received." for each); the next one that passes says
    how many like it were left out."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self._last: dict[str, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether to write ``record`` (its message is annotated with the count left out)."""
        key = f"{record.name}:{record.msg}"
        now = time.monotonic()
        last, left_out = self._last.get(key, (-2.0, 0))
        if now - last < 1.0:
            self._last[key] = (last, left_out + 1)
            return False
        if len(self._last) > 1000:  # distinct messages are few; never grow without bound
            self._last.clear()
        self._last[key] = (now, 0)
        if left_out and not isinstance(record.msg, dict):
            record.msg = f"{record.msg} ({left_out} like it left out)"
        return True


def server_log_config() -> dict[str, Any]:
    """uvicorn's own messages (start, stop, errors) and asyncio's as JSON lines on standard error.

    The formatter never writes a traceback: uvicorn's "Exception in ASGI application" and
    asyncio's error reports become one line each.
    """
    formatter = f"{__name__}.JsonLinesFormatter"
    handler = {"class": "logging.StreamHandler", "formatter": "json",
               "stream": "ext://sys.stderr", "filters": ["once"]}
    quiet = {"handlers": ["stderr"], "level": "INFO", "propagate": False}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"json": {"()": formatter}},
            "filters": {"once": {"()": f"{__name__}.OncePerSecond"}},
            "handlers": {"stderr": handler},
            "loggers": {"uvicorn": quiet, "uvicorn.error": {"level": "INFO"},
                        "asyncio": {**quiet, "level": "WARNING"}}}


def json_logger(name: str) -> logging.Logger:
    """A logger writing JSON lines to standard error (its handler set up once per process)."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLinesFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class AccessLog:
    """Writes each request's line straight to a file descriptor (standard error by default).

    Not through :mod:`logging`: a log record, its formatter and its handler's lock cost more
    than the rest of a small request's bookkeeping.  One ``write`` per line (lines are a few
    hundred bytes), so the lines of several worker processes sharing standard error never
    interleave.
    """

    def __init__(self, fd: int | None = None) -> None:
        self.fd = sys.stderr.fileno() if fd is None else fd

    def write(self, entry: dict[str, Any]) -> None:
        """``entry`` as one JSON line; a line that cannot be written is dropped, never raised
        (a closed or full standard error must not fail the request it describes)."""
        line = orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE)
        try:
            while line:
                line = line[os.write(self.fd, line):]
        except OSError:
            pass


def access_logger() -> AccessLog:
    """The access log, writing JSON lines to standard error."""
    return AccessLog()


def access_entry(scope: Scope, request_id: str, started: float,
                 seen: dict[str, int]) -> dict[str, Any]:
    """The log line of one request: what was asked and answered, never bodies or queries."""
    # The router records the matched route in the scope it shares with the middleware.
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


__all__ = ["AccessLog", "JsonLinesFormatter", "OncePerSecond", "access_entry", "access_logger",
           "json_logger", "server_log_config"]

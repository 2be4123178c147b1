"""Service events (a refused connection, a timed-out client, an error) as rate-limited JSON lines.

A hostile or broken client can cause the same event thousands of times a second; each kind of
event is written at most once per :data:`INTERVAL` seconds, the line saying how many like it
were left out since the last one.  So the log stays readable and bounded whatever the traffic:
no traceback, no case contents, one JSON line per entry (``redress.serve.access_log``'s
formatter).  The event loop's own error reports (``socket.accept() out of system resource``,
which asyncio otherwise prints with a traceback up to two thousand times a second) go through
the same log.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from redress.serve.access_log import json_logger

LOGGER_NAME = "redress.serve.events"
INTERVAL = 1.0


class EventLog:
    """Writes events as JSON lines on ``redress.serve.events``, each kind at most once a second."""

    def __init__(self, logger: logging.Logger | None = None, interval: float = INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.logger = logger or json_logger(LOGGER_NAME)
        self.interval = interval
        self.clock = clock
        self._last: dict[str, float] = {}
        self._left_out: dict[str, int] = {}
        self._lock = threading.Lock()  # events come from the loop and from worker threads

    def note(self, event: str, level: int = logging.WARNING, **fields: Any) -> bool:
        """Log ``event`` with ``fields`` unless one like it was logged within the interval.

        Returns whether a line was written.  ``fields`` must hold no case contents.
        """
        now = self.clock()
        with self._lock:
            if now - self._last.get(event, -self.interval) < self.interval:
                self._left_out[event] = self._left_out.get(event, 0) + 1
                return False
            self._last[event] = now
            left_out = self._left_out.pop(event, 0)
        entry = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                 "level": logging.getLevelName(level).lower(), "event": event, **fields,
                 "left_out": left_out, "pid": os.getpid()}
        self.logger.log(level, entry)
        return True

    def always(self, event: str, level: int = logging.ERROR, **fields: Any) -> None:
        """Log ``event`` whatever the rate (an internal error: each one has its own id)."""
        entry = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                 "level": logging.getLevelName(level).lower(), "event": event, **fields,
                 "pid": os.getpid()}
        self.logger.log(level, entry)

    def loop_exception_handler(self, loop: asyncio.AbstractEventLoop,
                               context: dict[str, Any]) -> None:
        """asyncio's exception handler: one rate-limited line with the error's type and text."""
        exc = context.get("exception")
        self.note("event_loop_error", message=str(context.get("message", "")),
                  error=f"{type(exc).__name__}: {exc}" if exc is not None else None)


__all__ = ["INTERVAL", "LOGGER_NAME", "EventLog"]

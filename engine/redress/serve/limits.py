"""The limits every request lives under: the size of its body, the time it takes to arrive, and
the time of its work.

A body over its limit is answered 413 as soon as that is known (from ``Content-Length`` before
anything is read, see :mod:`redress.serve.guard`, or once the bytes read pass it); uvicorn then
reads and drops the rest of the body, so a client that sends everything before reading still
gets the answer, and a client that stops sending is closed by the connection's header timer
(:mod:`redress.serve.protocol`).  A body that takes longer than its time to arrive is a 408.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from redress.serve.problems import ServiceError

T = TypeVar("T")


async def read_body(request: Request, limit: int, seconds: float) -> bytes:
    """The request body: a 413 once it is longer than ``limit`` bytes, a 408 after ``seconds``."""
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                chunks.append(chunk)
    except TimeoutError:
        raise body_too_slow(seconds) from None
    return b"".join(chunks)


def too_large(limit: int) -> ServiceError:
    """The 413 for a body over ``limit`` bytes."""
    return ServiceError(413, "too_large", f"the request body is larger than {limit} bytes")


def body_too_slow(seconds: float) -> ServiceError:
    """The 408 for a body that did not arrive within ``seconds``."""
    return ServiceError(408, "timeout", f"the request body did not arrive within {seconds:g} s",
                        headers={"connection": "close"})


def over_time(seconds: float) -> ServiceError:
    """The 503 for work that took longer than ``seconds``."""
    return ServiceError(503, "time_limit",
                        f"the request took longer than the service's limit of {seconds:g} s")


async def run_limited(fn: Callable[[], T], seconds: float) -> T:
    """Run blocking work in a worker thread; give up with a 503 after ``seconds``.

    Python cannot stop a thread, so work that overruns is abandoned (it finishes in the
    background and its answer is dropped).  Only work that is short by construction runs
    here (one case's evaluation); lint, which a hostile document can make long, runs in a
    process that is stopped (:mod:`redress.serve.lint_pool`).
    """
    try:
        with anyio.fail_after(seconds):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise over_time(seconds) from None


__all__ = ["body_too_slow", "over_time", "read_body", "run_limited", "too_large"]

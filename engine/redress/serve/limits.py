"""The limits every request lives under: the size of its body, the time it takes to arrive, and
the time of its work.

A body over its limit is answered 413 as soon as that is known (from ``Content-Length`` before
anything is read, see :mod:`redress.serve.guard`, or once the bytes read pass it); uvicorn then
reads and drops the rest of the body, so a client that sends everything before reading still
gets the answer, and a client that stops sending is closed by the connection's header timer
(:mod:`redress.serve.protocol`).  A body that takes longer than its time to arrive is a 408.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeVar

from starlette.requests import Request

from redress.serve.problems import ServiceError

T = TypeVar("T")


async def read_body(request: Request, limit: int, seconds: float) -> bytes:
    """The request body: a 413 once it is longer than ``limit`` bytes, a 408 after ``seconds``."""
    chunks: list[bytes] = []
    size = 0
    try:
        # asyncio's own timeout: the service runs on asyncio (uvicorn), and anyio's cancel
        # scope costs several times more for the one await most requests make here.
        async with asyncio.timeout(seconds):
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


async def run_limited(fn: Callable[[], T], seconds: float,
                      threads: Executor | None = None) -> T:
    """Run blocking work in a worker thread (of ``threads``, or the event loop's default
    pool); give up with a 503 after ``seconds``.

    Python cannot stop a thread, so work that overruns is abandoned (it finishes in the
    background and its answer is dropped).  Only work that is short by construction runs
    here (one case's evaluation); lint, which a hostile document can make long, runs in a
    process that is stopped (:mod:`redress.serve.lint_pool`).
    """
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(seconds):
            return await loop.run_in_executor(threads, fn)
    except TimeoutError:
        raise over_time(seconds) from None


# A case this small is evaluated on the event loop: it takes a few milliseconds at most (3 to
# 7 ms for twice as many events, measured on this project's 2-core machine), while handing it
# to a thread and back costs more CPU than all the rest of a small request's bookkeeping.  Only
# when the time limit leaves room for that (a limit under a second means: answer at the limit).
INLINE_MAX_CHARS = 8 * 1024
INLINE_MIN_LIMIT_SECONDS = 1.0


def runs_inline(body_chars: int, seconds: float) -> bool:
    """Whether a case of ``body_chars`` characters is evaluated on the event loop under a time
    limit of ``seconds`` (:func:`run_timed`) rather than in a thread (:func:`run_limited`)."""
    return body_chars <= INLINE_MAX_CHARS and seconds >= INLINE_MIN_LIMIT_SECONDS


def run_timed(fn: Callable[[], T], seconds: float,
              clock: Callable[[], float] = time.perf_counter) -> T:
    """Run short work here and now; a 503 if it took longer than ``seconds`` (its answer is
    dropped, as :func:`run_limited` drops the answer of work it gave up on)."""
    started = clock()
    answer = fn()
    if clock() - started > seconds:
        raise over_time(seconds)
    return answer


__all__ = ["INLINE_MAX_CHARS", "body_too_slow", "over_time", "read_body", "run_limited",
           "run_timed", "runs_inline", "too_large"]

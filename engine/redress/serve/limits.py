"""The two limits every request lives under: the size of its body and the time of its work."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from redress.serve.problems import ServiceError

T = TypeVar("T")
# After refusing a body, read (and drop) up to this much more of it, so a client that sends the
# whole body before reading the answer gets the 413 instead of a broken connection.
DRAIN_FACTOR = 4


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or a 413 as soon as it is known to be longer than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        await _drain(request, limit * DRAIN_FACTOR)
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            await _drain(request, limit * DRAIN_FACTOR)
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _drain(request: Request, budget: int) -> None:
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > budget:
                return
    except Exception:  # the stream was already consumed or the client went away
        return


def too_large(limit: int) -> ServiceError:
    return ServiceError(413, "too_large", f"the request body is larger than {limit} bytes")


async def run_limited(fn: Callable[[], T], seconds: float) -> T:
    """Run blocking work in a worker thread; give up with a 503 after ``seconds``.

    Python cannot stop a thread, so work that overruns is abandoned (it finishes in the
    background and its answer is dropped); the event loop and other requests carry on.
    """
    try:
        with anyio.fail_after(seconds):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise ServiceError(503, "time_limit",
                           f"the request took longer than the service's limit of {seconds:g} s"
                           ) from None


__all__ = ["read_body", "run_limited", "too_large"]

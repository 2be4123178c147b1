"""``POST /v1/evaluate/batch``: read JSON Lines as they arrive, answer record by record.

Two tasks share one request.  The *reader* takes the body as it comes, cuts it into lines and
queues them; the *writer* evaluates each line in turn and sends its record, waiting whenever
the client is not reading (uvicorn's ``send`` waits for the socket to drain), so a client that
stops reading stops the evaluation.  The reader never waits for the writer, so a client that
sends its whole body before reading the answer (most HTTP libraries) cannot deadlock; what it
may queue is bounded by the batch size limit, and each line by the case size limit.

Every input record gets exactly one record back, in order (the contract of ``redress
batch``): a line over the case size limit is a ``too_large`` error record; a case whose
evaluation passes the per-request time limit is a ``time_limit`` error record naming it (a
small case is evaluated on the event loop between records, as a single request's is, a larger
one in a worker thread abandoned at the limit); once
the batch's total time limit has passed, each remaining line is a ``time_limit`` record without
being evaluated.  If reading has to stop (the batch passes its size limit, the body stalls for
longer than the body timeout, or the total time runs out while reading), the last record is an
error record for the line where reading stopped, saying that nothing after it was read.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import anyio
import anyio.to_thread
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from starlette.types import Receive, Scope, Send

from redress.evaluation.evaluate import Engine
from redress.evaluation.records import (
    ErrorKind,
    ErrorRecord,
    InputRef,
    ParsedInput,
    Record,
    case_id_of,
    evaluate_record,
    to_json_bytes,
)
from redress.serve.inputs import BATCH_SOURCE, parse_line
from redress.serve.limits import run_timed, runs_inline
from redress.serve.problems import ServiceError

JSONL_MEDIA_TYPE = "application/x-ndjson"
FLUSH_BYTES = 64 * 1024  # records sent together while more lines are waiting


@dataclass(frozen=True)
class BatchLimits:
    """The limits of one batch (``ServiceConfig``'s, in one place)."""

    max_bytes: int
    max_record_bytes: int
    record_seconds: float
    total_seconds: float
    idle_seconds: float


@dataclass(frozen=True)
class Line:
    """One input line (without its newline); ``size`` counts the bytes of an oversized one."""

    number: int
    data: bytes | None
    size: int = 0


@dataclass(frozen=True)
class Stop:
    """Reading stopped before the body ended: why, and on which line."""

    number: int
    kind: ErrorKind
    message: str


Item = Line | Stop


class _Lines:
    """Cuts a byte stream into lines, dropping (and measuring) any longer than the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.number = 0
        self.pending = bytearray()
        self.dropped = 0  # > 0 while skipping the rest of an oversized line

    def feed(self, chunk: bytes) -> list[Line]:
        out: list[Line] = []
        start = 0
        while start <= len(chunk):
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            self._take(piece)
            if end < 0:
                break
            out.append(self._finish())
            start = end + 1
        return out

    def end(self) -> list[Line]:
        return [self._finish()] if self.pending or self.dropped else []

    def _take(self, piece: bytes) -> None:
        if self.dropped:
            self.dropped += len(piece)
        elif len(self.pending) + len(piece) > self.limit:
            self.dropped = len(self.pending) + len(piece)
            self.pending = bytearray()
        else:
            self.pending += piece

    def _finish(self) -> Line:
        self.number += 1
        line = Line(self.number, None, self.dropped) if self.dropped else \
            Line(self.number, bytes(self.pending))
        self.pending, self.dropped = bytearray(), 0
        return line


class BatchStream:
    """The ASGI response of one batch (module docstring)."""

    def __init__(self, engine: Engine, day: dt.date, limits: BatchLimits,
                 finish: Callable[[Record, Any], Record | Mapping[str, Any]] | None = None,
                 on_done: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self.day = day
        self.limits = limits
        self.finish = finish  # the record as written, from the record and the case it read
        self.on_done = on_done  # called once the batch is over, however it ended
        self.deadline = time.monotonic() + limits.total_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the batch: the ASGI interface, as a Starlette response has."""
        queue_in, queue_out = anyio.create_memory_object_stream[Item | None](math.inf)
        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(self._read, receive, queue_in, tasks.cancel_scope)
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", JSONL_MEDIA_TYPE.encode())]})
                await self._write(queue_out, send)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                tasks.cancel_scope.cancel()
        finally:
            if self.on_done is not None:
                self.on_done()

    # -- reading --------------------------------------------------------------------------

    async def _read(self, receive: Receive, out: MemoryObjectSendStream[Item | None],
                    everything: anyio.CancelScope) -> None:
        lines = _Lines(self.limits.max_record_bytes)
        total = 0
        async with out:
            while True:
                with anyio.move_on_after(self._read_wait()) as waited:
                    message = await receive()
                if waited.cancelled_caught:
                    await out.send(self._stalled(lines.number + 1))
                    return
                if message["type"] == "http.disconnect":
                    everything.cancel()  # nobody is listening: stop evaluating
                    return
                body = message.get("body", b"")
                total += len(body)
                if total > self.limits.max_bytes:
                    await out.send(Stop(lines.number + 1, "too_large", f"the batch is larger "
                                        f"than {self.limits.max_bytes} bytes"))
                    return
                # All the lines of a chunk queued at once (the queue is unbounded), so the
                # writer sees them waiting and sends their records together.
                for line in lines.feed(body):
                    out.send_nowait(line)
                if not message.get("more_body", False):
                    break
            for line in lines.end():
                out.send_nowait(line)
            await out.send(None)
        await _until_disconnect(receive, everything)

    def _read_wait(self) -> float:
        return max(0.0, min(self.limits.idle_seconds, self.deadline - time.monotonic()))

    def _stalled(self, number: int) -> Stop:
        if time.monotonic() >= self.deadline:
            return Stop(number, "time_limit", "the batch took longer than its total time "
                        f"limit of {self.limits.total_seconds:g} s")
        return Stop(number, "time_limit", "the body stopped arriving for "
                    f"{self.limits.idle_seconds:g} s")

    # -- writing --------------------------------------------------------------------------

    async def _write(self, lines: MemoryObjectReceiveStream[Item | None], send: Send) -> None:
        index = 0
        out = _Out(send)
        async with lines:
            async for item in lines:
                if item is None:
                    break
                if isinstance(item, Line) and item.data is not None and not item.data.strip():
                    continue  # blank lines are skipped, as by `redress batch`
                ref = InputRef(BATCH_SOURCE, item.number, index)
                record, case = await self._record(ref, item)
                index += 1
                written = self.finish(record, case) if self.finish is not None else record
                out.add(to_json_bytes(written))
                if isinstance(item, Stop):
                    break
                # Records go out as soon as no further line is waiting (so a client that sends
                # its lines one by one gets each answer at once), else a few at a time.
                if out.full or lines.statistics().current_buffer_used == 0:
                    await out.flush()
        await out.flush()

    async def _record(self, ref: InputRef, item: Item) -> tuple[Record, Any]:
        """The record for one item, and the case it read (``None`` if none was read)."""
        if isinstance(item, Stop):
            return ErrorRecord(ref, None, item.kind, f"{item.message}; this line and any after "
                               "it were not read"), None
        if item.data is None:
            return ErrorRecord(ref, None, "too_large", f"the record is {item.size} bytes; a "
                               f"case may be at most {self.limits.max_record_bytes} bytes"), None
        if time.monotonic() >= self.deadline:
            return ErrorRecord(ref, None, "time_limit", "not evaluated: the batch took longer "
                               f"than its total time limit of {self.limits.total_seconds:g} s"), None
        parsed = parse_line(ref, item.data)
        case = parsed.document.data if parsed.document is not None else None
        return await self._evaluate(parsed, len(item.data)), case

    async def _evaluate(self, parsed: ParsedInput, size: int) -> Record:
        """The record of one parsed line of ``size`` bytes, under the per-record time limit:
        a small case on the event loop (as a single request's, :func:`.limits.runs_inline`),
        a larger one in a worker thread abandoned at the limit."""
        seconds = self.limits.record_seconds
        if runs_inline(size, seconds):
            try:
                return run_timed(partial(evaluate_record, self.engine, parsed, self.day),
                                 seconds)
            except ServiceError:  # over the limit: its record is dropped, as a thread's is
                return self._over_time(parsed)
        with anyio.move_on_after(seconds):
            return await anyio.to_thread.run_sync(evaluate_record, self.engine, parsed, self.day,
                                                  abandon_on_cancel=True)
        return self._over_time(parsed)

    def _over_time(self, parsed: ParsedInput) -> ErrorRecord:
        ref = parsed.ref
        case_id = case_id_of(parsed.document.data) if parsed.document is not None else None
        who = f"case {case_id!r}" if case_id is not None else f"record {ref.index}"
        return ErrorRecord(ref, case_id, "time_limit", f"evaluating {who} took longer than the "
                           f"per-request time limit of {self.limits.record_seconds:g} s")


class _Out:
    """Records waiting to be sent: one socket write (and one wake-up of the client) for a few
    records rather than one each."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.pending: list[bytes] = []
        self.size = 0

    def add(self, line: bytes) -> None:
        self.pending.append(line)
        self.size += len(line)

    @property
    def full(self) -> bool:
        return self.size >= FLUSH_BYTES

    async def flush(self) -> None:
        if self.pending:
            body = b"".join(self.pending)
            self.pending, self.size = [], 0
            await self.send({"type": "http.response.body", "body": body, "more_body": True})


async def _until_disconnect(receive: Receive, everything: anyio.CancelScope) -> None:
    """After the body: wait for the client to go, and stop the work if it goes early."""
    while (await receive())["type"] != "http.disconnect":
        pass
    everything.cancel()


__all__ = ["JSONL_MEDIA_TYPE", "BatchLimits", "BatchStream"]

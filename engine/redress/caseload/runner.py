"""Running a task over a caseload in input order, in this process or in worker processes.

A *task* turns one raw input record into one outcome (a JSON line and its digest for a batch,
a comparison for a what-if).  It is described by a picklable *spec* whose ``build()`` makes the
task once per process: durable-rules keeps its state per process, so every worker loads its own
engine.

Order and memory: records are sent to the workers in chunks, at most ``workers × WINDOW``
chunks in flight; results are yielded strictly in input order, so the output order never
depends on which worker finished first, and memory stays flat however long the input.

A worker that dies (a crash in the C code of a rule backend) loses its chunk: the chunk's
records are then retried one at a time in a fresh pool, and a record that kills a worker on its
own becomes the outcome ``on_crash`` gives it (an ``internal_error`` record).  Nothing is lost.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Generic, Protocol, TypeVar

from redress.caseload.sources import RawRecord

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
CHUNK = 64     # records per task sent to a worker: large enough to amortise pickling
WINDOW = 4     # chunks in flight per worker: keeps workers busy while the writer catches up


class TaskSpec(Protocol[T_co]):
    """How to build a task in a process; must be picklable."""

    def build(self) -> Callable[[RawRecord], T_co]: ...


# One task per worker process, built by the pool's initializer.  Module state is unavoidable
# here: it is how a process pool hands long-lived state to the functions it runs.
_TASK: list[Callable[[RawRecord], Any]] = []


def _init_worker(spec: TaskSpec[Any]) -> None:
    _TASK[:] = [spec.build()]


def _run_chunk(chunk: list[RawRecord]) -> list[Any]:
    task = _TASK[0]
    return [task(raw) for raw in chunk]


def _chunks(raws: Iterable[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    it = iter(raws)
    while chunk := list(islice(it, size)):
        yield chunk


def _context() -> Any:
    # fork is the cheapest start on Linux (workers inherit the imported modules); elsewhere spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _Pool(Generic[T]):
    """A process pool that can be replaced when one of its workers dies."""

    def __init__(self, spec: TaskSpec[T], workers: int) -> None:
        self.spec = spec
        self.workers = workers
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=_context(),
                                   initializer=_init_worker, initargs=(self.spec,))

    def submit(self, chunk: list[RawRecord]) -> Future[list[T]]:
        try:
            return self.executor.submit(_run_chunk, chunk)
        except BrokenProcessPool:
            self.renew()
            return self.executor.submit(_run_chunk, chunk)

    def renew(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def run_ordered(spec: TaskSpec[T], raws: Iterable[RawRecord], workers: int = 1,
                on_crash: Callable[[RawRecord, str], T] | None = None,
                chunk_size: int = CHUNK,
                local: Callable[[RawRecord], T] | None = None) -> Iterator[T]:
    """The task's outcome for every record, in input order.

    With one worker the task runs in this process (``local`` if given, else ``spec.build()``).
    """
    if workers <= 1:
        task = local or spec.build()
        for raw in raws:
            yield task(raw)
        return
    pool: _Pool[T] = _Pool(spec, workers)
    try:
        pending: deque[tuple[list[RawRecord], Future[list[T]]]] = deque()
        chunks = _chunks(raws, chunk_size)
        for chunk in chunks:
            pending.append((chunk, pool.submit(chunk)))
            if len(pending) >= workers * WINDOW:
                yield from _collect(pool, *pending.popleft(), on_crash)
        while pending:
            yield from _collect(pool, *pending.popleft(), on_crash)
    finally:
        pool.close()


def _collect(pool: _Pool[T], chunk: list[RawRecord], future: Future[list[T]],
             on_crash: Callable[[RawRecord, str], T] | None) -> list[T]:
    try:
        return future.result()
    except BrokenProcessPool:
        pool.renew()
        return [_one_by_one(pool, raw, on_crash) for raw in chunk]


def _one_by_one(pool: _Pool[T], raw: RawRecord,
                on_crash: Callable[[RawRecord, str], T] | None) -> T:
    try:
        return pool.submit([raw]).result()[0]
    except BrokenProcessPool:
        pool.renew()
        if on_crash is None:
            raise
        return on_crash(raw, "the worker process evaluating it ended unexpectedly")


__all__ = ["CHUNK", "TaskSpec", "run_ordered"]

"""Running a task over a caseload in input order, in this process or in worker processes.

A *task* turns one raw input record into one outcome (a JSON line's body and its digest for a
batch, a comparison for a what-if).  It is described by a picklable *spec* whose ``build()``
makes the task once per process: durable-rules keeps its state per process, so every worker
loads its own engine (see :mod:`redress.caseload.workers`).

Order and memory: records go to the workers in chunks, one chunk per worker at a time, and no
record more than ``workers × WINDOW × chunk_size`` positions ahead of the oldest unanswered one
is sent; outcomes are yielded strictly in input order, so the output order never depends on which
worker finished first, and memory stays flat however long the input.

A worker that dies (a crash in the C code of a rule backend, the out-of-memory killer, a
``kill``) costs only the record it was evaluating: that record and the rest of its chunk go to a
fresh worker, and the other workers carry on.  A record that has ended ``MAX_WORKER_CRASHES``
workers is not tried again: it becomes the outcome ``on_crash`` gives it (a ``worker_crash``
error record naming it).  So every record is answered exactly once, whatever is killed when;
an innocent record is never blamed for a crash it did not cause, unless it was the one being
evaluated each of the ``MAX_WORKER_CRASHES`` times.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import islice
from multiprocessing.connection import wait
from typing import Any, Generic, TypeVar

from redress.caseload.raw import RawRecord
from redress.caseload.workers import TaskSpec, Worker, WorkerFailed

T = TypeVar("T")
CHUNK = 64     # records per chunk sent to a worker: large enough to amortise pickling
WINDOW = 4     # chunks of look-ahead per worker: keeps workers busy while the writer catches up
MAX_WORKER_CRASHES = 3  # a record that ends this many workers is answered as a crash
MAX_FAILED_STARTS = 3   # workers that end before they are ready, in a row, before giving up

Positioned = tuple[int, RawRecord]
OnCrash = Callable[[RawRecord, str], T]


def run_ordered(spec: TaskSpec[T], raws: Iterable[RawRecord], workers: int = 1,
                on_crash: OnCrash[T] | None = None, chunk_size: int = CHUNK,
                local: Callable[[RawRecord], T] | None = None) -> Generator[T, None, None]:
    """The task's outcome for every record, in input order.

    With one worker the task runs in this process (``local`` if given, else ``spec.build()``).
    Close the generator to stop the workers at once when not reading to the end.  Without
    ``on_crash``, a record that ends ``MAX_WORKER_CRASHES`` workers raises :class:`WorkerFailed`.
    """
    if workers <= 1:
        task = local or spec.build()
        for raw in raws:
            yield task(raw)
        return
    scheduler: _Scheduler[T] = _Scheduler(spec, raws, workers, chunk_size, on_crash)
    graceful = False
    try:
        yield from scheduler.outcomes()
        graceful = True
    finally:
        scheduler.stop(graceful)


class _Scheduler(Generic[T]):
    """Hands chunks to idle workers, collects answers, replaces dead workers."""

    def __init__(self, spec: TaskSpec[T], raws: Iterable[RawRecord], workers: int,
                 chunk_size: int, on_crash: OnCrash[T] | None) -> None:
        self.spec = spec
        self.source = enumerate(raws)
        self.chunk_size = chunk_size
        self.ahead = workers * WINDOW * chunk_size
        self.on_crash = on_crash
        self.retry: deque[list[Positioned]] = deque()  # chunks a dead worker left, oldest first
        self.answers: dict[int, T] = {}
        self.crashes: dict[int, int] = {}
        self.next_out = 0    # the position to yield next
        self.read = 0        # positions taken from the source so far
        self.exhausted = False
        self.failed_starts = 0
        self.workers: list[Worker] = []
        for _ in range(workers):
            self._start()

    def outcomes(self) -> Iterator[T]:
        while True:
            while self.next_out in self.answers:
                yield self.answers.pop(self.next_out)
                self.next_out += 1
            if self._finished():
                return
            self._dispatch()  # after yielding: the window may have opened
            self._collect()

    def _finished(self) -> bool:
        return (self.exhausted and not self.retry and not self.answers
                and not any(w.chunk for w in self.workers))

    def _start(self) -> None:
        others = [w.conn for w in self.workers]
        self.workers.append(Worker(self.spec, others))

    def _next_chunk(self) -> list[Positioned] | None:
        if self.retry:
            return self.retry.popleft()
        if self.exhausted or self.read - self.next_out >= self.ahead:
            return None
        chunk = list(islice(self.source, self.chunk_size))
        self.read += len(chunk)
        self.exhausted = len(chunk) < self.chunk_size
        return chunk or None

    def _dispatch(self) -> None:
        for worker in list(self.workers):
            if not worker.idle:
                continue
            chunk = self._next_chunk()
            if chunk is None:
                return
            try:
                worker.give(chunk)
            except OSError:  # it died while idle: the chunk never reached it, so blame nobody
                worker.chunk = []
                self.retry.appendleft(chunk)
                self._died(worker)

    def _collect(self) -> None:
        by_conn = {id(w.conn): w for w in self.workers}
        for ready in wait([w.conn for w in self.workers]):
            worker = by_conn[id(ready)]
            try:
                while worker.conn.poll():
                    self._receive(worker, worker.conn.recv())
            except (EOFError, OSError):
                self._died(worker)

    def _receive(self, worker: Worker, message: tuple[str, Any]) -> None:
        kind, payload = message
        if kind == "ready":
            worker.ready = True
            self.failed_starts = 0
        elif kind == "done":
            position, _ = worker.chunk[worker.answered]
            self.answers[position] = payload
            worker.answered += 1
            if worker.answered == len(worker.chunk):
                worker.chunk = []
        else:
            raise WorkerFailed(f"a worker process failed: {payload}")

    def _died(self, worker: Worker) -> None:
        how = worker.ended()
        self.workers.remove(worker)
        if not worker.ready:
            self.failed_starts += 1
            if self.failed_starts >= MAX_FAILED_STARTS:
                raise WorkerFailed(f"worker processes keep ending before they start ({how})")
        rest = worker.unanswered()
        if rest:
            rest = self._blame(rest[0], how) + rest[1:]
        if rest:
            self.retry.append(rest)
            self.retry = deque(sorted(self.retry, key=lambda chunk: chunk[0][0]))
        self._start()

    def _blame(self, suspect: Positioned, how: str) -> list[Positioned]:
        """Count a crash against the record being evaluated; answer it after too many."""
        position, raw = suspect
        count = self.crashes.get(position, 0) + 1
        self.crashes[position] = count
        if count < MAX_WORKER_CRASHES:
            return [suspect]
        why = (f"the worker process evaluating it ended {count} times ({how}), each time in "
               "a fresh process")
        if self.on_crash is None:
            raise WorkerFailed(f"record {raw.ref.index}: {why}")
        self.answers[position] = self.on_crash(raw, why)
        del self.crashes[position]
        return []

    def stop(self, graceful: bool) -> None:
        for worker in self.workers:
            worker.stop(graceful)
        self.workers.clear()


__all__ = ["CHUNK", "MAX_WORKER_CRASHES", "TaskSpec", "WorkerFailed", "run_ordered"]

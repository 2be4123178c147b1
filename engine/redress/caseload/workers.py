"""Worker processes for the ordered runner, each with a private pipe.

A worker builds its task once (``spec.build()``), says it is ready, then takes one chunk of
records at a time and sends back one message per record, in order.  So when a worker dies the
parent knows exactly which record it was evaluating: the first of its chunk not yet answered.
Only that worker's chunk is affected; the other workers go on.

Why not a ready-made pool: ``concurrent.futures.ProcessPoolExecutor`` marks the whole pool
broken when any worker dies, failing every chunk in flight, and cannot say which record the dead
worker held; pools whose workers share one task queue (``multiprocessing.Pool``, pebble) can be
left deadlocked when a worker is killed while it holds the queue's lock (pebble issue #163).
A private socket pair per worker has no lock to leave behind.

Each worker ignores SIGINT (the parent handles Ctrl-C and stops them), closes the inherited ends
of the other workers' pipes (so that each worker sees end-of-file when the parent is gone, and
exits), and is a daemon process, so none outlives the command.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol, TypeVar

from redress.caseload.raw import RawRecord

T_co = TypeVar("T_co", covariant=True)
STOP_SECONDS = 2.0  # how long a finished worker may take to exit before it is terminated


class TaskSpec(Protocol[T_co]):
    """How to build a task in a process; must be picklable."""

    def build(self) -> Callable[[RawRecord], T_co]: ...


class WorkerFailed(Exception):
    """A task raised in a worker, or workers keep ending before they are ready."""


def _context() -> Any:
    # fork is the cheapest start on Linux (workers inherit the imported modules); elsewhere spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _serve(conn: Connection, spec: TaskSpec[Any], inherited: list[Connection]) -> None:
    """The worker's main loop: build the task, then answer chunks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for other in inherited:
        other.close()
    try:
        try:
            task = spec.build()
        except Exception as exc:
            conn.send(("raised", f"the task could not be built: {type(exc).__name__}: {exc}"))
            return
        conn.send(("ready", None))
        while (chunk := conn.recv()) is not None:
            for raw in chunk:
                try:
                    outcome = task(raw)
                except Exception as exc:  # tasks never raise for a record; if one does, say so
                    conn.send(("raised", f"{type(exc).__name__}: {exc}"))
                    return
                conn.send(("done", outcome))
    except (EOFError, OSError):
        return  # the parent has gone: nothing is left to answer


class Worker:
    """One worker process and the chunk it is evaluating (``(position, record)`` pairs)."""

    def __init__(self, spec: TaskSpec[Any], others: list[Connection]) -> None:
        ctx = _context()
        mine, theirs = ctx.Pipe(duplex=True)
        # A forked child inherits every descriptor the parent holds: it closes the parent's end
        # of its own pipe and of the other workers' pipes, so it sees end-of-file when the
        # parent is gone.  A spawned child inherits nothing.
        inherited = [mine, *others] if ctx.get_start_method() == "fork" else []
        self.process = ctx.Process(target=_serve, args=(theirs, spec, inherited), daemon=True)
        self.process.start()
        theirs.close()
        self.conn: Connection = mine
        self.ready = False
        self.chunk: list[tuple[int, RawRecord]] = []
        self.answered = 0  # records of ``chunk`` answered so far

    @property
    def idle(self) -> bool:
        return self.ready and not self.chunk

    def give(self, chunk: list[tuple[int, RawRecord]]) -> None:
        """Send a chunk; only to an idle worker, which is waiting in ``recv``."""
        self.chunk, self.answered = chunk, 0
        self.conn.send([raw for _, raw in chunk])

    def unanswered(self) -> list[tuple[int, RawRecord]]:
        return self.chunk[self.answered:]

    def ended(self) -> str:
        """Reap the dead process; how it ended (``SIGKILL``, ``exit code 1``)."""
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():  # the pipe broke but the process lingers: end it
            self.process.kill()
            self.process.join()
        self.conn.close()
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return signal.Signals(-code).name
            except ValueError:
                return f"signal {-code}"
        return f"exit code {code}"

    def stop(self, graceful: bool) -> None:
        """Ask the worker to finish (or end it at once), and reap it."""
        if graceful:
            try:
                self.conn.send(None)
            except OSError:
                graceful = False
        self.process.join(STOP_SECONDS if graceful else 0)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


__all__ = ["STOP_SECONDS", "TaskSpec", "Worker", "WorkerFailed"]

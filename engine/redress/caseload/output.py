"""Writing JSON Lines so that a kill never leaves a torn line, and resuming after one.

:class:`LineWriter` buffers whole lines and hands them to the operating system in chunks that
always end at a line boundary (``os.write`` in a loop), flushing at least every
``FLUSH_SECONDS`` and calling ``fsync`` on regular files every ``SYNC_BYTES``; so after a kill
(even SIGKILL) the file holds whole lines, except in the rare case of a partial write, which
leaves a torn last line.

:func:`scan_output` reads an existing output for ``--resume``: it drops a torn last line (the
only change it ever makes to the file), checks that every other line is a record Redress wrote,
and says how many input records are already answered (the last line's ``input.index`` + 1;
records are written in input order).
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

FLUSH_BYTES = 64 * 1024
FLUSH_SECONDS = 0.5
SYNC_BYTES = 4 * 1024 * 1024


class OutputError(Exception):
    """The output cannot be written or resumed; the message says why."""


class LineWriter:
    """Hands whole lines to ``write_all`` in chunks (see the module docstring).

    Use :meth:`to_fd` for an output file (``os.write`` in a loop, ``fsync`` every
    ``SYNC_BYTES``) and :meth:`to_stream` for standard output.
    """

    def __init__(self, write_all: Callable[[bytes], None], sync: Callable[[], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.write_all = write_all
        self.sync_fn = sync
        self.clock = clock
        self.buffer: list[bytes] = []
        self.buffered = 0
        self.unsynced = 0
        self.last_flush = clock()

    @classmethod
    def to_fd(cls, fd: int) -> LineWriter:
        def write_all(data: bytes) -> None:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]

        regular = stat.S_ISREG(os.fstat(fd).st_mode)
        return cls(write_all, (lambda: os.fsync(fd)) if regular else None)

    @classmethod
    def to_stream(cls, stream: IO[bytes]) -> LineWriter:
        def write_all(data: bytes) -> None:
            stream.write(data)
            stream.flush()

        return cls(write_all)

    def write(self, line: str) -> None:
        data = line.encode("utf-8")
        self.buffer.append(data)
        self.buffered += len(data)
        if self.buffered >= FLUSH_BYTES or self.clock() - self.last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.buffer)
        self.buffer.clear()
        self.buffered = 0
        self.last_flush = self.clock()
        if data:
            self.write_all(data)
        self.unsynced += len(data)
        if self.unsynced >= SYNC_BYTES:
            self.sync()

    def sync(self) -> None:
        if self.sync_fn is not None and self.unsynced:
            self.sync_fn()
        self.unsynced = 0

    def close(self) -> None:
        self.flush()
        self.sync()


@dataclass(frozen=True)
class ResumePoint:
    """What an existing output already holds."""

    answered: int                       # input records answered: last index + 1
    last_input: dict[str, Any] | None   # the last line's ``input`` member
    lines: int
    dropped_torn_tail: bool


def scan_output(path: str, each: Callable[[dict[str, Any]], None] | None = None) -> ResumePoint:
    """Check an output file for ``--resume``, drop a torn last line, find where to go on.

    ``each`` is called with every record already in the file (to rebuild the summary).
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            good_end, lines, last, previous = 0, 0, None, -1
            for line_no, raw in enumerate(_lines(fh), start=1):
                if not raw.endswith(b"\n"):
                    if not raw.startswith(b'{"'):
                        raise OutputError(f"{path}:{line_no}: the last line is not the start of "
                                          "a record; nothing was changed")
                    break  # a torn tail: dropped below
                record = _record(raw, path, line_no)
                last = record["input"]
                if int(last["index"]) <= previous:
                    raise OutputError(f"{path}:{line_no}: records are not in input order; "
                                      "this is not an output to resume (nothing was changed)")
                previous = int(last["index"])
                lines += 1
                good_end += len(raw)
                if each is not None:
                    each(record)
    except OSError as exc:
        raise OutputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    torn = good_end < size
    if torn:
        try:
            os.truncate(path, good_end)
        except OSError as exc:
            raise OutputError(f"{path}: cannot drop the torn last line: {exc.strerror}") from exc
    answered = int(last["index"]) + 1 if last else 0
    return ResumePoint(answered, last, lines, torn)


def _lines(fh: Any) -> Iterator[bytes]:
    while True:
        raw = fh.readline()
        if not raw:
            return
        yield raw


def _record(raw: bytes, path: str, line_no: int) -> dict[str, Any]:
    try:
        record = json.loads(raw)
    except ValueError as exc:
        raise OutputError(f"{path}:{line_no}: not a JSON record; this is not an output of "
                          "redress batch to resume (nothing was changed)") from exc
    ref = record.get("input") if isinstance(record, dict) else None
    if not isinstance(ref, dict) or not isinstance(ref.get("index"), int):
        raise OutputError(f"{path}:{line_no}: not a redress batch record (no input.index); "
                          "nothing was changed")
    result: dict[str, Any] = record
    return result


__all__ = ["LineWriter", "OutputError", "ResumePoint", "scan_output"]

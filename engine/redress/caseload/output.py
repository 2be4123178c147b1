"""Writing JSON Lines so that a kill never leaves a torn line.

:class:`LineWriter` buffers whole lines and hands them to the operating system in chunks that
always end at a line boundary (``os.write`` in a loop), flushing at least every
``FLUSH_SECONDS`` and calling ``fsync`` on regular files every ``SYNC_BYTES``; so after a kill
(even SIGKILL) the file holds whole lines, except in the rare case of a partial write, which
leaves a torn last line.

:mod:`redress.caseload.resume` checks an existing output before ``--resume`` appends to it.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from typing import IO

FLUSH_BYTES = 64 * 1024
FLUSH_SECONDS = 0.5
SYNC_BYTES = 4 * 1024 * 1024


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

    def write(self, line: str | bytes) -> None:
        data = line if isinstance(line, bytes) else line.encode("utf-8")
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


__all__ = ["LineWriter"]

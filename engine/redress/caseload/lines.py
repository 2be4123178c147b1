"""Physical lines of an input stream, each bounded, with the digest ``--resume`` checks.

JSON Lines and CSV inputs are read through :class:`Lines`: a line longer than the cap is not
kept in memory (only its start, for an error message, and the SHA-256 of all of it), and a
UTF-8 byte-order mark at the start of the stream is dropped, as spreadsheet programs and some
Windows tools write one.
"""

from __future__ import annotations

import hashlib
from collections import deque
from typing import IO

from redress.frozen_dataclass import frozen_dataclass

BOM = b"\xef\xbb\xbf"
KEPT_OF_LONG_LINE = 160  # bytes kept of a line over the cap, for an excerpt


def sha256(*parts: bytes) -> str:
    """The hex SHA-256 of the parts, joined."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


@frozen_dataclass
class Line:
    """One physical line: its 1-based number and bytes (line ending included).

    A line over the cap keeps only its first bytes, with ``too_long`` set and ``digest`` the
    SHA-256 of the whole line.  A line's digest leaves out its line ending.
    """

    number: int
    data: bytes
    too_long: bool = False
    digest: str = ""

    @property
    def sha256(self) -> str:
        return self.digest or sha256(self.data.rstrip(b"\r\n"))


class Lines:
    """The physical lines of a byte stream, at most ``limit`` bytes each kept, with push-back."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.number = 0
        self.back: deque[Line] = deque()

    def next(self) -> Line | None:
        """The next line, or None at the end; ``OSError`` if the stream cannot be read."""
        if self.back:
            return self.back.popleft()
        data = self.stream.readline(self.limit + 1)
        if not data:
            return None
        self.number += 1
        if self.number == 1:
            data = data.removeprefix(BOM)
        if len(data) > self.limit and not data.endswith(b"\n"):
            return self._too_long(data)
        return Line(self.number, data)

    def _too_long(self, head: bytes) -> Line:
        digest = hashlib.sha256(head)
        while True:
            more = self.stream.readline(self.limit)
            last = not more or more.endswith(b"\n")
            digest.update(more.rstrip(b"\r\n") if last else more)
            if last:
                return Line(self.number, head[:KEPT_OF_LONG_LINE], True, digest.hexdigest())

    def push_back(self, lines: list[Line]) -> None:
        """Put lines back to be read again, in order (a CSV row resynchronising)."""
        self.back.extendleft(reversed(lines))


__all__ = ["BOM", "Line", "Lines", "sha256"]

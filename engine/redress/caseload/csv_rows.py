"""Reading a CSV file row by row so that one bad row never takes other rows with it.

The rule (``docs/guide/caseloads.md``, "One bad row stays one row"):

* A row starts on a new line.  A cell in double quotes may hold line breaks, so such a row goes
  on over the next lines — at most ``MAX_ROW_LINES`` lines and ``MAX_ROW_BYTES`` bytes.
* A row that goes over several lines must close its quotes properly and have the header's
  shape: exactly as many cells as the header, and line breaks only in columns of free text
  (``events[0].note``, ``complainant.name``…, see ``csv_cases.free_text_columns``).  If it
  does not — the file ends first, a closing quote is followed by something other than a comma
  or the end of the line, the row outgrows its limits, a cell is longer than
  ``MAX_CELL_CHARS``, the joined lines make another number of cells, or a line break falls in
  an ``id``, a date or a code — the row is taken to be its first line alone, which becomes an
  error record, and reading starts again at the next line.  So a runaway quote costs one row,
  and the rows it would have swallowed are read as themselves.
* A row on one line that cannot be read (bad quotes, a cell that is too long, a line that is
  not UTF-8 or longer than ``MAX_ROW_BYTES``) is an error record for that row alone.
* Blank lines are not rows.  A byte-order mark at the start of the file is ignored.

Every problem is worded for a person and quotes at most ``EXCERPT_CHARS`` characters of the
row's own first line, escaped: never another row's data.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from redress.caseload.csv_cases import bad_headers, free_text_columns
from redress.caseload.lines import Line, Lines, sha256
from redress.caseload.raw import RawRecord
from redress.evaluation.case import MAX_CASE_BYTES
from redress.evaluation.records import InputRef, one_line
from redress.findings import Finding

MAX_ROW_BYTES = MAX_CASE_BYTES   # one row is one case: the same cap as a case file (256 KiB)
MAX_ROW_LINES = 100              # a quoted cell with line breaks may span this many lines
MAX_CELL_CHARS = 131_072         # the csv module's default field limit, kept (it is global)
EXCERPT_CHARS = 40               # how much of a bad row its error quotes

_CSV_ERRORS = {  # the csv module's messages, in words a spreadsheet user knows
    "unexpected end of data": "a quoted cell is not closed",
    "',' expected after '\"'": "a closing quote is followed by more text (write a quote inside "
                               "a quoted cell as two quotes)",
    f"field larger than field limit ({MAX_CELL_CHARS})":
        f"a cell is longer than {MAX_CELL_CHARS:,} characters",
}


@dataclass(frozen=True)
class Row:
    """One row: its first line's number, its cells or why it cannot be read, its digest."""

    line: int
    cells: list[str] | None
    problem: str | None
    sha256: str


def _text(line: Line) -> str | None:
    try:
        return line.data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def excerpt(line: Line) -> str:
    """The start of a line, escaped and short, for an error message."""
    text = line.data.decode("utf-8", errors="backslashreplace").rstrip("\r\n")
    return one_line(text, EXCERPT_CHARS)


@dataclass(frozen=True)
class _Shape:
    """What a row that goes over several lines must look like: the header's width, with line
    breaks only in the columns that hold free text."""

    header: list[str]
    breakable: frozenset[int]

    def misfit(self, cells: list[str]) -> str | None:
        if len(cells) != len(self.header):
            return f"the lines it joins make {len(cells)} cells, not the header's " \
                   f"{len(self.header)}"
        for i, cell in enumerate(cells):
            if i not in self.breakable and ("\n" in cell or "\r" in cell):
                return f"it would put a line break in column {one_line(self.header[i], 40)!r}, " \
                       "which holds no free text"
        return None


def rows(stream: IO[bytes],
         breakable: Callable[[list[str]], frozenset[int]] = lambda _: frozenset()
         ) -> Iterator[Row]:
    """Every row of a CSV stream, the header first (see the module docstring).

    ``breakable(header)`` says which columns may hold a line break (free text).
    """
    lines = Lines(stream, MAX_ROW_BYTES)
    shape: _Shape | None = None
    while (first := lines.next()) is not None:
        if not first.data.strip():
            continue  # a blank line is not a row
        row = _row(lines, first, shape)
        if shape is None:
            header = row.cells or []
            shape = _Shape(header, breakable(header))
        yield row


def _row(lines: Lines, first: Line, shape: _Shape | None) -> Row:
    if first.too_long:
        return _bad(first, f"the line is longer than {MAX_ROW_BYTES:,} bytes")
    try:
        text = first.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _bad(first, f"the line is not UTF-8 text (byte {exc.start + 1}); save the file "
                           "as UTF-8")
    taken = [first]
    cells, problem = _parse(lines, text, taken)
    if len(taken) == 1:
        return _bad(first, problem) if cells is None else _good(first.number, cells, taken)
    if cells is not None:
        problem = None if shape is None else shape.misfit(cells)
        if problem is None:
            return _good(first.number, cells, taken)
    lines.push_back(taken[1:])  # a runaway quote: this line alone is the row
    if problem == _CSV_ERRORS["unexpected end of data"]:
        problem = "the file ends first"
    return _bad(first, f"a quoted cell that starts on this line is not closed properly "
                       f"({problem}); the row is read as this line alone and reading goes on "
                       "at the next line")


def _parse(lines: Lines, text: str, taken: list[Line]) -> tuple[list[str] | None, str | None]:
    """Parse one row starting with ``text``, taking more lines only while a quote is open."""
    size = len(taken[0].data)
    stopped = ""

    def feed() -> Iterator[str]:
        nonlocal size, stopped
        yield text
        while (line := lines.next()) is not None:
            taken.append(line)
            more = None if line.too_long else _text(line)
            size += len(line.data)
            if more is None:
                stopped = f"line {line.number} is not UTF-8 text or is too long"
            elif size > MAX_ROW_BYTES or len(taken) > MAX_ROW_LINES:
                stopped = f"the row would be longer than {MAX_ROW_LINES} lines or " \
                          f"{MAX_ROW_BYTES:,} bytes"
            else:
                yield more
                continue
            return

    try:
        return next(csv.reader(feed(), strict=True)), None
    except csv.Error as exc:
        return None, stopped or _CSV_ERRORS.get(str(exc), str(exc))


def _good(number: int, cells: list[str], taken: list[Line]) -> Row:
    return Row(number, cells, None, sha256(b"".join(t.data for t in taken).rstrip(b"\r\n")))


def _bad(line: Line, problem: str | None) -> Row:
    return Row(line.number, None, f"line {line.number}: {problem or 'the row cannot be read'}; "
               f'the row begins "{excerpt(line)}"', line.sha256)


def csv_records(stream: IO[bytes], name: str) -> Iterator[RawRecord]:
    """One record per CSV row after the header, each with the digest of the header and the
    row's bytes (a different header maps the same row to a different case)."""
    every = rows(stream, free_text_columns)
    header = next(every, None)
    if header is None:
        return
    problems = _header_problems(header, name)
    for row in every:
        ref = InputRef(name, row.line, 0)
        digest = sha256(header.sha256.encode(), row.sha256.encode())
        if problems:
            yield RawRecord(ref, "problem", problems, digest)
        elif row.cells is None:
            yield RawRecord(ref, "problem", (Finding("csv-row", row.problem or "", file=name),),
                            digest)
        elif header.cells is not None and len(row.cells) > len(header.cells):
            yield RawRecord(ref, "problem", (Finding(
                "csv-row", f"line {row.line}: the row has {len(row.cells)} cells, more than the "
                f"header's {len(header.cells)}", file=name),), digest)
        else:
            yield RawRecord(ref, "csv", dict(zip(header.cells or (), row.cells, strict=False)),
                            digest)


def _header_problems(header: Row, name: str) -> tuple[Finding, ...]:
    if header.cells is None:
        return (Finding("csv-header", f"the header row cannot be read: {header.problem}",
                        file=name),)
    return tuple(Finding("csv-header", f"column {one_line(h, 60)!r} is not a case field path "
                         "(e.g. events[0].date)", file=name) for h in bad_headers(header.cells))


__all__ = ["EXCERPT_CHARS", "MAX_CELL_CHARS", "MAX_ROW_BYTES", "MAX_ROW_LINES", "Row",
           "csv_records", "excerpt", "rows"]

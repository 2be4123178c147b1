"""What-if output: the summary on top, then every change of every case.

One row per change: the case id, the kind of change, what changed (``stage1.respond``, or
``status``), from and to, and where the case's record came from.  Three formats:

* ``text``: the summary, then one line per change;
* ``jsonl``: a first line ``{"record": "summary", …}`` (the counts), then one line
  ``{"record": "change", "case_id", "input", "kind", "what", "from", "to"}`` per change;
* ``csv``: the summary as lines starting with ``#``, an empty line, then a table with a header
  (``case_id,kind,what,from,to,source,line``).  A cell that a spreadsheet would read as a formula
  (starting ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``: case ids
  come from other systems.

The summary is known only when the last case is compared, so the changes are spooled meanwhile
(in memory up to :data:`SPOOL_IN_MEMORY` bytes, then in a private temporary file).
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

from redress.caseload.whatif import Move, WhatIfReport
from redress.evaluation.records import one_line, to_json_bytes, to_json_line

FORMATS = ("text", "jsonl", "csv")
CSV_COLUMNS = ("case_id", "kind", "what", "from", "to", "source", "line")
SPOOL_IN_MEMORY = 8 * 1024 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class MoveSpool:
    """Every change, in the order the cases were compared; call it with each :class:`Move`."""

    def __init__(self) -> None:
        # Closed by close() / the with-block that owns the spool.
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=SPOOL_IN_MEMORY)

    def __call__(self, move: Move) -> None:
        self._file.write(to_json_bytes(move.to_dict()))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._file.seek(0)
        for line in self._file:
            yield json.loads(line)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> MoveSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_report(out: IO[str], fmt: str, report: WhatIfReport, heading: Mapping[str, Any],
                 title: str, moves: MoveSpool) -> None:
    """The summary, then every change, in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "jsonl":
        out.write(to_json_line({"record": "summary", **report.summary(heading)}))
        for move in moves:
            out.write(to_json_line({"record": "change", **move}))
    elif fmt == "csv":
        for line in report.render(title).splitlines():
            out.write(f"# {line}\n" if line else "#\n")
        out.write("\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_row(move) for move in moves)
    else:
        out.write(report.render(title) + "\n")
        if report.changed:
            out.write("\nEvery change (case, input record: what: before → after):\n")
            for move in moves:
                out.write(_text_line(move) + "\n")


def _csv_row(move: Mapping[str, Any]) -> list[str]:
    where = move["input"]
    cells = [move["case_id"] or "", move["kind"], move["what"], move["from"], move["to"],
             where["source"], "" if where["line"] is None else str(where["line"])]
    return [spreadsheet_safe(str(c)) for c in cells]


def spreadsheet_safe(cell: str) -> str:
    """``cell``, with a leading ``'`` when a spreadsheet would run it as a formula."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def _text_line(move: Mapping[str, Any]) -> str:
    where = move["input"]
    place = where["source"] + (f":{where['line']}" if where["line"] else "")
    who = one_line(str(move["case_id"] or "(no id)"), 80)
    change = f"{move['what']}: {move['from']} → {move['to']}"
    return f"  {who} ({one_line(place, 120)}): {one_line(change)}"


__all__ = ["CSV_COLUMNS", "FORMATS", "MoveSpool", "spreadsheet_safe", "write_report"]

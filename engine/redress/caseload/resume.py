"""``--resume``: check an existing output against the inputs and options before going on.

Every line ``redress batch`` writes says, in its ``input`` member, which input record it answers
and how it was made:

* ``index``: the record's position among all input records (lines are in this order);
* ``sha256``: the SHA-256 of that record's bytes in its input (a JSON Lines line without its
  line ending, a whole case file, a CSV file's header and row);
* ``options``: the options that shape the output — evaluation date, policy set, rule backend and
  filters (see :func:`run_options`);
* ``previous``: the ``index`` of the line before it in the same output (``null`` on the first),
  so that a missing line is seen even when a filter leaves records out.

:func:`check_output` reads the output and the inputs side by side and refuses — changing
nothing — an output that is not a ``redress batch`` output, was written with other options,
does not answer these inputs record for record, misses a line, or answers a record the inputs do
not have.  Only when every complete line checks out may a torn last line (a ``{"`` and no
newline, as a kill in the middle of a write leaves) be dropped, by the caller, just before it
appends: so a file Redress did not write is never changed.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

from redress.caseload.raw import RawRecord

MAX_OUTPUT_LINE = 64 * 1024 * 1024  # far above any record; a longer line is not one of ours
NOTHING_CHANGED = "nothing was changed"


class ResumeRefused(Exception):
    """The output cannot be resumed with these inputs and options; the message says why."""


def run_options(as_of: dt.date, policy_set: str, backend: str, overdue: bool = False,
                due_within: int | None = None, form: str = "full") -> str:
    """The options a resumed run must share with the first, as one short string.

    ``as-of=2026-06-01 policies=1a2b3c4d5e6f7a8b backend=plain overdue due-within=3``; the lean
    form adds ``form=lean`` (the full form, the default, adds nothing).
    """
    words = [f"as-of={as_of.isoformat()}", f"policies={policy_set[:16]}", f"backend={backend}"]
    if overdue:
        words.append("overdue")
    if due_within is not None:
        words.append(f"due-within={due_within}")
    if form != "full":
        words.append(f"form={form}")
    return " ".join(words)


def _parse_options(text: str) -> dict[str, str]:
    pairs = (word.partition("=") for word in text.split())
    return {key: value if sep else "yes" for key, sep, value in pairs}


def options_difference(theirs: str, ours: str) -> str:
    """``the first run used --as-of 2025-05-01; this run --as-of 2025-05-02``."""
    a, b = _parse_options(theirs), _parse_options(ours)
    keys = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
    return (f"the first run used {', '.join(_shown(k, a.get(k)) for k in keys)}; "
            f"this run {', '.join(_shown(k, b.get(k)) for k in keys)}")


def _shown(key: str, value: str | None) -> str:
    if key == "policies":
        return f"policy set {value}…" if value else "no policy set"
    if key == "form" and value is None:
        return "--form full"
    if value is None:
        return f"no --{key}"
    return f"--{key}" if value == "yes" else f"--{key} {value}"


@dataclass(frozen=True)
class ResumePoint:
    """What an output already holds, once checked."""

    lines: int                # complete lines kept
    answered: int             # input records answered or left out by a filter: last index + 1
    last_index: int | None    # the ``index`` of the last line (the next line's ``previous``)
    keep_bytes: int           # the size of the checked lines; a torn tail lies beyond
    torn: bool                # a torn last line follows the checked lines


class _Inputs:
    """The inputs, read forward to the record a line answers."""

    def __init__(self, records: Iterator[RawRecord]) -> None:
        self.records = records
        self.seen = 0

    def at(self, index: int) -> RawRecord | None:
        for raw in self.records:
            self.seen += 1
            if raw.ref.index == index:
                return raw
        return None


def check_output(path: str, inputs: Iterator[RawRecord], options: str, filtered: bool,
                 each: Callable[[dict[str, Any]], None] | None = None) -> ResumePoint:
    """Check ``path`` line by line against ``inputs`` (read up to the last record answered).

    ``each`` is called with every record kept (to rebuild the summary).  Raises
    :class:`ResumeRefused` (having changed nothing) when the output cannot be resumed, and
    ``OSError`` when it cannot be read.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise ResumeRefused(f"{path}: not a regular file; {NOTHING_CHANGED}")
    source = _Inputs(inputs)
    lines, kept, last = 0, 0, None
    with open(path, "rb") as fh:
        for number, raw in enumerate(_lines(fh), start=1):
            if not raw.endswith(b"\n"):
                return _torn(path, raw, lines, kept, last)
            where = f"{path}:{number}"
            record = _record(raw, where)
            last = _check(record["input"], where, source, options, filtered, last)
            lines += 1
            kept += len(raw)
            if each is not None:
                each(record)
    return ResumePoint(lines, 0 if last is None else last + 1, last, kept, False)


def _lines(fh: IO[bytes]) -> Iterator[bytes]:
    while raw := fh.readline(MAX_OUTPUT_LINE + 1):
        yield raw


def _torn(path: str, tail: bytes, lines: int, kept: int, last: int | None) -> ResumePoint:
    if lines == 0 or last is None:
        raise ResumeRefused(f"{path}: holds no complete record of redress batch (its only line "
                            f"has no end); {NOTHING_CHANGED}")
    if not tail.startswith(b'{"') or len(tail) > MAX_OUTPUT_LINE:
        raise ResumeRefused(f"{path}:{lines + 1}: the last line is not the start of a record; "
                            f"{NOTHING_CHANGED}")
    return ResumePoint(lines, last + 1, last, kept, True)


def _record(raw: bytes, where: str) -> dict[str, Any]:
    try:
        record = orjson.loads(raw)  # a resumed file can hold gigabytes of results
    except ValueError:
        raise ResumeRefused(f"{where}: not a JSON record; this is not an output of redress batch "
                            f"to resume ({NOTHING_CHANGED})") from None
    ref = record.get("input") if isinstance(record, dict) else None
    if not isinstance(ref, dict) or not isinstance(ref.get("index"), int):
        raise ResumeRefused(f"{where}: not a redress batch record (no input.index); "
                            f"{NOTHING_CHANGED}")
    if not isinstance(ref.get("sha256"), str) or not isinstance(ref.get("options"), str):
        raise ResumeRefused(f"{where}: the record does not say which input and options it "
                            "answers (written by an older Redress, or not by redress batch), so "
                            f"it cannot be checked; {NOTHING_CHANGED}: start a new output")
    result: dict[str, Any] = record
    return result


def _check(ref: dict[str, Any], where: str, source: _Inputs, options: str, filtered: bool,
           last: int | None) -> int:
    """Check one line's ``input`` member; its index."""
    if ref["options"] != options:
        raise ResumeRefused(f"{where}: the output was written with other options: "
                            f"{options_difference(ref['options'], options)}; resume with the "
                            f"first run's options ({NOTHING_CHANGED})")
    index: int = ref["index"]
    expected = 0 if last is None else last + 1
    if ref.get("previous", -1) != last or index < expected or (not filtered and index != expected):
        raise ResumeRefused(f"{where}: a line is missing or out of order before this one (it "
                            f"answers input record {index}, after "
                            f"{'none' if last is None else last}); {NOTHING_CHANGED}")
    raw = source.at(index)
    if raw is None:
        raise ResumeRefused(f"{where}: answers input record {index}, but the inputs hold only "
                            f"{source.seen} records; this output does not belong to these inputs "
                            f"({NOTHING_CHANGED})")
    if raw.sha256 != ref["sha256"]:
        place = raw.ref.source + (f" line {raw.ref.line}" if raw.ref.line else "")
        raise ResumeRefused(f"{where}: input record {index} ({place}) is not the record this "
                            "line answers (its SHA-256 differs); resume with the inputs of the "
                            f"first run ({NOTHING_CHANGED})")
    return index


__all__ = ["MAX_OUTPUT_LINE", "ResumePoint", "ResumeRefused", "check_output",
           "options_difference", "run_options"]

"""The record contract for many cases: one JSON Lines record per input record, in input order.

A *success* record is ``Result.to_dict()`` plus an ``input`` member naming where the case came
from; an *error* record is ``{"input": …, "case_id": …, "error": {"kind", "message",
"problems"}}``.  A line with an ``"error"`` member is an error record.  ``schemas/record.schema.json``
describes both.

This module sits in ``evaluation`` (not ``caseload``) because ``Engine.evaluate_many``, the
batch command and the HTTP service all produce records and may not import one another;
``redress.caseload.records`` re-exports it for readers who look there.

:func:`evaluate_record` is the one place that turns one parsed input into one record: every
exception becomes an error record (``CaseError`` → ``invalid_case``, ``CalendarRangeError`` →
``out_of_calendar``, anything else → ``internal_error`` naming the case), never raised.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, Protocol

import orjson

from redress.__about__ import SCHEMA_VERSION
from redress.errors import CalendarRangeError, CaseError
from redress.evaluation.result import Form, Result
from redress.findings import Finding, format_path
from redress.frozen_dataclass import frozen_dataclass
from redress.policy.loader import Document

ErrorKind = Literal["invalid_case", "unreadable", "out_of_calendar", "internal_error",
                    "worker_crash", "too_large", "time_limit"]
ERROR_KINDS: tuple[ErrorKind, ...] = ("invalid_case", "unreadable", "out_of_calendar",
                                      "internal_error", "worker_crash", "too_large", "time_limit")
# Kinds that mean a fault in Redress or its rule backend, not in the case (the CLI exits 3).
INTERNAL_KINDS: frozenset[str] = frozenset({"internal_error", "worker_crash"})
MESSAGE_LIMIT = 300  # one line, short: messages land in logs and terminals


@frozen_dataclass
class InputRef:
    """Where a record came from: a file name (or ``-``), its 1-based line, its 0-based position."""

    source: str
    line: int | None
    index: int

    def to_dict(self) -> dict[str, Any]:
        """``{"source", "line", "index"}``, the ``input`` member of every record."""
        return {"source": self.source, "line": self.line, "index": self.index}


@frozen_dataclass
class Problem:
    """One problem with an input record; ``path`` is into the case (``events[0].date``)."""

    path: str | None
    line: int | None
    column: int | None
    message: str
    check: str | None = None  # the finding's check id, as lint shows it

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column,
                "message": self.message, "check": self.check}

    @classmethod
    def from_finding(cls, finding: Finding, line: int | None = None) -> Problem:
        """A finding as a problem; ``line`` is used when the finding has no position."""
        pos = finding.pos
        message = finding.message + (f" ({finding.hint})" if finding.hint else "")
        return cls(path=format_path(finding.path) if finding.path else None,
                   line=pos.line if pos else line, column=pos.col if pos else None,
                   message=one_line(message), check=finding.check_id or None)


@frozen_dataclass
class ParsedInput:
    """One input record before evaluation: its case document, or why it could not be read."""

    ref: InputRef
    document: Document | None
    problems: tuple[Finding, ...] = ()


@frozen_dataclass
class ResultRecord:
    """A case that evaluated."""

    input: InputRef
    result: Result

    is_error = False

    @property
    def case_id(self) -> str:
        """The evaluated case's id."""
        return self.result.case_id

    def to_dict(self, form: Form = "full") -> dict[str, Any]:
        """The result in ``form`` with its ``input``; a lean record names citations by id and
        carries no table of them (the policy set's table is fetched once, by its hash)."""
        data = (self.result.lean_dict(with_citations=False) if form == "lean"
                else self.result.to_dict(form))
        data["input"] = self.input.to_dict()
        return data


@frozen_dataclass
class ErrorRecord:
    """A record that could not be evaluated, with every problem found."""

    input: InputRef
    case_id: str | None
    kind: ErrorKind
    message: str
    problems: tuple[Problem, ...] = ()

    is_error = True

    def to_dict(self, form: Form = "full") -> dict[str, Any]:
        """The error record as JSON-ready data (``schemas/record.schema.json``), in ``form``."""
        return {"form": form, "schema_version": SCHEMA_VERSION, "input": self.input.to_dict(),
                "case_id": self.case_id,
                "error": {"kind": self.kind, "message": self.message,
                          "problems": [p.to_dict() for p in self.problems]}}


Record = ResultRecord | ErrorRecord


def json_bytes(data: Any, newline: bool = False) -> bytes:
    """``data`` as compact UTF-8 JSON, never failing to encode.

    orjson writes a result about ten times faster than the standard library; anything it
    refuses (a lone surrogate from a JSON ``\\ud800`` escape, an integer beyond 64 bits) is written
    by the standard library with ASCII escapes instead.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE if newline else 0)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
        return (text + "\n" if newline else text).encode("ascii")


def to_json_bytes(record: Record | Mapping[str, Any], form: Form = "full") -> bytes:
    """The record as one UTF-8 JSON Lines line (ending in ``\\n``); see :func:`to_json_line`."""
    data = record if isinstance(record, Mapping) else record.to_dict(form)
    return json_bytes(data, newline=True)


def to_json_line(record: Record | Mapping[str, Any], form: Form = "full") -> str:
    """The record as one JSON Lines line (ending in ``\\n``), UTF-8 safe.

    Non-ASCII text is kept readable; a string that cannot be encoded as UTF-8 (a lone surrogate
    from a JSON ``\\ud800`` escape) makes the line fall back to ASCII escapes instead of failing.
    """
    return to_json_bytes(record, form).decode("utf-8")


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` on one line with control characters escaped, cut to ``limit`` characters."""
    flat = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in " ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def case_id_of(data: Any) -> str | None:
    """The case's ``id`` when it is a string (a bad record may have none)."""
    if isinstance(data, Mapping):
        value = data.get("id")
        if isinstance(value, str):
            return value
    return None


def unreadable(ref: InputRef, findings: Iterable[Finding], case_id: str | None = None) -> ErrorRecord:
    """An error record for input that could not be read or parsed."""
    problems = tuple(Problem.from_finding(f, ref.line) for f in findings)
    head = problems[0].message if problems else "the record could not be read"
    return ErrorRecord(ref, case_id, "unreadable", one_line(f"cannot read the record: {head}"),
                       problems)


class Evaluates(Protocol):
    """Anything that evaluates one case (an ``Engine``)."""

    def evaluate(self, case: Document, as_of: dt.date | str | None = None) -> Result: ...


def evaluate_record(engine: Evaluates, parsed: ParsedInput, as_of: dt.date | None) -> Record:
    """Evaluate one parsed input into one record; never raises for a bad or failing case."""
    if parsed.document is None:
        return unreadable(parsed.ref, parsed.problems)
    try:
        outcome: Result | Exception = engine.evaluate(parsed.document, as_of=as_of)
    except Exception as exc:  # worded by record_of: a bug is a record, never a traceback
        outcome = exc
    return record_of(parsed, outcome)


def record_of(parsed: ParsedInput, outcome: Result | BaseException) -> Record:
    """The record of an input's result, or of the exception its evaluation raised."""
    ref = parsed.ref
    if isinstance(outcome, Result):
        return ResultRecord(ref, outcome)
    case_id = case_id_of(parsed.document.data) if parsed.document is not None else None
    if isinstance(outcome, CaseError):
        problems = tuple(Problem.from_finding(f, ref.line) for f in outcome.findings
                         if f.is_error)
        if problems and all(p.check == "date-out-of-range" for p in problems):
            # The engine words a count past the calendar as a case problem; it is its own kind.
            return ErrorRecord(ref, case_id, "out_of_calendar", one_line(
                f"a date falls outside the working-day calendar: {problems[0].message}"), problems)
        first = f"; first: {_where(problems[0])}{problems[0].message}" if problems else ""
        return ErrorRecord(ref, case_id, "invalid_case",
                           one_line(f"invalid case: {len(problems)} problem(s){first}"), problems)
    if isinstance(outcome, CalendarRangeError):
        return ErrorRecord(ref, case_id, "out_of_calendar",
                           one_line(f"a date falls outside the working-day calendar: {outcome}"))
    return internal_error(ref, case_id, outcome)


def internal_error(ref: InputRef, case_id: str | None, exc: BaseException) -> ErrorRecord:
    """An error record for an unexpected exception, naming the case and where Redress failed."""
    where = _redress_frame(exc)
    who = f"case {case_id!r}" if case_id is not None else f"record {ref.index}"
    return ErrorRecord(ref, case_id, "internal_error", one_line(
        f"internal error in Redress evaluating {who}: {type(exc).__name__}"
        + (f" at {where}" if where else "") + f": {exc}; please report it"))


def worker_crash(ref: InputRef, case_id: str | None, why: str) -> ErrorRecord:
    """An error record for a record that keeps ending the worker process evaluating it."""
    who = f"case {case_id!r}" if case_id is not None else f"record {ref.index}"
    return ErrorRecord(ref, case_id, "worker_crash", one_line(
        f"{who} was not evaluated: {why}; this is a fault in Redress or its rule backend, "
        "please report it (--backend plain may evaluate it)"))


def _where(problem: Problem) -> str:
    return f"{problem.path}: " if problem.path and not problem.message.startswith(problem.path) \
        else ""


# The package's own folder: a frame belongs to Redress only if its file lies under it.  A
# substring test on "/redress/" would also take a checkout or a caller that lives in a folder
# of that name, and then name the wrong file.
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _redress_frame(exc: BaseException) -> str | None:
    """``evaluation/timeline.py:120`` for the innermost frame inside the package, if any."""
    import traceback  # only for an internal error, not at every start

    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            inside = Path(frame.filename).resolve().relative_to(_PACKAGE_ROOT)
        except (ValueError, OSError):
            continue
        found = f"{inside.as_posix()}:{frame.lineno}"
    return found


__all__ = ["ERROR_KINDS", "INTERNAL_KINDS", "ErrorKind", "ErrorRecord", "Evaluates", "InputRef",
           "ParsedInput", "Problem", "Record", "ResultRecord", "case_id_of", "evaluate_record",
           "internal_error", "json_bytes", "one_line", "record_of", "to_json_bytes", "to_json_line",
           "unreadable", "worker_crash"]

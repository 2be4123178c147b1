"""Reading result records: the JSON Lines written by ``redress batch``, or result dictionaries.

Results are input like cases: they may come from another system, a hand edit or a hostile file.
Every line is read with a bounded buffer (``MAX_LINE_BYTES``), the whole input with a cap
(``MAX_RESULTS_BYTES``, so ``/dev/zero`` or an endless pipe stops with an error instead of
filling memory), decoded as strict UTF-8, parsed, checked for depth, number size and finite
numbers (as a case is), and validated against ``schemas/record.schema.json``.  A line that fails
any of these becomes an error record of kind ``unreadable`` naming its line: the report counts and
lists it, takes no figure from it, and carries on.

A line with an ``error`` member is an error record (the batch could not evaluate that case).

Records written before the contract (package 0.1.0, e.g. last year's file given to
``--compare-to``) have neither ``form`` nor ``schema_version``; they were full results, so each is
read as ``form: "full"`` with ``schema_version`` ``PRE_1_SCHEMA_VERSION`` and then checked like
any other record (see :func:`as_version_1`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from redress.findings import Finding, excerpt, format_path
from redress.policy.compiled_schema import surely_valid
from redress.policy.loader import InputTooLarge, data_document
from redress.policy.schema import schema_findings

MAX_LINE_BYTES = 8 * 1024 * 1024  # one result; a full result of the largest case is far smaller
MAX_RESULTS_BYTES = 256 * 1024 * 1024  # a year of a large council is a few tens of MB
MAX_REFERENCES_BYTES = 1024 * 1024  # an Ombudsman's annual letter lists at most a few hundred
MESSAGE_CHARS = 300
# Stamped on a record without ``schema_version``: the schemas had no version before 1.0.
PRE_1_SCHEMA_VERSION = "0.0"


def read_results(stream: IO[bytes], source: str,
                 limit: int = MAX_RESULTS_BYTES) -> list[dict[str, Any]]:
    """One record per non-blank line, in order; raises ``InputTooLarge`` past ``limit`` bytes
    and ``OSError`` when the stream cannot be read."""
    return [checked_line(text, source, number) if problem is None
            else unreadable(source, number, problem)
            for number, text, problem in _lines(stream, limit)]


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, problem) of each non-blank line, reading at most ``limit`` bytes."""
    total, number = 0, 0
    while True:
        chunk = stream.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        number += 1
        total += len(chunk)
        too_long = len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n")
        while too_long and not chunk.endswith(b"\n") and total <= limit:
            chunk = stream.readline(MAX_LINE_BYTES)  # drop the rest of the line, still counted
            total += len(chunk)
            if not chunk:
                break
        if total > limit:
            raise InputTooLarge(f"larger than the limit of {limit} bytes")
        if too_long:
            yield number, "", f"the line is longer than the limit of {MAX_LINE_BYTES} bytes"
            continue
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, "", f"not UTF-8 text (byte {exc.start + 1} of the line)"
            continue
        if text.strip():
            yield number, text, None


def checked_line(text: str, source: str, line: int | None) -> dict[str, Any]:
    """The record on one line, or an ``unreadable`` error record saying what is wrong."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return unreadable(source, line, f"not JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return unreadable(source, line, "not readable: the JSON is nested too deeply")
    except ValueError as exc:  # an integer longer than Python converts
        return unreadable(source, line, f"not readable: too many digits in a number ({exc})")
    return checked_record(value, source, line)


def checked_record(value: Any, source: str, line: int | None) -> dict[str, Any]:
    """``value`` if it is a record of ``schemas/record.schema.json`` (a result without the batch's
    ``input`` member is checked against the result schema), else an error record."""
    if not isinstance(value, dict):
        return unreadable(source, line, "not a JSON object")
    doc, findings = data_document(value, source)
    if doc is None:
        return unreadable(source, line, _problem_text(findings), value)
    record = as_version_1(value)
    schema = "record" if "input" in record or "error" in record else "result"
    if surely_valid(record, schema):
        return record
    try:
        problems = schema_findings(record, schema)
    except RecursionError:  # data_document bounds the depth first; this is a last resort
        return unreadable(source, line, "not readable: nested too deeply", record)
    if problems:
        what = "an error record" if "error" in record else "a result record"
        return unreadable(source, line, f"not {what} of schemas/{schema}.schema.json: "
                          + _problem_text(problems), record)
    return record


def as_version_1(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` as version 1 reads it: a record without ``schema_version`` comes from before the
    contract, when every result was full, so it gets ``form: "full"`` (unless it names one) and
    ``schema_version`` ``PRE_1_SCHEMA_VERSION``.  A record that states a version is left as it is:
    from 1.0 on both members are required, so one without ``form`` is malformed."""
    if "schema_version" in value:
        return value
    return {"form": "full", **value, "schema_version": PRE_1_SCHEMA_VERSION}


def _problem_text(findings: list[Finding]) -> str:
    words = {"nested more than": "nested too deeply", "digits is too long": "too many digits",
             "not a finite": "not a finite number"}
    parts = []
    for f in findings[:3]:
        message = f.message
        where = format_path(f.path) if f.path else ""
        if where and not message.startswith(where):
            message = f"{where}: {message}"
        for key, word in words.items():
            if key in message:
                message = f"{word}: {message}"
        parts.append(message)
    more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
    return excerpt("; ".join(parts) + more, MESSAGE_CHARS)


def checked_records(records: Iterable[Mapping[str, Any]],
                    source: str = "<data>") -> list[dict[str, Any]]:
    """Result dictionaries given to the library, each checked as a line of a file would be."""
    return [checked_record(dict(r) if isinstance(r, Mapping) else r, source, None)
            for r in records]


def unreadable(source: str, line: int | None, message: str,
               value: Any = None) -> dict[str, Any]:
    """An error record for a line that is not a usable record (its case id kept if it is text)."""
    case_id = value.get("case_id") if isinstance(value, dict) else None
    return {"input": {"source": source, "line": line, "index": None},
            "case_id": excerpt(case_id, 200) if isinstance(case_id, str) else None,
            "error": {"kind": "unreadable", "message": excerpt(message, MESSAGE_CHARS),
                      "problems": []}}


def read_references(data: bytes) -> tuple[str, ...]:
    """One Ombudsman reference a line (the first comma-separated field); blank and '#' lines
    skipped.  ``data`` is already bounded by the caller."""
    out = []
    for line in data.decode("utf-8").splitlines():
        ref = line.split(",")[0].strip()
        if ref and not ref.startswith("#"):
            out.append(excerpt(ref, 200))
    return tuple(out)


# Kept for callers of the earlier text-lines reader (tests, scripts).
def read_records(lines: Iterable[str], source: str = "-") -> list[dict[str, Any]]:
    """One record per non-blank line of already decoded text, each checked."""
    return [checked_line(line, source, number) for number, line in enumerate(lines, start=1)
            if line.strip()]


__all__ = ["MAX_LINE_BYTES", "MAX_REFERENCES_BYTES", "MAX_RESULTS_BYTES", "PRE_1_SCHEMA_VERSION",
           "as_version_1", "checked_line", "checked_record", "checked_records", "read_records",
           "read_references", "read_results", "unreadable"]

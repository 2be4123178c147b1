"""Reading request bodies: one case (JSON or YAML) and JSON Lines batches.

JSON is read with the standard library (fast) but as strictly as the YAML loader reads files:
a repeated key is refused rather than letting the last one silently win.
"""

from __future__ import annotations

import json
from typing import Any

from redress.evaluation.records import InputRef, ParsedInput, Problem
from redress.findings import Finding, SourcePos
from redress.policy.loader import Document, parse_text
from redress.serve.problems import ServiceError, json_syntax

REQUEST = "<request>"
BATCH_SOURCE = "-"  # the request body plays the part of `redress batch`'s standard input


class DuplicateKeyError(ValueError):
    """A JSON object repeats a key."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKeyError(f"duplicate key {key!r}")
        out[key] = value
    return out


def loads_strict(text: str) -> Any:
    """``json.loads`` that refuses repeated keys (``DuplicateKeyError``)."""
    return json.loads(text, object_pairs_hook=_no_duplicates)


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ServiceError(422, "unreadable", f"the body is not UTF-8 text: {exc.reason} at byte "
                           f"{exc.start}") from None


def case_document(raw: bytes, content_type: str) -> tuple[Document, str]:
    """The case in a request body and the body's text; a 422 when it cannot be parsed."""
    text = decode(raw)
    if "yaml" in content_type.lower():
        doc, findings = parse_text(text, REQUEST)
        if doc is None:
            raise _unreadable(findings)
        return doc, text
    try:
        return Document(REQUEST, loads_strict(text), {}), text
    except json.JSONDecodeError as exc:
        raise _unreadable([json_syntax(exc)]) from None
    except DuplicateKeyError as exc:
        raise _unreadable([Finding("json-duplicate-key", str(exc))]) from None


def _unreadable(findings: list[Finding]) -> ServiceError:
    problems = tuple(Problem.from_finding(f) for f in findings)
    head = problems[0].message if problems else "the body could not be read"
    return ServiceError(422, "unreadable", f"cannot read the case: {head}", problems)


def batch_inputs(raw: bytes) -> list[ParsedInput]:
    """One parsed input per non-blank line; a line that cannot be read carries its problem."""
    inputs: list[ParsedInput] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        ref = InputRef(BATCH_SOURCE, number, len(inputs))
        inputs.append(_parse_line(ref, line))
    return inputs


def _parse_line(ref: InputRef, line: bytes) -> ParsedInput:
    number = ref.line or 1
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ParsedInput(ref, None, (Finding("not-utf8", f"the line is not UTF-8 text: "
                                               f"{exc.reason} at byte {exc.start}",
                                               pos=SourcePos(number, exc.start + 1)),))
    try:
        return ParsedInput(ref, Document(BATCH_SOURCE, loads_strict(text), {}))
    except json.JSONDecodeError as exc:
        return ParsedInput(ref, None, (json_syntax(exc, line_offset=number - 1),))
    except DuplicateKeyError as exc:
        return ParsedInput(ref, None, (Finding("json-duplicate-key", str(exc),
                                               pos=SourcePos(number, 1)),))


__all__ = ["BATCH_SOURCE", "REQUEST", "batch_inputs", "case_document", "decode", "loads_strict"]

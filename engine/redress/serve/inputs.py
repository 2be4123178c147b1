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
BOM = b"\xef\xbb\xbf"  # what Windows tools write at the start of UTF-8 text
BATCH_SOURCE = "-"  # the request body plays the part of `redress batch`'s standard input


class DuplicateKeyError(ValueError):
    """A JSON object repeats a key."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # some key repeats: name the first repeat, in order
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(f"duplicate key {key!r}")
            seen.add(key)
    return out


# One decoder for every request (``json.loads`` with a hook builds a new one each call).
_STRICT = json.JSONDecoder(object_pairs_hook=_no_duplicates)


def loads_strict(text: str) -> Any:
    """``json.loads`` that refuses repeated keys (``DuplicateKeyError``)."""
    if text.startswith("\ufeff"):
        return json.loads(text, object_pairs_hook=_no_duplicates)  # json's own BOM error
    return _STRICT.decode(text)


def decode(raw: bytes) -> str:
    """The body as text; a leading UTF-8 byte-order mark is dropped, other bytes must be UTF-8."""
    try:
        return raw.removeprefix(BOM).decode("utf-8")
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
    data, problem = parse_json(text)
    if problem is not None:
        raise _unreadable([problem])
    return Document(REQUEST, data, {}), text


def parse_json(text: str, line: int = 1) -> tuple[Any, Finding | None]:
    """Strict JSON, or the finding that says why not (``line``: where ``text`` starts).

    Besides syntax errors and repeated keys, nesting deeper than Python's recursion limit and
    integers longer than Python converts are refused as unreadable, not crashes.
    """
    try:
        return loads_strict(text), None
    except json.JSONDecodeError as exc:
        return None, json_syntax(exc, line_offset=line - 1)
    # No position for these: the record's line is filled in where it is known (as redress
    # batch does), and no column is claimed.
    except DuplicateKeyError as exc:
        return None, Finding("json-duplicate-key", str(exc))
    except RecursionError:
        return None, Finding("json-syntax", "the JSON is nested too deeply")
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        return None, Finding("json-syntax", f"not readable JSON: {exc}")


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
        inputs.append(parse_line(ref, line))
    return inputs


def parse_line(ref: InputRef, line: bytes) -> ParsedInput:
    """One JSON Lines record parsed, or the problem that stops it being read."""
    number = ref.line or 1
    if number == 1:
        line = line.removeprefix(BOM)  # a byte-order mark may start the body
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ParsedInput(ref, None, (Finding("not-utf8", f"the line is not UTF-8 text: "
                                               f"{exc.reason} at byte {exc.start}",
                                               pos=SourcePos(number, exc.start + 1)),))
    data, problem = parse_json(text, number)
    if problem is not None:
        return ParsedInput(ref, None, (problem,))
    return ParsedInput(ref, Document(BATCH_SOURCE, data, {}))


__all__ = ["BATCH_SOURCE", "BOM", "REQUEST", "batch_inputs", "case_document", "decode",
           "loads_strict", "parse_json", "parse_line"]

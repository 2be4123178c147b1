"""One raw input record → one parsed case document, or the findings that make it unreadable."""

from __future__ import annotations

import json

from redress.caseload.raw import RawRecord
from redress.evaluation.records import ParsedInput
from redress.findings import Finding, SourcePos
from redress.policy.loader import Document, decode_text, parse_text


def parse_raw(raw: RawRecord) -> ParsedInput:
    """Parse a raw record; a syntax error is a finding with the record's line and column."""
    ref = raw.ref
    name = ref.source if ref.line is None else f"{ref.source}:{ref.line}"
    if raw.kind == "problem":
        return ParsedInput(ref, None, tuple(raw.payload))
    if raw.kind == "document":
        return ParsedInput(ref, raw.payload)
    if raw.kind == "file":
        text, findings = decode_text(raw.payload, name)
        doc, more = (None, []) if text is None else parse_text(text, name)
        return ParsedInput(ref, doc, (*findings, *more))
    if raw.kind == "csv":
        from redress.caseload.csv_cases import case_from_row  # only for a CSV row

        try:
            return ParsedInput(ref, Document(name, case_from_row(raw.payload), {}))
        except ValueError as exc:
            return ParsedInput(ref, None, (Finding("csv-row", str(exc), file=ref.source),))
    try:
        data = json.loads(raw.payload.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return ParsedInput(ref, None, (Finding(
            "json-syntax", f"not valid JSON: {exc.msg}", file=ref.source,
            pos=SourcePos(ref.line or 1, exc.colno)),))
    except RecursionError:
        return ParsedInput(ref, None, (Finding("json-syntax", "the JSON is nested too deeply",
                                               file=ref.source),))
    except ValueError as exc:  # e.g. an integer longer than Python converts by default
        return ParsedInput(ref, None, (Finding("json-syntax", f"not readable JSON: {exc}",
                                               file=ref.source),))
    return ParsedInput(ref, Document(name, data, {}))


__all__ = ["parse_raw"]

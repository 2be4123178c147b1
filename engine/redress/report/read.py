"""Reading result records: the JSON Lines written by ``redress batch``, or result dictionaries.

A line with an ``error`` member is an error record (the batch could not evaluate that case): the
report counts and lists it but takes no figure from it.  A line that is not a JSON object is
turned into an error record of kind ``unreadable`` naming its line, so one bad line never stops
a report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def read_records(lines: Iterable[str], source: str = "-") -> list[dict[str, Any]]:
    """One record per non-blank line, in order."""
    out: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(_unreadable(source, number, f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(value, dict):
            out.append(_unreadable(source, number, "not a JSON object"))
        elif "error" not in value and not isinstance(value.get("case_id"), str):
            out.append(_unreadable(source, number, "neither a result nor an error record"))
        else:
            out.append(value)
    return out


def _unreadable(source: str, line: int, message: str) -> dict[str, Any]:
    return {"input": {"source": source, "line": line, "index": None}, "case_id": None,
            "error": {"kind": "unreadable", "message": message, "problems": []}}


__all__ = ["read_records"]

"""CSV caseloads: one case per row, one column per case field.

The mapping is flat and mechanical, so a spreadsheet export needs no configuration:

* a column's header is the field's path in the case format: ``id``, ``received``,
  ``complainant.role``, ``organisations[0].id``, ``events[1].date``;
* an empty cell leaves the field out, except that a case with no events yet may leave every
  event column empty (or write ``[]`` in an ``events`` column): its ``events`` is then ``[]``;
* the field's type in ``schemas/case.schema.json`` decides how a cell is read: whole numbers
  (``subject.age``, ``events[].days``), ``true``/``false`` (``organisations[].lead``), and lists
  (``matter.topics``, ``subject.status``) written with ``;`` between items (``short_breaks;other``),
  ``[]`` for an empty list; everything else is text.

A cell that cannot be read as its type is kept as text, so the case's validation reports it with
its path, like any other invalid case.  A header that is not a path (``events[x]``) makes every
row of the file an error naming the column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from itertools import pairwise
from typing import Any

from redress.resources import schema_path

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d{1,3}\])*)")
LIST_SEPARATOR = ";"
EMPTY_LIST = "[]"


def parse_header(header: str) -> tuple[str | int, ...] | None:
    """``events[1].date`` → ``("events", 1, "date")``; None if it is not a field path."""
    path: list[str | int] = []
    for piece in header.strip().split("."):
        match = _PART.fullmatch(piece)
        if match is None:
            return None
        path.append(match.group(1))
        path.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return tuple(path)


def bad_headers(headers: list[str]) -> list[str]:
    """Headers that are not field paths (the file's rows cannot be mapped)."""
    return [h for h in headers if parse_header(h) is None]


@cache
def _field_types() -> Mapping[tuple[str, ...], str]:
    """Each field path (with ``[]`` for list items) → ``integer``/``boolean``/``array``/…,
    ``objects`` for a list of objects and ``text`` for free text."""
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    types: dict[tuple[str, ...], str] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, Mapping):
            return
        for name, sub in (node.get("properties") or {}).items():
            if not isinstance(sub, Mapping):
                continue
            kind = sub.get("type")
            if kind == "string" and name not in ("id", "$schema") \
                    and not {"enum", "format", "pattern", "const"} & set(sub):
                kind = "text"  # free text: a note or a name, which may hold line breaks
            if isinstance(kind, str):
                types[(*path, name)] = kind
            items = sub.get("items")
            if kind == "array" and isinstance(items, Mapping) and items.get("type") == "object":
                types[(*path, name)] = "objects"
                walk(items, (*path, name, "[]"))
            else:
                walk(sub, (*path, name))

    walk(schema, ())
    return types


def free_text_columns(headers: list[str]) -> frozenset[int]:
    """The positions of the columns whose cells may hold line breaks (notes, names)."""
    types = _field_types()
    return frozenset(i for i, header in enumerate(headers)
                     if (path := parse_header(header)) is not None
                     and types.get(_schema_key(path)) == "text")


def _schema_key(path: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple("[]" if isinstance(p, int) else p for p in path)


def _typed(path: tuple[str | int, ...], cell: str) -> Any:
    kind = _field_types().get(_schema_key(path))
    text = cell.strip()
    if kind in ("array", "objects") and text == EMPTY_LIST:
        return []
    if kind == "integer" and re.fullmatch(r"-?\d{1,9}", text):
        return int(text)
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind == "array":
        return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
    return text


def case_from_row(row: Mapping[str, str | None]) -> dict[str, Any]:
    """The case a CSV row describes (headers are field paths; see the module docstring).

    Raises ``ValueError`` when two columns address the same field in different shapes.
    """
    case: dict[str, Any] = {}
    has_events = False
    for header, cell in row.items():
        path = None if header is None else parse_header(header)
        if path is None:
            continue
        has_events = has_events or path[0] == "events"
        if cell is None or not cell.strip():
            continue
        try:
            _put(case, path, _typed(path, cell))
        except (TypeError, AttributeError, IndexError) as exc:
            raise ValueError(f"column {header!r} conflicts with another column") from exc
    compact: dict[str, Any] = _compact(case)
    if has_events:  # event columns all empty: a case with no events yet
        compact.setdefault("events", [])
    return compact


def _put(node: Any, path: tuple[str | int, ...], value: Any) -> None:
    for here, after in pairwise(path):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(here, int):
            while len(node) <= here:
                node.append(None)
            if node[here] is None:
                node[here] = empty
            node = node[here]
        else:
            node = node.setdefault(here, empty)
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def _compact(value: Any) -> Any:
    """Drop the gaps left by unused numbered columns (``events[3]`` all empty)."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value if v is not None]
    return value


__all__ = ["EMPTY_LIST", "LIST_SEPARATOR", "bad_headers", "case_from_row", "free_text_columns",
           "parse_header"]

"""The case and result formats as field tables, generated from ``schemas/*.schema.json``.

Each object in a schema (the top level, every nested object, every ``$defs`` entry) becomes a
section with one row per field: its name, type, whether it is required and the schema's own
``title`` and ``description``.  The schemas are the contract, so the page cannot drift from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from redress.docs import markdown as md
from redress.resources import schema_path

TYPE_WORDS = {"string": "text", "integer": "whole number", "boolean": "true/false",
              "number": "number", "null": "null", "object": "object"}


def format_page(name: str, heading: str, intro: str, example: str | None = None) -> str:
    """The page for ``schemas/<name>.schema.json``."""
    schema = json.loads(Path(schema_path(name)).read_text(encoding="utf-8"))
    parts = [f"# {heading}", intro, md.prose(str(schema.get("description", ""))),
             f"The JSON Schema is `schemas/{name}.schema.json` (JSON Schema 2020-12)."]
    if example:
        parts.append(example)
    defs = {_key(sub): name for name, sub in (schema.get("$defs") or {}).items()}
    for title, path, obj in _objects(schema, defs):
        parts.append(_section(title, path, obj, defs))
    return "\n\n".join(parts) + "\n"


def _key(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True)


def _objects(schema: Mapping[str, Any],
             defs: Mapping[str, str]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(heading, anchor, object schema) for the top level, nested objects and ``$defs``."""
    yield from _walk("Top level", "", schema, defs)
    for name, sub in (schema.get("$defs") or {}).items():
        yield from _walk(f"`{name}` (shared definition)", name, sub, defs, anchor=name)


def _walk(title: str, path: str, obj: Mapping[str, Any], defs: Mapping[str, str],
          anchor: str | None = None) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    yield title, anchor or (path.replace(".", "-").replace("[]", "") or "top-level"), obj
    for name, sub in (obj.get("properties") or {}).items():
        child = f"{path}.{name}" if path else name
        target = _object_of(sub)
        if target is not None and _key(target) not in defs:
            label = f"{child}[]" if _is_array(sub) else child
            yield from _walk(f"`{label}`", label, target, defs)


def _is_array(sub: Mapping[str, Any]) -> bool:
    kinds = sub.get("type")
    return kinds == "array" or (isinstance(kinds, list) and "array" in kinds)


def _object_of(sub: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The object schema a field holds (itself, or its array items), if it has properties."""
    if _is_array(sub):
        sub = sub.get("items") or {}
    return sub if sub.get("properties") else None


def _section(title: str, anchor: str, obj: Mapping[str, Any], defs: Mapping[str, str]) -> str:
    required = set(obj.get("required") or ())
    rows = [(f"`{name}`", _type(sub, defs), "yes" if name in required else "",
             _meaning(sub)) for name, sub in (obj.get("properties") or {}).items()]
    head = f"## {title} {{#{anchor}}}"
    text = [head]
    if obj.get("description") and title != "Top level":
        text.append(md.prose(str(obj["description"])))
    text.append(md.table(["Field", "Type", "Required", "Meaning"], rows))
    conditions = list(_conditional(obj))
    if conditions:
        text.append(md.bullets(conditions))
    return "\n\n".join(text)


def _type(sub: Mapping[str, Any], defs: Mapping[str, str]) -> str:
    if "$ref" in sub:
        name = str(sub["$ref"]).rsplit("/", 1)[-1]
        return f"[{name}](#{name})"
    if _key(sub) in defs:
        name = defs[_key(sub)]
        return f"[{name}](#{name})"
    if "enum" in sub:
        return "one of " + ", ".join(f"`{v}`" if v is not None else "null" for v in sub["enum"])
    choices = sub.get("anyOf") or sub.get("oneOf")
    if isinstance(choices, list) and "type" not in sub:  # e.g. a date, or a date and time
        texts = list(dict.fromkeys(_type(c, defs) for c in choices if isinstance(c, Mapping)))
        if texts and all(t.startswith("date") for t in texts):
            return max(texts, key=len)
        return " or ".join(texts)
    raw = sub.get("type", "any")
    kinds = [str(k) for k in raw] if isinstance(raw, list) else [str(raw)]
    words: list[str] = []
    for kind in kinds:
        if kind == "array":
            words.append(f"list of {_type(sub.get('items') or {}, defs)}")
        elif kind == "string" and (sub.get("format") == "date" or "\\d{4}" in str(sub.get("pattern", ""))):
            words.append("date" + (" (and time)" if "T" in str(sub.get("pattern", "")) else ""))
        elif kind == "object" and sub.get("properties"):
            words.append("object (below)")
        else:
            words.append(TYPE_WORDS.get(kind, kind))
    return " or ".join(words)


def _meaning(sub: Mapping[str, Any]) -> str:
    title = str(sub.get("title", ""))
    description = str(sub.get("description", ""))
    text = f"**{md.escape(title)}.** " if title else ""
    return text + md.prose(description) if description else text


def _conditional(obj: Mapping[str, Any]) -> Iterator[str]:
    for clause in obj.get("allOf") or ():
        cond = ((clause.get("if") or {}).get("properties") or {})
        needs = (clause.get("then") or {}).get("required") or ()
        for field, test in cond.items():
            if "const" in test and needs:
                fields = ", ".join(f"`{n}`" for n in needs)
                yield f"When `{field}` is `{test['const']}`, {fields} is required."

"""Output enumerations made open in the OpenAPI document: the known values, or any string.

The contract rule (CHANGELOG.md) lets a later 1.x version add a value to an output enumeration
(a status, a deadline kind, a flag, an Ombudsman, an error kind) and tells clients to treat a
value they do not know as "other".  A closed ``enum`` breaks that: a client generated from 1.0
raises on the new value (openapi-python-client's ``Enum(value)``, Jackson's ``fromValue`` in
Java).  So each enumeration of an output schema becomes

* a named component listing the values this version knows (``DeadlineKind``), which generators
  turn into a type of their own (a Python ``Enum``, a TypeScript union of literals, a Java
  ``enum``), so the known values stay visible in a generated client; and
* where it is used, ``anyOf: [that component, any string]``, titled ``DeadlineKindOrOther``:
  openapi-python-client makes ``DeadlineKind | str`` (the enum when known, else the string),
  openapi-typescript ``components["schemas"]["DeadlineKind"] | string``, and openapi-generator
  a class of that title holding either (a wrapper it would otherwise name ``DeadlineKind`` too,
  overwriting the enum).  The ``anyOf`` stays inline: as a component of its own,
  openapi-generator warns that it cannot name it.

Input enumerations (the case's fields) stay closed: an unknown value there is refused, because
a misread field could give a wrong deadline.  The schema files keep their closed lists too:
they say what this version writes, and Redress checks its own output against them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from redress.__about__ import SCHEMA_VERSION

PREFIX = "#/components/schemas/"
# Subschemas that test a value rather than describe one: opening ``if: {const: x}`` would make
# the test always true.
# An enumeration's component is named after its owner and member (``DeadlineKind``), or here.
NAMES = {("EvaluationResult", "stage"): "CaseStage", ("EvaluationResult", "status"): "CaseStatus",
         ("CaseRecordStage", "stage"): "RecordedStage", ("OmbudsmanRoute", "body"): "Ombudsman"}
_TESTS = frozenset({"if", "not", "contains", "propertyNames", "dependentSchemas"})
_VALUES = frozenset({"examples", "example", "default", "const", "enum"})
_MAJOR = SCHEMA_VERSION.split(".")[0]
_KNOWN = (f"The values schema version {SCHEMA_VERSION} knows. A later version {_MAJOR}.x may "
          "add others: treat a value you do not know as other, never as an error.")


def open_enumerations(components: dict[str, dict[str, Any]],
                      outputs: Collection[str]) -> dict[str, dict[str, Any]]:
    """``components`` with the enumerations of the ``outputs`` components opened, and a
    component for the known values of each."""
    known: dict[str, dict[str, Any]] = {}
    opened = {name: (_open(body, name, known) if name in outputs else body)
              for name, body in components.items()}
    for name, body in known.items():
        if name in opened:
            raise ValueError(f"the enumeration {name!r} takes the name of a component")
        opened[name] = body
    return opened


def _open(node: Any, owner: str, known: dict[str, dict[str, Any]]) -> Any:
    """``node`` with every enumeration under a member or an array opened."""
    if isinstance(node, list):
        return [_open(item, owner, known) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _VALUES or key in _TESTS:
            out[key] = value
        elif key == "properties" and isinstance(value, dict):
            out[key] = {member: _member(schema, NAMES.get((owner, member),
                                                          owner + _camel(member)), known)
                        for member, schema in value.items()}
        elif key == "items" and isinstance(value, dict):
            out[key] = _member(value, owner + "Item", known)
        else:
            out[key] = _open(value, owner, known)
    return out


def _member(schema: Any, name: str, known: dict[str, dict[str, Any]]) -> Any:
    """A member's schema: opened if it is an enumeration of strings, else looked inside."""
    values = _enumeration(schema)
    if values is None:
        return _open(schema, name, known)
    words = [v for v in values if v is not None]
    listed = {"title": name, "type": "string", "enum": words, "description": _KNOWN}
    if known.setdefault(name, listed) != listed:
        raise ValueError(f"two different enumerations want the component name {name!r}")
    choices: list[dict[str, Any]] = [{"$ref": PREFIX + name}, {"type": "string"}]
    if None in values:
        choices.append({"type": "null"})
    rest = {k: v for k, v in schema.items() if k not in ("enum", "const", "type", "title")}
    return {"title": f"{name}OrOther", "anyOf": choices, **rest}


def _enumeration(schema: Any) -> list[str | None] | None:
    """The values of an enumeration of strings (``enum`` or ``const``), else ``None``."""
    if not isinstance(schema, dict):
        return None
    values = schema["enum"] if "enum" in schema else [schema["const"]] if "const" in schema \
        else None
    if not values or not all(v is None or isinstance(v, str) for v in values):
        return None
    if not any(isinstance(v, str) for v in values):
        return None
    return list(values)


def _camel(member: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\-\s]+", member))


def is_open(schema: Any) -> bool:
    """Whether a member's schema is an opened enumeration (known values, or any string)."""
    choices = schema.get("anyOf") if isinstance(schema, dict) else None
    return isinstance(choices, list) and {"type": "string"} in choices and any(
        str(c.get("$ref", "")).startswith(PREFIX) for c in choices if isinstance(c, dict))


__all__ = ["NAMES", "is_open", "open_enumerations"]

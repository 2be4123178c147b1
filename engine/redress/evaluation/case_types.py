"""Typed case decoding: ``msgspec`` structs made from ``schemas/case.schema.json`` itself.

The schema is the one definition of a case.  At first use its objects become frozen ``msgspec``
structs (unknown members refused, enumerations as ``Literal``, bounds and patterns as
``msgspec.Meta``, ``format: date`` as ``datetime.date``), and the keywords ``msgspec`` has no
word for (``uniqueItems``, ``if``/``then`` requirements, ``anyOf`` of strings, whole-number
floats for ``integer``) become small checks run after decoding.  Decoding a case this way takes
microseconds and copies nothing twice; it is only ever a *sufficient* test: a case it accepts is
one ``jsonschema`` accepts (the differential tests check this on the varied mix and thousands of
mutations of it), and a case it refuses goes to ``case_errors``, which words every problem with
``jsonschema`` exactly as before.

A schema keyword this module does not know makes it refuse to build (``SchemaNotSupported``),
so a change to the schema cannot silently loosen the check.
"""

from __future__ import annotations

import datetime as dt
import json
import keyword
import re
from collections.abc import Callable, Mapping
from functools import cache
from math import isfinite
from typing import Annotated, Any, Literal

import msgspec

from redress.policy.loader import MAX_DIGITS
from redress.resources import schema_path

Check = Callable[[Any], bool]
# Keywords that describe a node without constraining it.
_NOTES = frozenset({"title", "description", "examples", "$comment", "default", "$schema", "$id",
                    "deprecated", "readOnly", "writeOnly"})
_STRING_KEYS = frozenset({"type", "minLength", "maxLength", "pattern", "format"})
_LARGEST = 10**MAX_DIGITS
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # jsonschema's own test of format: date


class SchemaNotSupported(ValueError):
    """The case schema uses a keyword the typed decoder cannot carry."""


class CaseTypes(msgspec.Struct, frozen=True):
    """The struct of a whole case and the checks ``msgspec`` cannot make itself."""

    case: type[msgspec.Struct]
    check: Check
    event: type[msgspec.Struct]


def _field_name(key: str) -> str:
    name = re.sub(r"\W", "_", key).strip("_") or "field"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"f_{name}"
    return name


def _is_date(value: str) -> bool:
    """jsonschema's test of ``format: date`` (``_DATE`` and a real date), made without the
    regular expression, which costs twice the parse: of the forms ``date.fromisoformat`` reads,
    ten ASCII characters with ``-`` at 4 and 7 are ``YYYY-MM-DD`` (CPython's parser takes only
    ASCII digits; ``20250303`` and ``2025-W10-1`` fail the shape).  A test pins it to the
    pattern."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii()


def _either(first: Check, second: Check) -> Check:
    """``first(v) or second(v)``; a date first (the usual case) tested inline."""
    if first is not _is_date:
        return lambda v: first(v) or second(v)
    parse = dt.date.fromisoformat

    def check(value: str) -> bool:
        try:
            parse(value)
        except ValueError:
            return second(value)
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
            return True
        return second(value)
    return check


def _string_check(node: Mapping[str, Any]) -> Check:
    """A test of one string alternative of an ``anyOf`` (type, length, pattern, format)."""
    unknown = set(node) - _STRING_KEYS - _NOTES
    if unknown or node.get("type") != "string" or node.get("format", "date") != "date":
        raise SchemaNotSupported(f"anyOf alternative {sorted(unknown) or node}")
    pattern = re.compile(node["pattern"]) if "pattern" in node else None
    low, high = node.get("minLength", 0), node.get("maxLength")
    if set(node) - _NOTES == {"type", "format"}:
        return _is_date
    if set(node) - _NOTES == {"type", "pattern"} and pattern is not None:
        search = pattern.search
        return lambda value: search(value) is not None

    def check(value: str) -> bool:
        return (low <= len(value) and (high is None or len(value) <= high)
                and (pattern is None or pattern.search(value) is not None)
                and ("format" not in node or _is_date(value)))
    return check


def _string(node: Mapping[str, Any]) -> tuple[Any, Check | None]:
    if node.get("format") == "date" and set(node) - _NOTES == {"type", "format"}:
        return dt.date, None
    if "format" in node:
        raise SchemaNotSupported(f"format {node['format']!r} with other constraints")
    meta = {k: v for k, v in (("min_length", node.get("minLength")),
                              ("max_length", node.get("maxLength")),
                              ("pattern", node.get("pattern"))) if v is not None}
    return (Annotated[str, msgspec.Meta(**meta)] if meta else str), None


def _number(node: Mapping[str, Any], whole: bool) -> tuple[Any, Check | None]:
    meta = {k: v for k, v in (("ge", node.get("minimum")), ("le", node.get("maximum")),
                              ("gt", node.get("exclusiveMinimum")),
                              ("lt", node.get("exclusiveMaximum"))) if v is not None}
    typed = (Annotated[int, msgspec.Meta(**meta)] | Annotated[float, msgspec.Meta(**meta)]
             if meta else int | float)
    # As the reader of a case file: a float is finite, an integer has at most MAX_DIGITS digits.
    # JSON Schema's "integer" takes 2.0 as well as 2; the float is kept as given.
    def check(v: int | float) -> bool:
        if isinstance(v, float):
            return isfinite(v) and (v.is_integer() or not whole)
        return bool(-_LARGEST < v < _LARGEST)
    return typed, check


def _array(node: Mapping[str, Any], name: str) -> tuple[Any, Check | None]:
    item, item_check = _node(node.get("items", {}), f"{name}Item")
    meta = {k: v for k, v in (("min_length", node.get("minItems")),
                              ("max_length", node.get("maxItems"))) if v is not None}
    typed: Any = list[item]  # type: ignore[valid-type]
    if meta:
        typed = Annotated[typed, msgspec.Meta(**meta)]
    unique = bool(node.get("uniqueItems"))
    if unique and item not in (str, dt.date) and getattr(item, "__origin__", None) is not Literal:
        raise SchemaNotSupported(f"uniqueItems on {name} items that are not text")
    if not unique and item_check is None:
        return typed, None

    def check(values: list[Any]) -> bool:
        if unique and len(set(values)) != len(values):
            return False
        if item_check is not None:
            for value in values:
                if not item_check(value):
                    return False
        return True
    return typed, check


_SIMPLE = {"boolean": bool, "null": type(None)}
_KNOWN = frozenset({"type", "enum", "const", "anyOf", "properties", "required", "items",
                    "additionalProperties", "allOf", "minLength", "maxLength", "pattern", "format",
                    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems",
                    "maxItems", "uniqueItems"})


def _node(node: Mapping[str, Any], name: str) -> tuple[Any, Check | None]:
    """The Python type of a schema node and the check ``msgspec`` cannot make, if any."""
    unknown = set(node) - _KNOWN - _NOTES
    if unknown:
        raise SchemaNotSupported(f"{name}: {sorted(unknown)}")
    if "enum" in node or "const" in node:
        values = tuple(node["enum"]) if "enum" in node else (node["const"],)
        return Literal[values], None
    if "anyOf" in node:
        alternatives = [_string_check(alt) for alt in node["anyOf"]]
        if len(alternatives) == 2:
            return str, _either(*alternatives)
        return str, lambda v: any(alt(v) for alt in alternatives)
    kind = node.get("type")
    if kind == "object":
        return _struct(node, name)
    if kind == "array":
        return _array(node, name)
    if kind == "string":
        return _string(node)
    if kind in ("integer", "number"):
        return _number(node, kind == "integer")
    if kind in _SIMPLE:
        return _SIMPLE[kind], None
    raise SchemaNotSupported(f"{name}: type {kind!r}")


def _conditions(node: Mapping[str, Any], names: Mapping[str, str]
                ) -> list[tuple[str, Any, tuple[str, ...]]]:
    """``allOf: [{if: {properties: {P: {const: V}}}, then: {required: [...]}}]`` as
    (field, value, fields required when the field has that value)."""
    out = []
    for part in node.get("allOf", ()):
        condition = part.get("if", {}).get("properties", {})
        if set(part) - {"if", "then"} or len(condition) != 1 or set(part["then"]) != {"required"}:
            raise SchemaNotSupported(f"allOf entry {part}")
        (key, test), = condition.items()
        if set(test) - _NOTES != {"const"}:
            raise SchemaNotSupported(f"allOf condition {test}")
        out.append((names[key], test["const"], tuple(names[r] for r in part["then"]["required"])))
    return out


def _struct(node: Mapping[str, Any], name: str) -> tuple[type[msgspec.Struct], Check | None]:
    if node.get("additionalProperties", True) is not False:
        raise SchemaNotSupported(f"{name}: an object must refuse unknown members")
    properties: Mapping[str, Any] = node.get("properties", {})
    required = set(node.get("required", ()))
    names = {key: _field_name(key) for key in properties}
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    checks: list[tuple[str, Check]] = []
    for key, sub in properties.items():
        typed, check = _node(sub, f"{name}{_field_name(key).title().replace('_', '')}")
        fields.append((names[key], typed) if key in required else (names[key], typed, None))
        if check is not None:
            checks.append((names[key], check))
    struct = msgspec.defstruct(name, fields, kw_only=True, frozen=True, forbid_unknown_fields=True,
                               rename={n: k for k, n in names.items() if n != k} or None)
    return struct, _struct_check(checks, _conditions(node, names))


def _struct_check(checks: list[tuple[str, Check]],
                  conditions: list[tuple[str, Any, tuple[str, ...]]]) -> Check | None:
    if not checks and not conditions:
        return None
    # The if/then requirements, by the field they test and its value: one lookup per object.
    required: dict[str, dict[Any, tuple[str, ...]]] = {}
    for field, value, needed in conditions:
        required.setdefault(field, {})[value] = needed
    return _compiled_check(checks, list(required.items()))


def _compiled_check(checks: list[tuple[str, Check]],
                    tables: list[tuple[str, dict[Any, tuple[str, ...]]]]) -> Check:
    """One straight-line function for an object's checks (it runs for every event of every
    case).  Only field names (identifiers made by ``_field_name``) are written into the source;
    the tests and the requirement tables are passed in ``K``."""
    constants: list[Any] = []
    lines = ["def check(o):"]
    for field, test in checks:
        if not field.isidentifier():
            raise SchemaNotSupported(f"field name {field!r}")
        constants.append(test)
        lines += [f"    v = o.{field}",
                  f"    if v is not None and not K[{len(constants) - 1}](v): return False"]
    for field, table in tables:
        constants.append(table)
        lines += [f"    n = K[{len(constants) - 1}].get(o.{field})",
                  "    if n is not None:",
                  "        for name in n:",
                  "            if getattr(o, name) is None: return False"]
    lines.append("    return True")
    namespace: dict[str, Any] = {"K": tuple(constants)}
    exec(compile("\n".join(lines), "<redress case check>", "exec"), namespace)  # noqa: S102 - identifiers only; values in K
    check: Check = namespace["check"]
    return check


@cache
def _event_types() -> tuple[type[msgspec.Struct], Check]:
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    struct, check = _struct(schema["properties"]["events"]["items"], "CaseEvent")
    return struct, check or (lambda _obj: True)


def event_surely_valid(data: Any) -> bool:
    """Whether one event of a case is surely valid on its own (see ``decode``)."""
    struct, check = _event_types()
    try:
        return check(msgspec.convert(data, struct))
    except (msgspec.ValidationError, TypeError, ValueError, OverflowError):
        return False


@cache
def case_types() -> CaseTypes:
    """The case struct built from the shipped schema (once per process)."""
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    case, check = _struct(schema, "Case")
    event = case.__annotations__["events"]
    event_type = _tuple_item(event)
    return CaseTypes(case, check or (lambda _obj: True), event_type)


class Members(msgspec.Struct, frozen=True):
    """The members of one schema object by their JSON names: each one's type and the check
    ``msgspec`` cannot make, so that a member can be tested on its own (``member_surely_valid``)."""

    types: Mapping[str, tuple[Any, Check | None]]


def _members(node: Mapping[str, Any], name: str) -> Members:
    return Members({key: _node(sub, f"{name}{_field_name(key).title().replace('_', '')}")
                    for key, sub in node.get("properties", {}).items()})


@cache
def case_members() -> Members:
    """The members of a case (``events`` included), each testable on its own."""
    return _members(json.loads(schema_path("case").read_text(encoding="utf-8")), "Case")


@cache
def event_members() -> Members:
    """The members of one event, each testable on its own."""
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    return _members(schema["properties"]["events"]["items"], "CaseEvent")


def member_surely_valid(members: Members, key: str, value: Any) -> bool:
    """Whether one member of an object is surely valid on its own, as the typed decoder would
    take it inside the whole (a member the schema does not name is not)."""
    found = members.types.get(key)
    if found is None:
        return False
    typed, check = found
    try:
        converted = msgspec.convert(value, typed)
    except (msgspec.ValidationError, TypeError, ValueError, OverflowError):
        return False
    return converted is None or check is None or bool(check(converted))


def _tuple_item(annotation: Any) -> type[msgspec.Struct]:
    while getattr(annotation, "__metadata__", None) is not None:
        annotation = annotation.__origin__
    item: type[msgspec.Struct] = annotation.__args__[0]
    return item


def decode(data: Any) -> msgspec.Struct | None:
    """The typed case, or None when it is not surely valid (``case_errors`` then says why)."""
    types = case_types()
    try:
        case = msgspec.convert(data, types.case)
    except (msgspec.ValidationError, TypeError, ValueError, OverflowError):
        return None
    return case if types.check(case) else None


__all__ = ["CaseTypes", "Members", "SchemaNotSupported", "case_members", "case_types", "decode",
           "event_members", "event_surely_valid", "member_surely_valid"]

"""A compiled yes/no check of a document against one of Redress's JSON Schemas.

``schema.schema_findings`` words every problem with ``jsonschema``; on the bundled policies that
walk is most of a cold ``redress lint`` or ``redress evaluate``.  ``jsonschema-rs`` compiles the
same schemas (with the same cross-file ``$ref`` registry) once and answers "valid or not" in a
fraction of the time.  Its formats (``date``, ``uri``, ``local-date-time``) are checked by the
very functions ``jsonschema`` uses, so the two cannot disagree on them.  Only "valid" is taken
from it: anything else, or anything it cannot take, goes the long way and is worded as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from redress.policy.schema import BASE_URI, SCHEMA_NAMES, format_checker, load_schema, root_ref

FORMATS = ("date", "uri", "local-date-time")


def formats_used(node: Any) -> set[str]:
    """Every ``format`` named anywhere in a schema."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            found.add(node["format"])
        for value in node.values():
            found |= formats_used(value)
    elif isinstance(node, list):
        for value in node:
            found |= formats_used(value)
    return found


@cache
def _compiled(name: str, definition: str | None) -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - wheels exist for every supported platform
        return None
    if any(formats_used(load_schema(n)) - set(FORMATS) for n in SCHEMA_NAMES):
        return None  # a format whose check is not wired to jsonschema's: take the long way
    checker = format_checker()
    formats = {fmt: (lambda value, fmt=fmt: bool(checker.conforms(value, fmt)))
               for fmt in FORMATS}
    registry = jsonschema_rs.Registry(
        [(f"{BASE_URI}{n}.schema.json", load_schema(n)) for n in SCHEMA_NAMES])
    schema = root_ref(name, definition)
    try:
        validator = jsonschema_rs.Draft202012Validator(
            schema, formats=formats, validate_formats=True, ignore_unknown_formats=False,
            registry=registry)
    except Exception:  # pragma: no cover - a schema it cannot compile: take the long way
        return None
    is_valid: Callable[[Any], bool] = validator.is_valid
    return is_valid


def surely_valid(data: Any, name: str, definition: str | None = None) -> bool:
    """True when the compiled validator accepts ``data``; False means "check the long way"."""
    is_valid = _compiled(name, definition)
    if is_valid is None:
        return False
    try:
        return bool(is_valid(data))
    except (ValueError, TypeError, OverflowError):
        return False

"""A compiled yes/no check of a case against ``schemas/case.schema.json``.

Validating every case with ``jsonschema`` costs hundreds of microseconds (its ``if/then``
blocks for event types dominate).  ``jsonschema-rs`` compiles the same schema once and answers
"valid or not" in a few microseconds.  Only that answer is taken from it: when a case is not
valid, ``case.schema_findings`` words every problem with ``jsonschema`` exactly as before, so
error messages do not change.  Anything the compiled validator cannot take (a value type it does
not know, the library missing on some platform) also goes the long way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from redress.resources import schema_path


@cache
def _compiled() -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - wheels exist for every supported platform
        return None
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    is_valid: Callable[[Any], bool] = validator.is_valid
    return is_valid


def surely_valid(data: Any) -> bool:
    """True when the compiled validator accepts ``data``; False means "check the long way"."""
    is_valid = _compiled()
    if is_valid is None:
        return False
    try:
        return bool(is_valid(data))
    except (ValueError, TypeError, OverflowError):
        return False

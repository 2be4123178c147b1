"""A compiled yes/no check of a case against ``schemas/case.schema.json``.

Validating every case with ``jsonschema`` costs hundreds of microseconds (its ``if/then``
blocks for event types dominate).  ``jsonschema-rs`` compiles the same schema once and answers
"valid or not" in a few microseconds.  Only that answer is taken from it: when a case is not
valid, ``case.schema_findings`` words every problem with ``jsonschema`` exactly as before, so
error messages do not change.  Formats are checked by the functions of the ``jsonschema`` format
checker that the long way uses, so the two cannot disagree on them.  Anything the compiled
validator cannot take (a value type it does not know, a format not wired here, the library
missing on some platform) also goes the long way.
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
    from jsonschema import FormatChecker

    from redress.policy.compiled_schema import formats_used

    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    checker = FormatChecker()  # the checker ``case.schema_findings`` uses
    names = formats_used(schema)
    if not names <= set(checker.checkers):
        return None
    formats = {fmt: _format_check(*checker.checkers[fmt]) for fmt in names}
    try:
        validator = jsonschema_rs.Draft202012Validator(
            schema, formats=formats, validate_formats=True, ignore_unknown_formats=False)
    except Exception:  # pragma: no cover - a schema it cannot compile: take the long way
        return None
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


def _format_check(check: Callable[[Any], Any],
                  raises: type[Exception] | tuple[type[Exception], ...]) -> Callable[[Any], bool]:
    """What ``FormatChecker.conforms`` answers for one format, without its bookkeeping."""
    def conforms(value: Any) -> bool:
        try:
            return bool(check(value))
        except raises:
            return False
    return conforms

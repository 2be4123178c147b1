"""The words for a rejected case: every problem with its path, as ``jsonschema`` finds it.

A case is read by its typed decoder (``case_types``) in microseconds; only a case it refuses
comes here, so that every problem is listed and worded exactly as before, with a path such as
``events[2].date``.  ``jsonschema`` is imported on the first rejected case, never at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import Any

from redress.evaluation.case_types import (
    case_members,
    decode,
    event_members,
    event_surely_valid,
    member_surely_valid,
)
from redress.findings import MAX_HINT_WORD, Finding, choice_hint, excerpt, format_path
from redress.resources import schema_path

_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$")
MAX_EVENTS = 1000  # also `maxItems` of `events` in schemas/case.schema.json
# A case of 1,000 events is under 100 KB; the cap keeps the pure-Python YAML reader (about 10 s
# per MB) to a couple of seconds for the largest file it will accept.
MAX_CASE_BYTES = 256 * 1024
MAX_MESSAGE = 200  # a schema message quoting a huge value is cut to this many characters


@cache
def case_validator() -> Any:
    """``jsonschema``'s validator of ``schemas/case.schema.json`` (imported on first use)."""
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


@cache
def _event_validator() -> Any:
    validator = case_validator()
    return validator.evolve(schema=validator.schema["properties"]["events"]["items"])


def _errors(data: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """Every schema error with its path.  Only what the typed decoder refuses is validated:
    the case apart from its events when the decoder refuses it, and then only its members the
    decoder refuses on their own; the events one by one, only those it refuses, and in each only
    the members it refuses.  A member the decoder takes has no errors, so the errors are those of
    validating the whole case, path for path and in the same order (jsonschema validating
    members the decoder already took was most of the time a rejected case took)."""
    events = data.get("events") if isinstance(data, Mapping) else None
    if not isinstance(events, list) or not events:
        return [(tuple(e.absolute_path), e) for e in _object_errors(data, "case")]
    # The typed decoder's yes is a sure yes: then the case apart from its events has no errors.
    found = [] if decode({**data, "events": []}) is not None else [
        (tuple(e.absolute_path), e) for e in _object_errors(data, "case", sure="events")]
    for index, event in enumerate(events):
        if not event_surely_valid(event):
            found.extend((("events", index, *e.absolute_path), e)
                         for e in _object_errors(event, "event"))
    return found


def _object_errors(data: Any, kind: str, sure: str | None = None) -> Iterator[Any]:
    """jsonschema's errors for a case (or an event), its members the typed decoder takes on
    their own (and ``sure``) left out, and so are the ``if``/``then`` requirements whose
    condition it fails: their errors are none, and validating them is slow."""
    if not isinstance(data, dict):
        whole: Iterator[Any] = _validator(kind, None, None).iter_errors(data)
        return whole
    members = case_members() if kind == "case" else event_members()
    # Only named members: an unknown one is the object's own error (additionalProperties).
    unsure = frozenset(key for key, value in data.items()
                       if key != sure and key in members.types
                       and not member_surely_valid(members, key, value))
    conditions = _validator(kind, None, None).schema.get("allOf", ())
    applying = tuple(i for i, part in enumerate(conditions) if not _fails_condition(part, data))
    narrowed: Iterator[Any] = _validator(kind, unsure, applying).iter_errors(data)
    return narrowed


def _fails_condition(part: Any, data: dict[str, Any]) -> bool:
    """Whether ``data`` surely fails the ``if`` of ``{if: {properties: {K: {const: V}}}, then:
    ...}`` (with no ``else``): it has a K that is not V (a missing K passes the ``if``).  Any
    other shape is kept, to be validated."""
    condition = part.get("if") if isinstance(part, dict) and set(part) == {"if", "then"} else None
    if not isinstance(condition, dict) or set(condition) != {"properties"}:
        return False
    tests = condition["properties"]
    if not isinstance(tests, dict) or len(tests) != 1:
        return False
    (key, test), = tests.items()
    if not isinstance(test, dict) or set(test) != {"const"} or not isinstance(test["const"], str):
        return False
    # jsonschema's equality with a string is plain equality.
    return key in data and data[key] != test["const"]


@lru_cache(maxsize=256)
def _validator(kind: str, unsure: frozenset[str] | None,
               applying: tuple[int, ...] | None) -> Any:
    """The validator of a case (or an event) whose named members other than ``unsure`` are
    taken as they are (``True``), and whose ``allOf`` entries other than ``applying`` are too;
    the whole schema's validator when both are None."""
    whole = case_validator() if kind == "case" else _event_validator()
    if unsure is None and applying is None:
        return whole
    schema = dict(whole.schema)
    if unsure is not None:
        schema["properties"] = {key: node if key in unsure else True
                                for key, node in schema["properties"].items()}
    if applying is not None and "allOf" in schema:
        schema["allOf"] = [part if i in applying else True
                           for i, part in enumerate(schema["allOf"])]
    return whole.evolve(schema=schema)


def schema_findings(data: Any) -> list[Finding]:
    """Problems with the case's shape, each with its path (none for a valid case)."""
    findings = []
    for path, error in sorted(_errors(data), key=lambda pe: list(map(str, pe[0]))):
        hint = _enum_hint(error.instance, error.validator_value) \
            if error.validator == "enum" else None
        findings.append(Finding("case-schema", _message(error, path), path, hint=hint))
    return findings


def _enum_hint(word: Any, allowed: Any) -> str | None:
    """``choice_hint`` for a value not in an enumeration.  Looking for a near miss costs a few
    hundred thousand instructions, and a caseload repeats its mistakes (a nation spelt one wrong
    way in every row), so a short text is looked up once per process."""
    if type(word) is str and len(word) <= MAX_HINT_WORD and isinstance(allowed, list):
        return _text_hint(word, tuple(map(str, allowed)))
    return choice_hint(word, allowed, short=0)


@lru_cache(maxsize=512)
def _text_hint(word: str, allowed: tuple[str, ...]) -> str | None:
    return choice_hint(word, allowed, short=0)


def date_findings(data: Any) -> list[Finding]:
    """Dates that match the pattern but do not exist (``2025-02-30``), with their paths."""
    if not isinstance(data, Mapping):
        return []
    found: list[Finding] = []
    places: list[tuple[tuple[Any, ...], Any]] = [(("received",), data.get("received"))]
    events = data.get("events")
    for i, event in enumerate(events if isinstance(events, list) else ()):
        if isinstance(event, Mapping):
            places.extend((("events", i, key), event.get(key))
                          for key in ("date", "new_date", "until", "received"))
    matter = data.get("matter")
    if isinstance(matter, Mapping):
        places.extend((("matter", key), matter.get(key)) for key in ("occurred", "aware"))
    for path, value in places:
        if not isinstance(value, str):
            continue
        try:
            moment(value)
        except ValueError:
            found.append(Finding("case-schema",
                                 f"{dotted(path)}: {value!r} is not a real date", path))
    return found


def shape_findings(data: Any) -> list[Finding]:
    """Every problem with the case's shape and dates; a date the schema already refused is one
    fault, so its real-date finding is not added again."""
    shape = schema_findings(data)
    refused = {f.path for f in shape}
    return [*shape, *(f for f in date_findings(data) if f.path not in refused)]


def event_count_findings(data: Any) -> list[Finding]:
    """More events than a case may have: checked before anything else, because validating
    tens of thousands of events would take minutes."""
    events = data.get("events") if isinstance(data, Mapping) else None
    if not isinstance(events, list) or len(events) <= MAX_EVENTS:
        return []
    return [Finding("case-schema", f"events: {len(events)} events; a case may have at most "
                    f"{MAX_EVENTS}", ("events",))]


def _message(error: Any, path: tuple[Any, ...]) -> str:
    return excerpt(_full_message(error, path), MAX_MESSAGE)


def _full_message(error: Any, path: tuple[Any, ...]) -> str:
    where = dotted(path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{where}: missing required field {missing!r}"
    if error.validator == "additionalProperties":
        return f"{where}: {error.message.replace('Additional properties', 'unknown field(s)')}"
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"{where}: {error.instance!r} is not one of: {allowed}"
    if error.validator in ("format", "pattern", "anyOf") and isinstance(error.instance, str):
        if _DATE_SHAPE.match(error.instance):  # written right, but no such day (2025-02-30)
            return f"{where}: {error.instance!r} is not a real date"
        return f"{where}: {error.instance!r} is not a valid date (YYYY-MM-DD, optionally THH:MM)"
    return f"{where}: {error.message}"


def dotted(path: tuple[Any, ...]) -> str:
    """``events[2].date``; the case itself when the path is empty."""
    return format_path(path) if path else "case"


def moment(value: str) -> tuple[dt.date, dt.time | None]:
    """A case's date, optionally with a time (``2025-03-03T17:30``)."""
    if "T" in value or " " in value:
        stamp = dt.datetime.fromisoformat(value.replace(" ", "T"))
        return stamp.date(), stamp.time()
    return dt.date.fromisoformat(value), None


__all__ = ["MAX_CASE_BYTES", "MAX_EVENTS", "case_validator", "date_findings", "dotted",
           "event_count_findings", "moment", "schema_findings", "shape_findings"]

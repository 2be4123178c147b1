"""JSON Schema validation as findings, in the words of the officer who wrote the file.

The schemas live in ``schemas/`` (``policy``, ``rules``, ``facts``, ``case``).  This module runs
jsonschema's ``Draft202012Validator`` (with a format checker, so ``2024-02-30`` is caught) and
turns *every* error into a :class:`~redress.findings.Finding` with check id ``schema`` and a path
into the document, so that ``Document.locate`` gives ``file:line:col``.  Raw jsonschema text never
reaches the officer: each keyword has its own wording (``unknown key 'respnd' in stage 'stage1'
deadlines``, ``'yes' is not true or false``, ``2024-02-30 is not a real date``).

Policies that ``extends`` another, a version's ``changes`` and an ambiguity reading's
``overrides`` are *partial* policies: nothing is required and ``null`` removes an inherited key.
Their definitions (``#/$defs/partial-*`` in ``policy.schema.json``) are generated from the complete
ones by :func:`add_partial_defs`; ``scripts/build-schemas`` rewrites the file and a test checks that
it is current.  The merged result is validated against the complete ``#/$defs/policy``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from redress.calendar import CALENDAR_NAMES
from redress.findings import Finding, Path, choice_hint, did_you_mean, excerpt
from redress.resources import schema_path

CHECK_ID = "schema"
SCHEMA_NAMES = ("policy", "rules", "facts", "case", "result", "record", "report-definition",
                "report")
# The base the bundled schemas are registered under for validation (never fetched): their own
# ``$id``s are relative, so a copy served at /schemas/ or kept on disk resolves beside itself.
BASE_URI = "https://redress.example/schemas/"
PARTIAL_PREFIX = "partial-"

# How the document's root is named in messages, per schema.
ROOT_LABELS = {"policy": "the policy", "rules": "the rules file", "facts": "the fact catalogue",
               "case": "the case", "result": "the result"}

# Messages for the ``pattern`` keywords used in the schemas (a test checks every pattern is here).
PATTERN_MESSAGES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$":
        "is not a valid id: use lower-case letters, digits and single hyphens "
        "(e.g. council-corporate)",
    "^[a-z0-9]+([-_][a-z0-9]+)*$":
        "is not a valid id: use lower-case letters and digits joined by single hyphens or "
        "underscores",
    "^stage[1-9]$": "is not a stage id: write stage1, stage2, stage3, …",
    "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?)?$":
        "is not a date and time: write it as 2026-04-01T09:00",
    "^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2})?$":
        "is not a date and time: write it as 2026-04-01T09:00",
    "^([01]\\d|2[0-3]):[0-5]\\d$": "is not a time: write it in quotes as \"17:00\"",
    "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$":
        "is not a fact name: lower-case words joined by underscores, grouped with dots "
        "(e.g. complainant.age)",
    "^[a-z0-9]+(_[a-z0-9]+)*$": "is not a valid value: lower-case words joined by underscores",
    "^[a-z][a-z0-9_]*$": "is not a valid status: lower-case words joined by underscores",
    "^\\d{4}-\\d{2}-\\d{2}$": "is not a date: write it as 2025-03-03",
    "T": "is not a date and time",
    "^https?://": "is not allowed as a link: only web addresses starting https:// or http:// "
                  "are (javascript:, data: and file: links could run or expose something)",
    "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$":
        "must be one line of text: it holds a line break or another control character "
        "(use the note or summary for longer text)",
}

# Collections whose members are named "<singular> '<key>'" in messages.
SINGULAR = {
    "stages": "stage", "deadlines": "deadline", "exclusions": "exclusion",
    "deferrals": "deferral", "entitlements": "entitlement", "ambiguities": "ambiguity",
    "readings": "reading", "sources": "source", "facts": "fact", "rules": "rule",
    "versions": "version", "closures": "closure", "partners": "partner", "events": "event",
    "organisations": "organisation",
}

TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number",
              "boolean": "true or false", "object": "a mapping", "array": "a list",
              "null": "null"}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")

# ---------------------------------------------------------------------------------------------
# Loading schemas


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled schema by name (``policy``, ``rules``, ``facts``, ``case``)."""
    with schema_path(name).open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def registry() -> Registry[Any]:
    """Every bundled schema, so ``rules.schema.json#/$defs/condition`` resolves offline."""
    resources = [(BASE_URI + f"{name}.schema.json",
                  Resource.from_contents(load_schema(name))) for name in SCHEMA_NAMES]
    return Registry().with_resources(resources)


def format_checker() -> FormatChecker:
    """The standard format checks plus ``local-date-time`` (``2026-04-01T09:00``)."""
    checker = FormatChecker()

    @checker.checks("local-date-time", raises=ValueError)
    def _local_date_time(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        return _MOMENT.match(instance) is None or bool(dt.datetime.fromisoformat(instance))

    return checker


@cache
def validator(name: str, definition: str | None = None) -> Draft202012Validator:
    """A validator for schema ``name``, or for one of its ``$defs`` (e.g. ``policy``)."""
    return Draft202012Validator(root_ref(name, definition), registry=registry(),
                                format_checker=format_checker())


def root_ref(name: str, definition: str | None = None) -> dict[str, str]:
    """A schema that refers to ``name`` (or one of its ``$defs``) under :data:`BASE_URI`.

    Each file's ``$id`` is relative (``rules.schema.json``), so it resolves next to wherever the
    file was fetched from; validation starts from this reference so those ids have a base.
    """
    return {"$ref": f"{BASE_URI}{name}.schema.json"
                    + (f"#/$defs/{definition}" if definition is not None else "")}


# ---------------------------------------------------------------------------------------------
# Validation as findings


def schema_findings(data: Any, name: str, definition: str | None = None) -> list[Finding]:
    """Every schema problem in ``data`` as findings (paths into ``data``), without duplicates."""
    from redress.policy.compiled_schema import surely_valid  # it builds on this module

    if surely_valid(data, name, definition):
        return []
    root = ROOT_LABELS.get(name, "the document")
    found: dict[tuple[Path, str], Finding] = {}
    for error in validator(name, definition).iter_errors(data):
        for finding in _convert(error, data, root):
            found.setdefault((finding.path, finding.message), finding)
    return list(found.values())


def _expected(error: ValidationError) -> Any:
    """The keyword's value in the schema (typed loosely by jsonschema)."""
    return cast(Any, error.validator_value)


def _got(error: ValidationError) -> Any:
    """The value in the document that failed."""
    return cast(Any, error.instance)


def _convert(error: ValidationError, data: Any, root: str) -> Iterator[Finding]:
    path: Path = tuple(error.absolute_path)
    if "propertyNames" in error.relative_schema_path:
        yield _bad_key(error, path, data, root)
        return
    handler = _HANDLERS.get(str(error.validator))
    if handler is None:
        yield Finding(CHECK_ID, f"{_where(path, data, root)}: {error.message}", path)
        return
    yield from handler(error, path, data, root)


def _bad_key(error: ValidationError, path: Path, data: Any, root: str) -> Finding:
    key = str(_got(error))
    where = _where(path, data, root)
    if error.validator == "enum":
        choices = [str(c) for c in _expected(error)]
        return Finding(CHECK_ID, f"{_show(key)} is not allowed as a key in {where}: expected "
                                 f"{_join(choices, 'or')}", (*path, key),
                       hint=did_you_mean(key, choices))
    if error.validator != "pattern":
        return Finding(CHECK_ID, f"{_show(key)} cannot be set in {where}", (*path, key))
    what = PATTERN_MESSAGES.get(str(_expected(error)), "is not an allowed key")
    return Finding(CHECK_ID, f"{_show(key)} {what} (in {where})", (*path, key))


def _additional(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    allowed = list(schema.get("properties", {}))
    instance = _got(error) if isinstance(_got(error), Mapping) else {}
    patterns = list(schema.get("patternProperties", {}))
    for key in instance:
        if key in allowed or any(re.search(p, key) for p in patterns):
            continue
        hint = did_you_mean(str(key), allowed)
        if hint is None and instance[key] is None and " " in str(key):
            hint = "inside {…} a comma ends the value: put text containing commas in quotes"
        yield Finding(CHECK_ID, f"unknown key {_show(key)} in {_where(path, data, root)}",
                      (*path, key), hint=hint)


def _required(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    instance = _got(error) if isinstance(_got(error), Mapping) else {}
    for key in _expected(error):
        if key not in instance:
            yield Finding(CHECK_ID, f"missing {_show(key)} in {_where(path, data, root)}", path)


def _type(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    wanted = _expected(error)
    kinds = [wanted] if isinstance(wanted, str) else list(wanted)
    value = _got(error)
    if kinds in (["object"], ["array"]):
        yield Finding(CHECK_ID, f"{_where(path, data, root)} must be {TYPE_WORDS[kinds[0]]}, "
                                f"not {_kind(value)}", path)
        return
    hint = None
    if "string" in kinds and isinstance(value, int | float) and not isinstance(value, bool):
        hint = ("write times in quotes, e.g. \"17:00\"" if path and path[-1] == "after_hours_from"
                else "put it in quotes to make it text")
    words = _join([TYPE_WORDS.get(k, k) for k in kinds], "or")
    yield Finding(CHECK_ID, f"{_show(value)} is not {words}", path, hint=hint)


LISTED_CHOICES = 12


def _enum(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    choices = [str(c) for c in _expected(error)]
    value = _got(error)
    # Listed up to a dozen (the anchor events); a longer list (facts, topics) is only hinted.
    listed = f": expected {_join(choices, 'or')}" if len(choices) <= LISTED_CHOICES else ""
    hint = did_you_mean(value, choices) if isinstance(value, str) else None
    yield Finding(CHECK_ID, f"{_show(value)} is not allowed for {_key(path, root)}{listed}", path,
                  hint=hint)


def _const(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    yield Finding(CHECK_ID, f"{_show(_got(error))} is not allowed for {_key(path, root)}: "
                            f"expected {_show(_expected(error))}", path)


def _format(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    value, fmt = _got(error), _expected(error)
    if fmt == "date":
        text = (f"{value} is not a real date" if isinstance(value, str) and _DATE.match(value)
                else f"{_show(value)} is not a date: write it as 2025-03-03")
    elif fmt == "local-date-time":
        text = f"{value} is not a real date and time"
    elif fmt == "uri":
        text = f"{_show(value)} is not a web address (it should start https://)"
    else:
        text = f"{_show(value)} is not a valid {fmt}"
    yield Finding(CHECK_ID, text, path)


def _pattern(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    got, pattern = _got(error), str(_expected(error))
    what = PATTERN_MESSAGES.get(pattern, "does not have the expected form")
    hint = None
    if path and path[-1] == "calendar":
        # Calendar ids are spelled with hyphens; nations (england, northern_ireland) with
        # underscores.  Say which calendars there are rather than how ids are spelled.
        what = f"is not a calendar: use {', '.join(CALENDAR_NAMES[:-1])} or {CALENDAR_NAMES[-1]}"
        hint = choice_hint(got, CALENDAR_NAMES, short=0)
    elif isinstance(got, str):
        other = [w for w in (got.replace("_", "-"), got.replace("-", "_"), got.lower())
                 if w != got and re.search(pattern, w)]
        hint = f"did you mean '{other[0]}'?" if other else None
    yield Finding(CHECK_ID, f"{_show(got)} {what}", path, hint=hint)


def _bounds(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    limit = _expected(error)
    word = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than"}[str(error.validator)]
    yield Finding(CHECK_ID, f"{_where(path, data, root)} must be {word} {limit}, "
                            f"not {_show(_got(error))}", path)


def _length(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    where = _where(path, data, root)
    if error.validator == "minLength":
        yield Finding(CHECK_ID, f"{where} must not be empty", path)
    elif error.validator == "maxLength":
        yield Finding(CHECK_ID, f"{where} is too long (at most {_expected(error)} "
                                "characters)", path)
    elif error.validator == "minItems":
        count = _expected(error)
        yield Finding(CHECK_ID, f"{where} needs at least {_count(count, 'entry', 'entries')}",
                      path)
    else:
        yield Finding(CHECK_ID, f"{where} has too many entries (at most "
                                f"{_expected(error)})", path)


def _unique(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    seen: list[Any] = []
    for i, item in enumerate(_got(error)):
        if item in seen:
            yield Finding(CHECK_ID, f"{_where(path, data, root)} lists {_show(item)} more than "
                                    "once", (*path, i))
            return
        seen.append(item)


def _properties_count(error: ValidationError, path: Path, data: Any,
                      root: str) -> Iterator[Finding]:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    names = [n for n in schema.get("properties", {}) if n != "fact"]
    where = _where(path, data, root)
    if "fact" in schema.get("properties", {}):
        fact = _got(error).get("fact") if isinstance(_got(error), Mapping) else None
        subject = f"the test of {_show(fact)}" if isinstance(fact, str) else "a test"
        yield Finding(CHECK_ID, f"{subject} needs exactly one operator: {', '.join(names)}",
                      path)
    elif schema.get("maxProperties") == 1:
        hint = None
        if error.validator == "maxProperties":
            hint = "to change the unit in a version or local policy, set the old unit to null"
        label = where if path and path[-1] == "period" else f"{where} period"
        yield Finding(CHECK_ID, f"{label} needs exactly one of {', '.join(names)}", path,
                      hint=hint)
    elif error.validator == "minProperties":
        count = _expected(error)
        yield Finding(CHECK_ID, f"{where} needs at least {_count(count, 'entry', 'entries')}",
                      path)
    else:
        yield Finding(CHECK_ID, f"{where} has too many entries", path)


def _one_of(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    branches = _expected(error)
    names = [b["required"][0] for b in branches
             if isinstance(b, Mapping) and list(b) == ["required"] and len(b["required"]) == 1]
    if len(names) == len(branches):
        yield Finding(CHECK_ID, f"{_where(path, data, root)} needs exactly one of "
                                f"{_join([_show(n) for n in names], 'or')}", path)
        return
    yield from _best_branch(error, data, root)


def _any_of(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    yield from _best_branch(error, data, root)


def _best_branch(error: ValidationError, data: Any, root: str) -> Iterator[Finding]:
    """For ``anyOf``/``oneOf``: the errors of the branch that is not ``null`` (partial policies
    allow ``null`` to remove a key) or, failing that, of the branch that got furthest."""
    branches = _expected(error)
    real = [i for i, b in enumerate(branches)
            if not (isinstance(b, Mapping) and b.get("type") == "null")]
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    if len(real) != 1:
        real = sorted(by_branch, key=lambda i: (_wrong_kind(by_branch[i]),
                                                -max(len(e.path) for e in by_branch[i])))[:1]
    for sub in by_branch.get(real[0], []) if real else []:
        yield from _convert(sub, data, root)


def _wrong_kind(errors: list[ValidationError]) -> bool:
    """Whether a branch failed because the value is of another kind altogether (a mapping
    where text is expected, …): such a branch explains the mistake worst."""
    for e in errors:
        if e.path:
            continue
        if e.validator == "type" or (e.validator in ("enum", "const")
                                     and isinstance(_got(e), Mapping | list)):
            return True
    return False


def _not(error: ValidationError, path: Path, data: Any, root: str) -> Iterator[Finding]:
    """``not: {required: [key]}``: a key that this kind of entry cannot have."""
    forbidden = _expected(error).get("required", []) if isinstance(
        _expected(error), Mapping) else []
    where = _where(path, data, root)
    for key in forbidden:
        yield Finding(CHECK_ID, f"{_show(key)} cannot be set in {where}", (*path, key),
                      hint=_NOT_HINTS.get(key))
    if not forbidden:
        yield Finding(CHECK_ID, f"{where} is not allowed here", path)


_NOT_HINTS = {"values": "only text and set facts have values"}


_HANDLERS = {
    "additionalProperties": _additional,
    "required": _required,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "format": _format,
    "pattern": _pattern,
    "minimum": _bounds,
    "maximum": _bounds,
    "exclusiveMinimum": _bounds,
    "exclusiveMaximum": _bounds,
    "minLength": _length,
    "maxLength": _length,
    "minItems": _length,
    "maxItems": _length,
    "uniqueItems": _unique,
    "minProperties": _properties_count,
    "maxProperties": _properties_count,
    "oneOf": _one_of,
    "anyOf": _any_of,
    "not": _not,
}

# ---------------------------------------------------------------------------------------------
# Wording helpers


def describe(path: Path, data: Any, root: str = "the policy") -> str:
    """A path in officer's words: ``stage 'stage1' deadline 'respond' period``."""
    return _where(path, data, root)


def _where(path: Path, data: Any, root: str) -> str:
    words: list[str] = []
    node = data
    i = 0
    while i < len(path):
        part = path[i]
        child = _child(node, part)
        singular = SINGULAR.get(part) if isinstance(part, str) else None
        if singular and i + 1 < len(path):
            member = path[i + 1]
            item = _child(child, member)
            words.append(f"{singular} {_member_name(member, item)}")
            node = item
            i += 2
            continue
        words.append(str(part) if isinstance(part, str) else f"entry {part + 1}")
        node = child
        i += 1
    return " ".join(words) if words else root


def _member_name(member: str | int, item: Any) -> str:
    if isinstance(member, str):
        return _show(member)
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return _show(item["id"])
    return str(member + 1)


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, Mapping) and isinstance(part, str):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _key(path: Path, root: str) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return root


def _show(value: Any) -> str:
    """A value as an officer wrote it: text in quotes, true/false, null, numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"'{excerpt(value)}'"
    if isinstance(value, int | float):
        return str(value)
    return _kind(value)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "empty (null)"
    return "text"


def _join(words: Sequence[str], last: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _count(n: int, one: str, many: str) -> str:
    return f"one {one}" if n == 1 else f"{n} {many}"


# ---------------------------------------------------------------------------------------------
# Partial definitions (generated into policy.schema.json)

_DROPPED_IN_PARTIAL = ("required", "minProperties", "maxProperties", "dependentRequired")
_NULL_BRANCH = {"type": "null", "title": "Remove",
                "description": "null removes the inherited value."}


def add_partial_defs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with a ``partial-X`` definition for every ``#/$defs/partial-X`` it uses.

    A partial definition is its complete twin with nothing required, no property counts, and
    ``null`` accepted for every property (``null`` removes an inherited key).  Lists replace
    as a whole when merged, so list items stay complete.
    """
    defs: dict[str, Any] = {k: v for k, v in schema.get("$defs", {}).items()
                            if not k.startswith(PARTIAL_PREFIX)}
    partial: dict[str, Any] = {}
    pending = sorted(_partial_refs(schema, defs))
    while pending:
        name = pending.pop(0)
        if name in partial:
            continue
        partial[name] = _partial(defs[name], defs)
        pending.extend(sorted(_partial_refs(partial[name], defs) - set(partial)))
    out = dict(schema)
    out["$defs"] = {**defs, **{PARTIAL_PREFIX + k: partial[k] for k in sorted(partial)}}
    return out


def _partial_refs(node: Any, defs: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/" + PARTIAL_PREFIX):
            found.add(ref.removeprefix("#/$defs/" + PARTIAL_PREFIX))
        for key, value in node.items():
            if key != "$defs":
                found |= _partial_refs(value, defs)
    elif isinstance(node, list):
        for item in node:
            found |= _partial_refs(item, defs)
    return found


def _partial(node: Any, defs: Mapping[str, Any]) -> Any:
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED_IN_PARTIAL:
            continue
        if key == "$ref":
            out[key] = _partial_ref(value, defs)
        elif key in ("properties", "patternProperties"):
            out[key] = {k: _nullable(_partial(v, defs)) for k, v in value.items()}
        elif key == "additionalProperties" and isinstance(value, Mapping):
            out[key] = _nullable(_partial(value, defs))
        elif key in ("then", "else"):
            out[key] = _partial(value, defs)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [_partial(v, defs) for v in value]
        else:
            out[key] = value
    return out


def _partial_ref(ref: str, defs: Mapping[str, Any]) -> str:
    name = ref.removeprefix("#/$defs/")
    if ref.startswith("#/$defs/") and name in defs and _needs_partial(name, defs, frozenset()):
        return "#/$defs/" + PARTIAL_PREFIX + name
    return ref


def _needs_partial(name: str, defs: Mapping[str, Any], seen: frozenset[str]) -> bool:
    """Whether definition ``name`` (or one it uses for a property) requires or counts keys."""
    if name in seen:
        return False
    return _has_requirements(defs[name], defs, seen | {name})


def _has_requirements(node: Any, defs: Mapping[str, Any], seen: frozenset[str]) -> bool:
    if not isinstance(node, Mapping):
        return False
    if any(k in node for k in _DROPPED_IN_PARTIAL) or "properties" in node:
        return True
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs \
            and _needs_partial(ref[8:], defs, seen):
        return True
    if isinstance(node.get("additionalProperties"), Mapping):
        return True
    subs = [node.get("then"), node.get("else"), *node.get("allOf", ()), *node.get("anyOf", ()),
            *node.get("oneOf", ())]
    return any(_has_requirements(s, defs, seen) for s in subs)


def _nullable(node: Any) -> Any:
    if not isinstance(node, Mapping):
        return node
    head = {k: node[k] for k in ("title", "description") if k in node}
    rest = {k: v for k, v in node.items() if k not in head}
    return {**head, "anyOf": [_NULL_BRANCH, rest]}


__all__ = ["CHECK_ID", "SCHEMA_NAMES", "add_partial_defs", "describe", "did_you_mean",
           "load_schema", "registry", "schema_findings", "validator"]

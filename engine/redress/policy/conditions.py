"""Rule conditions: parsed from YAML, checked against the fact catalogue, put in negation normal
form over flat keys.

The same normalised tree feeds both rule backends (durable-rules and the plain-Python
evaluator), which is what lets tests run both and compare.  Normal form matters for
durable-rules: it has no alpha-level ``not``, so negation is pushed down to the leaves here
(``not equals`` becomes ``not_equals``, ``not gt`` becomes ``lte``, …).  Because every fact is
always present in the flat facts (with its default), a negated leaf means the same thing in both
backends.

Set facts are flattened to one boolean per allowed value (``matter.topics`` with value
``court_report`` becomes the key ``matter__topics__court_report``), so no backend ever sees an
array: durable-rules' ``$iall`` on an empty array disagrees with Python's ``all([])``.

Conditions nest at most ``MAX_CONDITION_DEPTH`` levels (``all``, ``any`` and ``not`` inside one
another; a test alone is one level): deeper is a ``condition-too-deep`` finding at the group that
goes too deep, so neither lint nor loading nor the rule backends ever recurse without bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from msgspec import Struct

from redress.findings import Finding, Path, did_you_mean
from redress.policy.facts_catalog import FactCatalog, FactSpec, flat_key

# Leaf operators of the normal form (over flat keys).
COMPARE_OPS = ("eq", "neq", "gt", "gte", "lt", "lte")
NEGATED = {"eq": "neq", "neq": "eq", "gt": "lte", "lte": "gt", "lt": "gte", "gte": "lt"}

# The operators an officer writes, and which fact types accept them.
OPERATORS: Mapping[str, tuple[str, ...]] = {
    "equals": ("text", "number", "boolean", "date"),
    "not_equals": ("text", "number", "boolean", "date"),
    "in": ("text", "number"),
    "not_in": ("text", "number"),
    "gt": ("number", "date"),
    "gte": ("number", "date"),
    "lt": ("number", "date"),
    "lte": ("number", "date"),
    "contains": ("set",),
    "contains_any": ("set",),
    "contains_all": ("set",),
    "contains_none": ("set",),
}
LIST_OPERATORS = ("in", "not_in", "contains_any", "contains_all", "contains_none")
# The bundled rules nest at most 4 levels; 16 leaves room for any real policy.
MAX_CONDITION_DEPTH = 16


class Leaf(Struct, frozen=True):
    """``facts[key] <op> value`` on a flat key; ``fact`` keeps the officer's name for messages."""

    key: str
    op: str
    value: Any
    fact: str

    def negate(self) -> Leaf:
        return Leaf(self.key, NEGATED[self.op], self.value, self.fact)


class AllOf(Struct, frozen=True):
    items: tuple[Condition, ...]


class AnyOf(Struct, frozen=True):
    items: tuple[Condition, ...]


Condition = Leaf | AllOf | AnyOf
TRUE = AllOf(())


def parse_condition(data: Any, catalog: FactCatalog, path: Path = ()) -> tuple[Condition,
                                                                                 list[Finding]]:
    """Parse a ``when`` block into normal form, with a finding for every problem."""
    findings: list[Finding] = []
    cond = _parse(data, catalog, path, findings, negate=False)
    return cond, findings


def _parse(data: Any, catalog: FactCatalog, path: Path, findings: list[Finding],
           negate: bool, depth: int = 1) -> Condition:
    if not isinstance(data, Mapping):
        findings.append(Finding("condition-shape", "a condition must be a mapping", path))
        return TRUE
    if depth > MAX_CONDITION_DEPTH:
        findings.append(Finding(
            "condition-too-deep",
            f"this condition nests more than {MAX_CONDITION_DEPTH} levels deep ('all', 'any' "
            "and 'not' inside one another)", path,
            hint="write it flatter: real rules need only a few levels"))
        return TRUE
    if "all" in data or "any" in data:
        word = "all" if "all" in data else "any"
        items = data[word]
        if not isinstance(items, list) or not items:
            findings.append(Finding("condition-shape", f"'{word}' needs a non-empty list",
                                    (*path, word)))
            return TRUE
        parts = tuple(_parse(item, catalog, (*path, word, i), findings, negate, depth + 1)
                      for i, item in enumerate(items))
        conjunctive = (word == "all") != negate  # De Morgan
        return AllOf(parts) if conjunctive else AnyOf(parts)
    if "not" in data:
        return _parse(data["not"], catalog, (*path, "not"), findings, not negate, depth + 1)
    return _parse_test(data, catalog, path, findings, negate)


def _parse_test(data: Mapping[str, Any], catalog: FactCatalog, path: Path,
                findings: list[Finding], negate: bool) -> Condition:
    name = data.get("fact")
    ops = [k for k in data if k != "fact"]
    if not isinstance(name, str):
        findings.append(Finding("condition-shape", "a test needs 'fact: NAME'", path))
        return TRUE
    spec = catalog.get(name)
    if spec is None:
        findings.append(Finding("unknown-fact", f"unknown fact {name!r}", (*path, "fact"),
                                hint=did_you_mean(name, catalog.names())))
        return TRUE
    if len(ops) != 1 or ops[0] not in OPERATORS:
        findings.append(Finding(
            "condition-shape",
            f"a test of {name!r} needs exactly one operator: {', '.join(OPERATORS)}", path,
            hint=did_you_mean(ops[0], list(OPERATORS)) if len(ops) == 1 else None))
        return TRUE
    op = ops[0]
    if spec.type not in OPERATORS[op]:
        findings.append(Finding("operator-type",
                                f"{op!r} cannot be used on {name!r}, a {spec.type} fact",
                                (*path, op)))
        return TRUE
    values = _values(data[op], spec, op, (*path, op), findings)
    if values is None:
        return TRUE
    return _leaf_tree(spec, op, values, negate)


def _values(raw: Any, spec: FactSpec, op: str, path: Path,
            findings: list[Finding]) -> list[Any] | None:
    if op in LIST_OPERATORS:
        if not isinstance(raw, list) or not raw:
            findings.append(Finding("condition-value", f"{op!r} needs a non-empty list", path))
            return None
        items = list(raw)
    else:
        items = [raw]
    out: list[Any] = []
    for i, item in enumerate(items):
        where = (*path, i) if op in LIST_OPERATORS else path
        value = _coerce(item, spec, where, findings)
        if value is not None:
            out.append(value)
    return out if len(out) == len(items) else None


def _coerce(value: Any, spec: FactSpec, path: Path, findings: list[Finding]) -> Any:
    kind = spec.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
    elif kind == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
    elif kind == "date":
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).toordinal()
            except ValueError:
                findings.append(Finding("condition-value", f"{value!r} is not a real date", path))
                return None
    elif isinstance(value, str):  # text and set members
        if spec.values and value not in spec.values:
            findings.append(Finding(
                "impossible-value",
                f"{spec.name!r} can never be {value!r}, so this test can never be true",
                path, hint=did_you_mean(value, list(spec.values))))
            return None
        return value
    findings.append(Finding("condition-value",
                            f"{value!r} is not a valid value for the {kind} fact {spec.name!r}",
                            path))
    return None


def _leaf_tree(spec: FactSpec, op: str, values: list[Any], negate: bool) -> Condition:
    key = spec.key
    if spec.type == "set":
        members = [Leaf(flat_key(spec.name, v), "eq", op != "contains_none", spec.name)
                   for v in values]
        group: Condition
        if op in ("contains", "contains_all", "contains_none"):
            group = AllOf(tuple(members)) if len(members) > 1 else members[0]
        else:
            group = AnyOf(tuple(members)) if len(members) > 1 else members[0]
        return _negate(group) if negate else group
    if op in ("in", "not_in"):
        base = "eq" if op == "in" else "neq"
        leaves = tuple(Leaf(key, base, v, spec.name) for v in values)
        group = (AnyOf(leaves) if op == "in" else AllOf(leaves)) if len(leaves) > 1 else leaves[0]
        return _negate(group) if negate else group
    leaf = Leaf(key, {"equals": "eq", "not_equals": "neq"}.get(op, op), values[0], spec.name)
    return leaf.negate() if negate else leaf


def _negate(cond: Condition) -> Condition:
    if isinstance(cond, Leaf):
        return cond.negate()
    if isinstance(cond, AllOf):
        return AnyOf(tuple(_negate(c) for c in cond.items))
    return AllOf(tuple(_negate(c) for c in cond.items))



def evaluate(cond: Condition, facts: Mapping[str, Any]) -> bool:
    """Evaluate a normal-form condition over flat facts (the plain-Python semantics)."""
    if isinstance(cond, Leaf):
        return _compare(facts[cond.key], cond.op, cond.value)
    if isinstance(cond, AllOf):
        return all(evaluate(c, facts) for c in cond.items)
    return any(evaluate(c, facts) for c in cond.items)


def _compare(left: Any, op: str, right: Any) -> bool:
    if op == "eq":
        return bool(left == right)
    if op == "neq":
        return bool(left != right)
    if op == "gt":
        return bool(left > right)
    if op == "gte":
        return bool(left >= right)
    if op == "lt":
        return bool(left < right)
    return bool(left <= right)


def could_hold(cond: Condition, known: Mapping[str, Collection[Any]]) -> bool:
    """Whether ``cond`` can still be true when each flat key in ``known`` takes one of the
    values given for it: ``False`` only when those values alone make it false (other facts
    are left open)."""
    if isinstance(cond, Leaf):
        return cond.key not in known or any(_compare(v, cond.op, cond.value)
                                            for v in known[cond.key])
    if isinstance(cond, AllOf):
        return all(could_hold(c, known) for c in cond.items)
    return any(could_hold(c, known) for c in cond.items)


def leaves(cond: Condition) -> Iterator[Leaf]:
    """Every leaf of a condition, in order."""
    if isinstance(cond, Leaf):
        yield cond
    else:
        for item in cond.items:
            yield from leaves(item)


def used_facts(cond: Condition) -> list[str]:
    """Names of the facts a condition reads, in first-use order."""
    return list(dict.fromkeys(leaf.fact for leaf in leaves(cond)))

"""Decision rules for the documentation: their ``when`` conditions in plain English, and which
rules concern a given procedure.

The compiled rules (``Library.rules``) keep their conditions in normal form over flat keys, which
is right for the backends but not for a reader; this module re-reads the rule files' ``when``
blocks as written and words them, e.g. ``complainant.role is child or care leaver``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from redress.policy.facts_catalog import FactCatalog
from redress.policy.loader import read_document
from redress.resources import data_dir

PROCEDURE_FACTS = ("procedure", "procedure.family")

_OPS = {
    "equals": "is", "not_equals": "is not", "in": "is", "not_in": "is not",
    "gt": "is more than", "gte": "is at least", "lt": "is less than", "lte": "is at most",
    "contains": "includes", "contains_any": "includes", "contains_all": "includes",
    "contains_none": "includes none of",
}
_JOIN = {"in": "or", "not_in": "or", "contains_any": "or", "contains_all": "and",
         "contains_none": "or"}


def rule_conditions(extra: Sequence[Path] = ()) -> dict[str, Any]:
    """Every rule's ``when`` block as written, by rule id (bundled rule files plus ``extra``)."""
    files = sorted(data_dir("rules").glob("*.yaml"))
    for path in extra:
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    found: dict[str, Any] = {}
    for path in files:
        doc, _problems = read_document(path)
        if doc is None or not isinstance(doc.data, Mapping) or "ruleset" not in doc.data:
            continue
        for rule in doc.data.get("rules") or ():
            if isinstance(rule, Mapping) and "id" in rule:
                found[str(rule["id"])] = rule.get("when")
    return found


def applies_to(when: Any, policy_id: str, family: str) -> bool:
    """Whether a rule can fire for ``policy_id``: every test of the procedure it makes allows it
    (a rule that does not test the procedure applies to all)."""
    return all(_allows(leaf, policy_id, family) for leaf in _procedure_leaves(when, False))


def _procedure_leaves(when: Any, negated: bool) -> list[tuple[Mapping[str, Any], bool]]:
    if not isinstance(when, Mapping):
        return []
    if "all" in when or "any" in when:
        items = when.get("all") or when.get("any") or ()
        if "any" in when:  # a procedure test inside "any" does not restrict the rule
            return []
        return [leaf for item in items for leaf in _procedure_leaves(item, negated)]
    if "not" in when:
        return _procedure_leaves(when["not"], not negated)
    return [(when, negated)] if when.get("fact") in PROCEDURE_FACTS else []


def _allows(item: tuple[Mapping[str, Any], bool], policy_id: str, family: str) -> bool:
    leaf, negated = item
    value = policy_id if leaf["fact"] == "procedure" else family
    candidates = {policy_id, family} if leaf["fact"] == "procedure.family" else {value}
    if "equals" in leaf:
        hit = str(leaf["equals"]) in candidates
    elif "in" in leaf:
        hit = bool(candidates & {str(v) for v in leaf["in"]})
    elif "not_equals" in leaf:
        hit = str(leaf["not_equals"]) not in candidates
    elif "not_in" in leaf:
        hit = not candidates & {str(v) for v in leaf["not_in"]}
    else:
        hit = True
    return hit != negated


def condition_text(when: Any, catalog: FactCatalog, skip: Sequence[str] = PROCEDURE_FACTS) -> str:
    """``when`` in words; tests of the facts in ``skip`` are left out (the page says them)."""
    text = _text(when, catalog, skip, top=True)
    return text or "always"


def _text(when: Any, catalog: FactCatalog, skip: Sequence[str], top: bool = False) -> str:
    if not isinstance(when, Mapping):
        return ""
    for key, word in (("all", "**and**"), ("any", "**or**")):
        if key in when:
            parts = [p for p in (_text(i, catalog, skip) for i in when[key] or ()) if p]
            joined = f" {word} ".join(parts)
            return joined if top or len(parts) < 2 else f"({joined})"
    if "not" in when:
        inner = _text(when["not"], catalog, skip)
        return f"not {inner}" if inner.startswith("(") else (f"not ({inner})" if inner else "")
    return _leaf(when, catalog, skip)


def _leaf(leaf: Mapping[str, Any], catalog: FactCatalog, skip: Sequence[str]) -> str:
    fact = str(leaf.get("fact", ""))
    if fact in skip:
        return ""
    op = next((k for k in leaf if k != "fact"), "")
    value = leaf.get(op)
    spec = catalog.get(fact)
    if spec is not None and spec.type == "boolean" and op in ("equals", "not_equals") \
            and spec.description.startswith("Whether "):
        clause = spec.description.removeprefix("Whether ").rstrip(".")
        positive = (value is True) == (op == "equals")
        return clause if positive else f"it is not so that {clause}"
    if isinstance(value, list):
        values = [_value(v) for v in value]
        shown = f"{', '.join(values[:-1])} {_JOIN.get(op, 'or')} {values[-1]}" \
            if len(values) > 1 else "".join(values)
    else:
        shown = _value(value)
    return f"{_subject(fact, spec.description if spec else '')} {_OPS.get(op, op)} {shown}"


def _subject(fact: str, description: str) -> str:
    """The fact as a reviewer reads it: its catalogue description ("the kinds of organisation
    involved"), not its internal name (``organisations.kinds``), which stays for the glossary."""
    words = description.split(";")[0].strip().rstrip(".")
    if not words:
        return f"`{fact}`"
    return words[0].lower() + words[1:] if not words[:2].isupper() else words


def facts_of(when: Any) -> set[str]:
    """Every fact a condition tests."""
    if isinstance(when, Mapping):
        found = {str(when["fact"])} if "fact" in when else set()
        for key in ("all", "any"):
            for item in when.get(key) or ():
                found |= facts_of(item)
        if "not" in when:
            found |= facts_of(when["not"])
        return found
    return set()


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("_", " ")

"""Decision rules for the documentation: their ``when`` conditions in plain English, and which
rules concern a given procedure.

The compiled rules (``Library.rules``) keep their conditions in normal form over flat keys, which
is right for the backends but not for a reader; this module re-reads the rule files' ``when``
blocks as written and words them with the fact catalogue's reviewer phrases, e.g. "the
complainant is a child or a care leaver" for ``{fact: complainant.role, in: [child, care_leaver]}``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from redress.docs import markdown as md
from redress.policy.facts_catalog import FactCatalog
from redress.policy.loader import read_document
from redress.resources import data_dir

PROCEDURE_FACTS = ("procedure", "procedure.family")
_FACT_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")

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
    """``when`` as a clause a reviewer reads after "when" ("the complainant has asked for stage
    2"), worded from the fact catalogue's ``reviewer`` phrases; tests of the facts in ``skip``
    are left out (the page says them).  Negations are pushed down to the tests, each of which
    has its opposite wording."""
    return _words(when, catalog, skip, negated=False, nested=False) or "always"


_KIND = {"equals": "is", "in": "is", "not_equals": "is_not", "not_in": "is_not",
         "gt": "more_than", "gte": "at_least", "lt": "less_than", "lte": "at_most",
         "contains": "includes", "contains_any": "includes", "contains_all": "includes",
         "contains_none": "excludes"}
_OPPOSITE = {"is": "is_not", "includes": "excludes", "at_least": "less_than",
             "more_than": "at_most", "when_true": "when_false"}
_OPPOSITE.update({v: k for k, v in list(_OPPOSITE.items())})


def _words(when: Any, catalog: FactCatalog, skip: Sequence[str], negated: bool,
           nested: bool) -> str:
    if not isinstance(when, Mapping):
        return ""
    if "not" in when:
        return _words(when["not"], catalog, skip, not negated, nested)
    group = "all" if "all" in when else "any" if "any" in when else ""
    if not group:
        return _leaf(when, catalog, skip, negated)
    # De Morgan: "not (a and b)" is "not a or not b", each said with its opposite wording.
    joiner = "and" if (group == "all") != negated else "or"
    items = [i for i in when[group] or () if _words(i, catalog, skip, negated, True)]
    if len(items) < 2:  # a group reduced to one test by ``skip`` reads as that test
        return _words(items[0], catalog, skip, negated, nested) if items else ""
    text = md.join([_words(i, catalog, skip, negated, True) for i in items], joiner)
    if not nested:
        return text
    return f"{'both' if len(items) == 2 else 'all of'} {text}" if joiner == "and" \
        else f"either {text}"


def _leaf(leaf: Mapping[str, Any], catalog: FactCatalog, skip: Sequence[str],
          negated: bool) -> str:
    fact = str(leaf.get("fact", ""))
    if fact in skip:
        return ""
    op = next((k for k in leaf if k != "fact"), "")
    value = leaf.get(op)
    spec = catalog.get(fact)
    kind = _KIND.get(op, op)
    if spec is not None and spec.type == "boolean" and op in ("equals", "not_equals"):
        kind = "when_true" if (value is True) == (op == "equals") else "when_false"
    if negated:
        kind = _OPPOSITE.get(kind, kind)
    template = spec.reviewer.get(kind) if spec is not None else None
    if template is None:
        text = _described(leaf, catalog)
        return f"not ({text})" if negated else text
    values = value if isinstance(value, list) else [value]
    words = [spec.value_words.get(str(v), _value(v)) if spec else _value(v) for v in values]
    return md.escape(template.replace("{value}", md.join(words, _JOIN.get(op, "or"))))


def _described(leaf: Mapping[str, Any], catalog: FactCatalog) -> str:
    """A test of a fact without reviewer wording, said from its catalogue description."""
    fact = str(leaf.get("fact", ""))
    op = next((k for k in leaf if k != "fact"), "")
    value = leaf.get(op)
    spec = catalog.get(fact)
    if spec is not None and spec.type == "boolean" and op in ("equals", "not_equals") \
            and spec.description.startswith("Whether "):
        clause = spec.description.removeprefix("Whether ").rstrip(".")
        positive = (value is True) == (op == "equals")
        return md.escape(clause if positive else f"it is not so that {clause}")
    if isinstance(value, list):
        values = [_value(v) for v in value]
        shown = f"{', '.join(values[:-1])} {_JOIN.get(op, 'or')} {values[-1]}" \
            if len(values) > 1 else "".join(values)
    else:
        shown = _value(value)
    return md.escape(f"{_subject(fact, spec.description if spec else '')} {_OPS.get(op, op)} "
                     f"{shown}")


def _subject(fact: str, description: str) -> str:
    """The fact as a reviewer reads it: its catalogue description ("the kinds of organisation
    involved"), not its internal name (``organisations.kinds``)."""
    words = description.split(";")[0].strip().rstrip(".")
    if not words:
        return words_of(fact)
    return words[0].lower() + words[1:] if not words[:2].isupper() else words


def words_of(fact: str) -> str:
    """``complainant.acts_for`` → ``complainant acts for`` (a fact without a description)."""
    return fact.replace(".", " ").replace("_", " ")


def condition_code(when: Any) -> str:
    """``when`` as written in the rule file, for a collapsed technical detail: fact names in
    code, ``and``/``or``/``not`` in bold."""
    if not isinstance(when, Mapping):
        return ""
    for key in ("all", "any"):
        if key in when:
            parts = [p for p in (condition_code(i) for i in when[key] or ()) if p]
            return "(" + f" **{'and' if key == 'all' else 'or'}** ".join(parts) + ")"
    if "not" in when:
        return f"**not** {condition_code(when['not'])}"
    fact = str(when.get("fact", ""))
    op = next((k for k in when if k != "fact"), "")
    value = when.get(op)
    shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    name = f"`{fact}`" if _FACT_NAME.fullmatch(fact) else md.escape(fact)
    return f"{name} {md.escape(op)} {md.escape(shown)}"


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
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value).replace("_", " ")

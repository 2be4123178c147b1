"""Can a condition ever be true?  A small exact search over the facts' finite domains.

Conditions arrive in the normal form of :mod:`redress.policy.conditions` (leaves over flat keys, ``AllOf``
and ``AnyOf``, negation already pushed to the leaves).  The search picks one branch of every
``AnyOf`` and keeps, per flat key, what the chosen leaves demand: a value, values it must not be,
and bounds.  A key is satisfiable when its domain still holds a value:

* text facts with ``values`` (plus their default), booleans and set members are finite;
* text facts without ``values`` are open (any text);
* numbers are real numbers; dates are whole days (ordinals), so ``gt D`` and ``lt D+1`` clash.

The search gives up (answers "satisfiable", the safe side for every check) after ``BUDGET``
steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from redress.policy.conditions import AllOf, Condition, Leaf
from redress.policy.facts_catalog import FactCatalog, flat_key

BUDGET = 20_000


@dataclass(frozen=True)
class Demand:
    """What the chosen leaves demand of one flat key."""

    fact: str
    equal: tuple[Any, ...] = ()  # at most one distinct value survives
    unequal: frozenset[Any] = frozenset()
    low: tuple[Any, bool] | None = None  # (bound, inclusive)
    high: tuple[Any, bool] | None = None


Assignment = Mapping[str, Demand]


class _OutOfBudget(Exception):
    pass


def satisfy(cond: Condition, catalog: FactCatalog) -> Assignment | None:
    """Demands under which ``cond`` holds, or ``None`` when no case can satisfy it."""
    steps = [0]
    try:
        return _search([cond], {}, catalog, steps)
    except _OutOfBudget:
        return {}


def satisfiable(cond: Condition, catalog: FactCatalog) -> bool:
    return satisfy(cond, catalog) is not None


def _search(pending: list[Condition], state: dict[str, Demand], catalog: FactCatalog,
            steps: list[int]) -> dict[str, Demand] | None:
    steps[0] += 1
    if steps[0] > BUDGET:
        raise _OutOfBudget
    if not pending:
        return state
    head, rest = pending[0], pending[1:]
    if isinstance(head, Leaf):
        demand = _add(state.get(head.key, Demand(head.fact)), head)
        if not _possible(head.key, demand, catalog):
            return None
        return _search(rest, {**state, head.key: demand}, catalog, steps)
    if isinstance(head, AllOf):
        return _search([*head.items, *rest], state, catalog, steps)
    for item in head.items:
        found = _search([item, *rest], state, catalog, steps)
        if found is not None:
            return found
    return None


def _add(demand: Demand, leaf: Leaf) -> Demand:
    value = leaf.value
    if leaf.op == "eq":
        return replace(demand, equal=tuple(dict.fromkeys((*demand.equal, value))))
    if leaf.op == "neq":
        return replace(demand, unequal=demand.unequal | {value})
    if leaf.op in ("gt", "gte"):
        bound = (value, leaf.op == "gte")
        return replace(demand, low=_tighter(demand.low, bound, higher=True))
    bound = (value, leaf.op == "lte")
    return replace(demand, high=_tighter(demand.high, bound, higher=False))


def _tighter(old: tuple[Any, bool] | None, new: tuple[Any, bool],
             higher: bool) -> tuple[Any, bool]:
    if old is None or (new[0] > old[0] if higher else new[0] < old[0]):
        return new
    if new[0] == old[0]:
        return (new[0], old[1] and new[1])
    return old


def domain(key: str, fact: str, catalog: FactCatalog) -> tuple[str, frozenset[Any] | None]:
    """``(kind, values)``: kind is ``finite``, ``open``, ``real`` or ``whole``."""
    spec = catalog.get(fact)
    if spec is None:
        return "open", None
    if spec.type in ("boolean", "set"):
        return "finite", frozenset({True, False})
    if spec.type == "text":
        if spec.values:
            return "finite", frozenset((*spec.values, spec.empty_value()))
        return "open", None
    return ("whole" if spec.type == "date" else "real"), None


def _possible(key: str, demand: Demand, catalog: FactCatalog) -> bool:
    kind, values = domain(key, demand.fact, catalog)
    if len(demand.equal) > 1:
        return False
    if values is not None:
        return bool(_candidates(demand, values))
    if demand.equal:
        return demand.equal[0] not in demand.unequal and _within(demand.equal[0], demand)
    if kind == "open":
        return True
    return _interval_has_room(demand, whole=kind == "whole")


def _candidates(demand: Demand, values: frozenset[Any]) -> list[Any]:
    out = [v for v in values if v not in demand.unequal and _within(v, demand)]
    if demand.equal:
        out = [v for v in out if v == demand.equal[0]]
    return sorted(out, key=repr)


def _within(value: Any, demand: Demand) -> bool:
    try:
        if demand.low is not None:
            bound, inclusive = demand.low
            if value < bound or (value == bound and not inclusive):
                return False
        if demand.high is not None:
            bound, inclusive = demand.high
            if value > bound or (value == bound and not inclusive):
                return False
    except TypeError:
        return False
    return True


def _interval_has_room(demand: Demand, whole: bool) -> bool:
    low, high = demand.low, demand.high
    if low is None or high is None:
        return True
    if whole:
        first = low[0] if low[1] else low[0] + 1
        last = high[0] if high[1] else high[0] - 1
        if first > last:
            return False
        excluded = {v for v in demand.unequal if first <= v <= last}
        return bool(last - first + 1 > len(excluded))
    if low[0] < high[0]:
        return True
    return bool(low[0] == high[0] and low[1] and high[1] and low[0] not in demand.unequal)


def example(assignment: Assignment, catalog: FactCatalog) -> list[str]:
    """A readable example case from an assignment: ``nation england``, ``… including X``."""
    words: list[str] = []
    for key, demand in sorted(assignment.items()):
        spec = catalog.get(demand.fact)
        if spec is None:
            continue
        if spec.type == "set":
            member = key[len(flat_key(spec.name)) + 2:]
            if demand.equal == (True,):
                words.append(f"{spec.name} including {member}")
            continue
        _, values = domain(key, demand.fact, catalog)
        if values is not None:
            picks = _candidates(demand, values)
            if picks and (demand.equal or len(picks) < len(values)) and picks[0] != "":
                words.append(f"{spec.name} {_word(picks[0])}")
        elif demand.equal:
            words.append(f"{spec.name} {_word(demand.equal[0])}")
    return words


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

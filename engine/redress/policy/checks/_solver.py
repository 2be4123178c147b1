"""Can a condition ever be true?  A small exact search over the facts' finite domains.

Conditions arrive in the normal form of :mod:`redress.policy.conditions` (leaves over flat keys, ``AllOf``
and ``AnyOf``, negation already pushed to the leaves).  The search picks one branch of every
``AnyOf`` and keeps, per flat key, what the chosen leaves demand: a value, values it must not be,
and bounds.  A key is satisfiable when its domain still holds a value:

* text facts with ``values`` (plus their default), booleans and set members are finite;
* text facts without ``values`` are open (any text);
* numbers are real numbers; dates are whole days (ordinals), so ``gt D`` and ``lt D+1`` clash.

The search is iterative (an explicit stack, so a rule with thousands of tests cannot exhaust
Python's stack) and takes in every plain test of a conjunction before it branches on an ``any``,
so clashing tests prune a branch before its alternatives are tried.  Every step is charged to the
caller's :class:`~redress.policy.checks.budget.WorkBudget`, which stops the whole check when spent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from redress.policy.checks.budget import WorkBudget
from redress.policy.conditions import AllOf, AnyOf, Condition, Leaf
from redress.policy.facts_catalog import FactCatalog, flat_key


@dataclass(frozen=True)
class Demand:
    """What the chosen leaves demand of one flat key."""

    fact: str
    equal: tuple[Any, ...] = ()  # at most one distinct value survives
    unequal: frozenset[Any] = frozenset()
    low: tuple[Any, bool] | None = None  # (bound, inclusive)
    high: tuple[Any, bool] | None = None


Assignment = Mapping[str, Demand]
# Steps charged to the budget, measured to be about a microsecond each: a branch of the search
# (copying the demands so far), and a test taken in (plus one per value it must not be).
BRANCH_COST = 10
TEST_COST = 5
# A persistent stack: pushing onto it never copies what is below.
Stack = tuple[Condition, "Stack"] | None
Choices = tuple[AnyOf, "Choices"] | None


@dataclass(frozen=True)
class _Branch:
    """A point of the search: demands so far, conditions still to take in, and the ``any``
    groups whose branch is still to be picked."""

    state: Assignment
    todo: Stack
    choices: Choices


def satisfy(cond: Condition, catalog: FactCatalog,
            budget: WorkBudget | None = None) -> Assignment | None:
    """Demands under which ``cond`` holds, or ``None`` when no case can satisfy it.

    Raises :class:`~redress.policy.checks.budget.WorkBudgetSpent` when ``budget`` (by default
    a fresh one) runs out first.
    """
    budget = WorkBudget() if budget is None else budget
    branches = [_Branch({}, (cond, None), None)]
    while branches:
        found = _settle(branches.pop(), catalog, budget, branches)
        if found is not None:
            return found
    return None


def satisfiable(cond: Condition, catalog: FactCatalog, budget: WorkBudget | None = None) -> bool:
    return satisfy(cond, catalog, budget) is not None


def _settle(branch: _Branch, catalog: FactCatalog, budget: WorkBudget,
            branches: list[_Branch]) -> dict[str, Demand] | None:
    """Take in every test of ``branch`` not under an ``any``: the demands if nothing is left to
    choose, else ``None`` after pushing one branch per item of the next ``any`` group (or
    nothing when two tests clash)."""
    budget.spend(BRANCH_COST + len(branch.state))
    state, todo, choices = dict(branch.state), branch.todo, branch.choices
    while todo is not None:
        head, todo = todo
        if isinstance(head, Leaf):
            demand = taken_in(state.get(head.key, Demand(head.fact)), head)
            budget.spend(TEST_COST + len(demand.unequal))
            if not possible(head.key, demand, catalog):
                return None
            state[head.key] = demand
        elif isinstance(head, AllOf):
            for item in reversed(head.items):
                todo = (item, todo)
        elif len(head.items) == 1:  # an 'any' of one: nothing to choose
            todo = (head.items[0], todo)
        else:
            choices = (head, choices)
    if choices is None:
        return state
    group, rest = choices
    for item in reversed(group.items):  # the first item is tried first
        branches.append(_Branch(state, (item, None), rest))
    return None


def taken_in(demand: Demand, leaf: Leaf) -> Demand:
    """``demand`` with what ``leaf`` adds to it."""
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


def possible(key: str, demand: Demand, catalog: FactCatalog) -> bool:
    """Whether some value of ``key`` meets ``demand``."""
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

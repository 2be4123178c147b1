"""Rule conditions compiled once to a Python function per rule program.

``conditions.evaluate`` walks a condition tree for every rule of every case; that walk costs
more than the comparisons it makes.  Here a whole program (one ruleset kind, in firing order) is
turned once into the source of one function that tests each rule's condition with ``and``/``or``
over the flat facts and returns the ids of the rules that hold, and that source is compiled.
The meaning is the tree walk's exactly (same order of tests, same short-circuits, an empty
``all`` true and an empty ``any`` false); ``conditions.evaluate`` stays the reference, and the
differential tests compare the two.

Nothing written by a policy officer becomes code: flat keys are catalogue names written with
``repr``, and the values compared against are passed in a tuple, never spelled in the source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from redress.policy.conditions import AllOf, Condition, Leaf

Firing = Callable[[Mapping[str, Any]], list[str]]
_OPERATORS = {"eq": "==", "neq": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _flat_fact(key: str) -> str:
    return f"f[{key!r}]"


def _expression(cond: Condition, constants: list[Any],
                ref: Callable[[str], str] = _flat_fact) -> str:
    """The source of a condition; ``ref`` writes how a flat key is read (``f['key']``)."""
    if isinstance(cond, Leaf):
        constants.append(cond.value)
        return f"({ref(cond.key)} {_OPERATORS[cond.op]} C[{len(constants) - 1}])"
    parts = [_expression(c, constants, ref) for c in cond.items]
    if isinstance(cond, AllOf):
        return "(" + " and ".join(parts) + ")" if parts else "True"
    return "(" + " or ".join(parts) + ")" if parts else "False"


def firing_lines(rules: Sequence[tuple[str, Condition]], constants: list[Any],
                 ref: Callable[[str], str] = _flat_fact) -> list[str]:
    """The body of a firing function (``out``: the ids ``I[n]`` of the rules that hold); the
    values compared against go to ``constants`` (``C``)."""
    lines = ["    out = []"]
    for index, (_rule_id, cond) in enumerate(rules):
        lines.append(f"    if {_expression(cond, constants, ref)}:")
        lines.append(f"        out.append(I[{index}])")
    lines.append("    return out")
    return lines


def compile_conditions(rules: Sequence[tuple[str, Condition]]) -> Firing:
    """One function: flat facts → ids of the rules whose condition holds, in the given order."""
    constants: list[Any] = []
    ids = tuple(rule_id for rule_id, _ in rules)
    lines = ["def fire(f):", *firing_lines(rules, constants)]
    namespace: dict[str, Any] = {"C": tuple(constants), "I": ids}
    exec(compile("\n".join(lines), "<redress compiled conditions>", "exec"), namespace)  # noqa: S102 - keys are repr()d, values passed in C
    fire: Firing = namespace["fire"]
    return fire

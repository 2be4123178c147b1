"""The plain-Python rule backend: the conditions of a program compiled once to one Python
function (``redress.policy.compiled_conditions``), with the meaning of the reference tree walk
``redress.policy.conditions.evaluate``.

The function is compiled on first use: an engine fires its plain programs straight from the
named facts (``compiled_facts.compile_direct``), so a cold start compiles only that one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from redress.policy.compiled_conditions import Firing, compile_conditions
from redress.policy.rules import RuleProgram


class PlainBackend:
    name = "plain"

    def __init__(self, program: RuleProgram) -> None:
        self._program = program
        self._compiled: Firing | None = None

    def _fire(self, facts: Mapping[str, Any]) -> list[str]:
        fire = self._compiled
        if fire is None:  # compiling twice in a race gives the same function: harmless
            fire = self._compiled = compile_conditions(
                [(rule.id, rule.condition) for rule in self._program.rules])
        return fire(facts)

    def fire(self, facts: Mapping[str, Any]) -> list[str]:
        return self._fire(facts)

    def fire_many(self, batch: Sequence[Mapping[str, Any]]) -> list[list[str]]:
        fire = self._fire
        return [fire(facts) for facts in batch]

    def close(self) -> None:
        return None

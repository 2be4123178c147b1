"""The plain-Python rule backend: the conditions of a program compiled once to one Python
function (``redress.policy.compiled_conditions``), with the meaning of the reference tree walk
``redress.policy.conditions.evaluate``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from redress.policy.compiled_conditions import compile_conditions
from redress.policy.rules import RuleProgram


class PlainBackend:
    name = "plain"

    def __init__(self, program: RuleProgram) -> None:
        self._program = program
        self._fire = compile_conditions([(rule.id, rule.condition) for rule in program.rules])

    def fire(self, facts: Mapping[str, Any]) -> list[str]:
        return self._fire(facts)

    def fire_many(self, batch: Sequence[Mapping[str, Any]]) -> list[list[str]]:
        fire = self._fire
        return [fire(facts) for facts in batch]

    def close(self) -> None:
        return None

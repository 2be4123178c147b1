"""The plain-Python rule backend: the reference semantics of the condition language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redress.policy.conditions import evaluate
from redress.policy.rules import RuleProgram


class PlainBackend:
    name = "plain"

    def __init__(self, program: RuleProgram) -> None:
        self._program = program

    def fire(self, facts: Mapping[str, Any]) -> list[str]:
        return [rule.id for rule in self._program.rules if evaluate(rule.condition, facts)]

    def close(self) -> None:
        return None

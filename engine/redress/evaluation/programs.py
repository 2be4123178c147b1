"""The decision rules an engine fires: each program with its backend, flattener and rules by id.

A program is one ruleset kind (``routing``), the decision rulesets together (``decisions``) or
one policy version's exclusions.  Its backend (compiled conditions or durable-rules) and its
flattener (the named facts → only the flat keys its conditions test) are made on first use and
kept: durable-rules never frees a ruleset, so it must not be built twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from redress.evaluation.backends import RuleBackend, make_backend
from redress.evaluation.compiled_facts import compile_direct, compile_flatten
from redress.policy.compiled_conditions import Firing
from redress.policy.conditions import leaves
from redress.policy.library import Library
from redress.policy.model import Policy
from redress.policy.rules import Rule, RuleProgram, make_program

DECISION_RULESETS = ("entitlements", "status", "ombudsman", "flags")
# Routing, status, Ombudsman and exclusions take the first rule that fires; the rest are kept
# in the trace, marked as not applied.
SINGLE_DECISION = frozenset({"routing", "status", "ombudsman", "exclusions"})


@dataclass
class Program:
    """One rule program ready to fire."""

    key: str
    program: RuleProgram
    rules: Mapping[str, Rule]
    # The named facts → the flat keys the conditions test, for a backend that reads flat facts
    # (made with the backend: the plain backend's ``direct`` function needs none).
    flatten: Callable[[Mapping[str, Any]], dict[str, Any]] = field(
        default=lambda values: _not_made(), repr=False)
    backend: RuleBackend | None = field(default=None, repr=False)
    # With the plain backend: the named facts straight to the rules that hold, in one function.
    direct: Firing | None = field(default=None, repr=False)

    def fired(self, ids: Sequence[str]) -> list[Rule]:
        rules = self.rules
        return [rules[i] for i in ids]


def _not_made() -> dict[str, Any]:
    raise RuntimeError("a program's flattener is made with its backend (Programs.backend)")


class Programs:
    """Every program of one engine, built lazily; safe to share between threads."""

    def __init__(self, library: Library, backend: str) -> None:
        self.library = library
        self.backend_name = backend
        self._lock = threading.Lock()
        self._made: dict[str, Program] = {}
        self._exclusions: dict[tuple[str, str], Program] = {}
        self.routing = self._program("routing", make_program("routing", library.rules))
        self.decisions = self._program("decisions", RuleProgram("decisions", tuple(sorted(
            (r for r in library.rules if r.ruleset in DECISION_RULESETS),
            key=lambda r: (r.priority, r.order)))))

    def _program(self, key: str, program: RuleProgram) -> Program:
        made = Program(key, program, {r.id: r for r in program.rules})
        self._made[key] = made
        return made

    def exclusions(self, policy: Policy) -> Program:
        key = (policy.id, policy.version.id)
        found = self._exclusions.get(key)
        if found is None:
            with self._lock:
                found = self._exclusions.get(key) or self._program(
                    f"exclusions:{policy.id}:{policy.version.id}",
                    self.library.exclusion_program(policy))
                self._exclusions[key] = found
        return found

    def backend(self, program: Program) -> RuleBackend:
        backend = program.backend
        if backend is None:
            with self._lock:
                backend = program.backend or make_backend(program.program, self.backend_name)
                if backend.name == "plain" and program.direct is None:
                    program.direct = compile_direct(
                        self.library.catalog,
                        [(rule.id, rule.condition) for rule in program.program.rules])
                if program.direct is None:
                    tested = {leaf.key for rule in program.program.rules
                              for leaf in leaves(rule.condition)}
                    program.flatten = compile_flatten(self.library.catalog, tested)
                program.backend = backend
        return backend

    def fire(self, program: Program, values: Mapping[str, Any]) -> list[str]:
        backend = program.backend or self.backend(program)
        direct = program.direct
        if direct is not None:
            return direct(values)
        return backend.fire(program.flatten(values))

    def fire_many(self, program: Program, values: Sequence[Mapping[str, Any]]) -> list[list[str]]:
        backend = program.backend or self.backend(program)
        direct = program.direct
        if direct is not None:
            return [direct(v) for v in values]
        flatten = program.flatten
        return backend.fire_many([flatten(v) for v in values])

    @property
    def backend_label(self) -> str:
        return self.backend(self.routing).name

    def close(self) -> None:
        with self._lock:
            for program in (*self._made.values(), *self._exclusions.values()):
                if program.backend is not None:
                    program.backend.close()
                    program.backend = None


__all__ = ["DECISION_RULESETS", "SINGLE_DECISION", "Program", "Programs"]

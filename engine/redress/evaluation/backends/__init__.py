"""Rule backends: fire a :class:`~redress.policy.rules.RuleProgram` over one case's flat facts.

Two backends implement the same contract on the same normal-form conditions:

* ``plain`` — the conditions compiled once to Python (``policy.compiled_conditions``), with the
  meaning of the reference tree walk ``policy.conditions.evaluate``; the default (``auto``),
  for one case and for a batch alike: measured 1.2–2× faster over whole evaluations than
  durable-rules with identical results (``benchmarks/bench_engine.py``), and it runs wherever
  Python does;
* ``durable`` — durable-rules 2.0.28, behind the guards in ``backends/durable.py``: a
  first-class backend, chosen explicitly, differentially tested against ``plain``.

``fire`` returns the ids of the rules whose conditions hold, in firing order (priority, then
file order), each once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from redress.policy.rules import RuleProgram


class RuleBackend(Protocol):
    name: str

    def fire(self, facts: Mapping[str, Any]) -> list[str]:
        """Rule ids that fire for these facts, in firing order."""
        ...

    def fire_many(self, batch: Sequence[Mapping[str, Any]]) -> list[list[str]]:
        """``fire`` for each of many cases' facts (durable-rules: in one session)."""
        ...

    def close(self) -> None:
        """Free native resources (no-op for the plain backend)."""
        ...


def durable_available() -> bool:
    try:
        import durable_rules_engine  # noqa: F401
    except ImportError:
        return False
    return True


def make_backend(program: RuleProgram, name: str = "auto") -> RuleBackend:
    """A backend for ``program``: ``durable``, ``plain`` or ``auto`` (``plain``, the faster)."""
    if name == "auto":
        name = "plain"
    if name == "durable":
        from redress.evaluation.backends.durable import DurableBackend

        return DurableBackend(program)
    if name == "plain":
        from redress.evaluation.backends.plain import PlainBackend

        return PlainBackend(program)
    raise ValueError(f"unknown rule backend {name!r}; use 'durable', 'plain' or 'auto'")

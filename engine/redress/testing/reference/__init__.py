"""The evaluation paths Redress had before, kept as the oracles of the compiled path.

``ReferenceEngine`` (``reference.evaluate``) is the path before issue 24: the generic timeline,
every deadline worded and the trace built as the case is evaluated, one case at a time.  It is
the baseline of the engine benchmark and the oracle of the differential tests.

Inside ``reference_path()`` that engine also loses the speed work of issue 12, each swapped back
for the code it replaced:

* every case is checked by ``jsonschema`` (no compiled yes/no check first);
* rule conditions are walked by ``conditions.evaluate`` for every rule (the ``plain`` backend;
  engines loaded with ``backend="durable"`` keep durable-rules);
* facts are flattened by ``facts.flatten`` (no compiled flattener);
* an ambiguity's other reading, and the other reading of an after-hours or non-working-day
  receipt, replay the whole case (``build_timeline``);
* month arithmetic goes through ``dateutil.relativedelta``.

The swaps patch module attributes, so they hold for the whole process while the context is
open: use it in tests and benchmarks only, never next to real work.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

from dateutil.relativedelta import relativedelta

from redress.evaluation.backends import RuleBackend, make_backend
from redress.policy.conditions import evaluate as walk
from redress.policy.library import Library
from redress.policy.model import Policy
from redress.policy.rules import RuleProgram
from redress.testing.reference.case import Case
from redress.testing.reference.evaluate import ReferenceEngine
from redress.testing.reference.facts import flatten
from redress.testing.reference.reading_dates import Plans, all_dates
from redress.testing.reference.timeline import Timeline, build_timeline


class WalkingBackend:
    """The rule backend as it was: the condition tree walked for every rule."""

    name = "plain"

    def __init__(self, program: RuleProgram) -> None:
        self._program = program

    def fire(self, facts: Mapping[str, Any]) -> list[str]:
        return [rule.id for rule in self._program.rules if walk(rule.condition, facts)]

    def fire_many(self, batch: Sequence[Mapping[str, Any]]) -> list[list[str]]:
        return [self.fire(facts) for facts in batch]

    def close(self) -> None:
        return None


def _make_backend(program: RuleProgram, name: str = "auto") -> RuleBackend:
    if name == "durable":  # the durable-rules adapter itself is unchanged
        return make_backend(program, name)
    return WalkingBackend(program)


def _replayed_reading_dates(case: Case, as_of: dt.date, policy: Policy, alt: Policy,
                            timeline: Timeline, body: str | None, reading_id: str,
                            plans: Plans | None = None,
                            base: Mapping[str, str] | None = None) -> dict[str, str]:
    return all_dates(case, as_of, alt, build_timeline(case, alt, as_of), body)


def _replayed_stage_dates(case: Case, policy: Policy, as_of: dt.date,
                          stage_id: str) -> dict[str, str]:
    timeline = build_timeline(case, policy, as_of)
    return {d.key: d.due.isoformat() for d in timeline.deadlines if d.stage == stage_id}


def _relativedelta_months(start: dt.date, months: int) -> dt.date:
    shifted: dt.date = start + relativedelta(months=months)
    return shifted


class UnspedEngine(ReferenceEngine):
    """A ``ReferenceEngine`` whose facts are flattened by ``facts.flatten``, every fact every
    time."""

    def __init__(self, library: Library, backend: str = "plain") -> None:
        super().__init__(library, backend)
        self._whole = functools.partial(flatten, catalog=library.catalog)

    def _flattener(self, key: str,
                   program: RuleProgram) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
        return self._whole


@contextmanager
def reference_path() -> Iterator[type[UnspedEngine]]:
    """Within the block, engines built with the yielded class (``.load()``) and every engine's
    case checks, rule backends, readings and month arithmetic take the reference path."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch("redress.testing.reference.case.surely_valid",
                                       lambda data: False))
        stack.enter_context(mock.patch("redress.testing.reference.evaluate.make_backend",
                                       _make_backend))
        stack.enter_context(mock.patch("redress.testing.reference.flagging.reading_dates",
                                       _replayed_reading_dates))
        stack.enter_context(mock.patch("redress.testing.reference.flagging.stage_dates",
                                       _replayed_stage_dates))
        stack.enter_context(mock.patch("redress.calendar.periods.plus_months",
                                       _relativedelta_months))
        yield UnspedEngine


__all__ = ["ReferenceEngine", "UnspedEngine", "reference_path"]

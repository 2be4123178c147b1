"""Shared pieces for the benchmarks run by ``benchmarks/run.py``.

A benchmark is a module ``benchmarks/bench_<name>.py`` with a one-line ``TITLE`` and a
``run() -> Report`` function.  ``run()`` times its methods (best of several repeats), checks
that they agree, and returns the rows; ``run.py`` prints them.  Timings only: nothing here
asserts a speed, so a slow machine never fails a build.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Row:
    """One timed method: the best wall time over the repeats for ``calls`` calls."""

    method: str
    seconds: float
    calls: int

    @property
    def per_call_us(self) -> float:
        return self.seconds / self.calls * 1e6


@dataclass
class Report:
    """What a benchmark returns: its rows, free-text notes (ratios, targets) and whether the
    methods agreed on every input."""

    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ok: bool = True


def best_of(repeats: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeats`` timed calls of ``fn`` and the last call's result.

    The garbage collector is paused during each call so a collection does not land in one
    method's timing and not another's.
    """
    best = float("inf")
    result: Any = None
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - t0
        finally:
            gc.enable()
        best = min(best, elapsed)
    return best, result


def render(report: Report) -> str:
    """A plain-text table of the report."""
    width = max([len("method"), *(len(r.method) for r in report.rows)])
    lines = [
        f"== {report.title}",
        f"{'method':<{width}}  {'calls':>8}  {'best s':>9}  {'µs/call':>9}",
    ]
    for r in report.rows:
        lines.append(
            f"{r.method:<{width}}  {r.calls:>8}  {r.seconds:>9.4f}  {r.per_call_us:>9.3f}"
        )
    lines.extend(report.notes)
    lines.append("results agree" if report.ok else "RESULTS DISAGREE")
    return "\n".join(lines)

"""Single-case evaluation: the fast path against the path before issue 12, for both backends.

A seeded varied mix (``redress.testing.varied``: every bundled procedure, all three calendars,
events of every type at every stage, evaluation dates spread over the stages, a few broken
cases) is evaluated one case at a time through ``Engine.evaluate(...).to_dict()`` — validation,
routing, timeline, rules, flags, result — in interleaved rounds by four paths:

* the default fast path with the plain (compiled-conditions) backend;
* the fast path with the durable-rules backend;
* the reference path (``redress.testing.reference``: the code before the speed work) with the
  plain backend, and with durable-rules: the baselines measured in the same run.

Times are CPU time of this process (``time.process_time``): the targets are per core, and on a
shared VM wall time mostly measures the neighbours.  Wall-clock cases/s are printed too.  Each
path's total is the median of the rounds (best also shown); p50/p99 are per case over every
round.  All four must give identical results (``audit.backend`` aside).  Then the cold
starts: ``import redress``, ``redress evaluate`` of the example case and ``redress lint`` of the
bundled set, each a fresh process (best and median of 5).
"""

from __future__ import annotations

import datetime as dt
import gc
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import Report, Row
from redress import CaseError, Engine
from redress.testing.reference import reference_path
from redress.testing.varied import varied_cases

TITLE = "Engine.evaluate: fast path vs the path before issue 12, plain and durable backends"
CASES = 2_000
ROUNDS = 3
COLD_RUNS = 5
ROOT = Path(__file__).resolve().parent.parent
TARGET_DEFAULT = 20_000   # cases/s per core, default path (issue 12)
TARGET_DURABLE = 2_000    # cases/s, durable-rules backend
TARGET_COLD = 0.5         # seconds, cold `redress evaluate` / `redress lint`

Mix = list[tuple[dict[str, Any], dt.date]]


def _evaluate_all(engine: Engine, mix: Mix, times: list[float]) -> list[Any]:
    out: list[Any] = []
    clock = time.process_time
    for case, as_of in mix:
        t0 = clock()
        try:
            data: Any = engine.evaluate(case, as_of=as_of).to_dict()
        except CaseError as exc:
            data = str(exc)
        times.append(clock() - t0)
        if isinstance(data, dict):
            data["audit"].pop("backend")
        out.append(data)
    return out


def _timed(run: Callable[[list[float]], list[Any]]
           ) -> tuple[float, float, list[float], list[Any]]:
    """CPU seconds, wall seconds, per-case CPU seconds and the results of one round."""
    times: list[float] = []
    gc.collect()
    gc.disable()
    try:
        w0, c0 = time.perf_counter(), time.process_time()
        result = run(times)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    finally:
        gc.enable()
    return cpu, wall, times, result


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _cold(args: list[str]) -> tuple[list[float], list[float]]:
    """Wall seconds and CPU seconds (user + system) of each fresh-process run."""
    walls, cpus = [], []
    for _ in range(COLD_RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(args, cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def run() -> Report:
    mix = varied_cases(CASES, seed=11)
    report = Report(TITLE)
    paths = ("fast, plain (default)", "fast, durable-rules", "before, plain",
             "before, durable-rules")
    totals: dict[str, list[float]] = {p: [] for p in paths}
    walls: dict[str, list[float]] = {p: [] for p in paths}
    per_case: dict[str, list[float]] = {p: [] for p in paths}
    results: dict[str, list[Any]] = {}

    fast = {"plain": Engine.load(backend="plain"), "durable": Engine.load(backend="durable")}
    for engine in fast.values():
        _evaluate_all(engine, mix[:100], [])  # warm caches: versions, readings, rulesets
    with reference_path() as engine_class:
        before = {"plain": engine_class.load(backend="plain"),
                  "durable": engine_class.load(backend="durable")}
        for engine in before.values():
            _evaluate_all(engine, mix[:100], [])

    for _round in range(ROUNDS):
        for path in paths:
            kind = "plain" if path.endswith("(default)") or path.endswith("plain") else "durable"
            if path.startswith("fast"):
                engine = fast[kind]
                total, wall, times, out = _timed(lambda t, e=engine: _evaluate_all(e, mix, t))
            else:
                engine = before[kind]
                with reference_path():
                    total, wall, times, out = _timed(
                        lambda t, e=engine: _evaluate_all(e, mix, t))
            totals[path].append(total)
            walls[path].append(wall)
            per_case[path].extend(times)
            results[path] = out
    for engine in (*fast.values(), *before.values()):
        engine.close()

    rate = {}
    for path in paths:
        median = statistics.median(totals[path])
        rate[path] = CASES / median
        report.rows.append(Row(f"{path}: CPU s, median of {ROUNDS} rounds", median, CASES))
        report.notes.append(
            f"{path}: {rate[path]:,.0f} cases/s per core (median), best "
            f"{CASES / min(totals[path]):,.0f}, wall-clock {CASES / statistics.median(walls[path]):,.0f}; "
            f"p50 {_percentile(per_case[path], 0.50) * 1e6:,.0f} µs, "
            f"p99 {_percentile(per_case[path], 0.99) * 1e6:,.0f} µs per case")
    default, durable = rate[paths[0]], rate[paths[1]]
    report.notes.append(f"speed-up of the fast path over the path before: plain "
                        f"{default / rate[paths[2]]:.2f}×, durable-rules "
                        f"{durable / rate[paths[3]]:.2f}×")
    report.notes.append(f"durable-rules takes {default / durable:.2f}× the default path's time")
    report.notes.append(
        f"targets: default ≥ {TARGET_DEFAULT:,} cases/s: "
        f"{'met' if default >= TARGET_DEFAULT else 'MISSED'} ({default:,.0f}); "
        f"durable-rules ≥ {TARGET_DURABLE:,} cases/s: "
        f"{'met' if durable >= TARGET_DURABLE else 'MISSED'} ({durable:,.0f})")
    report.ok = all(results[p] == results[paths[0]] for p in paths)
    report.notes.append("identical results on all four paths: " + ("yes" if report.ok else "NO"))

    redress = str(Path(sys.executable).with_name("redress"))
    cold = {
        "cold `import redress`": [sys.executable, "-c", "import redress"],
        "cold `redress evaluate` (example case)": [redress, "evaluate", "examples/EX-2025-0042.yaml",
                                                   "--as-of", "2025-06-01"],
        "cold `redress lint` (bundled set)": [redress, "lint"],
    }
    for name, args in cold.items():
        walls, cpus = _cold(args)
        report.rows.append(Row(f"{name}: wall s, median of {COLD_RUNS}",
                               statistics.median(walls), 1))
        verdict = ""
        if "import" not in name:
            verdict = (f"; target < {TARGET_COLD} s (wall, best): "
                       f"{'met' if min(walls) < TARGET_COLD else 'MISSED'}")
        report.notes.append(f"{name}: wall best {min(walls):.3f} s, median "
                            f"{statistics.median(walls):.3f} s; CPU best {min(cpus):.3f} s, "
                            f"median {statistics.median(cpus):.3f} s{verdict}")
    return report

"""The engine, issue 24: the compiled path against the path before it, in one run.

A seeded varied mix (``redress.testing.varied``: every bundled procedure, all three calendars,
events of every type at every stage, records of every kind, evaluation dates spread over the
stages, about 4 % broken cases) is evaluated through each path, in interleaved rounds:

* the compiled path (default, plain backend), each case ``evaluate(case, as_of).to_dict()`` in
  the lean form and in the full form;
* the compiled path with durable-rules: one case at a time, and in batches (``evaluate_batch``:
  each program's rules fired for 256 cases in one durable-rules session);
* the path before issue 24 (``redress.testing.reference``), plain and durable-rules, full form:
  the baselines.

Times are CPU time of this process with the garbage collector paused (the targets are per
core; on a shared machine wall time measures the neighbours); each path's figure is the median
of the rounds.  All paths must give the same results (the lean form equal to the full form made
lean).  Then, each in fresh processes: cold ``import redress`` and ``redress evaluate`` (the
example case; its first run fills the policy-set cache, the median is of the warm runs), peak
RSS of ``redress batch -`` streaming generated records in the lean form
(``REDRESS_BENCH_STREAM``, 20,000 by default; 1,000,000 is the long mode, 5–10 minutes), and
``redress serve`` with one worker against in-process evaluation (CPU per request, requests/s).

    .venv/bin/python benchmarks/run.py engine                                  # a few minutes
    REDRESS_BENCH_STREAM=1000000 .venv/bin/python benchmarks/run.py engine     # + the 1M stream
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import Report, Row
from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.evaluation.lean import lean_from_full
from redress.evaluation.records import InputRef, ParsedInput, ResultRecord
from redress.policy.loader import Document
from redress.testing.reference import ReferenceEngine
from redress.testing.varied import varied_cases

TITLE = "Engine: the compiled path (issue 24) against the path before it"
CASES = 2_000
ROUNDS = 3
COLD_RUNS = 5
ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"default": 20_000, "durable": 2_000, "cold": 0.3, "stream_mb": 300, "serve": 0.75}

Mix = list[tuple[dict[str, Any], dt.date]]
Path_ = Callable[[Mix], list[Any]]


def _single(engine: Engine, form: str) -> Path_:
    def run(mix: Mix) -> list[Any]:
        out: list[Any] = []
        for case, as_of in mix:
            try:
                data: Any = engine.evaluate(case, as_of=as_of).to_dict(form)  # type: ignore[arg-type]
            except CaseError as exc:
                data = str(exc)
            out.append(data)
        return out
    return run


def _batched(engine: Engine, form: str) -> Path_:
    def run(mix: Mix) -> list[Any]:
        out: list[Any] = []
        for start in range(0, len(mix), 256):
            part = mix[start:start + 256]
            items = [ParsedInput(InputRef("<bench>", None, i), Document("<case>", case, {}))
                     for i, (case, _) in enumerate(part)]
            for record in engine.evaluate_batch(items, [as_of for _, as_of in part]):
                out.append(record.result.to_dict(form)  # type: ignore[arg-type]
                           if isinstance(record, ResultRecord) else record.message)
        return out
    return run


def _timed(run: Path_, mix: Mix) -> tuple[float, list[Any]]:
    gc.collect()
    gc.disable()
    try:
        t0 = time.process_time()
        out = run(mix)
        return time.process_time() - t0, out
    finally:
        gc.enable()


def _comparable(out: list[Any], lean: bool) -> list[Any]:
    """Results without the backend's name; the full form made lean where it is to be compared
    with a lean path."""
    made = []
    for data in out:
        if isinstance(data, dict):
            data = {**data, "audit": {k: v for k, v in data["audit"].items() if k != "backend"}}
            if lean and data["form"] == "full":
                data = lean_from_full(data)
        elif isinstance(data, str) and data.startswith("invalid case"):
            data = "invalid"  # a batch record words the error as a record does
        made.append(data)
    return made


def _paths() -> dict[str, tuple[Path_, bool]]:
    plain, durable = Engine.load(backend="plain"), Engine.load(backend="durable")
    old_plain = ReferenceEngine.load(backend="plain")
    old_durable = ReferenceEngine.load(backend="durable")
    return {
        "compiled, plain (default), lean": (_single(plain, "lean"), True),
        "compiled, plain (default), full": (_single(plain, "full"), False),
        "compiled, durable-rules, batches of 256, lean": (_batched(durable, "lean"), True),
        "compiled, durable-rules, one at a time, lean": (_single(durable, "lean"), True),
        "before, plain, full (baseline)": (_single(old_plain, "full"), False),
        "before, durable-rules, full (baseline)": (_single(old_durable, "full"), False),
    }


def _engine_rates(report: Report) -> dict[str, float]:
    mix = varied_cases(CASES, seed=11)
    paths = _paths()
    for run, _lean in paths.values():
        run(mix[:150])  # warm: policy versions compiled, rulesets built
    seconds: dict[str, list[float]] = {name: [] for name in paths}
    results: dict[str, list[Any]] = {}
    for _round in range(ROUNDS):
        for name, (run, _lean) in paths.items():
            spent, results[name] = _timed(run, mix)
            seconds[name].append(spent)
    rates = {}
    for name in paths:
        median = statistics.median(seconds[name])
        rates[name] = CASES / median
        report.rows.append(Row(f"{name}: CPU s, median of {ROUNDS}", median, CASES))
    _agree(report, paths, results)
    return rates


def _agree(report: Report, paths: dict[str, tuple[Path_, bool]],
           results: dict[str, list[Any]]) -> None:
    baseline = results["before, plain, full (baseline)"]
    for name, (_run, lean) in paths.items():
        got = _comparable(results[name], lean)
        want = _comparable(baseline, lean)
        if "batches" in name:  # a batch words an invalid case as an error record
            want = ["invalid" if isinstance(w, str) else w for w in want]
            got = ["invalid" if isinstance(g, str) else g for g in got]
        if got != want:
            report.ok = False
            report.notes.append(f"DIFFERENT RESULTS: {name}")


def _rate_notes(report: Report, rates: dict[str, float]) -> None:
    lean, full = rates["compiled, plain (default), lean"], rates["compiled, plain (default), full"]
    batched = rates["compiled, durable-rules, batches of 256, lean"]
    single = rates["compiled, durable-rules, one at a time, lean"]
    old, old_durable = (rates["before, plain, full (baseline)"],
                        rates["before, durable-rules, full (baseline)"])
    for name, rate in rates.items():
        report.notes.append(f"{name}: {rate:,.0f} cases/s per core ({1e6 / rate:,.0f} µs a case)")
    report.notes.append(f"compiled over before, plain: lean {lean / old:.2f}×, full {full / old:.2f}×;"
                        f" durable-rules batched {batched / old_durable:.2f}×, one at a time "
                        f"{single / old_durable:.2f}×")
    report.notes.append(
        f"targets: default path (lean) ≥ {TARGETS['default']:,}/s: "
        f"{'met' if lean >= TARGETS['default'] else 'MISSED'} ({lean:,.0f}, "
        f"{TARGETS['default'] / lean:.1f}× short)" if lean < TARGETS["default"] else
        f"targets: default path (lean) ≥ {TARGETS['default']:,}/s: met ({lean:,.0f})")
    report.notes.append(f"durable-rules ≥ {TARGETS['durable']:,}/s: "
                        f"{'met' if batched >= TARGETS['durable'] else 'MISSED'} "
                        f"(batched {batched:,.0f}, one at a time {single:,.0f})")


def _child_env(cache: Path, pycache: Path) -> dict[str, str]:
    """Fresh processes as a user runs them: compiled bytecode kept (outside the checkout), the
    policy-set cache in a folder of this run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(REDRESS_CACHE_DIR=str(cache), PYTHONPYCACHEPREFIX=str(pycache))
    return env


def _cold(args: list[str], env: dict[str, str]) -> list[float]:
    walls = []
    for _ in range(COLD_RUNS):
        t0 = time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t0)
    return walls


def _cold_starts(report: Report, folder: Path) -> None:
    env = _child_env(folder / "cache", folder / "pycache")
    redress = [sys.executable, "-c", "from redress.cli import console_main; console_main()"]
    evaluate = [*redress, "evaluate", "examples/EX-2025-0042.yaml", "--as-of", "2025-06-01"]
    first = _cold(evaluate, env)[0]  # bytecode written and the policy set cached here
    for name, args in (("cold `import redress`", [sys.executable, "-c", "import redress"]),
                       ("cold `redress evaluate` (example case)", evaluate)):
        walls = _cold(args, env)
        report.rows.append(Row(f"{name}: wall s, median of {COLD_RUNS}",
                               statistics.median(walls), 1))
        verdict = ""
        if "evaluate" in name:
            verdict = (f"; target < {TARGETS['cold']} s: "
                       f"{'met' if statistics.median(walls) < TARGETS['cold'] else 'MISSED'}; "
                       f"the very first run (no bytecode, no cached policy set) {first:.3f} s")
        report.notes.append(f"{name}: wall best {min(walls):.3f} s, median "
                            f"{statistics.median(walls):.3f} s{verdict}")


def run() -> Report:
    report = Report(TITLE)
    rates = _engine_rates(report)
    _rate_notes(report, rates)
    with tempfile.TemporaryDirectory(prefix="redress-bench-engine-") as folder:
        _cold_starts(report, Path(folder))
        from bench_engine_edges import serve_against_in_process, stream_peak

        stream_peak(report, Path(folder), TARGETS["stream_mb"])
        serve_against_in_process(report, Path(folder), TARGETS["serve"])
    return report

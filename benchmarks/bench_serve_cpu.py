"""``redress serve`` CPU per case against in-process evaluation, on its own.

The service part of ``python benchmarks/run.py engine`` (``bench_engine_edges``), without the
engine rates, cold starts and stream around it: single requests from one client and from
several at once, and one JSON Lines batch, each against in-process evaluation of the same
cases measured in the same run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench_engine_edges import serve_against_in_process
from harness import Report

TITLE = "redress serve: server CPU per case against in-process evaluation (one worker)"
TARGET = 0.75  # issue 24: the service at ≥ 0.75× the in-process rate


def run() -> Report:
    report = Report(TITLE)
    with tempfile.TemporaryDirectory(prefix="redress-bench-serve-cpu-") as folder:
        serve_against_in_process(report, Path(folder), TARGET)
    return report

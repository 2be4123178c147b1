"""Caseloads: per-case speed of both rule backends, batch with 1 and 2 workers, memory over a
long stream, and cold starts of the command line.

The caseload is generated with a fixed seed (``redress.testing.generate.caseload_lines``): every
bundled procedure, events at every stage, the three working-day calendars, a joint s75
complaint, withdrawn and resolved complaints, and about 1 % bad records (torn JSON, an unknown
nation, a date that does not exist).  In one run it prints:

* cases/s, p50 and p99 per case for the durable-rules and the plain backends over the batch
  path (parse, validate, evaluate, serialise the JSON line), their ratio, and whether the two
  backends wrote identical records;
* ``redress batch`` with 1 and 2 worker processes over the same records (in-process runner,
  worker start-up included) and the speed-up;
* peak RSS (``VmHWM``, sampled) of ``redress batch -`` streaming N generated records from a pipe
  to ``/dev/null`` (1,000,000 by default; ``--quick`` streams 20,000);
* cold starts: ``redress evaluate`` of the example case and ``redress lint`` of the bundled set
  (median of 3 fresh processes).

    .venv/bin/python benchmarks/run.py caseload            # the full run (the 1M stream is long)
    .venv/bin/python benchmarks/run.py caseload --quick    # a few minutes
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from harness import Report, Row
from redress import Engine
from redress.caseload.batch import BatchSpec, BatchTask
from redress.caseload.runner import run_ordered
from redress.caseload.sources import json_lines, read_inputs
from redress.testing.generate import caseload_lines

TITLE = "Caseloads: backends per case, batch workers, memory over a stream, cold starts"
ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 7, 1)
SEED = 12
REDRESS = [sys.executable, "-c", "from redress.cli import console_main; console_main()"]


def _sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"backend": 400, "batch": 1_500, "stream": 20_000}
    return {"backend": 3_000, "batch": 12_000,
            "stream": int(os.environ.get("REDRESS_BENCH_STREAM", "1000000"))}


def _per_case(backend: str, lines: list[str]) -> tuple[list[float], list[str]]:
    """Seconds per record and the JSON lines, through the batch path in this process."""
    task = BatchTask(Engine.load(backend=backend), AS_OF)
    raws = list(json_lines(io.BytesIO("".join(lines).encode("utf-8")), "bench"))
    for raw in raws[:50]:
        task(raw)  # warm the caches (policy versions, compiled rulesets, validators)
    times, out = [], []
    for raw in raws:
        t0 = time.perf_counter()
        outcome = task(raw)
        times.append(time.perf_counter() - t0)
        out.append(outcome.body.decode("utf-8"))
    task.engine.close()
    return times, out


def _comparable(line: str) -> Any:
    data = json.loads(line)
    data.get("audit", {}).pop("backend", None)
    return data


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _batch(path: Path, workers: int) -> float:
    spec = BatchSpec(AS_OF)
    t0 = time.perf_counter()
    count = sum(1 for _ in run_ordered(spec, read_inputs([str(path)]), workers))
    elapsed = time.perf_counter() - t0
    assert count > 0
    return elapsed


def _stream_rss(records: int) -> tuple[float, float, int]:
    """Peak RSS (MB) and wall seconds of ``redress batch -`` over ``records`` piped records."""
    proc = subprocess.Popen([*REDRESS, "batch", "-", "--as-of", AS_OF.isoformat()],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stderr is not None

    def feed() -> None:
        assert proc.stdin is not None
        try:
            for line in caseload_lines(records, seed=SEED + 1):
                proc.stdin.write(line.encode("utf-8"))
        finally:
            proc.stdin.close()

    peak = [0]

    def sample() -> None:
        # VmHWM is the process's own high-water mark since exec; wait4's ru_maxrss would also
        # count the parent's pages at fork time (Linux keeps the pre-exec high-water mark).
        status = Path(f"/proc/{proc.pid}/status")
        while proc.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.2)

    t0 = time.perf_counter()
    feeder = threading.Thread(target=feed)
    sampler = threading.Thread(target=sample)
    feeder.start()
    sampler.start()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    feeder.join()
    sampler.join()
    elapsed = time.perf_counter() - t0
    summary = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    counted = int(summary[0].split(" records")[0].split()[-1]) if "records" in summary[0] else -1
    rss_kb = peak[0] or usage.ru_maxrss
    return rss_kb / 1024, elapsed, counted


def _cold(args: list[str]) -> float:
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "redress"), *args], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(quick: bool = False) -> Report:
    sizes = _sizes(quick)
    report = Report(TITLE + (" (quick)" if quick else ""))
    lines = list(caseload_lines(sizes["backend"], seed=SEED))

    durations: dict[str, list[float]] = {}
    outputs: dict[str, list[str]] = {}
    for backend in ("plain", "durable"):
        durations[backend], outputs[backend] = _per_case(backend, lines)
        report.rows.append(Row(f"batch path per record, {backend} backend",
                               sum(durations[backend]), len(lines)))
    for backend in ("plain", "durable"):
        times = durations[backend]
        report.notes.append(
            f"{backend:>7}: {len(times) / sum(times):8,.0f} cases/s, p50 "
            f"{_percentile(times, 0.5) * 1e6:7.0f} µs, p99 {_percentile(times, 0.99) * 1e6:7.0f} µs")
    ratio = sum(durations["durable"]) / sum(durations["plain"])
    report.notes.append(f"durable-rules takes {ratio:.2f}× the plain backend's time per case "
                        "(targets: default path ≥ 20,000 cases/s; durable ≥ 2,000 cases/s)")
    same = [_comparable(a) for a in outputs["plain"]] == [_comparable(b)
                                                           for b in outputs["durable"]]
    report.notes.append("identical records from both backends: " + ("yes" if same else "NO"))
    report.ok = same

    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"redress-bench-caseload-{os.getpid()}.jsonl"
    try:
        path.write_text("".join(caseload_lines(sizes["batch"], seed=SEED + 2)), encoding="utf-8")
        one = _batch(path, 1)
        two = _batch(path, 2)
    finally:
        path.unlink(missing_ok=True)
    report.rows.append(Row("redress batch, 1 worker", one, sizes["batch"]))
    report.rows.append(Row("redress batch, 2 workers", two, sizes["batch"]))
    report.notes.append(f"batch: {sizes['batch'] / one:,.0f} cases/s with 1 worker, "
                        f"{sizes['batch'] / two:,.0f} with 2: {one / two:.2f}× (target ≥ 1.8×; "
                        "worker start-up included)")

    rss, seconds, counted = _stream_rss(sizes["stream"])
    report.rows.append(Row(f"redress batch - streaming {sizes['stream']:,} records", seconds,
                           sizes["stream"]))
    report.notes.append(f"stream of {sizes['stream']:,} records: peak RSS {rss:.0f} MB "
                        f"(target < 300 MB for 1,000,000), {counted:,} records summarised")
    report.ok = report.ok and counted == sizes["stream"]

    evaluate = _cold(["evaluate", "examples/EX-2025-0042.yaml", "--as-of", "2025-05-01"])
    lint = _cold(["lint"])
    report.notes.append(f"cold start (median of 3): redress evaluate one case {evaluate:.2f} s, "
                        f"redress lint of the bundled set {lint:.2f} s (targets < 0.5 s each)")
    return report


if __name__ == "__main__":
    from harness import render

    result = run(quick="--quick" in sys.argv)
    print(render(result))
    sys.exit(0 if result.ok else 1)

"""``redress batch`` under faults: worker processes killed with real signals, a record that
crashes every worker, and a reader that goes away (closed pipe).  Every wait is bounded by a
deadline; no sleep stands in for an assertion."""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from caseloads import AS_OF, RECORDS, REDRESS, child_processes, comparable, read_lines

from redress.caseload.batch import BatchTask, Outcome
from redress.caseload.raw import RawRecord
from redress.caseload.runner import MAX_WORKER_CRASHES
from redress.cli import main

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
DEADLINE = 120  # seconds for any one wait on the machine CI shares


def _within(seconds: float, condition: Callable[[], bool]) -> bool:
    """Whether ``condition`` holds within ``seconds`` (polled)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _lines_written(out: Path) -> int:
    return out.read_bytes().count(b"\n") if out.exists() else 0


def test_workers_killed_one_after_another_lose_no_record_and_blame_none(
        caseload: tuple[Path, list[int]], full_run: Path, tmp_path: Path) -> None:
    # The records come through a pipe we hold, in slices: feed a slice, wait until both
    # workers run and the slice is being answered, kill one worker (the next round, the
    # other), so every kill lands while the run is alive and usually mid-evaluation.  Before,
    # two kills ended most runs with exit 3 ("CancelledError") or wrote innocent records as
    # internal errors.
    lines = caseload[0].read_bytes().splitlines(keepends=True)
    step = len(lines) // 8
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([*REDRESS, "batch", "-", "-o", str(out), "--as-of", AS_OF,
                             "--workers", "2"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        killed: list[int] = []

        def alive() -> list[int]:
            return sorted(set(child_processes(proc.pid)) - set(killed))

        for round_ in range(4):
            written = _lines_written(out)
            proc.stdin.write(b"".join(lines[round_ * step:(round_ + 1) * step]))
            proc.stdin.flush()
            if not _within(DEADLINE, lambda w=written: _lines_written(out) > w and bool(alive())):
                break  # the run stalled or ended: the checks below say how
            live = alive()
            victim = live[round_ % len(live)]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        proc.stdin.write(b"".join(lines[4 * step:]))
        proc.stdin.close()
        proc.wait(timeout=DEADLINE * 2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    assert proc.returncode == 1, err  # the caseload's own bad records; no internal error
    records = read_lines(out)
    assert [r["input"]["index"] for r in records] == list(range(RECORDS))
    assert [comparable(r) for r in records] == [comparable(r) for r in read_lines(full_run)]


def test_a_record_that_crashes_every_worker_is_a_worker_crash_record_and_exit_3(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # A segmentation fault in a rule backend's C code, for one case only: the workers are
    # forked, so they inherit this patch; the signal is real.
    evaluate = BatchTask.__call__

    def crashing(self: BatchTask, raw: RawRecord) -> Outcome:
        if '"CRASH"' in str(raw.payload):
            faulthandler.disable()  # pytest's handler would print the crash to the log
            os.kill(os.getpid(), signal.SIGSEGV)
        return evaluate(self, raw)

    monkeypatch.setattr(BatchTask, "__call__", crashing)
    cases = tmp_path / "cases.jsonl"
    example = {"id": "OK", "received": "2025-03-03", "nation": "england", "service": "nhs",
               "events": []}
    cases.write_text("".join(json.dumps({**example, "id": "CRASH" if i == 7 else f"OK-{i}"})
                             + "\n" for i in range(20)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(cases), "-o", str(out), "--as-of", "2025-05-01",
                 "--workers", "2"])
    err = capsys.readouterr().err
    assert code == 3, err
    records = read_lines(out)
    assert [r["input"]["index"] for r in records] == list(range(20))
    crashed = [r for r in records if "error" in r]
    assert [r["case_id"] for r in crashed] == ["CRASH"]
    assert crashed[0]["error"]["kind"] == "worker_crash"
    assert f"ended {MAX_WORKER_CRASHES} times (SIGSEGV)" in crashed[0]["error"]["message"]
    assert "1 internal" in err and "Traceback" not in err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_closed_output_pipe_ends_the_batch_with_exit_141(
        caseload: tuple[Path, list[int]], workers: str) -> None:
    proc = subprocess.Popen([*REDRESS, "batch", str(caseload[0]), "--as-of", AS_OF,
                             "--workers", workers], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first: Any = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    proc.wait(timeout=DEADLINE)
    assert json.loads(first)["input"]["index"] == 0
    assert proc.returncode == 141
    assert "Traceback" not in proc.stderr.read().decode()

"""The ordered runner: input order with several workers; a worker that dies costs only the
record it was evaluating, which a fresh worker evaluates again; a record that keeps killing
workers is answered as a crash; no worker outlives its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from caseloads import child_processes

from redress.caseload.raw import RawRecord
from redress.caseload.runner import MAX_WORKER_CRASHES, run_ordered
from redress.evaluation.records import InputRef


@dataclass(frozen=True)
class _Spec:
    """Echoes the record's index.  ``die``: the worker ends itself with a real SIGKILL; with
    ``tally`` set, each attempt is counted in a file and only the first ``deaths`` attempts
    die (a record that crashed once need not crash again)."""

    tally: str = ""
    deaths: int = 10 ** 6

    def build(self) -> Callable[[RawRecord], int]:
        def task(raw: RawRecord) -> int:
            if raw.payload == "die":
                attempts = 0
                if self.tally:
                    with open(self.tally, "a+", encoding="utf-8") as fh:
                        fh.write("x")
                        fh.seek(0)
                        attempts = len(fh.read())
                if attempts <= self.deaths:
                    os.kill(os.getpid(), signal.SIGKILL)
            return raw.ref.index

        return task


def _raws(payloads: list[str]) -> list[RawRecord]:
    return [RawRecord(InputRef("t", i + 1, i), "json", p) for i, p in enumerate(payloads)]


def test_several_workers_keep_input_order_with_a_bounded_window() -> None:
    raws = _raws(["ok"] * 500)
    assert list(run_ordered(_Spec(), raws, workers=2, chunk_size=7)) == list(range(500))


def test_a_record_that_kills_every_worker_becomes_the_crash_outcome_and_the_rest_survive(
        tmp_path: Path) -> None:
    payloads = ["ok"] * 40
    payloads[17] = "die"
    tally = tmp_path / "attempts"
    reasons: list[str] = []

    def on_crash(raw: RawRecord, why: str) -> int:
        reasons.append(why)
        return -raw.ref.index

    results = list(run_ordered(_Spec(str(tally)), _raws(payloads), workers=2, chunk_size=4,
                               on_crash=on_crash))
    assert results == [(-i if i == 17 else i) for i in range(40)]
    assert len(tally.read_text()) == MAX_WORKER_CRASHES  # tried once per fresh worker
    assert reasons == [f"the worker process evaluating it ended {MAX_WORKER_CRASHES} times "
                       "(SIGKILL), each time in a fresh process"]


@pytest.mark.parametrize("deaths", [1, MAX_WORKER_CRASHES - 1])
def test_a_record_whose_worker_died_fewer_times_than_the_limit_is_evaluated_not_blamed(
        tmp_path: Path, deaths: int) -> None:
    # Before, the records of a broken pool were retried one at a time in one shared pool, and
    # a second death during the retries ended the run (CancelledError) or labelled the record
    # being retried an internal error.
    payloads = ["ok"] * 30
    payloads[5] = payloads[21] = "die"
    tally = tmp_path / "attempts"
    results = list(run_ordered(_Spec(str(tally), deaths), _raws(payloads), workers=2,
                               chunk_size=4, on_crash=lambda raw, why: -1))
    assert results == list(range(30))


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds} s waiting until {what}")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


PARENT = """
import sys, time
from dataclasses import dataclass
from redress.caseload.raw import RawRecord
from redress.caseload.runner import run_ordered
from redress.evaluation.records import InputRef

@dataclass(frozen=True)
class Slow:
    def build(self):
        def task(raw):
            time.sleep(0.05)
            return raw.ref.index
        return task

raws = (RawRecord(InputRef("t", i + 1, i), "json", "ok") for i in range(10 ** 6))
for n in run_ordered(Slow(), raws, workers=2, chunk_size=2):
    print(n, flush=True)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_no_worker_outlives_a_parent_killed_with_sigkill() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
    try:
        assert parent.stdout is not None
        parent.stdout.readline()  # the workers are running
        workers = child_processes(parent.pid)
        assert len(workers) == 2
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        _wait_for(lambda: not any(_alive(w) for w in workers), 30, "the workers have exited")
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_a_crashed_record_is_a_worker_crash_record_naming_the_case() -> None:
    import json

    from redress.caseload.batch import crashed

    raw = RawRecord(InputRef("cases.jsonl", 3, 2), "json", '{"id": "C-3", "nation": "x"}\n',
                    "ab" * 32)
    outcome = crashed(raw, "the worker process evaluating it ended 3 times (SIGSEGV)")
    record = json.loads(outcome.body)
    assert record["case_id"] == "C-3"
    assert record["error"]["kind"] == "worker_crash"
    assert "ended 3 times (SIGSEGV)" in record["error"]["message"]
    assert outcome.input == {"source": "cases.jsonl", "line": 3, "index": 2, "sha256": "ab" * 32}

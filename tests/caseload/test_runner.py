"""The ordered runner: input order with several workers, and a worker that dies loses nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from redress.caseload.runner import run_ordered
from redress.caseload.sources import RawRecord
from redress.evaluation.records import InputRef


@dataclass(frozen=True)
class _Spec:
    """A task that echoes the record's index, and kills its process on the record 'die'."""

    def build(self) -> Callable[[RawRecord], int]:
        def task(raw: RawRecord) -> int:
            if raw.payload == "die":
                os._exit(1)  # what a segfault in a rule backend's C code looks like from outside
            return raw.ref.index

        return task


def _raws(payloads: list[str]) -> list[RawRecord]:
    return [RawRecord(InputRef("t", i + 1, i), "json", p) for i, p in enumerate(payloads)]


def test_several_workers_keep_input_order_with_a_bounded_window() -> None:
    raws = _raws(["ok"] * 500)
    assert list(run_ordered(_Spec(), raws, workers=2, chunk_size=7)) == list(range(500))


def test_a_record_that_kills_its_worker_becomes_the_crash_outcome_and_the_rest_survive() -> None:
    payloads = ["ok"] * 40
    payloads[17] = "die"
    results = list(run_ordered(_Spec(), _raws(payloads), workers=2, chunk_size=4,
                               on_crash=lambda raw, why: -raw.ref.index))
    assert results == [(-i if i == 17 else i) for i in range(40)]


def test_a_crashed_record_is_an_internal_error_record_naming_the_case() -> None:
    import json

    from redress.caseload.batch import crashed

    raw = RawRecord(InputRef("cases.jsonl", 3, 2), "json", '{"id": "C-3", "nation": "x"}\n')
    record = json.loads(crashed(raw, "the worker process evaluating it ended unexpectedly").line)
    assert record["case_id"] == "C-3"
    assert record["error"]["kind"] == "internal_error"
    assert "ended unexpectedly" in record["error"]["message"]
    assert record["input"] == {"source": "cases.jsonl", "line": 3, "index": 2}

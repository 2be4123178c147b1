"""8 threads evaluating 10,000 cases with one shared engine give the same results as one thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from redress import CaseError, Engine
from redress.testing.generate import as_of_for, random_cases


def evaluate_all(engine: Engine, cases: list[dict[str, Any]]) -> list[Any]:
    out = []
    for case in cases:
        try:
            data = engine.evaluate(case, as_of=as_of_for(case)).to_dict()
        except CaseError as exc:
            data = [f.render() for f in exc.findings]
        out.append(data)
    return out


@pytest.mark.slow
def test_eight_threads_give_the_same_results_as_one_thread() -> None:
    cases = random_cases(10_000, seed=42)
    engine = Engine.load()
    serial = evaluate_all(engine, cases)
    chunks = [cases[i::8] for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parts = list(pool.map(lambda chunk: evaluate_all(engine, chunk), chunks))
    threaded: list[Any] = [None] * len(cases)
    for k, part in enumerate(parts):
        threaded[k::8] = part
    assert threaded == serial
    assert sum(1 for r in serial if isinstance(r, dict) and r["procedure"]) > 5_000

"""The batch summary's "open" counts complaints only (issue 21): a compliment, a comment recorded
as a representation or a matter routed elsewhere runs no complaint clock and is never open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from redress import Engine
from redress.caseload.digest import Tally, digest


def _case(case_id: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": case_id, "received": "2025-06-02", "nation": "england",
                            "service": "housing", "complainant": {"role": "service_user"},
                            "organisations": [{"id": "c", "kind": "local_authority"}],
                            "events": [{"date": "2025-06-02", "type": "acknowledged"}]}
    base.update(changes)
    return base


def test_only_complaints_are_open() -> None:
    engine = Engine.load(backend="plain")
    try:
        records = [engine.evaluate(c, as_of=dt.date(2025, 6, 4)).to_dict() for c in (
            _case("C-1"),
            _case("K-1", record="compliment", events=[]),
            _case("R-1", record="representation", events=[]),
            _case("X-1", record="routed_elsewhere", routed_to="disciplinary", events=[]),
            _case("R-2", record="representation", became_complaint="2025-06-03",
                  events=[{"date": "2025-06-03", "type": "acknowledged"}]))]
    finally:
        engine.close()
    tally = Tally()
    for i, record in enumerate(records):
        tally.add(digest({**record, "input": {"source": "-", "line": i + 1, "index": i}}))
    assert [digest(r).open for r in records] == [True, False, False, False, True]
    assert tally.open == 2 and "2 open" in tally.render()

"""Random (often wrong) values in the issue 13 case fields: every case evaluates or raises
CaseError; nothing else escapes (no traceback for a user's mistake)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from redress import CaseError, Engine

WRONG: list[Any] = [None, "", "x", 0, -1, 2.5, True, [], {}, "2025-02-30", "1899-01-01",
                    "2999-12-31", ["apology"], {"kind": "apology"}, [{"kind": "x"}], [{}],
                    {"body": 3}, [{"amount": "ten"}], {"outcome": "x"}]
VALID: dict[str, list[Any]] = {  # values the schema accepts (some still contradict the record)
    "record": ["complaint", "compliment", "representation", "routed_elsewhere"],
    "became_complaint": ["2025-06-02", "2025-06-04", "2025-05-01", "2099-01-01"],
    "routed_to": ["disciplinary"],
    "decision": [{"outcome": "upheld"}, {"well_founded": False}],
    "remedies": [[{"kind": "payment", "amount": 10, "due": "2025-07-01"}],
                 [{"kind": "apology", "completed": "2025-06-01", "source": "ombudsman"}]],
    "ombudsman": [{"reference": "R1"}, {"decision": "upheld", "decided": "2025-08-01"}],
    "costs": [[{"amount": 10, "stage": "stage2"}], [{"amount": 0}]],
}


def test_random_record_fields_evaluate_or_raise_case_error() -> None:
    rng = random.Random(13)
    engine = Engine.load(backend="plain")
    outcomes = {"evaluated": 0, "rejected": 0}
    try:
        for i in range(300):
            case: dict[str, Any] = {
                "id": f"F-{i}", "received": "2025-06-02", "nation": "england",
                "service": rng.choice(["housing", "children_social_care", "council_corporate"]),
                "organisations": [{"id": "council", "kind": "local_authority"}],
                "events": [{"date": "2025-06-03", "type": "responded", "outcome": "upheld"}]}
            for name in rng.sample(sorted(VALID), rng.randint(1, 4)):
                case[name] = rng.choice(VALID[name] if rng.random() < 0.8 else WRONG)
            try:
                engine.evaluate(case, as_of=dt.date(2025, 9, 1)).to_dict()
                outcomes["evaluated"] += 1
            except CaseError:
                outcomes["rejected"] += 1
    finally:
        engine.close()
    assert outcomes["evaluated"] > 20 and outcomes["rejected"] > 20, outcomes

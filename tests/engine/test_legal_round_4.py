"""Issue 24, legal round 4: a rule read in the primary text that the engine cannot yet express.

SI 2012/3094 reg 29(3)(a) (read, docs/legal/verification.md 11.11 and 24.15): where the council
notified a service provider of a public health complaint under reg 24(5), the provider's
relevant period is six months commencing on the day the notification was *given*. Redress
counts every forwarded complaint from the day the second body *received* it (right for
SI 2009/309 reg 7(5), 24.10), and a policy cannot choose the other day, so this test is a strict
expected failure: it starts to pass, and so fails the suite, once the engine can express it,
which is the moment to drop the marker and set the public health policy accordingly.

Worked by hand: notification given Mon 2 Mar 2026; six months commencing on that day end the
day before the corresponding date (2 Sep) → Tue 1 Sep 2026. Counting from the clinic's receipt
(Thu 5 Mar) gives Fri 4 Sep, three days late.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from redress import Engine

FORWARDED_TO_CLINIC: dict[str, Any] = {
    "id": "L4-PH", "received": "2026-03-02", "nation": "england", "service": "public_health",
    "complainant": {"role": "service_user"},
    "organisations": [{"id": "council", "kind": "local_authority"},
                      {"id": "clinic", "kind": "other"}],
    "matter": {"aware": "2026-02-20", "topics": ["other"]},
    "events": [{"date": "2026-03-02", "type": "forwarded", "body": "council",
                "received": "2026-03-05"}],
}


def _respond_due(result_dict: dict[str, Any]) -> str:
    return next(d["due"] for d in result_dict["deadlines"]
                if d["stage"] == "stage1" and d["kind"] == "respond")


def test_a_forwarded_public_health_complaint_is_routed_to_the_provider() -> None:
    data = Engine.load(backend="plain").evaluate(
        FORWARDED_TO_CLINIC, as_of=dt.date(2026, 3, 10)).to_dict()
    assert data["procedure"]["id"] == "public-health-2012"
    assert data["routing"]["handled_by"] == "clinic"


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="engine gap (verification 24.15): a forwarded complaint always "
                          "counts from the day the second body received it")
def test_the_relevant_period_runs_from_the_day_the_council_gave_notification() -> None:
    data = Engine.load(backend="plain").evaluate(
        FORWARDED_TO_CLINIC, as_of=dt.date(2026, 3, 10)).to_dict()
    assert _respond_due(data) == "2026-09-01"

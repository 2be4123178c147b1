"""Issue 24, legal round 4: when the relevant period of a public health complaint starts.

SI 2012/3094 reg 29(3)(a) (read, docs/legal/verification.md 11.11 and 24.15): where the council
notified a service provider of a public health complaint under reg 24(5), the provider's
relevant period is six months commencing on the day the notification was *given*; otherwise on
the day the complaint was received. The policy counts the response from the anchor `notified`:
a `forwarded` event's date, or else the day of receipt. The acknowledgement still counts from
the provider's receipt (reg 28, as SI 2009/309 reg 13).

Worked by hand: notification given Mon 2 Mar 2026; six months commencing on that day end the
day before the corresponding date (2 Sep) → Tue 1 Sep 2026. Counting from the clinic's receipt
(Thu 5 Mar) would give Fri 4 Sep, three days late. The acknowledgement: 3 working days after
Thu 5 Mar → Fri 6, Mon 9, Tue 10 Mar 2026 (no bank holiday in between).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def _due(result_dict: dict[str, Any], kind: str) -> str:
    return next(d["due"] for d in result_dict["deadlines"]
                if d["stage"] == "stage1" and d["kind"] == kind)


def test_a_forwarded_public_health_complaint_is_routed_to_the_provider() -> None:
    data = Engine.load(backend="plain").evaluate(
        FORWARDED_TO_CLINIC, as_of=dt.date(2026, 3, 10)).to_dict()
    assert data["procedure"]["id"] == "public-health-2012"
    assert data["routing"]["handled_by"] == "clinic"


def test_the_relevant_period_runs_from_the_day_the_council_gave_notification() -> None:
    data = Engine.load(backend="plain").evaluate(
        FORWARDED_TO_CLINIC, as_of=dt.date(2026, 3, 10)).to_dict()
    assert _due(data, "respond") == "2026-09-01"
    assert _due(data, "acknowledge") == "2026-03-10"
    respond = next(d for d in data["deadlines"] if d["kind"] == "respond")
    assert respond["anchor"] == {"event": "notified", "date": "2026-03-02"}


def test_a_complaint_made_to_the_provider_itself_runs_from_its_receipt() -> None:
    """Not passed on: six months commencing on Wed 4 Mar 2026 end on Thu 3 Sep 2026."""
    direct = {**FORWARDED_TO_CLINIC, "received": "2026-03-04", "events": [],
              "organisations": [{"id": "clinic", "kind": "other"}]}
    data = Engine.load(backend="plain").evaluate(direct, as_of=dt.date(2026, 3, 10)).to_dict()
    assert data["procedure"]["id"] == "public-health-2012"
    assert _due(data, "respond") == "2026-09-03"
    respond = next(d for d in data["deadlines"] if d["kind"] == "respond")
    assert respond["anchor"] == {"event": "notified", "date": "2026-03-04"}

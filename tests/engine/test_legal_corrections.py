"""Issue 11 behaviours a scenario file cannot express: the words of the Ombudsman reason, the
dates of an ambiguity's readings and the JSON shape of the new deadline kinds.

Every expected date was worked out by hand from the law and the GOV.UK England and Wales
calendar (docs/legal/worked-dates.md), not copied from Redress's output:

* 12 weeks (84 days) after Mon 7 Sep 2026: 7 Oct (+30), 7 Nov (+61), 30 Nov (+84) → Mon 30 Nov;
* a children's stage 1 response sent Fri 15 May 2026: 20 working days, skipping the spring bank
  holiday Mon 25 May → Mon 15 Jun; received by the complainant Tue 19 May → Wed 17 Jun.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from redress import Engine

CORPORATE: dict[str, Any] = {
    "id": "T11-CORP", "received": "2026-09-07", "nation": "england",
    "service": "council_corporate", "complainant": {"role": "service_user"},
    "organisations": [{"id": "council", "kind": "local_authority"}],
    "matter": {"topics": ["waste"]},
    "events": [{"date": "2026-09-09", "type": "acknowledged"}],
}
CHILDREN: dict[str, Any] = {
    "id": "T11-CH", "received": "2026-05-05", "nation": "england",
    "service": "children_social_care", "complainant": {"role": "parent"},
    "subject": {"age": 9, "status": ["child_in_need"]},
    "organisations": [{"id": "council", "kind": "local_authority"}],
    "matter": {"topics": ["care_planning"]},
    "events": [{"date": "2026-05-15", "type": "responded", "stage": "stage1",
                "outcome": "not_upheld", "received": "2026-05-19"}],
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def test_a_premature_reason_names_the_day_the_12_weeks_run_out(engine: Engine) -> None:
    result = engine.evaluate(CORPORATE, as_of=dt.date(2026, 10, 2))
    omb = result.routing.ombudsman
    assert omb is not None and not omb.ready
    assert "Mon 30 Nov 2026" in omb.reason
    assert "Now:" in omb.reason  # a missed timescale says what the complainant can do now
    assert "{until}" not in omb.reason


def test_the_premature_until_deadline_is_in_the_json_deadlines(engine: Engine) -> None:
    data = engine.evaluate(CORPORATE, as_of=dt.date(2026, 10, 2)).to_dict()
    found = [d for d in data["deadlines"] if d["kind"] == "ombudsman_premature_until"]
    assert [(d["stage"], d["due"], d["state"]) for d in found] == \
        [("ombudsman", "2026-11-30", "pending")]


def test_the_request_window_is_flagged_with_the_receipt_reading_and_its_date(
        engine: Engine) -> None:
    result = engine.evaluate(CHILDREN, as_of=dt.date(2026, 5, 20))
    flag = next(f for f in result.flags if f.id == "ambiguity:request-window-anchor")
    dates = {r.id: r.dates.get("stage1.request_next_stage") for r in flag.readings}
    assert dates == {"response_sent": "2026-06-15", "response_received": "2026-06-17"}
    window = result.deadline("stage1", "request_next_stage")
    assert window is not None and window.due == dt.date(2026, 6, 15)


HOUSING_FINAL: dict[str, Any] = {
    "id": "T11-HO", "received": "2025-09-01", "nation": "england", "service": "housing",
    "complainant": {"role": "service_user"},
    "organisations": [{"id": "homes-association", "kind": "housing_provider"}],
    "matter": {"occurred": "2025-08-20", "aware": "2025-08-20", "topics": ["repairs"]},
    "events": [
        {"date": "2025-09-02", "type": "acknowledged", "stage": "stage1"},
        {"date": "2025-09-15", "type": "responded", "stage": "stage1", "outcome": "not_upheld"},
        {"date": "2025-09-17", "type": "escalation_requested", "to": "stage2"},
        {"date": "2025-09-18", "type": "acknowledged", "stage": "stage2"},
        {"date": "2025-10-15", "type": "responded", "stage": "stage2", "outcome": "not_upheld"},
    ],
}


def test_the_housing_referral_anniversary_is_flagged_both_ways(engine: Engine) -> None:
    # Final response Wed 15 Oct 2025: "12 months or more" → last day Wed 14 Oct 2026;
    # "within 12 months" → the anniversary, Thu 15 Oct 2026, is still in time.
    result = engine.evaluate(HOUSING_FINAL, as_of=dt.date(2026, 10, 1))
    flag = next(f for f in result.flags if f.id == "ambiguity:referral-anniversary")
    dates = {r.id: r.dates.get("ombudsman.ombudsman_time_limit") for r in flag.readings}
    assert dates == {"twelve_months_or_more": "2026-10-14", "within_12_months": "2026-10-15"}

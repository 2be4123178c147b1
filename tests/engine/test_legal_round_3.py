"""Issue 20 behaviours a scenario file cannot express: a flag's named readings, the words of the
Ombudsman's reason, the basis of the moved reasonable-opportunity date and the flags a refused
stage leaves behind.

Dates were worked out by hand (tests/scenarios/legal-round-3.scenarios.yaml, L3-15 and L3-16):
received Mon 11 May 2026, the stage 2 window closed Mon 22 Jun and stage 2 was asked for Mon 13
Jul, 21 days later; 84 days after receipt is Mon 3 Aug, plus 21 days Mon 24 Aug 2026.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from redress import Engine

DELAYED: dict[str, Any] = {
    "id": "T20-DELAY", "received": "2026-05-11", "nation": "england",
    "service": "council_corporate", "complainant": {"role": "service_user"},
    "organisations": [{"id": "council", "kind": "local_authority"}],
    "matter": {"topics": ["highways"]},
    "events": [
        {"date": "2026-05-12", "type": "acknowledged", "stage": "stage1"},
        {"date": "2026-05-22", "type": "responded", "stage": "stage1", "outcome": "not_upheld"},
        {"date": "2026-07-13", "type": "escalation_requested", "to": "stage2"},
        {"date": "2026-07-14", "type": "acknowledged", "stage": "stage2"},
    ],
}
UNSTATED: dict[str, Any] = {
    "id": "T20-CARE", "received": "2026-01-05", "nation": "england",
    "service": "adult_social_care", "complainant": {"role": "relative"},
    "organisations": [{"id": "willow-house", "kind": "care_provider"}],
    "matter": {"topics": ["residential_care"]}, "events": [],
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def _asked_on_15_june(then: dict[str, Any]) -> dict[str, Any]:
    """DELAYED with stage 2 asked for on Mon 15 Jun 2026, inside the window, then ``then``."""
    return {**DELAYED, "events": [*DELAYED["events"][:2],
                                  {"date": "2026-06-15", "type": "escalation_requested",
                                   "to": "stage2"}, then]}


def _flag(result: Any, flag_id: str) -> Any:
    return next(f for f in result.flags if f.id == flag_id)


def test_the_complainants_delay_is_flagged_with_both_readings(engine: Engine) -> None:
    result = engine.evaluate(DELAYED, as_of=dt.date(2026, 8, 10))
    flag = _flag(result, "complainant-delay-between-stages")
    assert flag.kind == "ambiguity"
    assert {r.id: r.default for r in flag.readings} == {"councils_time": True,
                                                         "from_receipt": False}
    as_json = next(f for f in result.to_dict()["flags"]
                   if f["id"] == "complainant-delay-between-stages")
    assert {r["id"] for r in as_json["readings"]} == {"councils_time", "from_receipt"}


def test_the_moved_date_says_why_it_moved(engine: Engine) -> None:
    result = engine.evaluate(DELAYED, as_of=dt.date(2026, 8, 10))
    until = next(d for d in result.deadlines if d.kind == "ombudsman_premature_until")
    assert until.due == dt.date(2026, 8, 24)
    assert "plus 21 days the complainant delayed between stages" in until.basis
    assert result.routing.ombudsman is not None
    assert "Mon 24 Aug 2026" in result.routing.ombudsman.reason


def test_asking_within_the_window_is_not_delay(engine: Engine) -> None:
    # Stage 2 asked Mon 15 Jun 2026, inside the window (Mon 22 Jun): the 12 weeks stay at Mon 3
    # Aug, so on Mon 10 Aug the complaint is ready and nothing is flagged.
    case = _asked_on_15_june({"date": "2026-06-16", "type": "acknowledged", "stage": "stage2"})
    result = engine.evaluate(case, as_of=dt.date(2026, 8, 10))
    assert result.routing.ombudsman is not None and result.routing.ombudsman.ready
    assert all(f.id != "complainant-delay-between-stages" for f in result.flags)


def test_unstated_funding_names_both_parts(engine: Engine) -> None:
    result = engine.evaluate(UNSTATED, as_of=dt.date(2026, 2, 3))
    flag = _flag(result, "care-funding-unstated")
    assert {r.id for r in flag.readings} == {"either_part", "council_arranged",
                                             "privately_arranged"}
    assert result.routing.ombudsman is not None
    assert result.routing.ombudsman.body == "LGSCO"
    assert "Part 3A" in result.routing.ombudsman.reason


def test_a_refused_stage_leaves_no_provisional_flags(engine: Engine) -> None:
    case = _asked_on_15_june({"date": "2026-06-17", "type": "escalation_refused", "to": "stage2"})
    result = engine.evaluate(case, as_of=dt.date(2026, 6, 18))
    stage2 = [d for d in result.deadlines if d.stage == "stage2"]
    assert stage2 and all(d.state == "not_applicable" and not d.provisional for d in stage2)
    assert not any(f.id.startswith("provisional:stage2") for f in result.flags)
    assert result.status == "escalation_refused"

"""The engine issue's worked example, evaluated as of 2025-05-01.

Every expected date below was worked out by hand from SI 2006/1738 and the GOV.UK England and
Wales calendar (docs/legal/worked-dates.md), not copied from Redress's output:

* stage 1: received Mon 3 Mar 2025 (day 0); 10 working days → Mon 17 Mar; 20 → Mon 31 Mar;
* stage 1 response Fri 21 Mar; 20 working days → Tue 22 Apr (skips Good Friday 18 Apr and
  Easter Monday 21 Apr), so the request of Mon 14 Apr was in time;
* stage 2 requested Mon 14 Apr; 25 working days → Thu 22 May (skips 18 Apr, 21 Apr, 5 May);
  65 → Fri 18 Jul (also skips 26 May); from Thu 1 May to 22 May there are 14 working days
  (2 May, 6–9 May, 12–16 May, 19–22 May).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redress import Engine, Result

EXAMPLE = Path(__file__).parents[2] / "examples" / "EX-2025-0042.yaml"
AS_OF = dt.date(2025, 5, 1)


@pytest.fixture(scope="module", params=["durable", "plain"])
def result(request: pytest.FixtureRequest) -> Result:
    engine = Engine.load(backend=request.param)
    return engine.evaluate(EXAMPLE, as_of=AS_OF)


def due(result: Result, stage: str, kind: str) -> dt.date:
    deadline = result.deadline(stage, kind)
    assert deadline is not None, f"no {stage}.{kind} deadline"
    return deadline.due


def test_the_case_is_routed_to_the_childrens_procedure(result: Result) -> None:
    assert result.procedure is not None
    assert result.procedure.id == "children-act-1989"


def test_the_case_is_at_stage_2(result: Result) -> None:
    assert result.stage == "stage2"


def test_stage_1_response_was_due_17_march_with_an_extended_maximum_of_31_march(
        result: Result) -> None:
    assert due(result, "stage1", "respond") == dt.date(2025, 3, 17)
    extended = result.deadline("stage1", "respond_extended")
    assert extended is not None
    assert extended.due == dt.date(2025, 3, 31)
    assert extended.state == "met"
    assert extended.met_on == dt.date(2025, 3, 21)


def test_the_window_to_ask_for_stage_2_ended_22_april_and_the_request_was_in_time(
        result: Result) -> None:
    window = result.deadline("stage1", "request_next_stage")
    assert window is not None
    assert window.due == dt.date(2025, 4, 22)
    assert window.state == "met"
    assert window.met_on == dt.date(2025, 4, 14)


def test_stage_2_response_is_due_22_may_with_14_working_days_left(result: Result) -> None:
    respond = result.deadline("stage2", "respond")
    assert respond is not None
    assert respond.due == dt.date(2025, 5, 22)
    assert respond.state == "pending"
    assert respond.working_days_remaining == 14
    assert "Good Friday" in respond.basis and "2025-04-14" in respond.basis


def test_stage_2_response_is_due_at_the_latest_18_july(result: Result) -> None:
    assert due(result, "stage2", "respond_extended") == dt.date(2025, 7, 18)


def test_independent_person_and_investigating_officer_at_stage_2(result: Result) -> None:
    ids = {e.id for e in result.entitlements}
    assert {"independent_person", "investigating_officer"} <= ids


def test_the_parent_has_no_s26a_advocacy_entitlement(result: Result) -> None:
    assert not result.has_entitlement("advocacy")


def test_lgsco_would_not_take_it_yet_and_says_why(result: Result) -> None:
    omb = result.routing.ombudsman
    assert omb is not None
    assert omb.body == "LGSCO"
    assert omb.ready is False
    assert "three stages" in omb.reason


def test_the_stage_2_anchor_ambiguity_is_flagged_with_both_readings(result: Result) -> None:
    flag = next(f for f in result.flags if f.id == "ambiguity:stage2-anchor")
    assert {r.id for r in flag.readings} == {"request_received", "statement_agreed"}


def test_every_conclusion_in_the_trace_carries_a_citation(result: Result) -> None:
    assert result.trace
    assert all(step.citation is not None and step.citation.provision for step in result.trace)
    assert any(step.rule == "route-children-act-1989" for step in result.trace)


def test_the_result_serialises_to_json(result: Result) -> None:
    import json

    data = json.loads(json.dumps(result.to_dict()))
    assert data["procedure"]["id"] == "children-act-1989"
    assert data["audit"]["evaluated_as_of"] == "2025-05-01"


def test_the_policys_caveats_reach_the_result_as_notes(result: Result) -> None:
    window = result.deadline("stage1", "request_next_stage")
    assert window is not None and window.note is not None
    assert window.note.startswith("No regulation fixes this window")
    data = result.to_dict()
    notes = {(d["stage"], d["kind"]): d["note"] for d in data["deadlines"]}
    assert notes[("stage1", "request_next_stage")] == window.note
    assert "Reg 17 has not yet been checked" in notes[("stage2", "respond")]
    # No note on the LGSCO's time limit or on these entitlements: null, not left out.
    assert data["routing"]["ombudsman"]["time_limit"]["note"] is None
    assert [e["note"] for e in data["entitlements"]] == [None] * len(data["entitlements"])


def test_the_explanation_names_the_dates_and_the_law(result: Result) -> None:
    text = result.explain()
    assert "Thursday 22 May 2025" in text
    assert "SI 2006/1738" in text

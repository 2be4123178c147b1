"""Per-case work the lean path no longer repeats (issue 24, fourth round).

Each change keeps the result byte for byte (``tests/differential``); these tests pin the parts
on their own: what a policy version works out once, and what a case still works out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.policy.model import Ambiguity, Policy
from redress.testing.varied import varied_cases


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def _versions(engine: Engine) -> list[Policy]:
    found = []
    for entry in engine.library.policies.values():
        for version, _merged in entry.versions:
            moment = dt.datetime.fromisoformat(str(version["effective_from"]))
            policy = engine.library.policy_at(entry.id, moment)
            if policy is not None:
                found.append(policy)
    return found


def _changes_something(amb: Ambiguity) -> bool:
    return any(r.id != amb.default and r.overrides for r in amb.readings)


def test_only_ambiguities_with_a_reading_that_changes_something_are_worked_out(
        engine: Engine) -> None:
    inert = worked = 0
    for policy in _versions(engine):
        code = engine.code(policy)
        listed = [amb.id for amb, _touched, _readings in code.open_questions]
        assert listed == [a.id for a in policy.ambiguities if _changes_something(a)]
        for amb, touched, readings in code.open_questions:
            assert [r.id for r in readings] == [r.id for r in amb.readings
                                                if r.id != amb.default and r.overrides]
            assert touched == code.touched[policy.ambiguities.index(amb)]
        inert += len(policy.ambiguities) - len(listed)
        worked += len(listed)
    # The bundled policies have both kinds, so both branches are exercised.
    assert inert > 0 and worked > 0


def test_an_ambiguity_no_reading_of_which_changes_anything_is_never_flagged(
        engine: Engine) -> None:
    inert = {f"ambiguity:{a.id}" for p in _versions(engine) for a in p.ambiguities
             if not _changes_something(a)}
    flagged = 0
    for case, as_of in varied_cases(300, seed=41):
        try:
            result = engine.evaluate(case, as_of=as_of)
        except CaseError:
            continue
        ids = {f.id for f in result.flags if f.id.startswith("ambiguity:")}
        assert not ids & inert
        flagged += bool(ids)
    assert flagged > 50


def _children(events: list[dict[str, object]], **changes: object) -> dict[str, object]:
    case: dict[str, object] = {
        "id": "R-4", "received": "2025-06-02", "nation": "england",
        "service": "children_social_care", "complainant": {"role": "child", "age": 12},
        "organisations": [{"id": "council", "kind": "local_authority"}], "events": events}
    case.update(changes)
    return case


def _record(engine: Engine, case: dict[str, object]) -> dict[str, object]:
    record = engine.evaluate(case, as_of=dt.date(2025, 9, 1)).to_dict("lean")["record"]
    assert isinstance(record, dict)
    return record


def test_an_unstaged_response_and_extension_belong_to_stage_1_while_it_is_the_only_one(
        engine: Engine) -> None:
    # Received Mon 2 June 2025; answered Fri 13 June: 3-6 and 9-13 June are 9 working days
    # (no bank holiday in England between them).
    record = _record(engine, _children([
        {"date": "2025-06-05", "type": "extension", "days": 5},
        {"date": "2025-06-13", "type": "responded", "outcome": "upheld"}]))
    assert record["stages"] == [{"stage": "stage1", "opened": "2025-06-02",
                                 "responded": "2025-06-13", "outcome": "upheld",
                                 "working_days": 9, "extensions": 1}]


def test_an_unstaged_event_belongs_to_the_stage_open_on_its_day(engine: Engine) -> None:
    # Stage 2 asked for on Fri 20 June: the extension of 25 June and the response of Fri
    # 18 July are stage 2's.  From 20 June to 18 July: 23-27 and 30 June, 1-4, 7-11 and
    # 14-18 July, 20 working days.
    record = _record(engine, _children([
        {"date": "2025-06-13", "type": "responded", "outcome": "not_upheld"},
        {"date": "2025-06-20", "type": "escalation_requested", "to": "stage2"},
        {"date": "2025-06-25", "type": "extension", "days": 10},
        {"date": "2025-07-18", "type": "responded", "outcome": "partly_upheld"}]))
    assert [(s["stage"], s["responded"], s["working_days"], s["extensions"])
            for s in record["stages"]] == [("stage1", "2025-06-13", 9, 0),
                                           ("stage2", "2025-07-18", 20, 1)]


def test_no_costs_total_the_whole_number_0_and_costs_their_sum(engine: Engine) -> None:
    assert repr(_record(engine, _children([]))["cost_total"]) == "0"
    costed = _record(engine, _children([], costs=[{"amount": 120.5}, {"amount": 0.25}]))
    assert costed["cost_total"] == 120.75


def test_the_first_withdrawal_and_a_referral_are_both_recorded(engine: Engine) -> None:
    record = _record(engine, _children([
        {"date": "2025-06-10", "type": "withdrawn"},
        {"date": "2025-07-01", "type": "referred_to_ombudsman", "body": "LGSCO"}]))
    assert record["withdrawn"] == "2025-06-10"
    assert record["ombudsman"] is not None and record["ombudsman"]["referred"] == "2025-07-01"

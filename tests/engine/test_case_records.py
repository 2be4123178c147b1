"""Records that are not complaints, representations that become complaints, remedies and the
Ombudsman's reference: the case format's additions and what results carry (issue 13)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from redress import CaseError, Engine
from redress.evaluation.record_types import remedy_state
from redress.resources import schema_path

AS_OF = dt.date(2025, 9, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(schema_path("result").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def children(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "R-1", "received": "2025-06-02", "nation": "england",
        "service": "children_social_care", "complainant": {"role": "child", "age": 12},
        "subject": {"status": ["looked_after"]},
        "organisations": [{"id": "council", "kind": "local_authority"}], "events": []}
    base.update(changes)
    return base


def test_a_compliment_runs_no_clock(engine: Engine, validator: Draft202012Validator) -> None:
    result = engine.evaluate(children(record="compliment"), as_of=AS_OF).to_dict()
    assert result["status"] == "not_a_complaint"
    assert result["no_procedure"]["why"] == "not_a_complaint"
    assert result["deadlines"] == [] and result["procedure"] is None
    assert result["record"]["kind"] == "compliment"
    assert list(validator.iter_errors(result)) == []


def test_a_matter_routed_elsewhere_says_where(engine: Engine) -> None:
    result = engine.evaluate(children(record="routed_elsewhere", routed_to="disciplinary"),
                             as_of=AS_OF)
    assert result.status == "not_a_complaint"
    assert result.routing.next_step == "Handle under: disciplinary"


def test_a_representation_that_became_a_complaint_starts_its_clocks_then(
        engine: Engine, validator: Draft202012Validator) -> None:
    # SI 2006/1738 reg 14: stage 1 response within 10 working days of receipt.  Became a
    # complaint on Wed 4 June 2025: days 1..10 are 5, 6, 9–13, 16, 17, 18 June (no bank holiday)
    # → Wed 18 June.  Counting from the representation's own date (Mon 2 June) would give 16 June.
    data = children(record="representation", became_complaint="2025-06-04")
    result = engine.evaluate(data, as_of=AS_OF)
    respond = result.deadline("stage1", "respond")
    assert respond is not None and respond.due == dt.date(2025, 6, 18)
    record = result.to_dict()["record"]
    assert (record["recorded"], record["became_complaint"]) == ("2025-06-02", "2025-06-04")
    assert list(validator.iter_errors(result.to_dict())) == []


def test_a_representation_without_a_complaint_is_only_counted(engine: Engine) -> None:
    result = engine.evaluate(children(record="representation"), as_of=AS_OF)
    assert result.status == "not_a_complaint" and result.deadlines == ()


@pytest.mark.parametrize(("changes", "where"), [
    ({"record": "compliment", "became_complaint": "2025-06-04"}, "became_complaint"),
    ({"record": "representation", "became_complaint": "2025-05-30"}, "became_complaint"),
    ({"routed_to": "disciplinary"}, "routed_to"),
    ({"remedies": [{"kind": "hug"}]}, "remedies[0].kind"),
    ({"remedies": [{"kind": "apology", "due": "2025-02-30"}]}, "remedies[0].due"),
    ({"ombudsman": {"reference": ""}}, "ombudsman.reference"),
    ({"costs": [{"amount": -5}]}, "costs[0].amount"),
])
def test_contradictions_are_findings_with_a_path(engine: Engine, changes: dict[str, Any],
                                                 where: str) -> None:
    with pytest.raises(CaseError) as info:
        engine.evaluate(children(**changes), as_of=AS_OF)
    assert any(f.render().find(where) >= 0 for f in info.value.findings), \
        [f.render() for f in info.value.findings]


def test_remedies_and_the_ombudsman_reference_reach_the_result(engine: Engine) -> None:
    data = children(events=[
        {"date": "2025-06-03", "type": "responded", "outcome": "partly_upheld"},
        {"date": "2025-06-20", "type": "referred_to_ombudsman", "body": "LGSCO"}],
        ombudsman={"reference": "25 001 234", "decision": "upheld", "decided": "2025-08-01"},
        remedies=[{"kind": "apology", "due": "2025-06-10", "completed": "2025-06-09"},
                  {"kind": "review_others_affected", "source": "ombudsman",
                   "due": "2025-08-29"},
                  {"kind": "payment", "source": "ombudsman", "due": "2025-09-30",
                   "amount": 150}],
        costs=[{"stage": "stage1", "item": "interpreter", "amount": 80}])
    record = engine.evaluate(data, as_of=AS_OF).to_dict()["record"]
    assert record["outcome"] == "partly_upheld" and record["well_founded"] is True
    assert record["ombudsman"] == {"body": "LGSCO", "reference": "25 001 234",
                                   "referred": "2025-06-20", "decision": "upheld",
                                   "decided": "2025-08-01"}
    assert [r["state"] for r in record["remedies"]] == ["completed_on_time", "overdue",
                                                        "outstanding"]
    assert (record["remedies_outstanding"], record["remedies_overdue"]) == (2, 1)
    assert [r["amount"] for r in record["remedies"]] == [None, None, 150.0]
    assert record["cost_total"] == 80.0
    # Working days from receipt (Mon 2 June) to the response (Tue 3 June): one.
    assert record["stages"][0]["working_days"] == 1


@pytest.mark.parametrize(("due", "completed", "state"), [
    ("2025-06-10", "2025-06-10", "completed_on_time"),
    ("2025-06-10", "2025-06-11", "completed_late"),
    ("2025-06-10", None, "overdue"),
    ("2025-09-01", None, "outstanding"),        # due on the evaluation date: not yet overdue
    (None, None, "outstanding"),
    ("2025-09-30", "2025-09-15", "outstanding"),  # completion after the evaluation date
])
def test_remedy_states(due: str | None, completed: str | None, state: str) -> None:
    day = dt.date.fromisoformat
    assert remedy_state(day(due) if due else None, day(completed) if completed else None,
                        AS_OF) == state

"""A result, a batch record and an error survive ``pickle`` and ``copy``: a caller may send them between
processes (``multiprocessing``, ``concurrent.futures``) or keep a copy.

A result of the compiled path pickles as a plain ``Result`` with the same parts (its decoded
case cannot be pickled), so every form it writes must be unchanged by the round trip.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator

import pytest

from redress import CaseError, Engine
from redress.errors import PolicyError, RuleExecutionError
from redress.evaluation.context import parsed_input
from redress.evaluation.records import to_json_bytes
from redress.evaluation.result import Result
from redress.findings import Finding
from redress.testing.varied import varied_cases

CASES = varied_cases(240, seed=11)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    loaded = Engine.load()
    yield loaded
    loaded.close()


def _results(engine: Engine) -> list[Result]:
    out = []
    for case, as_of in CASES:
        try:
            out.append(engine.evaluate(case, as_of=as_of))
        except CaseError:
            continue
    return out


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy"])
def test_a_result_keeps_every_form_through_a_round_trip(engine: Engine, how: str) -> None:
    results = _results(engine)
    assert len(results) > 200  # the mix has a few broken cases on purpose
    for result in results:
        if how == "pickle":
            again = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        elif how == "deepcopy":
            again = copy.deepcopy(result)
        else:
            again = copy.copy(result)
        assert isinstance(again, Result)
        assert again.to_dict() == result.to_dict()
        assert again.to_dict(form="lean") == result.to_dict(form="lean")
        assert again.explain() == result.explain()
        assert again == Result(**{name: getattr(result, name)
                                  for name in Result.__dataclass_fields__})


def test_batch_records_keep_their_json_lines_through_pickle(engine: Engine) -> None:
    items = [parsed_input(case, i) for i, (case, _as_of) in enumerate(CASES[:120])]
    records = list(engine.evaluate_many(items, as_of=CASES[0][1]))
    assert len(records) == len(items)
    for record in records:
        again = pickle.loads(pickle.dumps(record))
        for form in ("full", "lean"):
            assert to_json_bytes(again, form) == to_json_bytes(record, form)


def test_a_case_error_keeps_every_finding_through_pickle(engine: Engine) -> None:
    with pytest.raises(CaseError) as raised:
        engine.evaluate({"id": "P-1", "received": "2025-02-30"}, as_of="2025-03-03")
    error = raised.value
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is CaseError
    assert again.findings == error.findings and len(error.findings) >= 2
    assert again.source == error.source and str(again) == str(error)


def test_a_policy_error_and_a_rule_failure_survive_pickle() -> None:
    finding = Finding("policy-schema", "stages[0].title: required", ("stages", 0, "title"))
    policy = PolicyError([finding], "policies/local.yaml")
    again = pickle.loads(pickle.dumps(policy))
    assert (type(again), again.findings, again.source, str(again)) == \
        (PolicyError, policy.findings, policy.source, str(policy))
    failed = pickle.loads(pickle.dumps(RuleExecutionError("status-open", ValueError("bad"))))
    assert (failed.rule_id, repr(failed.cause), str(failed)) == \
        ("status-open", "ValueError('bad')", "rule 'status-open' failed: ValueError('bad')")

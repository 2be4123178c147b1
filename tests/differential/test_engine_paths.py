"""Every evaluation path gives the same result, to the byte, on thousands of generated cases.

The paths:

* the compiled path (``Engine``), plain backend, one case at a time — the default;
* the compiled path with durable-rules, one case at a time and in batches (``evaluate_many``:
  one durable-rules session per program for a whole batch);
* the reference path (``ReferenceEngine``: the evaluation before issue 24), plain and durable;
* the reference path without issue 12's speed work (``reference_path()``), on fewer cases.

All run on the same seeded varied mix (``redress.testing.varied``: every bundled procedure, all
three calendars, events of every type at every stage, records of every kind, evaluation dates
spread over the stages, a few broken cases).  The full ``to_dict()`` output, or the full error,
must be equal case by case; the lean form must equal ``lean_from_full`` of the full one (its
definition); every citation id a lean result uses must be in the policy set's table; both forms
must follow ``schemas/result.schema.json``.

``REDRESS_DIFFERENTIAL_CASES`` sets the size (default 5,000, about a minute; try 50,000 before a
release).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from redress import CaseError
from redress.evaluation.backends import durable_available
from redress.evaluation.evaluate import Engine
from redress.evaluation.lean import lean_from_full
from redress.evaluation.records import ResultRecord
from redress.resources import schema_path
from redress.testing.reference import ReferenceEngine, reference_path
from redress.testing.varied import varied_cases

CASES = int(os.environ.get("REDRESS_DIFFERENTIAL_CASES", "5000"))
UNSPED_CASES = min(CASES, 800)  # the path before issue 12 is slow; it is checked on fewer
SCHEMA_SAMPLE = 400
needs_durable = pytest.mark.skipif(not durable_available(), reason="durable-rules not installed")
Mix = list[tuple[dict[str, Any], dt.date]]


def _outcome(engine: Engine, case: dict[str, Any], as_of: dt.date) -> Any:
    try:
        data = engine.evaluate(case, as_of=as_of).to_dict()
    except CaseError as exc:
        return ("CaseError", str(exc), [str(f) for f in exc.findings])
    data["audit"].pop("backend")
    return data


def _outcomes(engine: Engine, mix: Mix) -> list[Any]:
    return [_outcome(engine, case, as_of) for case, as_of in mix]


def _same(mix: Mix, got: list[Any], expected: list[Any]) -> None:
    assert len(got) == len(expected)
    for (case, as_of), one, other in zip(mix, got, expected, strict=True):
        assert one == other, (case.get("id"), as_of)


@pytest.fixture(scope="module")
def mix() -> Mix:
    return varied_cases(CASES, seed=2026)


@pytest.fixture(scope="module")
def compiled() -> Iterator[Engine]:
    yield Engine.load(backend="plain")


@pytest.fixture(scope="module")
def expected(mix: Mix) -> list[Any]:
    """The reference path's results: the oracle."""
    return _outcomes(ReferenceEngine.load(backend="plain"), mix)


def test_the_mix_covers_every_procedure_calendar_stage_and_record(
        mix: Mix, compiled: Engine) -> None:
    procedures: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    errors = 0
    for case, as_of in mix:
        try:
            result = compiled.evaluate(case, as_of=as_of)
        except CaseError:
            errors += 1
            continue
        procedures[result.procedure.id if result.procedure else result.status] += 1
        stages[result.stage] += 1
    # The older NI HSC procedure applies only where a local policy chooses it for a trust.
    chosen_locally = {"nipso-hsc-2009-procedure"}
    assert set(compiled.library.policies) - chosen_locally <= set(procedures), procedures
    assert {"stage1", "stage2", "stage3", "ombudsman", "closed"} <= set(stages), stages
    assert {"not_a_complaint", "no_procedure"} <= set(procedures), procedures
    assert {"england", "wales", "scotland", "northern_ireland"} <= {c.get("nation") for c, _ in mix}
    assert 0 < errors < len(mix) // 10


def test_the_compiled_path_equals_the_reference_path(mix: Mix, compiled: Engine,
                                                      expected: list[Any]) -> None:
    _same(mix, _outcomes(compiled, mix), expected)


def test_the_lean_form_is_the_full_form_made_lean(mix: Mix, compiled: Engine) -> None:
    table = compiled.citation_table()
    for case, as_of in mix:
        try:
            result = compiled.evaluate(case, as_of=as_of)
        except CaseError:
            continue
        lean = result.to_dict(form="lean")
        assert lean == lean_from_full(result.to_dict()), case["id"]
        used = lean["citations"]
        assert set(used) <= set(table), case["id"]
        assert all(table[key] == citation for key, citation in used.items())


def test_both_forms_follow_the_result_schema(mix: Mix, compiled: Engine) -> None:
    schema = json.loads(schema_path("result").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    checked = 0
    for case, as_of in mix[:SCHEMA_SAMPLE]:
        try:
            result = compiled.evaluate(case, as_of=as_of)
        except CaseError:
            continue
        for form in ("full", "lean"):
            errors = list(validator.iter_errors(result.to_dict(form=form)))
            assert errors == [], (case["id"], form, errors[0].message)
        checked += 1
    assert checked > SCHEMA_SAMPLE // 2


@needs_durable
def test_durable_rules_gives_the_same_results_one_case_at_a_time(
        mix: Mix, expected: list[Any]) -> None:
    with closing(Engine.load(backend="durable")) as durable:
        _same(mix, _outcomes(durable, mix), expected)


@needs_durable
@pytest.mark.parametrize("as_of", [dt.date(2030, 1, 2), dt.date(2024, 6, 3)])
def test_durable_rules_in_batches_gives_the_same_records(mix: Mix, compiled: Engine,
                                                         as_of: dt.date) -> None:
    """Batches of 256 cases share a session; one date for the whole run (as for a batch), so
    that some cases are errors (received later), some have events after it, most are open or
    closed long ago."""
    with closing(Engine.load(backend="durable")) as durable:
        records = [r.to_dict() for r in durable.evaluate_many([c for c, _ in mix], as_of=as_of)]
    alone = [r.to_dict() for r in compiled.evaluate_many([c for c, _ in mix], as_of=as_of)]
    assert len(records) == len(alone) == len(mix)
    for (case, _), one, other in zip(mix, records, alone, strict=True):
        for data in (one, other):
            if "audit" in data:
                data["audit"].pop("backend")
        assert one == other, case.get("id")


@needs_durable
def test_the_reference_path_with_durable_rules_equals_the_plain_one(
        mix: Mix, expected: list[Any]) -> None:
    with closing(ReferenceEngine.load(backend="durable")) as durable:
        _same(mix, _outcomes(durable, mix), expected)


def test_the_path_before_issue_12_equals_the_reference_path(mix: Mix,
                                                            expected: list[Any]) -> None:
    with reference_path() as engine_class:
        unsped = _outcomes(engine_class.load(), mix[:UNSPED_CASES])
    _same(mix[:UNSPED_CASES], unsped, expected[:UNSPED_CASES])


def test_a_lean_record_of_a_batch_carries_no_citation_table(mix: Mix, compiled: Engine) -> None:
    case, as_of = next((c, a) for c, a in mix if c.get("record") is None and "id" in c)
    [record] = compiled.evaluate_many([case], as_of=as_of)
    assert isinstance(record, ResultRecord)
    lean = record.to_dict(form="lean")
    assert "citations" not in lean and lean["form"] == "lean" and "input" in lean
    assert {k: v for k, v in record.result.to_dict(form="lean").items()
            if k != "citations"} == {k: v for k, v in lean.items() if k != "input"}

"""The engine under generated cases: it never crashes, and its answer depends only on the case.

* any schema-valid case either evaluates (and its result serialises and explains) or raises
  ``CaseError`` with findings — never another exception;
* the order the events are listed in does not change the result;
* nor does the thread that evaluates it.

Bounded for CI by the ``ci`` Hypothesis profile (tests/property/conftest.py); run the ``long``
profile locally for a deeper search.  Crashes found are kept as ``@example`` cases below.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from case_strategies import FIRST, LAST, cases, plausible_cases
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from redress import CaseError, Engine
from redress.resources import schema_path
from redress.testing.generate import as_of_for, random_case

VALIDATOR = Draft202012Validator(json.loads(schema_path("case").read_text(encoding="utf-8")),
                                 format_checker=FormatChecker())
RESULTS = Draft202012Validator(json.loads(schema_path("result").read_text(encoding="utf-8")),
                               format_checker=FormatChecker())
valid_cases = cases().filter(VALIDATOR.is_valid)
as_of_dates = st.dates(FIRST, LAST + dt.timedelta(days=400))
# Dates in a believable order, so that about a third reach a procedure and its deadlines.
plausible = plausible_cases().filter(lambda pair: VALIDATOR.is_valid(pair[0]))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def outcome(engine: Engine, case: dict[str, Any], as_of: dt.date) -> Any:
    """The result as JSON, or the sorted problems of a refused case."""
    try:
        return engine.evaluate(case, as_of=as_of).to_dict()
    except CaseError as exc:
        assert exc.findings and all(f.message for f in exc.findings)
        return sorted(f.check_id for f in exc.findings)


@given(case=valid_cases, as_of=as_of_dates)
def test_a_schema_valid_case_evaluates_or_is_refused_with_findings(
        engine: Engine, case: dict[str, Any], as_of: dt.date) -> None:
    try:
        result = engine.evaluate(case, as_of=as_of)
    except CaseError as exc:
        assert exc.findings and all(f.message for f in exc.findings)
        return
    data = result.to_dict()
    RESULTS.validate(json.loads(json.dumps(data, default=str)))
    assert result.explain()


@given(pair=plausible)
def test_a_plausible_case_evaluates_or_is_refused_with_findings(
        engine: Engine, pair: tuple[dict[str, Any], dt.date]) -> None:
    case, as_of = pair
    data = outcome(engine, case, as_of)
    if isinstance(data, dict):
        RESULTS.validate(json.loads(json.dumps(data, default=str)))


@given(seed=st.integers(0, 2**32 - 1), order=st.randoms(use_true_random=False))
def test_the_order_events_are_listed_in_does_not_matter_for_a_consistent_case(
        engine: Engine, seed: int, order: random.Random) -> None:
    case = random_case(random.Random(seed), 0)
    shuffled = {**case, "events": order.sample(case["events"], len(case["events"]))}
    as_of = as_of_for(case)
    assert outcome(engine, shuffled, as_of) == outcome(engine, case, as_of)


@given(pair=plausible, order=st.randoms(use_true_random=False))
def test_the_order_events_are_listed_in_does_not_matter_for_any_case(
        engine: Engine, pair: tuple[dict[str, Any], dt.date], order: random.Random) -> None:
    case, as_of = pair
    shuffled = {**case, "events": order.sample(case["events"], len(case["events"]))}
    assert outcome(engine, shuffled, as_of) == outcome(engine, case, as_of)


@given(batch=st.lists(plausible, min_size=1, max_size=5))
def test_the_thread_that_evaluates_a_case_does_not_matter(
        engine: Engine, batch: list[tuple[dict[str, Any], dt.date]]) -> None:
    here = [outcome(engine, case, as_of) for case, as_of in batch]
    with ThreadPoolExecutor(max_workers=4) as pool:
        there = list(pool.map(lambda item: outcome(engine, *item), batch))
    assert there == here

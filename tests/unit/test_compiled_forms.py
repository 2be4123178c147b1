"""The compiled result writes both forms straight from its conclusion: the same bytes as the
forms written from its typed parts, and every dict and list in them the caller's own."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.evaluation.explain import long_date
from redress.evaluation.lean import lean_from_full
from redress.evaluation.records import json_bytes
from redress.evaluation.result import Result, full_dict
from redress.testing.varied import varied_cases

Mix = list[tuple[dict[str, Any], dt.date]]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


@pytest.fixture(scope="module")
def mix() -> Mix:
    return varied_cases(600, seed=7)


def _results(engine: Engine, mix: Mix) -> Iterator[Result]:
    for case, as_of in mix:
        try:
            yield engine.evaluate(case, as_of=as_of)
        except CaseError:
            continue


def test_the_full_form_is_the_bytes_of_the_typed_parts(engine: Engine, mix: Mix) -> None:
    for result in _results(engine, mix):
        assert json_bytes(result.to_dict()) == json_bytes(full_dict(result)), result.case_id


def test_the_lean_form_is_the_bytes_of_the_full_form_made_lean(engine: Engine, mix: Mix) -> None:
    for result in _results(engine, mix):
        expected = json_bytes(lean_from_full(full_dict(result)))
        assert json_bytes(result.to_dict(form="lean")) == expected, result.case_id


def _spoil(data: Any) -> None:
    """Change every dict and list inside ``data``, at every depth."""
    if isinstance(data, dict):
        for value in list(data.values()):
            _spoil(value)
        data["spoiled"] = True
    elif isinstance(data, list):
        for value in data:
            _spoil(value)
        data.append("spoiled")


@pytest.mark.parametrize("form", ["full", "lean"])
def test_changing_a_returned_dict_changes_no_other_result(engine: Engine, mix: Mix,
                                                          form: str) -> None:
    checked = 0
    for case, as_of in mix[:150]:
        try:
            result = engine.evaluate(case, as_of=as_of)
        except CaseError:
            continue
        first = result.to_dict(form)  # type: ignore[arg-type]
        kept = copy.deepcopy(first)
        _spoil(first)
        assert result.to_dict(form) == kept, case["id"]  # type: ignore[arg-type]
        again = engine.evaluate(case, as_of=as_of).to_dict(form)  # type: ignore[arg-type]
        assert again == kept, case["id"]
        checked += 1
    assert checked > 100


def test_a_long_date_is_the_english_day_and_month() -> None:
    # 22 May 2025 was a Thursday; 29 February 2028 is a Tuesday.
    assert long_date(dt.date(2025, 5, 22)) == "Thursday 22 May 2025"
    assert long_date(dt.date(2028, 2, 29)) == "Tuesday 29 February 2028"


def test_a_long_date_is_what_strftime_writes_in_the_c_locale() -> None:
    day, last = dt.date(1999, 1, 1), dt.date(2041, 1, 1)
    while day < last:
        assert long_date(day) == f"{day:%A} {day.day} {day:%B %Y}"
        day += dt.timedelta(days=1)


def test_a_basis_noted_for_another_clock_at_the_same_id_is_not_used(engine: Engine,
                                                                    mix: Mix) -> None:
    """The bases a result notes are keyed by the clock's id; a copied or unpickled result may
    carry notes whose ids now belong to other clocks, and must not read them."""
    for result in _results(engine, mix):
        clocks = getattr(result, "_conclusion", None) and result._conclusion.deadlines  # type: ignore[attr-defined]
        if clocks and len(clocks) > 1:
            break
    expected = json_bytes(result.to_dict())
    fresh = copy.copy(result)
    fresh.__dict__.pop("_bases", None)
    fresh.__dict__["_bases"] = {id(k): (clocks[-1], "a basis of another clock")
                                for k in clocks[:-1]}
    assert json_bytes(fresh.to_dict()) == expected

"""The record contract: Engine.evaluate_many yields one record per input, in order, lazily, and
every exception becomes an error record (schemas/record.schema.json)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from redress import Engine
from redress.caseload.records import (
    ErrorRecord,
    InputRef,
    ParsedInput,
    ResultRecord,
    internal_error,
    record_validator,
    to_json_line,
)
from redress.evaluation import steps as steps_module
from redress.testing.generate import random_cases

AS_OF = dt.date(2026, 6, 1)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "EX-2025-0042.yaml"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def _good() -> dict[str, Any]:
    return random_cases(1, seed=11)[0]


def _validate(line: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(line)
    errors = list(record_validator().iter_errors(data))
    assert not errors, errors[0].message
    return data


def test_a_good_case_is_its_result_plus_its_input(engine: Engine) -> None:
    case = _good()
    [record] = engine.evaluate_many([case], as_of=AS_OF)
    assert isinstance(record, ResultRecord)
    data = _validate(to_json_line(record))
    plain = engine.evaluate(case, as_of=AS_OF).to_dict()
    assert data == {**plain, "input": {"source": "<data>", "line": None, "index": 0}}


def test_each_kind_of_bad_record_becomes_an_error_record_in_input_order(engine: Engine) -> None:
    good = _good()
    invalid = {**good, "id": "BAD-1", "nation": "atlantis"}
    unparsable = {**good, "id": "BAD-2", "events": [{"date": "2025-02-30", "type": "responded"}]}
    not_json = {"id": "BAD-3", "received": dt.datetime(2025, 1, 1, 9, 0), "x": object()}
    records = list(engine.evaluate_many([good, invalid, unparsable, not_json, EXAMPLE], as_of=AS_OF))
    assert [r.input.index for r in records] == [0, 1, 2, 3, 4]
    assert [type(r).__name__ for r in records] == ["ResultRecord", "ErrorRecord", "ErrorRecord",
                                                   "ErrorRecord", "ResultRecord"]
    kinds = [r.kind for r in records if isinstance(r, ErrorRecord)]
    assert kinds == ["invalid_case", "invalid_case", "unreadable"]
    bad = records[1]
    assert isinstance(bad, ErrorRecord) and bad.case_id == "BAD-1"
    assert [p.path for p in bad.problems] == ["nation"]
    assert records[4].input.source == str(EXAMPLE)
    for record in records:
        line = to_json_line(record)
        assert line.endswith("\n") and "\n" not in line[:-1]
        _validate(line)


def test_an_evaluation_date_outside_the_calendar_is_an_out_of_calendar_record(
        engine: Engine) -> None:
    # Complaints received in December 2040: their clocks run past the calendars' last year.
    late = [{**case, "received": "2040-12-20", "events": [],
             "matter": {**case["matter"], "occurred": "2040-12-01", "aware": "2040-12-01"}}
            for case in (_good(), {**_good(), "id": "GEN-LATE"})]
    records = list(engine.evaluate_many(late, as_of=dt.date(2040, 12, 28)))
    assert [(r.kind, r.case_id) for r in records if isinstance(r, ErrorRecord)] == [
        ("out_of_calendar", "GEN-000000"), ("out_of_calendar", "GEN-LATE")]
    assert all("2040-12-20" in r.message for r in records if isinstance(r, ErrorRecord))
    for record in records:
        _validate(to_json_line(record))


def test_an_unexpected_exception_is_an_internal_error_record_naming_the_case(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(steps_module, "_procedure", broken)
    good = _good()
    [record] = engine.evaluate_many([good], as_of=AS_OF)
    assert isinstance(record, ErrorRecord)
    assert record.kind == "internal_error" and record.case_id == good["id"]
    assert good["id"] in record.message and "KeyError" in record.message
    assert "evaluation/steps.py" in record.message  # where Redress failed, for the report
    _validate(to_json_line(record))


def test_evaluate_many_is_lazy(engine: Engine) -> None:
    pulled: list[int] = []

    def source() -> Iterator[dict[str, Any]]:
        for i, case in enumerate(random_cases(3, seed=5)):
            pulled.append(i)
            yield case

    records = engine.evaluate_many(source(), as_of=AS_OF)
    assert pulled == []
    next(records)
    assert pulled == [0]


def test_a_parsed_input_keeps_its_source_and_line(engine: Engine) -> None:
    ref = InputRef("cases.jsonl", 7, 6)
    [record] = engine.evaluate_many([ParsedInput(ref, None, ())], as_of=AS_OF)
    assert isinstance(record, ErrorRecord) and record.kind == "unreadable"
    assert record.input == ref


def test_a_lone_surrogate_still_gives_a_utf8_line(engine: Engine) -> None:
    case = {**_good(), "id": "X\ud800"}
    [record] = engine.evaluate_many([case], as_of=AS_OF)
    line = to_json_line(record)
    line.encode("utf-8")
    assert json.loads(line)["case_id"] == "X\ud800"


def test_a_frame_outside_the_package_is_not_named_even_in_a_folder_called_redress(
        tmp_path: Path) -> None:
    # A checkout cloned into a folder named "redress" (or any caller living there) puts
    # "/redress/" in paths that are not the package; only the package's own files count.
    outsider = tmp_path / "redress" / "tests" / "caller.py"
    code = compile("def fail():\n    raise KeyError('boom')\n", str(outsider), "exec")
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # a fixed snippet, so the traceback names that file
    try:
        namespace["fail"]()
    except KeyError as exc:
        record = internal_error(InputRef("cases.jsonl", 1, 0), "C-1", exc)
    assert "caller.py" not in record.message and "tests/" not in record.message

"""Last year's records: the report reads what package 0.1.0 wrote (no ``form``, no
``schema_version``) and still rejects a record that is malformed in any other way.

``pre-1.0/results-0.1.0.jsonl`` is real 0.1.0 output (see ``pre-1.0/README.md``); the other
pre-1.0 records here are made from current output by removing those two members.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from redress import Engine
from redress.cli import main
from redress.report.build import report_problems
from redress.report.read import PRE_1_SCHEMA_VERSION, checked_record

OLD = Path(__file__).parent / "pre-1.0" / "results-0.1.0.jsonl"
# Counted by hand from pre-1.0/cases-2025.jsonl: OLD-1 (housing) and OLD-2 (corporate) are
# complaints received in 2025-26, OLD-3 a compliment, OLD-4 has no received date.
OLD_RECORDS = {"read": 4, "results": 3, "errors": 1, "complaints_in_period": 2}


def _housing_case(case_id: str, received: str) -> dict[str, Any]:
    return {"id": case_id, "received": received, "nation": "england", "service": "housing",
            "complainant": {"role": "service_user"},
            "organisations": [{"id": "council", "kind": "local_authority"}],
            "events": [{"date": received, "type": "acknowledged"}]}


@pytest.fixture(scope="module")
def this_year() -> list[dict[str, Any]]:
    engine = Engine.load(backend="plain")
    try:
        return [engine.evaluate(_housing_case(f"NEW-{n}", f"2026-06-0{n}"),
                                as_of=dt.date(2026, 9, 1)).to_dict() for n in (1, 2, 3)]
    finally:
        engine.close()


def _without_version(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("form", "schema_version")}


def _report(tmp_path: Path, *argv: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "report.json"
    code = main(["report", *argv, "--format", "json", "-o", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_the_fixture_has_neither_member() -> None:
    records = [json.loads(line) for line in OLD.read_text(encoding="utf-8").splitlines()]
    assert [("form" in r, "schema_version" in r) for r in records] == [(False, False)] * 4


def test_a_0_1_0_file_is_reported(tmp_path: Path) -> None:
    code, report = _report(tmp_path, str(OLD), "--from", "2025-04-01", "--to", "2026-03-31")
    assert code == 1  # line 4 is an error record of 0.1.0: listed, with its own kind
    assert report_problems(report) == []
    assert report["records"] == OLD_RECORDS
    assert [(e["case_id"], e["kind"], e["line"]) for e in report["errors"]] == [
        ("OLD-4", "invalid_case", 4)]
    assert report["not_complaints"]["compliments"]["total"] == 1


def test_compare_to_last_years_0_1_0_file(tmp_path: Path,
                                          this_year: list[dict[str, Any]]) -> None:
    now = tmp_path / "results-2026.jsonl"
    now.write_text("".join(json.dumps(r) + "\n" for r in this_year), encoding="utf-8")
    code, report = _report(tmp_path, str(now), "--from", "2026-04-01", "--to", "2027-03-31",
                           "--compare-to", str(OLD))
    assert code == 0
    comparison = report["comparison"]
    assert comparison["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert comparison["records"] == OLD_RECORDS
    received = {h["id"]: h for h in comparison["headlines"]}["received"]
    assert (received["value"], received["previous"], received["change"]) == (3, 2, 1)


def test_current_output_without_the_two_members_reads_as_full(
        this_year: list[dict[str, Any]]) -> None:
    for record in this_year:
        read = checked_record(_without_version(record), "old.jsonl", 1)
        assert "error" not in read
        assert read == {**record, "schema_version": PRE_1_SCHEMA_VERSION}
        assert read["form"] == "full"


def test_a_pre_1_0_record_malformed_otherwise_is_rejected_with_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, *rest = OLD.read_text(encoding="utf-8").splitlines()
    broken = json.loads(first)
    del broken["status"]
    path = tmp_path / "last-year.jsonl"
    path.write_text("\n".join([*rest[:2], json.dumps(broken)]) + "\n", encoding="utf-8")
    code, report = _report(tmp_path, str(path))
    assert code == 1
    assert [(e["case_id"], e["kind"], e["line"]) for e in report["errors"]] == [
        ("OLD-1", "unreadable", 3)]
    assert "'status'" in report["errors"][0]["message"]
    assert f"{path}:3: unreadable (case OLD-1): " in capsys.readouterr().err


def test_a_version_1_record_without_form_is_still_rejected(
        this_year: list[dict[str, Any]]) -> None:
    record = {k: v for k, v in this_year[0].items() if k != "form"}
    read = checked_record(record, "results.jsonl", 7)
    assert read["error"]["kind"] == "unreadable" and read["input"]["line"] == 7
    assert "'form'" in read["error"]["message"]

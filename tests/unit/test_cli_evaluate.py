"""``redress evaluate`` as a calling system or an officer uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redress.cli import main

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "EX-2025-0042.yaml")


def test_text_output_shows_procedure_stage_and_the_deadline_table(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01"]) == 0
    out = capsys.readouterr().out
    assert "children-act-1989" in out
    assert "stage2     respond               2025-05-22  pending" in out
    assert "independent_person" in out


def test_json_output_is_the_result_dict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stage"] == "stage2"
    assert data["audit"]["evaluated_as_of"] == "2025-05-01"


def test_an_invalid_case_exits_1_and_lists_every_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: B\nreceived: 2025-03-03\nnation: england\nservice: nhs\n"
                   "organisations: [{id: t, kind: nhs_body}]\nevents:\n"
                   "  - {date: 2025-03-01, type: acknowledged}\n"
                   "  - {date: 2025-03-04, type: resumed}\n", encoding="utf-8")
    assert main(["evaluate", str(bad), "--as-of", "2025-05-01"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:7:" in err and f"{bad}:8:" in err


def test_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "no-such-case.yaml"]) == 2


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-13-01"]) == 2


def test_a_case_can_be_piped_in_on_standard_input(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(Path(EXAMPLE).read_text(encoding="utf-8")))
    assert main(["evaluate", "-", "--as-of", "2025-05-01", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["stage"] == "stage2"


def test_a_batch_reports_every_case_good_or_bad(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: B\nreceived: 2025-02-30\n", encoding="utf-8")
    assert main(["evaluate", EXAMPLE, str(bad), "--as-of", "2025-05-01", "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [r.get("case_id", r.get("case_file")) for r in records] == ["EX-2025-0042", str(bad)]
    assert records[1]["error"]

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
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["case_id"] for r in records] == ["EX-2025-0042", "B"]
    assert records[1]["error"]["kind"] == "invalid_case"
    assert records[1]["input"] == {"source": str(bad), "line": None, "index": 1}


# --- one JSON shape whatever the number of cases (JSON Lines, the record contract) ----------


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_json_output_is_one_line_per_case_for_one_case_or_several(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01", "--format", "json"]) == 0
    [one] = capsys.readouterr().out.splitlines()
    assert main(["evaluate", EXAMPLE, EXAMPLE, "--as-of", "2025-05-01", "--format", "json"]) == 0
    two = capsys.readouterr().out.splitlines()
    assert len(two) == 2 and json.loads(two[0]) == json.loads(one)
    assert json.loads(two[1])["input"] == {"source": EXAMPLE, "line": None, "index": 1}


def test_standard_input_takes_a_yaml_stream_a_json_array_or_json_lines(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from redress.testing.generate import random_cases

    yaml_case = Path(EXAMPLE).read_text(encoding="utf-8")
    cases = random_cases(2, seed=8)
    inputs = {
        "yaml stream": yaml_case + "\n---\n" + yaml_case.replace("EX-2025-0042", "EX-2"),
        "json array": json.dumps(cases, indent=2),
        "json lines": "".join(json.dumps(c) + "\n" for c in cases),
    }
    expected = {"yaml stream": ["EX-2025-0042", "EX-2"],
                "json array": [c["id"] for c in cases], "json lines": [c["id"] for c in cases]}
    for name, text in inputs.items():
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        # On a date after every generated case was received (an earlier one is a case error).
        assert main(["evaluate", "-", "--as-of", "2026-12-01", "--format", "json"]) == 0, name
        records = _json_lines(capsys.readouterr().out)
        assert [r["case_id"] for r in records] == expected[name], name
        assert [r["input"]["index"] for r in records] == [0, 1]  # type: ignore[index]
    # The YAML stream keeps each case's line in the stream, for messages.
    monkeypatch.setattr("sys.stdin", io.StringIO(inputs["yaml stream"]))
    main(["evaluate", "-", "--as-of", "2025-05-01", "--format", "json"])
    second = _json_lines(capsys.readouterr().out)[1]
    first_key = inputs["yaml stream"].splitlines().index("id: EX-2") + 1
    assert second["input"]["line"] == first_key  # type: ignore[index]


def test_a_large_bad_input_on_standard_input_is_not_echoed_back(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("x" * 50_000 + "\n"))
    assert main(["evaluate", "-", "--as-of", "2025-05-01"]) == 1
    captured = capsys.readouterr()
    assert "x" * 400 not in captured.err and "x" * 400 not in captured.out
    assert all(len(line) < 500 for line in captured.err.splitlines())


def test_a_folder_evaluates_its_case_files(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "one.yaml").write_text(Path(EXAMPLE).read_text(encoding="utf-8"),
                                       encoding="utf-8")
    (tmp_path / "two.yaml").write_text(Path(EXAMPLE).read_text(encoding="utf-8")
                                       .replace("EX-2025-0042", "EX-2"), encoding="utf-8")
    assert main(["evaluate", str(tmp_path), "--as-of", "2025-05-01", "--format", "json"]) == 0
    assert [r["case_id"] for r in _json_lines(capsys.readouterr().out)] == ["EX-2025-0042",
                                                                          "EX-2"]


def test_a_date_outside_the_calendar_is_an_error_record_not_a_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    late = tmp_path / "late.yaml"  # received in December 2040: past the calendars' last year
    late.write_text(Path(EXAMPLE).read_text(encoding="utf-8").replace("2025-", "2040-"),
                    encoding="utf-8")
    assert main(["evaluate", str(late), str(late), "--as-of", "2040-12-28",
                 "--format", "json"]) == 1
    records = _json_lines(capsys.readouterr().out)
    assert [r["error"]["kind"] for r in records] == ["out_of_calendar"] * 2  # type: ignore[index]


def test_an_internal_error_is_an_error_record_and_exit_3(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from redress.evaluation import steps as steps_module

    def broken(*args: object) -> object:
        raise IndexError("bug")

    monkeypatch.setattr(steps_module, "_procedure", broken)
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01", "--format", "json"]) == 3
    [record] = _json_lines(capsys.readouterr().out)
    assert record["case_id"] == "EX-2025-0042"
    assert record["error"]["kind"] == "internal_error"  # type: ignore[index]
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01"]) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "EX-2025-0042" in err and "Traceback" not in err

"""Hostile results for ``redress report`` (issue 19 item 9): endless inputs are cut at a
documented cap, every bad line is a counted error naming its file and line (never exit 3), and
chart labels are never read as mathtext."""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from redress import Engine
from redress.cli import main
from redress.report.build import render, report_problems

AS_OF = dt.date(2025, 9, 1)
MEMORY_CAP = 1536 * 1024 * 1024  # the child process dies of MemoryError past this


def _result(case_id: str = "H-1", **changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "id": case_id, "received": "2025-06-02", "nation": "england", "service": "housing",
        "complainant": {"role": "service_user"},
        "organisations": [{"id": "council", "kind": "local_authority"}],
        "events": [{"date": "2025-06-02", "type": "acknowledged"},
                   {"date": "2025-06-05", "type": "responded", "outcome": "upheld"}],
        "remedies": [{"kind": "payment", "amount": 50, "due": "2025-07-01"}]}
    case.update(changes)
    engine = Engine.load(backend="plain")
    try:
        return engine.evaluate(case, as_of=AS_OF).to_dict()
    finally:
        engine.close()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _run(args: list[str], stdin: Any = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from redress.cli import console_main; console_main()",
                           "report", *args], stdin=stdin,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=_limit_memory, check=False)


@pytest.mark.slow
def test_an_endless_results_file_is_cut_at_the_cap() -> None:
    done = _run(["/dev/zero", "--format", "json"])
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "/dev/zero: larger than the limit" in done.stderr


@pytest.mark.slow
def test_endless_standard_input_is_cut_at_the_cap() -> None:
    with open("/dev/zero", "rb") as zero:
        done = _run(["-", "--format", "md"], stdin=zero)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "-: larger than the limit" in done.stderr


def test_an_endless_ombudsman_reference_file_is_refused(tmp_path: Path) -> None:
    results = tmp_path / "r.jsonl"
    results.write_text(json.dumps(_result()) + "\n", encoding="utf-8")
    done = _run([str(results), "--ombudsman-references", "/dev/zero"])
    assert done.returncode == 2, done.stderr[-2000:]
    assert "/dev/zero: cannot read" in done.stderr and "Traceback" not in done.stderr


def _bad_lines() -> list[tuple[str, str]]:
    good = _result()
    wrong_deadlines = {**good, "deadlines": 5}
    wrong_stage = json.loads(json.dumps(good))
    wrong_stage["record"]["stages"] = "stage1"
    wrong_amount = json.loads(json.dumps(good))
    wrong_amount["record"]["remedies"][0]["amount"] = "lots"
    long_int = json.loads(json.dumps(good))
    long_int["record"]["cost_total"] = 10 ** 30
    return [
        ('{"case_id": "D", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
        ('{"case_id": "N", "n": ' + "9" * 5000 + "}", "digits"),
        (json.dumps(long_int), "digits"),
        (json.dumps(wrong_deadlines), "deadlines"),
        (json.dumps(wrong_stage), "stages"),
        (json.dumps(wrong_amount), "amount"),
        ('{"case_id": "F", "record": {"cost_total": NaN}}', "finite"),
        ("[1, 2]", "not a JSON object"),
    ]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_bad_lines_are_counted_errors_with_file_and_line_in_every_format(
        tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _bad_lines()
    path = tmp_path / "results.jsonl"
    lines = [json.dumps(_result("OK-1")), *(text for text, _ in bad)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    assert main(["report", str(path), "--format", fmt, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    for line in range(2, len(lines) + 1):
        assert f"{path}:{line}: " in err, (line, err)
    assert "Traceback" not in err
    if fmt == "json":
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report_problems(report) == []
        assert report["records"]["errors"] == len(bad)
        assert report["records"]["results"] == 1
        assert [e["line"] for e in report["errors"]] == list(range(2, len(lines) + 1))
        for (_, word), error in zip(bad, report["errors"], strict=True):
            assert word in error["message"], (word, error)


def test_a_result_dictionary_of_the_wrong_shape_is_an_error_record_in_the_library() -> None:
    good = _result()
    engine = Engine.load(backend="plain")
    try:
        report = engine.report([good, {**good, "case_id": "W", "deadlines": "soon"}])
    finally:
        engine.close()
    assert report["records"]["errors"] == 1 and report["records"]["results"] == 1
    assert report["errors"][0]["case_id"] == "W"


def test_mathtext_in_a_procedure_is_drawn_as_text(tmp_path: Path) -> None:
    result = _result()
    result["procedure"]["id"] = "$\\frac{x}$"
    result["procedure"]["title"] = "$\\frac{x}{$ procedure"
    engine = Engine.load(backend="plain")
    try:
        report = engine.report([result])
    finally:
        engine.close()
    assert report_problems(report) == []
    html = render(report, "html")
    assert html.count("<svg") >= 2

"""The sample caseload in examples/caseload (issue 23): the README's commands run on it, the CSV
holds the same records as the JSON Lines file, both are the generator's output, and what-if on it
lists every case a change moves."""

from __future__ import annotations

import json
import runpy
import shlex
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import pytest

from redress.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "caseload"
JSONL, CSV = SAMPLE / "exampleshire-2025-26.jsonl", SAMPLE / "exampleshire-2025-26.csv"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder where ``examples/`` is the repository's, so outputs stay out of it."""
    (tmp_path / "examples").symlink_to(REPO / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _readme_commands() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines()
             if line.startswith("redress ") and ("examples/caseload" in line
                                                 or line.startswith("redress report results"))]
    return [shlex.split(line)[1:] for line in lines]


def test_the_readme_s_commands_run_on_the_sample(in_tmp: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    commands = _readme_commands()
    assert [c[0] for c in commands] == ["batch", "batch", "report"]
    for argv in commands:
        assert main(argv) == 0, argv
    out = capsys.readouterr().out
    assert "Response overdue" in out  # the morning check finds the cases overdue at year end
    records = [json.loads(line) for line in (in_tmp / "results.jsonl").read_text().splitlines()]
    assert len(records) == len(JSONL.read_text().splitlines())
    assert not [r for r in records if "error" in r]
    procedures = {(r.get("procedure") or {}).get("id") for r in records}
    assert procedures == {"exampleshire-corporate", "children-act-1989",
                          "adult-social-care-nhs-2009", "public-health-2012", None}
    assert {r["record"]["kind"] for r in records} >= {"complaint", "compliment"}
    assert "with_ombudsman" in {r["status"] for r in records}
    html = (in_tmp / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") > 0
    _the_report_s_sections_are_filled(commands[-1], html)


def _the_report_s_sections_are_filled(report_argv: list[str], html: str) -> None:
    """The report on the sample shows what its cases record for it: every figure below is
    counted straight from the case file (every complaint in it was received, and every
    Ombudsman decision made, in the report's year)."""
    cases = [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines()]
    complaints = [c for c in cases if "record" not in c]
    narrative = Path(report_argv[report_argv.index("--narrative") + 1])
    headings = [line[2:] for line in narrative.read_text(encoding="utf-8").splitlines()
                if line.startswith("# ")]
    assert len(headings) >= 3
    texts = [*headings, *(c["learning"] for c in complaints if "learning" in c),
             *{c["unit"]["department"] for c in complaints if "unit" in c}]
    assert [t for t in texts if escape(t) not in html] == []

    out = Path("report.json")
    assert main([*report_argv[:report_argv.index("--format")], "--format", "json",
                 "-o", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    advocacy = [c["advocacy"] for c in complaints if "advocacy" in c]
    assert (report["advocacy"]["offered"], report["advocacy"]["taken_up"]) == (
        sum(a["offered"] for a in advocacy), sum(a["taken_up"] for a in advocacy))
    assert 0 < report["advocacy"]["taken_up"] < report["advocacy"]["offered"]
    learned = [c for c in complaints if "learning" in c or "actions" in c]
    assert (report["learning"]["cases"], report["learning"]["actions"]) == (
        len(learned), sum(len(c.get("actions", ())) for c in learned))
    assert report["learning"]["cases"] > 10
    assert report["cost"]["total"] == sum(x["amount"] for c in complaints
                                          for x in c.get("costs", ())) > 0
    units = {c["unit"]["department"] for c in complaints if "unit" in c}
    assert set(report["breakdowns"]["department"]) == {*units, "unstated"}
    assert len(units) >= 4
    decisions = Counter(c["ombudsman"]["decision"] for c in complaints
                        if "decision" in c.get("ombudsman", {}))
    assert {k: v for k, v in report["ombudsman"]["by_outcome"].items() if v} == dict(decisions)
    assert decisions["upheld"] > 0 and report["ombudsman"]["compliance"]["due"] > 0
    assert [n["title"] for n in report["narrative"]] == headings


def _results(source: Path, tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / f"{source.suffix[1:]}.jsonl"
    assert main(["batch", str(source), "--policies", str(REPO / "examples" / "local-policies"),
                 "--as-of", "2026-03-31", "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    for record in records:
        record.pop("input")
        record["warnings"] = [w.split(": ", 1)[1] for w in record.get("warnings") or ()]
    return records


def test_the_csv_holds_the_same_records_as_the_json_lines(tmp_path: Path) -> None:
    assert _results(CSV, tmp_path) == _results(JSONL, tmp_path)


def test_the_files_are_the_generator_s_output() -> None:
    script = runpy.run_path(str(REPO / "scripts" / "make-sample-caseload"))
    records = script["build"]()
    assert JSONL.read_text(encoding="utf-8") == "".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    assert CSV.read_text(encoding="utf-8") == script["to_csv"](records)


def test_what_if_on_the_sample_lists_every_case_it_moves(tmp_path: Path) -> None:
    local = (REPO / "examples" / "local-policies" / "exampleshire-corporate.yaml").read_text()
    proposed = tmp_path / "proposed"
    proposed.mkdir()
    (proposed / "exampleshire-corporate.yaml").write_text(local.replace(
        "stages:\n  stage1:\n    deadlines:\n",
        "stages:\n  stage1:\n    deadlines:\n      respond:\n        period: {working_days: 15}\n"))
    out = tmp_path / "what-if.jsonl"
    main(["batch", str(JSONL), "--policies", str(REPO / "examples" / "local-policies"),
          "--as-of", "2026-03-31", "--compare-policies", str(proposed), "--format", "jsonl",
          "-o", str(out)])
    summary, *changes = [json.loads(line) for line in out.read_text().splitlines()]
    moved = {c["case_id"] for c in changes}
    assert summary["changed"] == len(moved) > 3  # every case, not three examples
    assert all(c["case_id"].startswith("CORP-") and c["from"] != c["to"] for c in changes)
    assert sum(summary["deadlines"].values()) == len(changes)

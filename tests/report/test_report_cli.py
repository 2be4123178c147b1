"""``redress report``: reading batch records, exit codes, output files, escaping, definitions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from redress import Engine
from redress.__about__ import SCHEMA_VERSION
from redress.cli import main
from redress.policy.lint import lint
from redress.report.build import render, report_problems
from redress.report.figures import percentile, timeliness
from redress.report.read import read_records

AS_OF = dt.date(2025, 9, 1)


def _case(case_id: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": case_id, "received": "2025-06-02", "nation": "england", "service": "housing",
        "complainant": {"role": "service_user"},
        "organisations": [{"id": "council", "kind": "local_authority"}],
        "events": [{"date": "2025-06-02", "type": "acknowledged"},
                   {"date": "2025-06-05", "type": "responded", "outcome": "upheld"}]}
    base.update(changes)
    return base


@pytest.fixture(scope="module")
def results() -> list[dict[str, Any]]:
    engine = Engine.load(backend="plain")
    try:
        return [engine.evaluate(_case("H-1"), as_of=AS_OF).to_dict(),
                engine.evaluate(_case("H-2", service="council_corporate"), as_of=AS_OF).to_dict(),
                engine.evaluate(_case("A|<b>x</b>", record="compliment", events=[]),
                                as_of=AS_OF).to_dict()]
    finally:
        engine.close()


@pytest.fixture()
def batch(tmp_path: Path, results: list[dict[str, Any]]) -> Path:
    lines = [json.dumps({**r, "input": {"source": "cases.jsonl", "line": i + 1, "index": i}})
             for i, r in enumerate(results)]
    lines.append(json.dumps({"input": {"source": "cases.jsonl", "line": 4, "index": 3},
                             "form": "full", "schema_version": SCHEMA_VERSION,
                             "case_id": "BAD-1", "error": {"kind": "invalid_case",
                                                           "message": "received: missing",
                                                           "problems": []}}))
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(lines) + "\n{not json\n", encoding="utf-8")
    return path


def test_error_and_unreadable_lines_are_listed_and_counted_in_no_figure(
        batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert main(["report", str(batch), "--format", "json", "-o", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report_problems(report) == []
    assert report["records"] == {"read": 5, "results": 3, "errors": 2, "complaints_in_period": 2}
    assert [(e["case_id"], e["kind"], e["line"]) for e in report["errors"]] == [
        ("BAD-1", "invalid_case", 4), (None, "unreadable", 5)]
    assert "2 record(s) in error" in capsys.readouterr().err


def test_a_clean_batch_exits_0_and_filters_by_procedure(tmp_path: Path,
                                                        results: list[dict[str, Any]]) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in results) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["report", str(path), "--format", "json", "--procedure",
                 "housing-ombudsman-code-2024", "-o", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [p["id"] for p in report["procedures"]] == ["housing-ombudsman-code-2024"]


def test_the_period_bounds_what_is_counted(tmp_path: Path, results: list[dict[str, Any]]) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in results) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["report", str(path), "--format", "json", "--from", "2025-06-03", "-o",
                 str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["records"]["complaints_in_period"] == 0  # both were received on 2 June
    assert report["not_complaints"]["compliments"]["total"] == 0


def test_output_never_replaces_a_file_redress_did_not_write(batch: Path, tmp_path: Path) -> None:
    theirs = tmp_path / "minutes.html"
    theirs.write_text("<p>committee minutes</p>", encoding="utf-8")
    assert main(["report", str(batch), "--format", "html", "-o", str(theirs)]) == 2
    assert theirs.read_text(encoding="utf-8") == "<p>committee minutes</p>"
    ours = tmp_path / "report.html"
    assert main(["report", str(batch), "--format", "html", "-o", str(ours)]) == 1
    assert main(["report", str(batch), "--format", "md", "-o", str(ours)]) == 1  # ours: replaced
    assert ours.read_text(encoding="utf-8").startswith("<!-- redress report -->")


@pytest.mark.parametrize("argv", [
    ["--from", "2025-06-01", "--to", "2025-05-01"],
    ["--homes", "0"],
    ["--from", "2025-02-30"],
])
def test_usage_errors_exit_2(batch: Path, argv: list[str]) -> None:
    assert main(["report", str(batch), *argv]) == 2


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_hostile_text_is_escaped_in_every_format(batch: Path) -> None:
    report = Engine.report(Engine.load(backend="plain"),
                           read_records(batch.read_text(encoding="utf-8").splitlines()),
                           ombudsman_references=["<script>alert(1)</script>"])
    html = render(report, "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = render(report, "md")
    assert "<script>" not in md and "\\<script\\>" in md


def test_the_ombudsman_letter_is_matched_ignoring_spaces_and_case(tmp_path: Path) -> None:
    engine = Engine.load(backend="plain")
    try:
        referred = engine.evaluate(_case("H-9", ombudsman={"reference": "hos-2025 0001"}),
                                   as_of=AS_OF)
        report = engine.report([referred], ombudsman_references=["HOS-20250001", "HOS-2"])
    finally:
        engine.close()
    assert report["ombudsman"]["unmatched_references"] == ["HOS-2"]


def test_a_local_procedure_reports_as_the_procedure_it_extends() -> None:
    local = Path(__file__).resolve().parents[2] / "examples" / "local-policies"
    engine = Engine.load([local], backend="plain")
    try:
        result = engine.evaluate(_case("L-1", service="council_corporate",
                                       organisations=[{"id": "exampleshire",
                                                       "kind": "local_authority"}]), as_of=AS_OF)
        report = engine.report([result])
    finally:
        engine.close()
    assert result.procedure is not None and result.procedure.id == "exampleshire-corporate"
    (proc,) = report["procedures"]
    assert proc["statutory"]["id"] == "council-corporate-annual"


LOCAL_DEFINITION = """\
# yaml-language-server: $schema=../schemas/report-definition.schema.json
id: local-housing
procedure: housing-ombudsman-code-2024
title: Landlord's own quarterly return
period: quarterly
sources: {own: {title: Our complaints policy, short: Policy}}
citation: {source: own, provision: "section 9"}
figures:
  - {id: received, title: Received, measure: received, citation: {source: own, provision: "9.1"}}
"""


def test_a_local_definition_is_used_before_the_bundled_one(batch: Path, tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "housing.yaml").write_text(LOCAL_DEFINITION, encoding="utf-8")
    (folder / "notes.yaml").write_text("just: notes\n", encoding="utf-8")  # not a definition
    out = tmp_path / "r.json"
    assert main(["report", str(batch), "--format", "json", "--definitions", str(folder),
                 "-o", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    housing = next(p for p in report["procedures"] if p["id"] == "housing-ombudsman-code-2024")
    assert housing["statutory"]["id"] == "local-housing"
    corporate = next(p for p in report["procedures"] if p["id"] == "council-corporate")
    assert corporate["statutory"]["id"] == "council-corporate-annual"


def test_an_invalid_local_definition_is_reported_with_its_line(
        batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(LOCAL_DEFINITION.replace("measure: received", "measure: recieved"),
                   encoding="utf-8")
    assert main(["report", str(batch), "--definitions", str(bad)]) == 1
    assert f"{bad}:9:" in capsys.readouterr().err
    assert main(["report", str(batch), "--definitions", str(tmp_path / "none.yaml")]) == 2


def test_timeliness_reads_the_extension_deadline() -> None:
    def result(base: str, extended: str | None) -> dict[str, Any]:
        deadlines = [{"stage": "stage1", "kind": "respond", "state": base}]
        if extended:
            deadlines.append({"stage": "stage1", "kind": "respond_extended", "state": extended})
        return {"deadlines": deadlines}

    assert timeliness(result("met", None), "stage1") == "on_time"
    assert timeliness(result("missed", None), "stage1") == "late"
    assert timeliness(result("not_applicable", "met"), "stage1") == "within_extension"
    assert timeliness(result("not_applicable", "missed"), "stage1") == "late"
    assert timeliness(result("pending", "not_applicable"), "stage1") == "pending"
    assert timeliness(result("met", None), "stage2") is None


def test_nearest_rank_percentile() -> None:
    assert percentile(list(range(1, 11)), 90) == 9   # 0.9 × 10 = 9th smallest
    assert percentile([7], 90) == 7 and percentile([], 90) is None


def test_report_definitions_are_linted_with_file_line_col(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("# yaml-language-server: $schema=../schemas/report-definition.schema.json\n"
                   "id: bad\nprocedure: children-act-198\ntitle: x\nperiod: annual\n"
                   "sources: {a: {title: A, short: A}}\ncitation: {source: b, provision: x}\n"
                   "figures:\n  - {id: f, title: F, measure: recieved, "
                   "citation: {source: a, provision: y}}\n", encoding="utf-8")
    records = lint([bad], cwd=tmp_path)
    assert [(r.line, r.check_id) for r in records] == [
        (3, "unknown-procedure"), (7, "unknown-source"), (9, "schema")]
    assert records[-1].hint == "did you mean 'received'?"


def test_the_bundled_report_definitions_lint_clean() -> None:
    assert [r for r in lint() if "reports" in r.file] == []

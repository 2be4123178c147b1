"""What-if: changing one timescale shows which cases change and how.

The expected dates are worked by hand (England and Wales calendar, June/July 2026 have no bank
holiday; 'N working days after X', X is day 0):
  stage 1 response, 10 WD after the acknowledgement on Wed 3 Jun 2026 → Wed 17 Jun (LG-01);
  15 WD: 4(1) 5(2) 8(3) 9(4) 10(5) 11(6) 12(7) 15(8) 16(9) 17(10) 18(11) 19(12) 22(13) 23(14)
  24(15) → Wed 24 Jun;
  the extension, a further 10 WD after the response date: from 17 Jun → Wed 1 Jul (LG-01);
  from 24 Jun: 25(1) 26(2) 29(3) 30(4) 1(5) 2(6) 3(7) 6(8) 7(9) 8(10) → Wed 8 Jul.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from redress.cli import main
from redress.resources import data_dir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
COUNCIL_CASE = {
    "id": "LG-WHATIF", "received": "2026-06-01", "nation": "england",
    "service": "council_corporate", "complainant": {"role": "service_user"},
    "organisations": [{"id": "council", "kind": "local_authority"}],
    "matter": {"occurred": "2026-05-26", "topics": ["waste"]},
    "events": [{"date": "2026-06-03", "type": "acknowledged"}],
}


def _changed_policy(folder: Path) -> Path:
    text = (data_dir("policies") / "council-corporate.yaml").read_text(encoding="utf-8")
    old = "period: {working_days: 10}\n        from: acknowledged"
    assert text.count(old) == 1
    folder.mkdir()
    changed = folder / "council-corporate.yaml"
    changed.write_text(text.replace(old, "period: {working_days: 15}\n        from: acknowledged"),
                       encoding="utf-8")
    return folder


def _caseload(tmp_path: Path) -> Path:
    cases = tmp_path / "cases.jsonl"
    example = json.dumps({"id": "CHILD-1", "received": "2025-03-03", "nation": "england",
                          "service": "children_social_care", "complainant": {"role": "parent"},
                          "organisations": [{"id": "council", "kind": "local_authority"}],
                          "matter": {"topics": ["short_breaks"]}, "events": []})
    cases.write_text(json.dumps(COUNCIL_CASE) + "\n" + example + "\n" + "{not json\n",
                     encoding="utf-8")
    return cases


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_changing_one_timescale_reports_the_cases_and_dates_it_moves(tmp_path: Path) -> None:
    folder = _changed_policy(tmp_path / "proposed")
    out = tmp_path / "report.jsonl"
    code = main(["batch", str(_caseload(tmp_path)), "--as-of", "2026-06-10",
                 "--compare-policies", str(folder), "--format", "jsonl", "-o", str(out)])
    assert code == 1  # the caseload has one unreadable record
    summary, *changes = _lines(out)
    assert summary["record"] == "summary" and summary["replaces"] == ["council-corporate.yaml"]
    assert (summary["records"], summary["compared"], summary["errors"], summary["changed"]) == \
        (3, 2, 1, 1)
    assert summary["changes"] == {"deadlines": {"cases": 1}}
    assert summary["deadlines"] == {"stage1.respond": 1, "stage1.respond_extended": 1}
    assert [(c["record"], c["case_id"], c["kind"], c["what"], c["from"], c["to"],
             c["input"]["line"]) for c in changes] == [
        ("change", "LG-WHATIF", "deadlines", "stage1.respond", "2026-06-17 (pending)",
         "2026-06-24 (pending)", 1),
        ("change", "LG-WHATIF", "deadlines", "stage1.respond_extended", "2026-07-01 (pending)",
         "2026-07-08 (pending)", 1)]


def _many_council_cases(tmp_path: Path, ids: list[str]) -> Path:
    cases = tmp_path / "council.jsonl"
    cases.write_text("".join(json.dumps({**COUNCIL_CASE, "id": case_id}) + "\n"
                             for case_id in ids), encoding="utf-8")
    return cases


def test_every_moved_case_is_listed_not_a_few_examples(tmp_path: Path) -> None:
    folder = _changed_policy(tmp_path / "proposed")
    ids = [f"LG-{n}" for n in range(1, 8)]
    out = tmp_path / "report.txt"
    main(["batch", str(_many_council_cases(tmp_path, ids)), "--as-of", "2026-06-10",
          "--compare-policies", str(folder), "-o", str(out)])
    text = out.read_text(encoding="utf-8")
    assert text.index("7 records: 7 compared, 0 errors under both sets; 7 cases change") < \
        text.index("Every change")
    for n, case_id in enumerate(ids, start=1):
        assert (f"  {case_id} ({tmp_path / 'council.jsonl'}:{n}): stage1.respond: "
                "2026-06-17 (pending) → 2026-06-24 (pending)") in text


def test_the_changes_as_csv_follow_the_summary_and_cannot_run_as_formulas(tmp_path: Path) -> None:
    folder = _changed_policy(tmp_path / "proposed")
    out = tmp_path / "report.csv"
    cases = _many_council_cases(tmp_path, ["=HYPERLINK(\"http://x\")", "LG-2"])
    assert main(["batch", str(cases), "--as-of", "2026-06-10", "--compare-policies",
                 str(folder), "--format", "csv", "-o", str(out)]) == 0
    head, table = out.read_text(encoding="utf-8").split("\n\n", 1)
    assert all(line.startswith("#") for line in head.splitlines())
    assert "# 2 records: 2 compared, 0 errors under both sets; 2 cases change" in head
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["case_id", "kind", "what", "from", "to", "source", "line"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "deadlines", "stage1.respond",
                       "2026-06-17 (pending)", "2026-06-24 (pending)", str(cases), "1"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")"] * 2 + ["LG-2"] * 2


def test_a_deadline_already_met_is_not_moved(tmp_path: Path) -> None:
    # Responded on Wed 10 Jun 2026, before the stage 1 response was due under either set
    # (17 or 24 Jun): the response is met under both, and the extension was not needed.
    folder = _changed_policy(tmp_path / "proposed")
    answered = {**COUNCIL_CASE, "id": "LG-ANSWERED",
                "events": [*COUNCIL_CASE["events"], {"date": "2026-06-10", "type": "responded"}]}
    cases = tmp_path / "answered.jsonl"
    cases.write_text(json.dumps(answered) + "\n", encoding="utf-8")
    out = tmp_path / "report.jsonl"
    main(["batch", str(cases), "--as-of", "2026-06-12", "--compare-policies", str(folder),
          "--format", "jsonl", "-o", str(out)])
    [summary] = _lines(out)
    assert (summary["compared"], summary["changed"]) == (1, 0)


def test_csv_is_only_for_a_what_if(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(EXAMPLE), "--format", "csv"]) == 2
    assert "--format csv lists a what-if's changes" in capsys.readouterr().err


def test_the_text_report_counts_per_kind_and_lists_the_changes(tmp_path: Path) -> None:
    folder = _changed_policy(tmp_path / "proposed")
    out = tmp_path / "report.txt"
    main(["batch", str(_caseload(tmp_path)), "--as-of", "2026-06-10",
          "--compare-policies", str(folder), "-o", str(out)])
    text = out.read_text(encoding="utf-8")
    assert "replacing council-corporate.yaml" in text
    assert "3 records: 2 compared, 1 errors under both sets; 1 cases change" in text
    assert "stage1.respond: 2026-06-17 (pending) → 2026-06-24 (pending)" in text


def test_an_unchanged_copy_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "same"
    folder.mkdir()
    (folder / "council-corporate.yaml").write_text(
        (data_dir("policies") / "council-corporate.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    out = tmp_path / "report.json"
    main(["batch", str(_caseload(tmp_path)), "--as-of", "2026-06-10",
          "--compare-policies", str(folder), "--format", "jsonl", "-o", str(out)])
    [summary] = _lines(out)
    assert summary["changed"] == 0


def test_an_invalid_changed_policy_is_reported_not_compared(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "council-corporate.yaml").write_text("id: council-corporate\nstages: 3\n",
                                                   encoding="utf-8")
    assert main(["batch", str(EXAMPLE), "--compare-policies", str(folder)]) == 1

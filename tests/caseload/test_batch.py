"""``redress batch``: one record per input record in input order, resume after SIGKILL, workers,
filters, table, CSV and exit codes."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from caseloads import AS_OF, EXAMPLE, RECORDS, REDRESS, comparable, read_lines

from redress.caseload.records import record_validator
from redress.cli import main
from redress.evaluation import steps as steps_module
from redress.testing.generate import random_cases


def test_every_input_record_gets_exactly_one_line_in_input_order(
        caseload: tuple[Path, list[int]], full_run: Path) -> None:
    records = read_lines(full_run)
    assert len(records) == RECORDS
    assert [r["input"]["index"] for r in records] == list(range(RECORDS))
    errors = [r["input"]["index"] for r in records if "error" in r]
    assert errors == caseload[1]
    kinds = {r["error"]["kind"] for r in records if "error" in r}
    assert kinds == {"unreadable", "invalid_case"}
    validator = record_validator()
    for record in records[:: max(1, RECORDS // 200)] + [r for r in records if "error" in r]:
        assert not list(validator.iter_errors(record))


def test_a_sigkilled_run_resumes_with_every_record_answered_exactly_once(
        caseload: tuple[Path, list[int]], full_run: Path, tmp_path: Path) -> None:
    # The records come through a pipe we hold open, so the kill lands while the run is alive
    # however fast the engine is: half the caseload at once, then a record at a time until
    # some output has been written, then SIGKILL.
    lines = caseload[0].read_bytes().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    command = [*REDRESS, "batch", "-", "-o", str(out), "--as-of", AS_OF]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None
    fed = len(lines) // 2
    proc.stdin.write(b"".join(lines[:fed]))
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while (not out.exists() or out.stat().st_size == 0) and time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be killed"
        time.sleep(0.2)
        proc.stdin.write(lines[fed])
        proc.stdin.flush()
        fed += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdin.close()
    kept = out.read_bytes()
    assert 0 < kept.count(b"\n") < RECORDS
    # Also leave a torn last line, as a kill in the middle of a write could.
    with out.open("ab") as fh:
        fh.write(b'{"case_id":"GEN-0')
    done = subprocess.run([*command, "--resume"], input=b"".join(lines), capture_output=True,
                          timeout=240)
    err = done.stderr.decode()
    assert done.returncode == 1, err  # the caseload has bad records
    assert "dropped a torn last line" in err
    assert f"{RECORDS} records" in err
    resumed = read_lines(out)
    assert [r["input"]["index"] for r in resumed] == list(range(RECORDS))

    assert [comparable(r) for r in resumed] == [comparable(r) for r in read_lines(full_run)]


def test_resume_refuses_a_file_redress_did_not_write_and_leaves_it_alone(
        caseload: tuple[Path, list[int]], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\nunfinished line", encoding="utf-8")
    code = main(["batch", str(caseload[0]), "-o", str(notes), "--as-of", AS_OF, "--resume"])
    assert code == 2
    assert notes.read_text(encoding="utf-8") == "my notes\nunfinished line"


def test_an_existing_output_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("keep\n", encoding="utf-8")
    assert main(["batch", str(EXAMPLE), "-o", str(out), "--as-of", AS_OF]) == 2
    assert out.read_text(encoding="utf-8") == "keep\n"


def test_two_workers_give_the_same_lines_in_the_same_order(
        caseload: tuple[Path, list[int]], full_run: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    lines = caseload[0].read_text(encoding="utf-8").splitlines(keepends=True)[:400]
    small.write_text("".join(lines), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    main(["batch", str(small), "-o", str(one), "--as-of", AS_OF])
    main(["batch", str(small), "-o", str(two), "--as-of", AS_OF, "--workers", "2"])
    assert read_lines(one) == read_lines(two)
    assert len(read_lines(two)) == sum(1 for line in lines if line.strip())


def test_an_internal_error_is_a_record_naming_the_case_and_exit_3(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: Any) -> Any:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(steps_module, "_procedure", broken)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(EXAMPLE), "-o", str(out), "--as-of", "2025-05-01"]) == 3
    [record] = read_lines(out)
    assert record["error"]["kind"] == "internal_error"
    assert record["case_id"] == "EX-2025-0042"
    assert "Traceback" not in capsys.readouterr().err


def test_standard_input_is_json_lines(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    import io

    cases = random_cases(3, seed=2)
    data = "".join(json.dumps(c) + "\n" for c in cases).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["batch", "-", "--as-of", AS_OF]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["case_id"] for r in out] == [c["id"] for c in cases]
    assert {r["input"]["source"] for r in out} == {"-"}
    assert [r["input"]["line"] for r in out] == [1, 2, 3]


def test_a_folder_of_case_files_is_one_record_per_file_sorted_by_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "cases"
    (folder / "b").mkdir(parents=True)
    (folder / "b" / "second.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"),
                                              encoding="utf-8")
    (folder / "a.json").write_text(json.dumps(random_cases(1, seed=3)[0]), encoding="utf-8")
    (folder / "c.yaml").write_text("id: C\nreceived: 2025-03-03\nnation: england\n"
                                   "service: nhs\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a case", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "-o", str(out), "--as-of", "2025-05-01"]) == 1
    records = read_lines(out)
    assert [Path(r["input"]["source"]).name for r in records] == ["a.json", "second.yaml",
                                                                   "c.yaml"]
    assert records[1]["case_id"] == "EX-2025-0042" and records[1]["stage"] == "stage2"
    problems = records[2]["error"]["problems"]
    assert problems and all(p["line"] for p in problems)  # YAML files keep their lines


CSV_HEADER = ("id,received,nation,service,complainant.role,subject.age,subject.status,"
              "organisations[0].id,organisations[0].kind,matter.occurred,matter.aware,"
              "matter.topics,events[0].date,events[0].type,events[1].date,events[1].type,"
              "events[1].stage,events[1].reason,events[2].date,events[2].type,events[2].stage,"
              "events[2].outcome,events[3].date,events[3].type,events[3].to\n")
CSV_ROW = ("EX-2025-0042,2025-03-03,england,children_social_care,parent,9,child_in_need,"
           "council,local_authority,2025-02-10,2025-02-10,short_breaks,2025-03-05,acknowledged,"
           "2025-03-14,extension,stage1,complex,2025-03-21,responded,stage1,not_upheld,"
           "2025-04-14,escalation_requested,stage2\n")


def test_a_csv_row_maps_to_the_same_case_as_the_yaml_file(tmp_path: Path) -> None:
    sheet = tmp_path / "cases.csv"
    sheet.write_text(CSV_HEADER + CSV_ROW + "BAD-1,2025-03-03,england,,parent\n",
                     encoding="utf-8")
    out, ref = tmp_path / "csv.jsonl", tmp_path / "yaml.jsonl"
    assert main(["batch", str(sheet), "-o", str(out), "--as-of", "2025-05-01"]) == 1
    main(["batch", str(EXAMPLE), "-o", str(ref), "--as-of", "2025-05-01"])
    from_csv, from_yaml = read_lines(out), read_lines(ref)
    assert {k: from_csv[0]["input"][k] for k in ("source", "line", "index")} == {
        "source": str(sheet), "line": 2, "index": 0}

    def comparable(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k not in ("input", "warnings")}

    assert comparable(from_csv[0]) == comparable(from_yaml[0])
    assert from_csv[1]["case_id"] == "BAD-1" and from_csv[1]["input"]["line"] == 3
    assert from_csv[1]["error"]["kind"] == "invalid_case"


def test_a_csv_header_that_is_not_a_field_path_names_the_column(tmp_path: Path) -> None:
    sheet = tmp_path / "cases.csv"
    sheet.write_text("id,events[x].date\nA,2025-01-01\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(sheet), "-o", str(out), "--as-of", AS_OF]) == 1
    [record] = read_lines(out)
    assert "events[x].date" in record["error"]["problems"][0]["message"]


def test_filters_keep_overdue_or_soon_due_open_cases_and_every_error(
        caseload: tuple[Path, list[int]], full_run: Path, tmp_path: Path) -> None:
    from redress.caseload.digest import digest

    everything = read_lines(full_run)
    small = tmp_path / "small.jsonl"
    small.write_text("".join(caseload[0].read_text(encoding="utf-8")
                             .splitlines(keepends=True)[:300]), encoding="utf-8")
    head = [r for r in everything if r["input"]["index"] < len(read_lines_safe(small))]
    for flag, keep in ((["--overdue"], lambda d: d.overdue),
                       (["--due-within", "3"], lambda d: d.due_within(3))):
        out = tmp_path / f"{flag[0][2:]}.jsonl"
        main(["batch", str(small), "-o", str(out), "--as-of", AS_OF, *flag])
        kept = [r["input"]["index"] for r in read_lines(out)]
        expected = [r["input"]["index"] for r in head if "error" in r or keep(digest(r))]
        assert kept == expected
        assert 0 < len(kept) < len(head)


def read_lines_safe(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_digest_reads_overdue_and_due_soon_from_the_deadlines() -> None:
    from redress.caseload.digest import digest

    def deadline(stage: str, kind: str, due: str, state: str, left: int | None,
                 met_on: str | None = None) -> dict[str, Any]:
        return {"stage": stage, "kind": kind, "due": due, "state": state, "met_on": met_on,
                "working_days_remaining": left}

    base = {"input": {"source": "x", "line": 1, "index": 4}, "case_id": "A",
            "procedure": {"id": "p"}, "stage": "stage1", "status": "in_progress"}
    late = digest({**base, "deadlines": [
        deadline("stage1", "acknowledge", "2026-05-01", "missed", None),
        deadline("stage1", "respond", "2026-06-03", "pending", 2),
        deadline("ombudsman", "ombudsman_time_limit", "2026-06-02", "pending", 1)]})
    assert late.overdue and late.next_due is not None and late.next_due.isoformat() == "2026-06-03"
    assert late.due_within(2) and not late.due_within(1)
    complainants = digest({**base, "deadlines": [
        deadline("intake", "complaint_time_limit", "2026-01-01", "missed", None),
        deadline("stage1", "request_next_stage", "2026-06-02", "pending", 1)]})
    assert not complainants.overdue and not complainants.due_within(5)
    closed = digest({**base, "status": "local_procedure_complete", "deadlines": [
        deadline("stage1", "respond", "2026-05-01", "missed", None)]})
    assert not closed.open and not closed.overdue


def test_the_table_is_sorted_by_next_due_date(
        caseload: tuple[Path, list[int]], tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text("".join(caseload[0].read_text(encoding="utf-8")
                             .splitlines(keepends=True)[:120]), encoding="utf-8")
    out = tmp_path / "table.txt"
    main(["batch", str(small), "-o", str(out), "--as-of", AS_OF, "--format", "table"])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split()[:4] == ["CASE", "PROCEDURE", "STAGE", "STATUS"]
    start = lines[0].index("NEXT DUE")
    dues = [line[start:start + 10] for line in lines[1:]]
    dated = [d for d in dues if d.strip()[:2] == "20"]
    assert dated and dated == sorted(dated)
    assert dues[: len(dated)] == dated  # cases with nothing pending and errors come last
    assert any("ERROR: " in line for line in lines[-5:])
    assert len(lines) == 1 + len(read_lines_safe(small))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["evaluate", "--format", "json"], ["evaluate"], ["batch"]])
def test_a_full_disk_is_one_clear_line_and_exit_2(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*REDRESS, *command, str(EXAMPLE), "--as-of", "2025-05-01"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 2
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_resume_refuses_a_different_evaluation_date(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(EXAMPLE), "-o", str(out), "--as-of", "2025-05-01"]) == 0
    before = out.read_bytes()
    assert main(["batch", str(EXAMPLE), "-o", str(out), "--as-of", "2025-05-02",
                 "--resume"]) == 2
    assert "--as-of 2025-05-01" in capsys.readouterr().err
    assert out.read_bytes() == before

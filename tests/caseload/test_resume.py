"""``redress batch --resume`` checks the output against the inputs and the options, and refuses
— one line, exit 2, the file untouched — what it cannot continue; a torn last line is dropped
only from an output whose every other line checks out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from caseloads import read_lines

from redress.cli import main
from redress.testing.generate import random_cases

AS_OF = "2026-06-01"
COUNT = 30


@pytest.fixture()
def run(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A caseload, a complete output of it, and that output's bytes."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(c) + "\n" for c in random_cases(COUNT, seed=11)),
                     encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(cases), "-o", str(out), "--as-of", AS_OF]) in (0, 1)
    return cases, out, out.read_bytes()


def _resume(cases: Path, out: Path, *extra: str) -> int:
    return main(["batch", str(cases), "-o", str(out), "--as-of", AS_OF, "--resume", *extra])


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _edit(line: bytes, change: Any) -> bytes:
    record = json.loads(line)
    change(record)
    return (json.dumps(record) + "\n").encode()


def _refused(capsys: pytest.CaptureFixture[str], code: int, out: Path, before: bytes,
             words: str) -> None:
    err = capsys.readouterr().err
    assert code == 2, err
    assert out.read_bytes() == before  # nothing was changed
    assert words in err and "nothing was changed" in err
    assert len([line for line in err.splitlines() if line.strip()]) == 1, err


def test_a_deleted_middle_line_is_refused_not_skipped(
        run: tuple[Path, Path, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    cases, out, full = run
    lines = _lines(full)
    out.write_bytes(b"".join(lines[:12] + lines[13:]))
    before = out.read_bytes()
    _refused(capsys, _resume(cases, out), out, before, "a line is missing")


def test_a_last_index_edited_past_the_inputs_is_refused(
        run: tuple[Path, Path, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    cases, out, full = run
    lines = _lines(full)[:10]

    def far(record: dict[str, Any]) -> None:
        record["input"]["index"] = 999_999

    out.write_bytes(b"".join([*lines[:-1], _edit(lines[-1], far)]))
    before = out.read_bytes()
    _refused(capsys, _resume(cases, out), out, before, "answers input record 999999")


@pytest.mark.parametrize(("inputs", "kept", "words"), [
    (lambda lines: lines[:20], COUNT, "the inputs hold only 20 records"),  # output is longer
    (lambda lines: lines[::-1], 10, "its SHA-256 differs"),  # other records, same places
])
def test_an_output_of_other_inputs_is_refused(
        run: tuple[Path, Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        inputs: Any, kept: int, words: str) -> None:
    cases, out, full = run
    other = tmp_path / "other.jsonl"
    other.write_bytes(b"".join(inputs(_lines(cases.read_bytes()))))
    out.write_bytes(b"".join(_lines(full)[:kept]))
    before = out.read_bytes()
    _refused(capsys, _resume(other, out), out, before, words)


@pytest.mark.parametrize(("first", "then", "words"), [
    ([], ["--overdue"], "the first run used no --overdue; this run --overdue"),
    (["--overdue"], [], "the first run used --overdue; this run no --overdue"),
    ([], ["--due-within", "3"], "no --due-within; this run --due-within 3"),
    ([], ["--backend", "durable"], "--backend"),
    (["--form", "lean"], [], "the first run used --form lean; this run --form full"),
    ([], ["--form", "lean"], "the first run used --form full; this run --form lean"),
])
def test_resuming_with_other_options_is_refused(
        run: tuple[Path, Path, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        first: list[str], then: list[str], words: str) -> None:
    cases = run[0]
    out = tmp_path / "first.jsonl"
    main(["batch", str(cases), "-o", str(out), "--as-of", AS_OF, *first])
    kept = b"".join(_lines(out.read_bytes())[:3])
    out.write_bytes(kept)
    capsys.readouterr()
    _refused(capsys, _resume(cases, out, *then), out, kept, words)


def test_a_filtered_output_missing_a_line_is_refused(
        run: tuple[Path, Path, bytes], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    cases = run[0]
    out = tmp_path / "overdue.jsonl"
    main(["batch", str(cases), "-o", str(out), "--as-of", AS_OF, "--overdue"])
    lines = _lines(out.read_bytes())
    assert len(lines) >= 4
    out.write_bytes(b"".join([lines[0], *lines[2:]]))
    before = out.read_bytes()
    capsys.readouterr()
    _refused(capsys, _resume(cases, out, "--overdue"), out, before, "a line is missing")


def test_a_file_redress_did_not_write_is_never_changed(
        run: tuple[Path, Path, bytes], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    cases = run[0]
    config = tmp_path / "config.json"
    config.write_bytes(b'{"a": 1}')  # one line, no newline: once taken for a torn line
    _refused(capsys, _resume(cases, config), config, b'{"a": 1}', "no complete record")
    older = tmp_path / "older.jsonl"  # a record as an older Redress wrote it
    older.write_bytes(b'{"case_id":"X","input":{"source":"c","line":1,"index":0}}\n{"case')
    _refused(capsys, _resume(cases, older), older, older.read_bytes(),
             "does not say which input")


def test_a_torn_last_line_is_dropped_and_the_rest_answered_exactly_once(
        run: tuple[Path, Path, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    cases, out, full = run
    lines = _lines(full)
    out.write_bytes(b"".join(lines[:11]) + lines[11][:40])
    assert _resume(cases, out) in (0, 1)
    err = capsys.readouterr().err
    assert "11 lines kept" in err and "dropped a torn last line" in err
    assert out.read_bytes() == full
    assert [r["input"]["index"] for r in read_lines(out)] == list(range(COUNT))


def test_every_line_says_what_resume_checks(run: tuple[Path, Path, bytes]) -> None:
    import hashlib

    cases, _, full = run
    inputs = cases.read_bytes().splitlines()
    records = [json.loads(line) for line in _lines(full)]
    for i, record in enumerate(records):
        member = record["input"]
        assert member["sha256"] == hashlib.sha256(inputs[i]).hexdigest()
        assert member["previous"] == (i - 1 if i else None)
        assert member["options"].startswith(f"as-of={AS_OF} policies=")

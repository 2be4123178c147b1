"""A UTF-8 byte-order mark, as Windows tools and spreadsheet programs write one, is ignored at
the start of every kind of case input of ``redress evaluate`` and ``redress batch``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from caseloads import EXAMPLE

from redress.cli import main

BOM = b"\xef\xbb\xbf"
AS_OF = "2025-05-01"


def _example_json() -> bytes:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return json.dumps(data, default=str).encode()


def _inputs() -> dict[str, bytes]:
    one = _example_json()
    return {"case.yaml": EXAMPLE.read_bytes(), "case.json": one,
            "cases.jsonl": one + b"\n" + one.replace(b"EX-2025-0042", b"EX-2") + b"\n"}


def _case_ids(text: str) -> list[str | None]:
    return [json.loads(line).get("case_id") for line in text.splitlines()]


@pytest.mark.parametrize("name", sorted(_inputs()))
@pytest.mark.parametrize("command", [["evaluate", "--format", "json"], ["batch"]])
def test_a_byte_order_mark_is_ignored_in_a_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
        command: list[str]) -> None:
    data = _inputs()[name]
    path = tmp_path / name
    path.write_bytes(BOM + data)
    assert main([*command, str(path), "--as-of", AS_OF]) == 0, capsys.readouterr().err
    expected = ["EX-2025-0042", "EX-2"] if name.endswith(".jsonl") else ["EX-2025-0042"]
    assert _case_ids(capsys.readouterr().out) == expected


@pytest.mark.parametrize(("command", "name"), [
    *((["evaluate", "--format", "json"], name) for name in sorted(_inputs())),
    (["batch"], "cases.jsonl"),  # redress batch - reads JSON Lines
])
def test_a_byte_order_mark_is_ignored_on_standard_input(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str,
        command: list[str]) -> None:
    data = _inputs()[name]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BOM + data)))
    assert main([*command, "-", "--as-of", AS_OF]) == 0, capsys.readouterr().err
    expected = ["EX-2025-0042", "EX-2"] if name.endswith(".jsonl") else ["EX-2025-0042"]
    assert _case_ids(capsys.readouterr().out) == expected

"""The lean form and the citation table from the command line (issue 24)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from redress.cli import main
from redress.resources import schema_path

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "EX-2025-0042.yaml")


def _record_validator() -> Draft202012Validator:
    schemas = {name: json.loads(schema_path(name).read_text(encoding="utf-8"))
               for name in ("result", "record")}
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    return Draft202012Validator(schemas["record"], registry=registry,
                                format_checker=FormatChecker())


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_evaluate_json_lean_names_citations_by_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01", "--format", "json",
                 "--form", "lean"]) == 0
    [record] = _lines(capsys.readouterr().out)
    assert record["form"] == "lean" and record["schema_version"] == "1.0"
    assert "trace" not in record and "citations" not in record  # a record: no table
    deadline = record["deadlines"][0]  # type: ignore[index]
    assert "basis" not in deadline and deadline["citation_id"].startswith("c-")
    assert list(_record_validator().iter_errors(record)) == []
    assert main(["citations"]) == 0
    table = json.loads(capsys.readouterr().out)
    used = {d["citation_id"] for d in record["deadlines"]}  # type: ignore[union-attr]
    assert used <= set(table["citations"])
    assert table["policy_set_hash"] == record["audit"]["policy_set_hash"]  # type: ignore[index]


def test_the_full_form_stays_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01", "--format", "json"]) == 0
    [record] = _lines(capsys.readouterr().out)
    assert record["form"] == "full" and "trace" in record
    assert record["deadlines"][0]["basis"]  # type: ignore[index]
    assert list(_record_validator().iter_errors(record)) == []


def test_lean_applies_to_json_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", EXAMPLE, "--as-of", "2025-05-01", "--form", "lean"]) == 2
    assert "--form lean applies to --format json" in capsys.readouterr().err


def test_batch_writes_lean_records(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["batch", EXAMPLE, "-o", str(out), "--as-of", "2025-05-01",
                 "--form", "lean"]) == 0
    [record] = _lines(out.read_text(encoding="utf-8"))
    assert record["form"] == "lean" and "citations" not in record and "input" in record
    assert list(_record_validator().iter_errors(record)) == []

"""A deadline that no longer applies reads the same in the table and the explanation, and is
never shown as "met on" a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redress import Engine
from redress.cli import main

REPO = Path(__file__).resolve().parent.parent.parent
CASE = REPO / "examples" / "EX-2025-0042.yaml"
AS_OF = "2025-05-01"


def test_the_explanation_says_not_applicable_and_why_never_superseded() -> None:
    result = Engine.load(backend="plain").evaluate(CASE, as_of=dt.date(2025, 5, 1))
    [first] = [d for d in result.deadlines if (d.stage, d.kind) == ("stage1", "respond")]
    assert first.state == "not_applicable"
    line = next(x for x in result.explain().splitlines() if x.startswith("- Stage 1 response:"))
    assert "not applicable: the time was extended before it ran out" in line
    assert "superseded" not in line and "met on" not in line


def test_the_table_shows_no_met_on_date_for_a_deadline_that_no_longer_applies(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(CASE), "--as-of", AS_OF, "--backend", "plain"]) == 0
    out = capsys.readouterr().out
    row = next(x for x in out.splitlines() if x.split()[:2] == ["stage1", "respond"])
    assert row.split()[3] == "not_applicable"
    assert "2025-03-21" not in row  # the extended response date; it did not meet this deadline
    assert "      not applicable: the time was extended before it ran out" in out


def test_explain_with_json_is_refused_with_a_clear_message(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["evaluate", str(CASE), "--as-of", AS_OF, "--format", "json", "--explain"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "--explain applies to --format text only" in err

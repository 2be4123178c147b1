"""``redress calendar``, run in-process through redress.cli.main.

Expected dates were worked out by hand from the GOV.UK bank-holiday list (see test_calendar.py).
"""

from __future__ import annotations

import json

import pytest

from redress.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["calendar", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_prints_the_due_date_and_the_skipped_bank_holidays(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "add", "2025-04-14", "25", "--calendar", "england-and-wales")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "2025-05-22"
    assert "25 working days after Monday 2025-04-14 is Thursday 2025-05-22" in lines[1]
    assert "  2025-04-18 Good Friday" in lines
    assert "  2025-04-21 Easter Monday" in lines
    assert "  2025-05-05 May Day" in lines
    assert "holidays 0.108" in out


def test_add_as_json_carries_the_audit_stamp(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", "2025-04-14", "25", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["calendar"] == "england-and-wales"  # the default
    assert (doc["start"], doc["working_days"], doc["due"]) == ("2025-04-14", 25, "2025-05-22")
    assert doc["skipped"] == [
        {"date": "2025-04-18", "reason": "Good Friday"},
        {"date": "2025-04-21", "reason": "Easter Monday"},
        {"date": "2025-05-05", "reason": "May Day"},
    ]
    assert doc["data_version"].startswith("holidays 0.108 + overrides ")
    assert doc["covered_range"] == ["2000-01-01", "2040-12-31"]


def test_add_uses_the_chosen_nation(capsys: pytest.CaptureFixture[str]) -> None:
    # Scotland: Thu 17 Apr 2025 + 1 -> Mon 21 Apr, skipping only Good Friday (Easter Monday
    # is not a bank holiday there).
    code, out, _ = run(capsys, "add", "2025-04-17", "1", "--calendar", "scotland")
    assert code == 0
    assert out.splitlines()[:2] == [
        "2025-04-21",
        "1 working day after Thursday 2025-04-17 is Monday 2025-04-21 "
        "(scotland calendar; the start date is day 0).",
    ]
    assert "  2025-04-18 Good Friday" in out
    assert "Easter Monday" not in out


def test_add_says_when_nothing_was_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", "2025-04-22", "3")
    assert code == 0
    assert out.splitlines()[0] == "2025-04-25"
    assert "No bank holidays or other non-working weekdays skipped." in out


def test_between_counts_working_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "between", "2025-04-14", "2025-05-22", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["working_days"] == 25
    assert [s["date"] for s in doc["skipped"]] == ["2025-04-18", "2025-04-21", "2025-05-05"]


def test_between_reversed_dates_gives_a_negative_count(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "between", "2025-05-22", "2025-04-14")
    assert code == 0
    assert out.splitlines()[0] == "-25"
    assert "second date is the earlier one" in out


@pytest.mark.parametrize(
    ("argv", "end", "eom"),
    [
        (["2025-03-10", "12", "--reading", "beginning-with"], "2026-03-09", False),
        (["2025-08-30", "6", "--reading", "beginning-with"], "2026-02-28", True),
        (["2024-02-29", "12", "--reading", "after"], "2025-02-28", True),
        (["2024-03-01", "12", "--reading", "after"], "2025-03-01", False),
    ],
)
def test_months_gives_the_end_of_the_period(
    capsys: pytest.CaptureFixture[str], argv: list[str], end: str, eom: bool
) -> None:
    code, out, _ = run(capsys, "months", *argv, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert (doc["end"], doc["end_of_month_rule"]) == (end, eom)
    assert doc["basis"]


def test_months_text_shows_the_end_date_then_the_basis(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "months", "2025-12-24", "6", "--reading", "beginning-with")
    assert code == 0
    first, basis = out.splitlines()
    assert first == "2026-06-23"
    assert "beginning with 24 December 2025" in basis


@pytest.mark.parametrize(
    "argv",
    [
        ["add", "2025-02-30", "3"],
        ["add", "14/04/2025", "3"],
        ["add", "2025-4-14", "3"],
        ["between", "2025-04-14", "tomorrow"],
        ["months", "2025-13-01", "6", "--reading", "after"],
    ],
)
def test_bad_dates_exit_2_with_a_message_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "invalid date" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "2040-12-20", "30"], "falls after 2040-12-31"),
        (["add", "1999-12-31", "1"], "outside the england-and-wales working-day calendar"),
        (["between", "2025-01-01", "2041-01-01"], "outside"),
        (["months", "2025-01-01", "0", "--reading", "after"], "at least 1"),
    ],
)
def test_out_of_range_input_exits_2_with_the_reason(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


def test_an_unknown_calendar_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "add", "2025-04-14", "1", "--calendar", "wales")
    assert code == 2
    assert "england-and-wales" in err


def test_months_needs_a_reading(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "months", "2025-01-01", "6")
    assert code == 2
    assert "--reading" in err


# -- a procedure's calendar, local closures included (issue 23) ---------------------------------
# Counted by hand on the GOV.UK England and Wales list: Christmas Day Thu 25 Dec 2025, Boxing
# Day Fri 26 Dec 2025, New Year's Day Thu 1 Jan 2026; in 2026 Christmas Day Fri 25 Dec, the
# substitute Boxing Day Mon 28 Dec, New Year's Day Fri 1 Jan 2027. Exampleshire's example policy
# (examples/local-policies) closes its offices on 24, 29, 30 and 31 December of 2025 and 2026.

LOCAL = ["--policies", "examples/local-policies", "--procedure", "exampleshire-corporate"]


@pytest.fixture
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[2])


def test_add_counts_a_local_policy_s_christmas_closure(
        capsys: pytest.CaptureFixture[str], at_repo: None) -> None:
    # Fri 19 Dec is day 0: Mon 22 (1), Tue 23 (2), then 24 Dec to 1 Jan are closed or bank
    # holidays, Fri 2 Jan (3), Mon 5 (4), Tue 6 Jan (5).
    code, out, err = run(capsys, "add", "2025-12-19", "5", *LOCAL)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "2026-01-06"
    assert lines[1] == (
        "5 working days after Friday 2025-12-19 is Tuesday 2026-01-06 (england-and-wales "
        "calendar with the closure days of exampleshire-corporate; the start date is day 0).")
    assert "  2025-12-29 Council Christmas closure" in lines
    # The bundled procedure has no closures: Mon 22, Tue 23, Wed 24, Mon 29, Tue 30 Dec.
    code, out, _ = run(capsys, "add", "2025-12-19", "5", "--procedure", "council-corporate")
    assert (code, out.splitlines()[0]) == (0, "2025-12-30")


def test_add_across_the_2026_closure_and_bank_holidays(
        capsys: pytest.CaptureFixture[str], at_repo: None) -> None:
    # Wed 23 Dec 2026 is day 0; Thu 24 to Fri 1 Jan are closed or bank holidays (Mon 28 Dec is
    # the substitute Boxing Day); Mon 4 (1), Tue 5 (2), Wed 6 Jan 2027 (3).
    code, out, _ = run(capsys, "add", "2026-12-23", "3", *LOCAL, "--format", "json")
    doc = json.loads(out)
    assert (code, doc["procedure"], doc["due"]) == (0, "exampleshire-corporate", "2027-01-06")
    assert [s["date"] for s in doc["skipped"]] == [
        "2026-12-24", "2026-12-25", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31",
        "2027-01-01"]


def test_between_counts_the_days_after_the_first_date_up_to_and_including_the_second(
        capsys: pytest.CaptureFixture[str], at_repo: None) -> None:
    # After Tue 23 Dec 2025 up to and including Mon 5 Jan 2026: only Fri 2 and Mon 5 Jan are
    # open at Exampleshire (2); on the national calendar 24, 29, 30, 31 Dec, 2 and 5 Jan (6).
    code, out, _ = run(capsys, "between", "2025-12-23", "2026-01-05", *LOCAL)
    assert (code, out.splitlines()[0]) == (0, "2")
    assert "after Tuesday 2025-12-23 up to and including Monday 2026-01-05" in out
    code, out, _ = run(capsys, "between", "2025-12-23", "2026-01-05")
    assert (code, out.splitlines()[0]) == (0, "6")
    code, out, _ = run(capsys, "between", "2026-01-05", "2025-12-23", *LOCAL)
    assert (code, out.splitlines()[0]) == (0, "-2")


@pytest.mark.parametrize(("argv", "message"), [
    (["--procedure", "exampleshire-corporat", "--policies", "examples/local-policies"],
     "no procedure or policy 'exampleshire-corporat' (did you mean 'exampleshire-corporate'?)"),
    (["--procedure", "council-corporate", "--calendar", "scotland"],
     "give --calendar or --procedure, not both"),
    (["--policies", "examples/local-policies"], "give --procedure"),
])
def test_a_procedure_calendar_needs_a_procedure_that_exists(
        capsys: pytest.CaptureFixture[str], at_repo: None, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "add", "2025-12-19", "5", *argv)
    assert (code, out) == (2, "")
    assert message in err

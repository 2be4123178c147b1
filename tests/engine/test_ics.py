"""Calendar feeds: a result's open deadlines as iCalendar events (redress.evaluation.ics)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from redress.cli import main
from redress.evaluation.evaluate import Engine
from redress.evaluation.ics import all_deadlines, open_deadlines, result_to_ics
from redress.evaluation.result import Result
from redress.policy.loader import read_document

EXAMPLE = Path(__file__).parents[2] / "examples" / "EX-2025-0042.yaml"


@pytest.fixture(scope="module")
def result() -> Result:
    return Engine.load().evaluate(EXAMPLE, as_of=dt.date(2025, 5, 1))


def _events(data: bytes) -> list[dict[str, object]]:
    cal = Calendar.from_ical(data)
    return [{"uid": str(e["uid"]), "start": e.decoded("dtstart"), "end": e.decoded("dtend"),
             "summary": str(e["summary"]), "description": str(e["description"])}
            for e in cal.walk("VEVENT")]


def test_each_deadline_is_one_all_day_event_on_its_due_date(result: Result) -> None:
    events = _events(result_to_ics(result))
    assert len(events) == len(all_deadlines(result)) > len(open_deadlines(result)) > 0
    by_start = {e["start"] for e in events}
    # Stage 2 response: 25 working days after Mon 14 April 2025, skipping Good Friday (18th),
    # Easter Monday (21st) and the Early May bank holiday (5th): Thu 22 May 2025 (worked by hand).
    assert dt.date(2025, 5, 22) in by_start
    for event in events:
        assert isinstance(event["start"], dt.date) and not isinstance(event["start"], dt.datetime)
        assert event["end"] == event["start"] + dt.timedelta(days=1)  # type: ignore[operator]


def _event_of(data: bytes, key: str) -> Any:
    (event,) = [e for e in Calendar.from_ical(data).walk("VEVENT")
                if f".{key}-" in str(e["uid"])]
    return event


def test_met_and_superseded_deadlines_are_cancelled_with_a_higher_sequence(
        result: Result) -> None:
    data = result_to_ics(result)
    open_one = _event_of(data, "stage2.respond")
    assert (str(open_one["status"]), int(open_one["sequence"])) == ("CONFIRMED", 0)
    # Stage 1: the response period was extended (so the first deadline no longer applies) and
    # the body responded on 21 March 2025, within the extended period.
    for key in ("stage1.respond", "stage1.respond_extended"):
        event = _event_of(data, key)
        assert (str(event["status"]), int(event["sequence"])) == ("CANCELLED", 2), key
    assert "met on 2025-03-21" in str(_event_of(data, "stage1.respond_extended")["summary"])


def test_a_missed_deadline_is_shown_overdue_and_updates_the_open_event() -> None:
    # As of 2 June 2025 no stage 2 response is recorded: due Thu 22 May 2025 (see above).
    late = Engine.load().evaluate(EXAMPLE, as_of=dt.date(2025, 6, 2))
    event = _event_of(result_to_ics(late), "stage2.respond")
    assert str(event["summary"]).startswith("EX-2025-0042: OVERDUE")
    assert (str(event["status"]), int(event["sequence"])) == ("CONFIRMED", 1)
    assert event.decoded("dtstart") == dt.date(2025, 5, 22)
    assert "Overdue" in [str(c) for c in event["categories"].cats]


def test_a_case_with_nothing_due_is_a_valid_calendar(result: Result) -> None:
    empty = replace(result, deadlines=(), routing=replace(result.routing, ombudsman=None))
    data = result_to_ics(empty)
    cal = Calendar.from_ical(data)
    assert not cal.walk("VEVENT")
    (journal,) = cal.walk("VJOURNAL")  # RFC 5545: a calendar holds at least one component
    assert "no deadlines" in str(journal["summary"]) and journal["uid"]


@pytest.mark.parametrize("case_id", ["A\nB", "A\rB", "A\x00B\x0bC", "A\x1b[31mB", "A\u202eB"])
def test_control_characters_in_the_case_id_are_escaped_in_every_property(case_id: str) -> None:
    data = read_document(EXAMPLE)[0]
    assert data is not None
    result = Engine.load().evaluate(data.data | {"id": case_id}, as_of=dt.date(2025, 5, 1))
    ics = result_to_ics(result)
    # Only CRLF line ends (and the space that continues a folded line) remain as controls.
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", ics.replace(b"\r\n", b""))
    assert "\u202e".encode() not in ics
    cal = Calendar.from_ical(ics)
    assert len(cal.walk("VEVENT")) == len(all_deadlines(result))  # nothing injected
    assert str(cal["x-wr-calname"]).startswith("Complaint A\\")


def test_the_description_names_case_stage_kind_citation_and_basis(result: Result) -> None:
    events = _events(result_to_ics(result))
    stage2 = next(e for e in events if e["start"] == dt.date(2025, 5, 22))
    text = str(stage2["description"])
    deadline = result.deadline("stage2", "respond")
    assert deadline is not None
    assert "Case: EX-2025-0042" in text
    assert "Stage: stage2" in text and "Kind: respond" in text
    assert f"Citation: {deadline.citation.text}" in text
    # The basis has commas and semicolons, which iCalendar escapes; it must come back intact.
    assert f"Basis: {deadline.basis}" in text and ";" in deadline.basis


def test_the_ombudsman_time_limit_appears_once(result: Result) -> None:
    keys = [d.key for d in open_deadlines(result)]
    assert len(keys) == len(set(keys))


def test_uids_are_stable_and_distinct(result: Result) -> None:
    first, again = _events(result_to_ics(result)), _events(result_to_ics(result))
    assert [e["uid"] for e in first] == [e["uid"] for e in again]
    assert len({e["uid"] for e in first}) == len(first)


def test_redress_evaluate_format_ics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2025-05-01", "--format", "ics"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BEGIN:VCALENDAR\r\n")
    starts = {e["start"] for e in _events(out.encode("utf-8"))}
    assert dt.date(2025, 5, 22) in starts


def test_format_ics_reports_a_bad_case_on_stderr_and_keeps_the_good_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: B\nreceived: 2025-02-30\nnation: england\nservice: nhs\nevents: []\n",
                   encoding="utf-8")
    code = main(["evaluate", str(EXAMPLE), str(bad), "--as-of", "2025-05-01", "--format", "ics"])
    captured = capsys.readouterr()
    assert code == 1
    assert "2025-02-30" in captured.err and "BEGIN:VCALENDAR" not in captured.err
    assert dt.date(2025, 5, 22) in {e["start"] for e in _events(captured.out.encode("utf-8"))}


def test_a_lone_surrogate_in_the_case_id_is_escaped_not_a_crash() -> None:
    data = read_document(EXAMPLE)[0]
    assert data is not None
    result = Engine.load().evaluate(data.data | {"id": "EX-\ud800"}, as_of=dt.date(2025, 5, 1))
    events = _events(result_to_ics(result))
    assert events and all("EX-\\ud800" in str(e["summary"]) for e in events)


def test_redress_evaluate_format_ics_with_a_newline_in_the_case_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = read_document(EXAMPLE)[0]
    assert data is not None
    case = tmp_path / "case.json"
    case.write_text(json.dumps(data.data | {"id": "EX\nINJECTED"}), encoding="utf-8")
    assert main(["evaluate", str(case), "--as-of", "2025-05-01", "--format", "ics"]) == 0
    out = capsys.readouterr().out
    assert "\nINJECTED" not in out.replace("\r\n", "") and "EX\\\\nINJECTED" in out

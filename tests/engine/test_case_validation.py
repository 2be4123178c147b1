"""Invalid cases raise one CaseError listing every problem, each naming the event and field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from redress import CaseError, Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def case(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "T-1", "received": "2025-03-03", "nation": "england",
        "service": "children_social_care", "complainant": {"role": "parent"},
        "organisations": [{"id": "council", "kind": "local_authority"}],
        "matter": {"occurred": "2025-02-10", "topics": ["short_breaks"]}, "events": []}
    base.update(changes)
    return base


def problems(engine: Engine, data: dict[str, Any]) -> list[str]:
    with pytest.raises(CaseError) as info:
        engine.evaluate(data, as_of=dt.date(2025, 6, 1))
    return [f.render() for f in info.value.findings]


def test_a_response_before_receipt_names_the_event_index_and_field(engine: Engine) -> None:
    found = problems(engine, case(events=[
        {"date": "2025-03-01", "type": "responded", "stage": "stage1"}]))
    assert any("events[0].date" in p and "before the complaint was received" in p for p in found)


def test_a_stage_3_request_without_a_stage_2_response_is_an_error(engine: Engine) -> None:
    found = problems(engine, case(events=[
        {"date": "2025-03-10", "type": "responded", "stage": "stage1"},
        {"date": "2025-03-12", "type": "escalation_requested", "to": "stage2"},
        {"date": "2025-03-20", "type": "escalation_requested", "to": "stage3"}]))
    assert any("events[2].to" in p and "no stage2 response" in p for p in found)


def test_every_problem_is_listed_not_just_the_first(engine: Engine) -> None:
    found = problems(engine, case(events=[
        {"date": "2025-02-01", "type": "acknowledged"},
        {"date": "2025-03-10", "type": "panel_met"},
        {"date": "2025-03-11", "type": "resumed"}]))
    assert len(found) == 3


def test_schema_errors_name_the_field(engine: Engine) -> None:
    found = problems(engine, case(nation="france", received="2025-02-30"))
    assert any("nation" in p and "'france'" in p for p in found)
    assert any("received" in p for p in found)


def test_an_unknown_event_type_is_reported_with_its_index(engine: Engine) -> None:
    found = problems(engine, case(events=[{"date": "2025-03-04", "type": "acknowleged"}]))
    assert any("events[0].type" in p for p in found)


def test_an_unknown_topic_suggests_the_nearest(engine: Engine) -> None:
    found = problems(engine, case(matter={"topics": ["court_reprt"]}))
    assert any("court_report" in p for p in found)


def test_a_case_file_with_errors_reports_file_line_and_column(tmp_path: Any, engine: Engine) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: X\nreceived: 2025-03-03\nnation: england\nservice: children_social_care\n"
                    "organisations: [{id: c, kind: local_authority}]\nevents:\n"
                    "  - {date: 2025-03-01, type: responded}\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        engine.evaluate(path, as_of=dt.date(2025, 6, 1))
    rendered = info.value.findings[0].render()
    assert rendered.startswith(f"{path}:7:")


def test_events_after_the_evaluation_date_are_ignored_with_a_warning(engine: Engine) -> None:
    result = engine.evaluate(case(events=[
        {"date": "2025-07-01", "type": "responded", "stage": "stage1"}]),
        as_of=dt.date(2025, 3, 5))
    assert result.warnings and "after the evaluation date" in result.warnings[0]
    assert result.stage == "stage1"

"""A value outside a fixed list gets a "did you mean" (including the other spelling of an id:
hyphens for calendars, underscores for nations) and, for a short list, the allowed values."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from redress import CaseError, Engine
from redress.cli import main
from redress.findings import choice_hint

CASE: dict[str, Any] = {
    "id": "HINT-1", "nation": "england", "service": "children_social_care",
    "received": "2025-03-03", "complainant": {"role": "parent"},
    "subject": {"age": 9, "status": ["child_in_need"]},
    "organisations": [{"id": "council", "kind": "local_authority"}],
    "events": [{"type": "acknowledged", "date": "2025-03-05"}],
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def _problems(engine: Engine, **changes: Any) -> list[str]:
    case = copy.deepcopy(CASE)
    for key, value in changes.items():
        if key == "event_type":
            case["events"][0]["type"] = value
        elif key == "topics":
            case["matter"] = {"topics": value}
        else:
            case[key] = value
    with pytest.raises(CaseError) as caught:
        engine.evaluate(case, as_of=dt.date(2025, 4, 1))
    return [f.render() for f in caught.value.findings]


def test_the_base_case_is_valid(engine: Engine) -> None:
    engine.evaluate(CASE, as_of=dt.date(2025, 4, 1))


def test_an_unknown_event_type_gets_a_did_you_mean(engine: Engine) -> None:
    [line] = _problems(engine, event_type="respond")
    assert "events[0].type: 'respond' is not one of:" in line
    assert "(did you mean 'responded'?)" in line


def test_a_nation_spelled_like_a_calendar_gets_the_nation_spelling(engine: Engine) -> None:
    [line] = _problems(engine, nation="northern-ireland")
    assert "(did you mean 'northern_ireland'?)" in line


def test_an_unknown_topic_with_no_near_miss_lists_the_topics(engine: Engine) -> None:
    [line] = _problems(engine, topics=["roads"])
    assert "unknown topic 'roads'" in line
    assert "highways" in line and "planning" in line


def test_choice_hint_lists_short_lists_and_respells_ids() -> None:
    assert choice_hint("northern_ireland", ["scotland", "northern-ireland"]) == (
        "did you mean 'northern-ireland'?; one of: scotland, northern-ireland")
    assert choice_hint("zzz", ["a", "b"]) == "one of: a, b"
    assert choice_hint("zzz", ["a", "b"], short=1) is None


@pytest.mark.parametrize(("args", "expected"), [
    (["months", "2025-03-10", "12", "--reading", "beginning_with"], "2026-03-09"),
    (["add", "2025-04-14", "3", "--calendar", "northern_ireland"], "2025-04-17"),
])
def test_the_calendar_command_takes_the_underscore_spelling_too(
        args: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", *args]) == 0
    assert capsys.readouterr().out.splitlines()[0] == expected

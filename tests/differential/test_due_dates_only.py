"""The due-date-only code of the alternative readings gives the dates the full clocks give.

An alternative reading asks only which dates it would give, so its stages are counted by
``compile_stage_dues`` functions and its time limits by ``complaint_due``/``ombudsman_due``,
which make no Clock.  Here both are compared with the Clocks of the full path, for every
stage a generated case opened, under every policy version and every reading of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from redress import CaseError
from redress.evaluation.case import Case, read_case
from redress.evaluation.evaluate import Engine
from redress.evaluation.limits import (
    complaint_due,
    complaint_limit,
    ombudsman_due,
    ombudsman_limit,
)
from redress.evaluation.readings import _first_stage
from redress.evaluation.timeline import (
    PolicyCode,
    replay,
    run_timeline,
    stage_clocks,
    stage_dues,
)
from redress.testing.varied import varied_cases

CASES = 1500


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    loaded = Engine.load(backend="plain")
    yield loaded
    loaded.close()


def _codes(engine: Engine, case: Case) -> list[PolicyCode]:
    """Every policy version the case's procedures have in force, and each reading of it."""
    codes = []
    for policy in engine.library.policies.values():
        if policy.kind != "procedure":
            continue
        at = engine.library.policy_at(policy.id, dt.datetime.combine(case.received, dt.time()))
        if at is None:
            continue
        code = engine.code(at)
        codes.append(code)
        codes.extend(engine.reading(at, r)[0] for amb in at.ambiguities for r in amb.readings
                     if r.overrides)
    return codes


def _compare(code: PolicyCode, case: Case, as_of: dt.date) -> int:
    stages = replay(case, code, case.received)
    for i, progress in enumerate(stages):
        made, _late = stage_clocks(code, stages[i:i + 1], as_of, case.occurred, case.aware)
        assert stage_dues(code, progress, case.occurred, case.aware) == \
            {c.kind: c.due for c in made}
    if code.time_limit is not None:
        limit = complaint_limit(code.time_limit, code.calendar, case.received, case.occurred,
                                case.aware)
        assert complaint_due(code.time_limit, code.calendar, case.occurred, case.aware) == \
            (limit.due if limit is not None else None)
    for body, route in code.routes.items():
        clock = ombudsman_limit(route, body, stages, code.calendar, as_of, None, case.received,
                                case.occurred, case.aware)
        assert ombudsman_due(route, stages, code.calendar, case.received, case.occurred,
                             case.aware) == (clock.due if clock is not None else None)
    return len(stages)


def test_due_dates_only_equal_the_clocks_due_dates(engine: Engine) -> None:
    compared = 0
    for data, as_of in varied_cases(CASES, seed=7):
        try:
            case, _doc, _warnings = read_case(data, engine.library.catalog, as_of)
        except CaseError:
            continue
        for code in _codes(engine, case):
            try:
                compared += _compare(code, case, as_of)
            except ValueError:  # a date past the calendar's range: not this test's business
                continue
    assert compared > 5000


def _unstaged(data: dict[str, Any]) -> dict[str, Any] | None:
    """A case with a request for another stage, its events left to the stage last opened, and
    an extension two days after the request (so a later event's stage can turn on the day the
    complaint counts as received)."""
    events = [dict(e) for e in data.get("events", ())]
    asked = [e for e in events if e.get("type") == "escalation_requested"]
    if not asked:
        return None
    for event in events:
        event.pop("stage", None)
    day = dt.date.fromisoformat(str(asked[0]["date"])[:10]) + dt.timedelta(days=2)
    events.append({"date": day.isoformat(), "type": "extension", "consent": "told",
                   "reason": "records", "days": 5})
    return {**data, "events": sorted(events, key=lambda e: str(e["date"]))}


def test_stage_one_received_later_is_stage_one_replayed_from_that_day(engine: Engine) -> None:
    """The receipt-day reading's short cut (``_first_stage``) gives the progress a replay of
    the case from the later day gives, whichever branch it takes: also when a request for
    another stage falls on or before that day."""
    compared = 0
    for data, as_of in varied_cases(300, seed=5):
        for variant in (data, _unstaged(data)):
            if variant is None:
                continue
            try:
                case, _doc, _warnings = read_case(variant, engine.library.catalog, as_of)
            except CaseError:
                continue
            asked = [e.date + dt.timedelta(days=k) for e in case.events
                     if e.type == "escalation_requested" for k in (0, 1)]
            days = [case.received + dt.timedelta(days=n) for n in (1, 3)] + asked
            for code in _codes(engine, case):
                timeline = run_timeline(case, code, as_of)
                if timeline.received != case.received:
                    continue
                for later in days:
                    assert _first_stage(case, code, timeline, later) == next(
                        (p for p in replay(case, code, later) if p.stage.id == "stage1"), None)
                    compared += 1
    assert compared > 1000

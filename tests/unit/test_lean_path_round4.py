"""Per-case work the lean path no longer repeats (issue 24, fourth round).

Each change keeps the result byte for byte (``tests/differential``); these tests pin the parts
on their own: what a policy version works out once, and what a case still works out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.policy.model import Ambiguity, Policy
from redress.testing.varied import varied_cases


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def _versions(engine: Engine) -> list[Policy]:
    found = []
    for entry in engine.library.policies.values():
        for version, _merged in entry.versions:
            moment = dt.datetime.fromisoformat(str(version["effective_from"]))
            policy = engine.library.policy_at(entry.id, moment)
            if policy is not None:
                found.append(policy)
    return found


def _changes_something(amb: Ambiguity) -> bool:
    return any(r.id != amb.default and r.overrides for r in amb.readings)


def test_only_ambiguities_with_a_reading_that_changes_something_are_worked_out(
        engine: Engine) -> None:
    inert = worked = 0
    for policy in _versions(engine):
        code = engine.code(policy)
        listed = [amb.id for amb, _touched, _readings in code.open_questions]
        assert listed == [a.id for a in policy.ambiguities if _changes_something(a)]
        for amb, touched, readings in code.open_questions:
            assert [r.id for r in readings] == [r.id for r in amb.readings
                                                if r.id != amb.default and r.overrides]
            assert touched == code.touched[policy.ambiguities.index(amb)]
        inert += len(policy.ambiguities) - len(listed)
        worked += len(listed)
    # The bundled policies have both kinds, so both branches are exercised.
    assert inert > 0 and worked > 0


def test_an_ambiguity_no_reading_of_which_changes_anything_is_never_flagged(
        engine: Engine) -> None:
    inert = {f"ambiguity:{a.id}" for p in _versions(engine) for a in p.ambiguities
             if not _changes_something(a)}
    flagged = 0
    for case, as_of in varied_cases(300, seed=41):
        try:
            result = engine.evaluate(case, as_of=as_of)
        except CaseError:
            continue
        ids = {f.id for f in result.flags if f.id.startswith("ambiguity:")}
        assert not ids & inert
        flagged += bool(ids)
    assert flagged > 50

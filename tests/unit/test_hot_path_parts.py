"""The parts the lean path writes directly equal what they stand for (issue 24, round 2).

The lean form's record is written straight from the case (``record_dict``), the typed case
checks are generated as one function per object, a rule's facts are listed once, and a located
finding is built without ``dataclasses.replace``: each must say exactly what it did before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from redress import CaseError
from redress.evaluation.case import read_case
from redress.evaluation.case_types import SchemaNotSupported, _compiled_check, decode
from redress.evaluation.deadlines import Deadline, Flag, FlagReading
from redress.evaluation.evaluate import Engine
from redress.evaluation.record import case_record, record_dict
from redress.evaluation.result_types import TraceStep
from redress.findings import Finding, Severity, SourcePos
from redress.policy.conditions import used_facts
from redress.testing.reference.facts import flatten as reference_flatten
from redress.testing.varied import varied_cases


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def test_the_record_dict_is_the_case_record_as_a_dict(engine: Engine) -> None:
    compared = 0
    for case, as_of in varied_cases(400, seed=31):
        try:
            parsed, _doc, _warnings = read_case(case, engine.library.catalog, as_of)
        except CaseError:
            continue
        for recorded in (None, dt.date(2020, 1, 2)):
            assert record_dict(parsed, as_of, recorded) == \
                case_record(parsed, as_of, recorded).to_dict()
        compared += 1
    assert compared > 300


def _obj(**fields: object) -> object:
    return type("Obj", (), fields)()


def test_a_generated_check_tests_each_given_field_and_each_requirement() -> None:
    check = _compiled_check([("days", lambda v: v < 10)],
                            [("type", {"extension": ("new_date",)})])
    assert check(_obj(days=None, type="responded", new_date=None))
    assert check(_obj(days=3, type="extension", new_date="2025-01-01"))
    assert not check(_obj(days=12, type="responded", new_date=None))
    assert not check(_obj(days=3, type="extension", new_date=None))


def test_a_field_name_that_is_not_an_identifier_is_refused() -> None:
    with pytest.raises(SchemaNotSupported):
        _compiled_check([("a.b", lambda v: True)], [])


@pytest.mark.parametrize("date,accepted", [
    ("2025-03-03", True), ("2025-03-03T17:30", True), ("2025-03-03 17:30:05", True),
    ("2025-02-30", False), ("20250303", False), ("2025-03-03\n", False), ("2025-W10-1", False),
])
def test_an_event_date_is_a_real_date_or_a_date_and_time(date: str, accepted: bool) -> None:
    case = {"id": "C-1", "received": "2025-03-01", "nation": "england",
            "service": "adult_social_care",
            "events": [{"type": "acknowledged", "date": date}]}
    assert (decode(case) is not None) is accepted


def test_a_rule_lists_the_facts_it_reads_once_and_hands_out_a_fresh_list(engine: Engine) -> None:
    rule = engine.programs.decisions.program.rules[0]
    assert rule.facts_read == tuple(used_facts(rule.condition))
    first = rule.facts_used
    first.append("changed")
    assert rule.facts_used == list(rule.facts_read)


def test_a_located_finding_keeps_everything_but_its_place() -> None:
    finding = Finding("event-after-as-of", "late", ("events", 2, "date"), Severity.WARNING,
                      hint="a hint")
    located = finding.located("case.yaml", SourcePos(4, 7))
    assert located == Finding("event-after-as-of", "late", ("events", 2, "date"),
                              Severity.WARNING, "case.yaml", SourcePos(4, 7), "a hint")


def test_direct_firing_is_refused_when_a_condition_tests_a_key_no_fact_makes(
        engine: Engine) -> None:
    from redress.evaluation.compiled_facts import compile_direct
    from redress.policy.conditions import Leaf

    assert compile_direct(engine.library.catalog, [("r", Leaf("no_such_key", "eq", 1, "x"))]) \
        is None


def test_the_plain_backend_fires_each_program_straight_from_the_named_facts(
        engine: Engine) -> None:
    programs = engine.programs
    facts = {"nation": "england", "service": "adult_social_care"}
    fired = programs.fire(programs.routing, facts)
    assert programs.routing.direct is not None
    # The same rules as the plain backend fired on the flat facts (no flattener was compiled).
    flat = reference_flatten(facts, engine.library.catalog)
    assert fired == programs.backend(programs.routing).fire(flat)
    durable = Engine.load(backend="durable").programs
    assert durable.fire(durable.routing, facts) == fired
    assert durable.routing.direct is None


@pytest.mark.parametrize("cls", [Deadline, TraceStep, Flag, FlagReading, Finding])
def test_result_parts_made_in_one_step_can_be(cls: type) -> None:
    assert dataclasses.is_dataclass(cls) and not hasattr(cls, "__post_init__")
    assert "__slots__" not in cls.__dict__


def test_parts_made_in_one_step_equal_parts_made_by_their_class(engine: Engine) -> None:
    seen: set[type] = set()
    for case, as_of in varied_cases(200, seed=17):
        try:
            result = engine.evaluate(case, as_of=as_of)
        except CaseError:
            continue
        parts = [*result.deadlines, *result.trace, *result.flags,
                 *(r for f in result.flags for r in f.readings)]
        for part in parts:
            names = {f.name for f in dataclasses.fields(part)}
            assert set(vars(part)) == names  # every field set, nothing else
            again = type(part)(**{n: getattr(part, n) for n in names})
            assert again == part and repr(again) == repr(part)
            assert dataclasses.replace(part) == part
            seen.add(type(part))
    assert seen == {Deadline, TraceStep, Flag, FlagReading}

"""The typed case decoder agrees with the reading it replaced (jsonschema) on every case.

``case_types.decode`` (msgspec structs made from the schema) is the fast way in; a case it
refuses is read the long way, which words every problem with ``jsonschema``.  So it must never
accept a case the long way refuses (soundness), and it must accept every plain JSON case the
long way accepts (otherwise valid cases would all pay for the long way).  Checked on the varied
mix and on random mutations of it (wrong types, missing fields, impossible dates, unknown
values, non-JSON values), with fixed seeds.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable
from typing import Any

import pytest

from redress import CaseError
from redress.evaluation import case as case_module
from redress.evaluation import case_errors
from redress.evaluation.case import _typed
from redress.evaluation.case_errors import (
    case_validator,
    date_findings,
    event_count_findings,
    schema_findings,
)
from redress.evaluation.record_types import complaint_document
from redress.findings import SourcePos
from redress.policy.loader import Document, data_document
from redress.testing.generate import mutated
from redress.testing.varied import varied_cases

JUNK: list[Any] = [None, "", "x", -1, 0, 3.5, 2.0, True, [], {}, ["a"], {"a": 1}, "2025-02-30",
                   "2025-13-01", "2025-03-03T25:00", "2025-3-3", "9999-12-31", "stage9", "\u0174",
                   10**20, 10**18, 10**18 - 1, dt.date(2025, 1, 1), dt.datetime(2025, 1, 1, 9),
                   float("nan"), float("inf"), "2025-01-01 10:00", "2025-01-01T10",
                   "2025-01-01\n", "٢٠٢٥-٠١-٠١", ["other", "other"], 130, 131, 1000, 1001]


def _mutate(case: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    return mutated(case, rng, JUNK, (1, 2), ("extra", "note", "stage", "to", "body", "until",
                                             "age", "topics", "days"))


def _long_way_accepts(data: Any) -> bool:
    """jsonschema on the whole case (not ``schema_findings``, which asks the typed decoder which
    parts it may skip), then the real-date check."""
    doc, _findings = data_document(data, "<case>")
    if doc is None:
        return False
    doc = complaint_document(doc)
    return not (event_count_findings(doc.data) or any(case_validator().iter_errors(doc.data))
                or date_findings(doc.data))


def _plain_json(data: Any) -> bool:
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return bool(json.loads(text) == data)


@pytest.mark.parametrize("seed", range(4))
def test_the_typed_decoder_agrees_with_the_long_way(seed: int) -> None:
    rng = random.Random(seed)
    seen = {True: 0, False: 0}
    for case, _as_of in varied_cases(150, seed=40 + seed):
        for data in (case, _mutate(case, rng), _mutate(case, rng), _mutate(case, rng)):
            typed = _typed(data) is not None
            expected = _long_way_accepts(data)
            if typed:  # sound: never takes a case the long way refuses
                assert expected, data
            elif expected and _plain_json(data):  # complete on plain JSON
                raise AssertionError(f"valid JSON case refused by the typed decoder: {data}")
            seen[expected] += 1
    assert seen[True] > 150 and seen[False] > 150  # both kinds were really exercised


def test_a_whole_number_float_is_kept_as_given() -> None:
    case, _ = varied_cases(1, seed=3)[0]
    case = dict(case, complainant={"role": "parent", "age": 40.0})
    typed = _typed(case)
    assert typed is not None and typed.wire.complainant.age == 40.0
    assert isinstance(typed.wire.complainant.age, float)


def test_invalid_case_messages_still_come_from_jsonschema() -> None:
    case, _ = varied_cases(1, seed=3)[0]
    broken = dict(case, nation="mercia", received="2025-02-3")
    assert _typed(broken) is None
    messages = [f.message for f in schema_findings(broken)]
    assert messages == ["nation: 'mercia' is not one of: england, wales, scotland, "
                        "northern_ireland",
                        "received: '2025-02-3' is not a valid date (YYYY-MM-DD, optionally THH:MM)"]


def _whole_case_errors(data: Any) -> list[tuple[tuple[Any, ...], Any]]:
    return [(tuple(e.absolute_path), e) for e in case_validator().iter_errors(data)]


def _refused(cases: Iterable[Any]) -> list[Any]:
    """The plain copies of the cases the typed decoder refuses."""
    rejected = []
    for data in cases:
        doc, _findings = data_document(data, "<case>")
        if doc is not None and _typed(doc.data) is None:
            rejected.append(doc.data)
    return rejected


def _worded_both_ways(rejected: list[Any], monkeypatch: pytest.MonkeyPatch
                      ) -> tuple[list[Any], list[Any]]:
    """Each case's findings worded by validating only the refused members, then the whole case."""
    fast = [schema_findings(data) for data in rejected]
    monkeypatch.setattr(case_errors, "_errors", _whole_case_errors)
    return fast, [schema_findings(data) for data in rejected]


@pytest.mark.parametrize("seed", range(2))
def test_a_rejected_case_is_worded_as_jsonschema_on_the_whole_case_words_it(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """``schema_findings`` validates only the parts the typed decoder refuses; its findings
    are those of validating the whole case, message for message and in the same order."""
    rng = random.Random(100 + seed)
    rejected = _refused(data for case, _as_of in varied_cases(150, seed=60 + seed)
                        for data in (case, _mutate(case, rng), _mutate(case, rng)))
    fast, whole = _worded_both_ways(rejected, monkeypatch)
    assert len(rejected) > 100
    assert fast == whole


@pytest.mark.parametrize("seed", range(2))
def test_many_faults_in_one_case_are_worded_as_on_the_whole_case(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several faults at once, in the case and in one event: the members the typed decoder takes
    on their own are left out of jsonschema's validation, and the findings are still those of
    validating the whole case, message for message and in the same order."""
    rng = random.Random(200 + seed)
    rejected = _refused(
        mutated(case, rng, JUNK, (3, 8), ("extra", "note", "stage", "to", "days"))
        for case, _as_of in varied_cases(80, seed=80 + seed) for _ in range(3))
    fast, whole = _worded_both_ways(rejected, monkeypatch)
    assert sum(len(found) > 2 for found in whole) > 20  # several faults a case, really
    assert fast == whole


def test_only_the_members_the_typed_decoder_refuses_are_validated() -> None:
    case, _ = varied_cases(1, seed=3)[0]
    broken = dict(case, nation="mercia")
    validator = case_errors._validator("case", frozenset({"nation"}), ())
    assert validator.schema["properties"]["nation"] is not True
    assert all(node is True for key, node in validator.schema["properties"].items()
               if key != "nation")
    assert [e.message for e in case_errors._object_errors(broken, "case")] == \
        [e.message for e in validator.iter_errors(broken)] != []


@pytest.mark.parametrize("seed", range(2))
def test_the_plain_copy_is_the_one_data_document_makes(seed: int) -> None:
    """``read_case`` copies a refused case to plain JSON before wording it: the quick copy gives
    the document ``data_document`` gives, or the same findings."""
    rng = random.Random(300 + seed)
    junk = [*JUNK, (1, 2), {1: "a"}, object(), float("-inf"), -(10**18), 10**18 - 1]
    compared = {True: 0, False: 0}
    for case, _as_of in varied_cases(100, seed=90 + seed):
        for data in (case, _mutate(case, rng), mutated(case, rng, junk, (1, 3))):
            doc = Document("case.yaml", data, {("id",): SourcePos(2, 1)})
            expected, findings = data_document(data, doc.file, doc.positions)
            try:
                got = case_module._plain(doc)
            except CaseError as exc:
                assert expected is None and list(exc.findings) == findings
                compared[False] += 1
                continue
            assert expected is not None
            assert (got.file, got.positions) == (expected.file, expected.positions)
            assert json.dumps(got.data) == json.dumps(expected.data)  # same values, same order
            compared[True] += 1
    assert compared[True] > 100 and compared[False] > 10


def test_an_event_is_validated_for_its_refused_members_and_the_requirements_of_its_type() -> None:
    event = {"date": "2025-03-03", "type": "escalation_requested", "days": 0, "note": "n"}
    errors = list(case_errors._object_errors(event, "event"))
    assert sorted(e.validator for e in errors) == ["minimum", "required"]
    narrowed = case_errors._validator("event", frozenset({"days"}), (0,))
    assert [node is True for node in narrowed.schema["allOf"]] == [False, *[True] * 5]
    assert [e.message for e in narrowed.iter_errors(event)] == [e.message for e in errors]
    # A missing type passes every condition (jsonschema's ``if`` holds vacuously).
    assert not any(case_errors._fails_condition(part, {"date": "2025-03-03"})
                   for part in narrowed.schema["allOf"][:1])

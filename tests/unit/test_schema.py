"""The JSON Schemas and their findings in officers' words."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from redress.policy.loader import read_document
from redress.policy.schema import (
    PATTERN_MESSAGES,
    add_partial_defs,
    describe,
    load_schema,
    schema_findings,
)
from redress.resources import data_dir, schema_path

EDITED = ("policy", "rules", "facts")


def minimal_policy() -> dict[str, Any]:
    return {
        "id": "fixture-policy", "title": "A fixture", "kind": "procedure", "nation": "england",
        "calendar": "england-and-wales", "bodies": ["local_authority"],
        "services": ["council_corporate"], "sources": {"code": {"title": "Code", "short": "C"}},
        "stages": {"stage1": {
            "title": "Local resolution", "citation": {"source": "code", "provision": "1"},
            "deadlines": {"respond": {
                "period": {"working_days": 10}, "from": "received", "met_by": "responded",
                "citation": {"source": "code", "provision": "2"}}}}},
        "versions": [{"id": "v1", "effective_from": "2020-01-01", "summary": "First."}],
    }


def messages(data: Any, name: str = "policy") -> list[str]:
    return [f.message + (f" ({f.hint})" if f.hint else "") for f in schema_findings(data, name)]


def respond(policy: dict[str, Any]) -> dict[str, Any]:
    deadline: dict[str, Any] = policy["stages"]["stage1"]["deadlines"]["respond"]
    return deadline


# --- the schema files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", EDITED)
def test_each_schema_is_a_valid_draft_2020_12_schema_with_an_id(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # Relative, so it resolves beside wherever the file is fetched from (/schemas/ on the service).
    assert schema["$id"] == f"{name}.schema.json"


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{where}.{key}", value
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}[{i}]")


@pytest.mark.parametrize("name", EDITED)
def test_every_property_has_a_title_and_a_description_for_editor_hover(name: str) -> None:
    # Branches of if/then and allOf only refine a property declared (and described) elsewhere.
    refinements = ("/if", "/then", "/else", "/allOf")
    bare = [where for where, prop in _properties(load_schema(name))
            if isinstance(prop, dict) and prop and not ("title" in prop and "description" in prop)
            and not any(r in where for r in refinements)]
    assert bare == []


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


@pytest.mark.parametrize("name", EDITED)
def test_every_object_refuses_unknown_keys(name: str) -> None:
    open_objects = [sorted(o["properties"]) for o in _objects(load_schema(name))
                    if o.get("additionalProperties") is not False]
    assert open_objects == []


@pytest.mark.parametrize("name", EDITED)
def test_the_partial_definitions_are_generated_from_the_complete_ones(name: str) -> None:
    on_disk = json.loads(schema_path(name).read_text(encoding="utf-8"))
    complete_only = {**on_disk, "$defs": {k: v for k, v in on_disk.get("$defs", {}).items()
                                          if not k.startswith("partial-")}}
    assert add_partial_defs(complete_only) == on_disk, "run scripts/build-schemas"


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_every_pattern_in_the_schemas_has_an_officer_friendly_message() -> None:
    used = {p for name in EDITED for p in _patterns(load_schema(name))}
    assert used - set(PATTERN_MESSAGES) == set()


@pytest.mark.parametrize(("folder", "name"), [("policies", "policy"), ("rules", "rules")])
def test_the_bundled_files_match_their_schema(folder: str, name: str) -> None:
    for path in sorted(data_dir(folder).glob("*.yaml")):
        kind = "facts" if path.name == "facts.yaml" else name
        doc, problems = read_document(path)
        assert problems == [] and doc is not None
        assert schema_findings(doc.data, kind) == [], path.name


# --- messages -----------------------------------------------------------------------------


def test_a_complete_policy_has_no_findings() -> None:
    assert messages(minimal_policy()) == []


def test_an_unknown_key_names_where_it_is_and_suggests_the_nearest_key() -> None:
    policy = minimal_policy()
    deadlines = policy["stages"]["stage1"]["deadlines"]
    deadlines["respnd"] = deadlines.pop("respond")
    assert messages(policy) == [
        "unknown key 'respnd' in stage 'stage1' deadlines (did you mean 'respond'?)"]


def test_yes_is_not_true_or_false() -> None:
    rules = {"ruleset": "ombudsman", "description": "d", "rules": [{
        "id": "r", "description": "d", "when": {"fact": "withdrawn", "equals": True},
        "then": {"ombudsman": "LGSCO", "ready": "yes"}}]}
    assert messages(rules, "rules") == ["'yes' is not true or false"]


def test_a_date_that_does_not_exist_is_reported_as_not_real() -> None:
    policy = minimal_policy()
    policy["versions"][0]["effective_from"] = "2024-02-30"
    assert messages(policy) == ["2024-02-30 is not a real date"]


def test_a_version_may_start_at_a_given_time() -> None:
    policy = minimal_policy()
    policy["versions"][0]["effective_from"] = "2026-04-01T09:00"
    assert messages(policy) == []
    policy["versions"][0]["effective_from"] = "2026-04-01T25:00"
    assert messages(policy) == ["2026-04-01T25:00 is not a real date and time"]


@pytest.mark.parametrize("period", [{}, {"working_days": 10, "weeks": 2}])
def test_a_period_needs_exactly_one_unit(period: dict[str, int]) -> None:
    policy = minimal_policy()
    respond(policy)["period"] = period
    assert messages(policy)[0].startswith(
        "stage 'stage1' deadline 'respond' period needs exactly one of working_days, "
        "calendar_days, weeks, months, years")


def test_a_missing_citation_is_reported_where_it_belongs() -> None:
    policy = minimal_policy()
    del respond(policy)["citation"]
    found = schema_findings(policy, "policy")
    assert [(f.message, f.path) for f in found] == [
        ("missing 'citation' in stage 'stage1' deadline 'respond'",
         ("stages", "stage1", "deadlines", "respond"))]


def test_a_wrong_choice_lists_the_choices_and_suggests_the_nearest() -> None:
    policy = minimal_policy()
    policy["nation"] = "wale"
    assert messages(policy) == ["'wale' is not allowed for nation: expected england, wales, "
                                "scotland or northern_ireland (did you mean 'wales'?)"]


def test_every_problem_is_reported_not_just_the_first() -> None:
    policy = minimal_policy()
    policy["nation"] = "wale"
    policy["bodies"] = []
    del policy["title"]
    assert len(messages(policy)) == 3


def test_an_unquoted_time_is_reported_with_a_hint_to_quote_it() -> None:
    policy = minimal_policy()
    policy["receipt"] = {"after_hours_from": 1020}  # what YAML makes of 17:00 unquoted
    assert messages(policy) == ["1020 is not text (write times in quotes, e.g. \"17:00\")"]


def test_a_policy_that_extends_another_may_leave_out_what_it_inherits() -> None:
    local = {"id": "my-council", "kind": "local", "extends": "council-corporate",
             "stages": {"stage1": {"deadlines": {"respond": {"period": {"working_days": 15}}}},
                        "stage3": None}}
    assert messages(local) == []


def test_a_partial_policy_is_still_checked_for_unknown_keys_and_values() -> None:
    local = {"id": "my-council", "kind": "local", "extends": "council-corporate",
             "stages": {"stage1": {"deadlines": {"respond": {"from": "recieved"}}}}}
    assert messages(local) == ["'recieved' is not allowed for from: expected received, "
                               "notified, acknowledged, escalation_requested, statement_agreed, discussed, "
                               "resolved, panel_met, panel_report_received, responded or "
                               "response_received (did you mean 'received'?)"]


def test_a_local_policy_must_say_what_it_extends() -> None:
    policy = minimal_policy()
    policy["kind"] = "local"
    assert messages(policy) == ["missing 'extends' in the policy"]


def test_the_merged_result_must_be_complete() -> None:
    merged = {"id": "my-council", "kind": "local", "extends": "council-corporate"}
    found = schema_findings(merged, "policy", "policy")
    assert "missing 'stages' in the policy" in [f.message for f in found]


def test_a_version_cannot_change_the_policy_id() -> None:
    policy = minimal_policy()
    policy["versions"][0]["changes"] = {"id": "other"}
    assert messages(policy) == ["'id' cannot be set in version 'v1' changes"]


def test_a_rules_conclusion_depends_on_the_ruleset() -> None:
    rules = {"ruleset": "routing", "description": "d", "rules": [{
        "id": "r", "description": "d", "when": {"fact": "withdrawn", "equals": True},
        "then": {"entitlement": "advocacy"}}]}
    assert messages(rules, "rules") == [
        "unknown key 'entitlement' in rule 'r' then",
        "rule 'r' then needs exactly one of 'procedure' or 'no_procedure'"]


def test_a_test_needs_exactly_one_operator() -> None:
    rules = {"ruleset": "status", "description": "d", "rules": [{
        "id": "r", "description": "d", "when": {"fact": "nation", "equals": "x", "in": ["y"]},
        "then": {"status": "closed"}}]}
    assert messages(rules, "rules")[0].startswith("the test of 'nation' needs exactly one operator")


def test_a_number_fact_cannot_have_values() -> None:
    facts = {"facts": {"age": {"type": "number", "values": ["x"], "description": "d"}}}
    assert messages(facts, "facts") == [
        "'values' cannot be set in fact 'age' (only text and set facts have values)"]


def test_a_comma_inside_braces_gets_a_hint_about_quoting() -> None:
    rules = {"ruleset": "status", "description": "d", "rules": [{
        "id": "r", "description": "d", "when": {"fact": "withdrawn", "equals": True},
        "then": {"status": "closed", "next_step": "Write", "then apologise.": None}}]}
    assert messages(rules, "rules") == [
        "unknown key 'then apologise.' in rule 'r' then (inside {…} a comma ends the value: put "
        "text containing commas in quotes)"]


@pytest.mark.parametrize(("path", "words"), [
    ((), "the policy"),
    (("stages", "stage1", "deadlines"), "stage 'stage1' deadlines"),
    (("stages", "stage1", "deadlines", "respond", "period"),
     "stage 'stage1' deadline 'respond' period"),
    (("versions", 0, "changes", "stages", "stage2"), "version 'v1' changes stage 'stage2'"),
    (("bodies", 2), "bodies entry 3"),
])
def test_paths_are_described_in_officers_words(path: tuple[str | int, ...], words: str) -> None:
    assert describe(path, copy.deepcopy(minimal_policy())) == words


# --- notes ----------------------------------------------------------------------------------


def test_a_note_may_be_written_on_every_unit_a_reviewer_sees() -> None:
    policy = minimal_policy()
    note = "The regulation number was not verified."
    cite = {"source": "code", "provision": "3"}
    limit = {"period": {"months": 12}, "from": "aware", "late": "discretion", "citation": cite,
             "note": note}
    stage = policy["stages"]["stage1"]
    stage["note"] = note
    respond(policy)["note"] = note
    stage["next"] = {"stage": "stage2", "window": {"period": {"working_days": 20},
                                                   "from": "responded", "citation": cite,
                                                   "note": note}}
    policy["stages"]["stage2"] = {"title": "Review", "citation": cite, "note": note}
    policy["time_limit"] = {**limit, "from": "occurred"}
    policy["exclusions"] = {"x": {"title": "X", "reason": "r", "citation": cite, "note": note}}
    policy["deferrals"] = {"d": {"title": "D", "proceedings": ["court"], "effect": "may_defer",
                                 "reason": "r", "citation": cite, "note": note}}
    policy["entitlements"] = {"advocacy": {"title": "A", "description": "d", "citation": cite,
                                           "note": note}}
    policy["ombudsman"] = {"body": "LGSCO", "title": "LGSCO", "time_limit": limit,
                           "citation": cite, "note": note,
                           "other_routes": {"PHSO": {"title": "PHSO", "time_limit": limit,
                                                     "citation": cite, "note": note}}}
    assert messages(policy) == []


def test_a_note_is_text() -> None:
    policy = minimal_policy()
    respond(policy)["note"] = 12
    assert messages(policy) == ["12 is not text (put it in quotes to make it text)"]

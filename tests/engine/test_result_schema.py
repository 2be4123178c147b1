"""Result.to_dict() always matches schemas/result.schema.json (the contract for calling systems)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from redress import CaseError, Engine
from redress.resources import schema_path
from redress.testing.generate import as_of_for, random_cases


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(schema_path("result").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(closed(schema), format_checker=FormatChecker())


def closed(node: Any) -> Any:
    """The schema with every object closed: the published schema lets clients meet members a
    later version adds, but Redress itself must never write a member the schema does not list."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: closed(value) for key, value in node.items()}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def test_five_hundred_varied_results_match_the_result_schema(validator: Draft202012Validator) -> None:
    engine = Engine.load()
    checked = 0
    for case in random_cases(500, seed=3):
        try:
            data: Any = engine.evaluate(case, as_of=as_of_for(case)).to_dict()
        except CaseError:
            continue
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, f"{case['id']}: {errors[0].message} at {list(errors[0].path)}"
        checked += 1
    assert checked > 400

"""The exact search behind never-true, routing-overlap and routing-gap."""

from __future__ import annotations

from typing import Any

import pytest

from redress.policy.checks._solver import example, satisfiable, satisfy
from redress.policy.conditions import parse_condition
from redress.policy.facts_catalog import FactCatalog, FactSpec

CATALOG = FactCatalog({
    "nation": FactSpec("nation", "text", "", ("england", "wales")),
    "procedure": FactSpec("procedure", "text", ""),
    "age": FactSpec("age", "number", ""),
    "received": FactSpec("received", "date", ""),
    "kinds": FactSpec("kinds", "set", "", ("council", "nhs")),
    "resolved": FactSpec("resolved", "boolean", ""),
})


def can_be_true(when: dict[str, Any]) -> bool:
    cond, problems = parse_condition(when, CATALOG)
    assert problems == []
    return satisfiable(cond, CATALOG)


@pytest.mark.parametrize(("when", "possible"), [
    ({"all": [{"fact": "nation", "equals": "england"}, {"fact": "nation", "equals": "wales"}]},
     False),
    ({"all": [{"fact": "nation", "not_equals": "england"},
              {"fact": "nation", "not_equals": "wales"}]}, True),  # the default, ""
    ({"all": [{"fact": "age", "gt": 10}, {"fact": "age", "lt": 5}]}, False),
    ({"all": [{"fact": "age", "gt": 10}, {"fact": "age", "lt": 11}]}, True),  # 10.5
    ({"all": [{"fact": "received", "gt": "2025-01-01"}, {"fact": "received", "lt": "2025-01-02"}]},
     False),  # whole days
    ({"all": [{"fact": "age", "gte": 5}, {"fact": "age", "lte": 5},
              {"fact": "age", "not_equals": 5}]}, False),
    ({"all": [{"fact": "kinds", "contains": "council"},
              {"fact": "kinds", "contains_none": ["council"]}]}, False),
    ({"all": [{"fact": "resolved", "equals": True}, {"not": {"fact": "resolved", "equals": True}}]},
     False),
    ({"any": [{"all": [{"fact": "resolved", "equals": True},
                       {"fact": "resolved", "equals": False}]},
              {"fact": "nation", "equals": "wales"}]}, True),
    ({"all": [{"fact": "procedure", "equals": "x"}, {"fact": "procedure", "not_equals": "y"}]},
     True),
    ({"all": [{"fact": "procedure", "equals": "x"}, {"fact": "procedure", "not_equals": "x"}]},
     False),
])
def test_a_condition_is_possible_exactly_when_some_case_satisfies_it(
        when: dict[str, Any], possible: bool) -> None:
    assert can_be_true(when) is possible


def test_an_example_case_names_the_values_that_matter() -> None:
    cond, _ = parse_condition({"all": [{"fact": "nation", "equals": "wales"},
                                       {"fact": "kinds", "contains": "nhs"}]}, CATALOG)
    found = satisfy(cond, CATALOG)
    assert found is not None
    assert example(found, CATALOG) == ["kinds including nhs", "nation wales"]

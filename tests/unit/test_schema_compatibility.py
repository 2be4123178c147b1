"""The schemas follow the compatibility rule (CHANGELOG.md, "Versions and compatibility").

Output schemas (result, record, report, service) never forbid unknown members, because a later
minor version may add one and clients must ignore it; the case schema is closed, because a
misspelt field silently ignored would give a wrong deadline.  Both say so in their description.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from redress.policy.schema import load_schema

OUTPUTS = ("result", "record", "report", "service")


def object_schemas(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from object_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from object_schemas(item, f"{path}/{index}")


@pytest.mark.parametrize("name", OUTPUTS)
def test_an_output_schema_never_forbids_unknown_members(name: str) -> None:
    schema = load_schema(name)
    closed = [path for path, node in object_schemas(schema)
              if node.get("additionalProperties") is False
              or node.get("unevaluatedProperties") is False]
    assert closed == []
    assert "must ignore members they do not know" in schema["description"]


def test_the_case_schema_is_closed_and_says_why() -> None:
    schema = load_schema("case")
    # Conditions (if/then) only constrain; every object a case may hold is closed.
    shapes = [(path, node) for path, node in object_schemas(schema) if "/if" not in path]
    assert shapes and all(node.get("additionalProperties") is False for _, node in shapes)
    assert "an unknown field is an error" in schema["description"]


@pytest.mark.parametrize("name", ["case", "result", "record", "report", "service", "policy"])
def test_every_schema_id_is_relative_to_where_it_is_served(name: str) -> None:
    assert load_schema(name)["$id"] == f"{name}.schema.json"

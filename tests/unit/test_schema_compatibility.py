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
from redress.serve.components import components, values_at

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


# -- enumerations in the OpenAPI document -------------------------------------------------------

TESTS = ("if", "not", "contains", "propertyNames")  # subschemas that test, not describe, a value


def enumerations(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema listing string values (``enum`` or ``const``), outside tests and data."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list) or isinstance(node.get("const"), str):
            yield path, node
        for key, value in node.items():
            if key not in TESTS and key not in ("enum", "const", "example", "examples"):
                yield from enumerations(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from enumerations(item, f"{path}/{index}")


def referenced(schemas: dict[str, Any], name: str, seen: set[str] | None = None) -> set[str]:
    """The components a component uses, itself included."""
    seen = set() if seen is None else seen
    if name not in seen:
        seen.add(name)
        for ref in values_at(schemas[name], "$ref"):
            referenced(schemas, str(ref).rsplit("/", 1)[-1], seen)
    return seen


def test_every_output_enumeration_is_open_in_the_openapi_document() -> None:
    """A client generated from this version must read a status, deadline kind, flag, Ombudsman
    or error kind that a later 1.x adds (the contract rule): each output enumeration is its
    known values (a component of their own) or any other string."""
    schemas = components()
    inputs = referenced(schemas, "ComplaintCase")
    known = {name for name, schema in schemas.items() if "enum" in schema}
    closed = [f"{name}{path}" for name, schema in schemas.items()
              if name not in inputs | known for path, _ in enumerations(schema)]
    assert closed == []
    opened = [choices for name, schema in schemas.items() if name not in inputs
              for choices in values_at(schema, "anyOf")
              if {"type": "string"} in choices]
    assert len(opened) >= 20
    for choices in opened:
        target = choices[0]["$ref"].rsplit("/", 1)[-1]
        assert target in known and schemas[target]["type"] == "string"
    # Every value an output schema file lists is still there, in a component of known values.
    listed = {tuple(v for v in node.get("enum", [node.get("const")]) if v is not None)
              for name in ("result", "record", "service")
              for _, node in enumerations(load_schema(name))}
    assert listed <= {tuple(schemas[name]["enum"]) for name in known}


def test_input_enumerations_stay_closed_in_the_openapi_document() -> None:
    """An unknown value in a case is refused: a misread field could give a wrong deadline."""
    schemas = components()
    events = schemas["CaseEvent"]["properties"]
    assert "anyOf" not in events["type"] and "responded" in events["type"]["enum"]
    assert not [choices for name in referenced(schemas, "ComplaintCase")
                for choices in values_at(schemas[name], "anyOf")
                if {"type": "string"} in choices]

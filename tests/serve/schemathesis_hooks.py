"""Schemathesis hooks for Redress: JSON Lines bodies (``application/x-ndjson``).

The OpenAPI document gives a JSON Lines body's schema as the array of the values on its lines;
these write such an array as lines and read an answer's lines back into an array, so the batch
operation is generated and checked like the others.  Load with
``SCHEMATHESIS_HOOKS=schemathesis_hooks`` (tests/serve on the Python path).
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
import yaml

JSONL = "application/x-ndjson"


@schemathesis.serializer(JSONL)
def ndjson_lines(ctx: Any, value: Any) -> bytes:
    values = value if isinstance(value, list) else [value]
    return "".join(json.dumps(v) + "\n" for v in values).encode("utf-8")


@schemathesis.deserializer(JSONL)
def ndjson_values(ctx: Any, response: Any) -> list[Any]:
    return [json.loads(line) for line in response.content.splitlines() if line.strip()]


@schemathesis.serializer("application/yaml")
def yaml_text(ctx: Any, value: Any) -> bytes:
    """A YAML body given as a string is the document's text (the lint and case bodies)."""
    if isinstance(value, str):
        return value.encode("utf-8")
    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8")

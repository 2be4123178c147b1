"""The durable-rules adapter reads a fired rule's name from the action message without decoding
the fact; it must give what decoding gives, escapes included."""

from __future__ import annotations

import json

import pytest

from redress.evaluation.backends import durable_available

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules not installed")


@pytest.mark.parametrize("message", [
    {"r35": {"m": {"nation": "england", "note": "a \"quoted\" value"}}},
    {"$sentinel": {"m": {"kind": "case"}}},
    {"r0": {"m": {}}},
    {"a\"b": {"m": {}}},       # a name that needs an escape takes the slow way
    {"caf\u00e9": {"m": {}}},
])
def test_action_name_equals_decoding(message: dict[str, object]) -> None:
    from redress.evaluation.backends.durable import _action_name

    for text in (json.dumps(message, ensure_ascii=False), json.dumps(message),
                 json.dumps(message, separators=(",", ":"))):
        assert _action_name(text) == next(iter(json.loads(text)))

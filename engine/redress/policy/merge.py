"""The one merge used by ``extends``, by ``versions[].changes`` and by ambiguity readings.

Mappings merge key by key, recursively; lists and plain values replace; ``None`` (YAML ``null``)
removes an inherited key.  Inputs are never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``overlay`` merged over ``base`` (a new dict; key order: base's, then overlay's new keys)."""
    merged: dict[str, Any] = dict(base)
    for key, value in overlay.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged

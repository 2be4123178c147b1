"""How a fact a rule read is shown in the result's trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from redress.policy.facts_catalog import FactCatalog


def shown(values: Mapping[str, Any], name: str, catalog: FactCatalog) -> Any:
    """The value of fact ``name`` as JSON: its default when not given, dates as ISO text and
    sets sorted."""
    value = values.get(name)
    spec = catalog.get(name)
    if spec is not None and value is None:
        value = spec.empty_value()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return sorted(value)
    return value


__all__ = ["shown"]

"""The catalogue of named case facts that rule conditions may test (``rules/facts.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from redress.frozen_dataclass import frozen_dataclass
from redress.policy.loader import load_document
from redress.resources import data_dir

FactType = Literal["text", "number", "boolean", "date", "set"]
FACT_TYPES: tuple[FactType, ...] = ("text", "number", "boolean", "date", "set")


@frozen_dataclass
class FactSpec:
    """One named fact: its type, allowed values (text and set facts) and default, and how the
    reviewer pages word a test of it (``reviewer`` by kind of test, ``value_words`` by value)."""

    name: str
    type: FactType
    description: str
    values: tuple[str, ...] = ()
    default: Any = None
    reviewer: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    value_words: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def key(self) -> str:
        """The flat key the rule backends see (no dots: durable-rules reads dots as nesting)."""
        return flat_key(self.name)

    @cached_property
    def member_keys(self) -> tuple[tuple[str, str], ...]:
        """For a set fact: (allowed value, its boolean's flat key), in catalogue order."""
        return tuple((v, flat_key(self.name, v)) for v in self.values)

    def empty_value(self) -> Any:
        """The value the fact takes when the case does not give it."""
        if self.default is not None:
            return self.default
        return {"text": "", "number": 0, "boolean": False, "date": 0, "set": ()}[self.type]


def flat_key(name: str, member: str | None = None) -> str:
    key = name.replace(".", "__")
    return f"{key}__{member}" if member is not None else key


@frozen_dataclass
class FactCatalog:
    facts: Mapping[str, FactSpec]

    def get(self, name: str) -> FactSpec | None:
        return self.facts.get(name)

    def names(self) -> list[str]:
        return list(self.facts)


def catalog_from_data(data: Mapping[str, Any]) -> FactCatalog:
    """Build the catalogue from the parsed ``facts.yaml`` (already schema-valid)."""
    facts = {
        name: FactSpec(
            name=name,
            type=spec["type"],
            description=spec.get("description", ""),
            values=tuple(spec.get("values", ())),
            default=spec.get("default"),
            reviewer=dict(spec.get("reviewer") or {}),
            value_words=dict(spec.get("value_words") or {}),
        )
        for name, spec in data.get("facts", {}).items()
    }
    return FactCatalog(facts)


def load_catalog(path: Path | None = None) -> FactCatalog:
    """Load ``rules/facts.yaml`` (the bundled one unless a path is given)."""
    doc = load_document(path or data_dir("rules") / "facts.yaml")
    return catalog_from_data(doc.data)

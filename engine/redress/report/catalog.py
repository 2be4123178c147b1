"""What a report needs to know of each procedure beyond its results: how many stages it has, what
each stage is called, and when each version of its rules was in force.

Built from the policy library (``Engine.library``, or the bundled policies for the command line).
A procedure the library does not know (results of a local policy given without ``--policies``)
falls back to its family's entry, then to what its results say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from redress.policy.library import Library


@dataclass(frozen=True)
class VersionFacts:
    id: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    summary: str | None = None

    def label(self) -> str:
        """``rules in force from 1 April 2009 to 31 March 2026 (version pre-code)``."""
        span = (f"from {_day(self.effective_from)} to {_day(self.effective_to)}"
                if self.effective_to else f"from {_day(self.effective_from)}")
        return f"rules in force {span} (version {self.id})"


@dataclass(frozen=True)
class ProcedureFacts:
    id: str
    stages: Mapping[str, str] = field(default_factory=dict)   # stage id -> title
    versions: Mapping[str, VersionFacts] = field(default_factory=dict)

    @property
    def stage_count(self) -> int | None:
        return len(self.stages) or None

    def version(self, version_id: str | None, effective_from: str | None) -> VersionFacts:
        known = self.versions.get(str(version_id))
        if known is not None:
            return known
        start = dt.date.fromisoformat(effective_from) if effective_from else None
        return VersionFacts(str(version_id or "unknown"), start, None)


@dataclass(frozen=True)
class Catalog:
    procedures: Mapping[str, ProcedureFacts] = field(default_factory=dict)
    families: Mapping[str, str] = field(default_factory=dict)

    def get(self, procedure: str, family: str | None = None) -> ProcedureFacts:
        found = self.procedures.get(procedure)
        if found is None and family:
            found = self.procedures.get(family)
        return found or ProcedureFacts(procedure)


def catalog_of(library: Library | None) -> Catalog:
    if library is None:
        return Catalog()
    procedures = {}
    for pid, entry in library.policies.items():
        versions = {}
        stages: dict[str, str] = {}
        for version_entry, data in entry.versions:
            facts = _version(version_entry)
            versions[facts.id] = facts
            for stage_id, stage in (data.get("stages") or {}).items():
                stages.setdefault(str(stage_id), str((stage or {}).get("title") or ""))
        procedures[pid] = ProcedureFacts(pid, dict(sorted(stages.items())), versions)
    return Catalog(procedures, {pid: e.family for pid, e in library.policies.items()})


def _version(entry: Mapping[str, Any]) -> VersionFacts:
    return VersionFacts(str(entry.get("id")), _date(entry.get("effective_from")),
                        _date(entry.get("effective_to")), entry.get("summary"))


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "the start"


__all__ = ["Catalog", "ProcedureFacts", "VersionFacts", "catalog_of"]

"""What-if: what a changed set of policies would do to a caseload.

Every case is evaluated twice, as of the same date: under the current policies (the bundled
ones plus any ``--policies``) and under the *changed set*, which is the same set with each file
of the changed folder replacing the current file of the same name (``council-corporate.yaml``
replaces the bundled ``council-corporate.yaml``); files with new names are added.  A case is
*changed* when its procedure, stage, status, entitlements or any deadline (its due date or its
state, or a deadline that appears or disappears) differ, or when it evaluates under one set and
is an error under the other.  The report counts the cases per kind of change and keeps a few
examples of each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redress.caseload.parse import parse_raw
from redress.caseload.sources import RawRecord
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import (
    INTERNAL_KINDS,
    InputRef,
    evaluate_record,
    internal_error,
    one_line,
)
from redress.policy.policyset import bundled_files, discover

KINDS = ("procedure", "stage", "status", "entitlements", "deadlines", "error")


@dataclass(frozen=True)
class Change:
    """One difference: its kind, what changed (a deadline's ``stage1.respond``), before, after."""

    kind: str
    what: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "what": self.what, "before": self.before, "after": self.after}

    def render(self) -> str:
        return f"{self.what}: {_show(self.before)} → {_show(self.after)}"


@dataclass(frozen=True)
class Comparison:
    """One case under both sets."""

    input: InputRef
    case_id: str | None
    changes: tuple[Change, ...]
    error: str | None   # the error kind when the case is an error under both sets


def changed_set(changed: str | Path, policies: Sequence[str] = ()) -> list[Path]:
    """The files of the changed set (see the module docstring)."""
    new, _missing = discover([changed], include_bundled=False)
    names = {p.name for p in new}
    local, _ = discover(list(policies), include_bundled=False)
    keep = [p for p in [*bundled_files(), *local] if p.name not in names]
    return [*keep, *new]


def replaced_files(changed: str | Path, policies: Sequence[str] = ()) -> list[str]:
    """The names of current files the changed folder replaces (for the report's heading)."""
    new, _ = discover([changed], include_bundled=False)
    local, _ = discover(list(policies), include_bundled=False)
    current = {p.name for p in [*bundled_files(), *local]}
    return sorted(p.name for p in new if p.name in current)


@dataclass(frozen=True)
class WhatIfSpec:
    """How each process builds the two engines (picklable)."""

    as_of: dt.date
    changed: str
    policies: tuple[str, ...] = ()
    backend: str = "auto"

    def engines(self) -> tuple[Engine, Engine]:
        before = Engine.load(self.policies, backend=self.backend)
        after = Engine.load(changed_set(self.changed, self.policies), backend=self.backend,
                            include_bundled=False)
        return before, after

    def build(self) -> Callable[[RawRecord], Comparison]:
        return WhatIfTask(*self.engines(), self.as_of)


class WhatIfTask:
    def __init__(self, before: Engine, after: Engine, as_of: dt.date) -> None:
        self.before = before
        self.after = after
        self.as_of = as_of

    def __call__(self, raw: RawRecord) -> Comparison:
        try:
            parsed = parse_raw(raw)
            old = evaluate_record(self.before, parsed, self.as_of).to_dict()
            new = evaluate_record(self.after, parsed, self.as_of).to_dict()
        except Exception as exc:  # a bug is reported as an error, never a crash
            old = new = internal_error(raw.ref, None, exc).to_dict()
        return compare(raw.ref, old, new)


def crashed(raw: RawRecord, why: str) -> Comparison:
    return Comparison(raw.ref, None, (), "worker_crash")


def compare(ref: InputRef, old: Mapping[str, Any], new: Mapping[str, Any]) -> Comparison:
    """The differences between one case's records under the current and the changed set."""
    case_id = old.get("case_id") or new.get("case_id")
    if "error" in old or "error" in new:
        if "error" in old and "error" in new:
            return Comparison(ref, case_id, (), str(old["error"]["kind"]))
        return Comparison(ref, case_id, (Change("error", "evaluation", _outcome(old),
                                                _outcome(new)),), None)
    changes: list[Change] = []
    for kind, key in (("procedure", "procedure"), ("stage", "stage"), ("status", "status")):
        a, b = _value(old, key), _value(new, key)
        if a != b:
            changes.append(Change(kind, kind, a, b))
    ents_a = sorted(e["id"] for e in old.get("entitlements") or ())
    ents_b = sorted(e["id"] for e in new.get("entitlements") or ())
    if ents_a != ents_b:
        changes.append(Change("entitlements", "entitlements", ents_a, ents_b))
    dl_a, dl_b = _deadlines(old), _deadlines(new)
    for what in sorted(set(dl_a) | set(dl_b)):
        if dl_a.get(what) != dl_b.get(what):
            changes.append(Change("deadlines", what, dl_a.get(what), dl_b.get(what)))
    return Comparison(ref, case_id, tuple(changes), None)


def _value(record: Mapping[str, Any], key: str) -> Any:
    value = record.get(key)
    if key == "procedure" and isinstance(value, Mapping):
        return f"{value.get('id')} {value.get('version')}"
    return value


def _deadlines(record: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    every = list(record.get("deadlines") or ())
    omb = ((record.get("routing") or {}).get("ombudsman") or {}).get("time_limit")
    if omb and not any(d.get("stage") == omb.get("stage") and d.get("kind") == omb.get("kind")
                       for d in every):
        every.append(omb)
    for d in every:
        found[f"{d['stage']}.{d['kind']}"] = f"{d['due']} ({d['state']})"
    return found


def _outcome(record: Mapping[str, Any]) -> str:
    if "error" in record:
        return f"error: {record['error']['kind']}"
    return f"evaluated: {record.get('status')}"


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


@dataclass
class WhatIfReport:
    """Counts per kind of change and a few examples of each."""

    examples_per_kind: int = 3
    records: int = 0
    compared: int = 0
    errors: int = 0
    internal_errors: int = 0
    changed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_deadline: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, comparison: Comparison) -> None:
        self.records += 1
        if comparison.error is not None:
            self.errors += 1
            self.internal_errors += comparison.error in INTERNAL_KINDS
            return
        self.compared += 1
        if not comparison.changes:
            return
        self.changed += 1
        for kind in dict.fromkeys(c.kind for c in comparison.changes):
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
            shown = self.examples.setdefault(kind, [])
            if len(shown) < self.examples_per_kind:
                shown.append({"case_id": comparison.case_id, "input": comparison.input.to_dict(),
                              "changes": [c.to_dict() for c in comparison.changes
                                          if c.kind == kind]})
        for what in dict.fromkeys(c.what for c in comparison.changes if c.kind == "deadlines"):
            self.by_deadline[what] = self.by_deadline.get(what, 0) + 1

    def to_dict(self, heading: Mapping[str, Any]) -> dict[str, Any]:
        return {**heading, "records": self.records, "compared": self.compared,
                "errors": self.errors, "changed": self.changed,
                "changes": {kind: {"cases": self.by_kind[kind],
                                   "examples": self.examples.get(kind, [])}
                            for kind in KINDS if kind in self.by_kind},
                "deadlines": dict(sorted(self.by_deadline.items()))}

    def render(self, heading: str) -> str:
        out = [heading,
               f"{self.records} records: {self.compared} compared, {self.errors} errors under "
               f"both sets; {self.changed} cases change"]
        if not self.changed:
            out.append("No case changes.")
            return "\n".join(out)
        out.append("")
        out.append("Cases changed, by kind of change:")
        width = max(len(k) for k in self.by_kind)
        for kind in KINDS:
            if kind in self.by_kind:
                out.append(f"  {kind:<{width}}  {self.by_kind[kind]:>7}")
                if kind == "deadlines":
                    for what, count in sorted(self.by_deadline.items()):
                        out.append(f"  {'':<{width}}    {count:>7}  {what}")
        out.append("")
        out.append("Examples:")
        for kind in KINDS:
            for example in self.examples.get(kind, []):
                where = example["input"]
                place = where["source"] + (f":{where['line']}" if where["line"] else "")
                details = "; ".join(Change(**c).render() for c in example["changes"])
                who = one_line(str(example["case_id"] or "(no id)"), 80)
                out.append(f"  [{kind}] {who} ({one_line(place, 120)}): {one_line(details)}")
        return "\n".join(out)


__all__ = ["KINDS", "Change", "Comparison", "WhatIfReport", "WhatIfSpec", "changed_set",
           "compare", "crashed", "replaced_files"]

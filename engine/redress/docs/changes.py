"""What changed between two merged policy dicts, in plain English.

Used for consecutive effective-dated versions, for a local policy against the policy it extends,
and for what an ambiguity's other reading would change.  The two dicts are compared key by key
(mappings recursively, lists and plain values whole); every difference is then attributed to a
*unit* a reader recognises — a deadline, a window, a stage, the time limit, an entitlement … —
and each unit gets one sentence::

    Stage 1 response: 15 working days → 10 working days after the stage 1 acknowledgement;
    citation Typical council practice stage 1 response → LGSCO Code 6.3.

A difference no unit claims is still reported, by its YAML path, so nothing is silently lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from redress.docs import words
from redress.policy.model import build_citation

Path = tuple[str, ...]
IGNORED = ("id", "kind", "extends", "versions", "$schema")
CLOCK_KEYS = ("period", "from", "counting", "tail", "calendar")
_MISSING = object()


@dataclass(frozen=True)
class Change:
    path: Path
    old: Any
    new: Any


def differences(old: Any, new: Any, path: Path = ()) -> Iterator[Change]:
    """Every leaf where ``old`` and ``new`` differ; a missing side is ``None``."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in [*new, *(k for k in old if k not in new)]:
            yield from differences(old.get(key), new.get(key), (*path, str(key)))
    elif old != new:
        yield Change(path, old, new)


# Fields whose change alters no date, entitlement or route: the source cited and the wording.
EDITORIAL = ("citation", "note", "title", "description", "summary", "why_default", "reason")


def is_editorial(change: Change) -> bool:
    """Whether a change only re-cites or rewords (a reviewer reads these after the rest)."""
    return any(part in EDITORIAL for part in change.path)


def describe_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """One plain-English sentence per changed unit: first the units with a change of substance
    (a timescale, an anchor event, a value), then those only re-cited or reworded; each in the
    order of the newer policy, and within a sentence the substance before the citation."""
    groups: dict[tuple[str, ...], list[Change]] = {}
    for change in differences(old, new):
        if change.path[0] in IGNORED:
            continue
        groups.setdefault(_unit(change.path), []).append(change)
    sides = _Sides(old, new)
    ordered = sorted(groups.items(), key=lambda item: all(is_editorial(c) for c in item[1]))
    return [_describe(unit, sorted(changes, key=is_editorial), sides)
            for unit, changes in ordered]


# -- which unit a path belongs to -----------------------------------------------------------


def _unit(path: Path) -> tuple[str, ...]:
    head = path[0]
    if head == "stages" and len(path) >= 4 and path[2] == "deadlines":
        return path[:4]
    if head == "stages" and len(path) >= 4 and path[2:4] == ("next", "window"):
        return path[:4]
    if head == "stages":
        return path[:2]
    if head == "ombudsman" and len(path) >= 3 and path[1] == "other_routes":
        return path[:3]
    if head in ("entitlements", "exclusions", "deferrals", "ambiguities", "sources",
                "partnership") and len(path) >= 2:
        return path[:2]
    return (head,)


@dataclass(frozen=True)
class _Sides:
    old: Mapping[str, Any]
    new: Mapping[str, Any]

    def at(self, side: str, path: Sequence[str]) -> Any:
        value: Any = self.old if side == "old" else self.new
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        return value

    def either(self, path: Sequence[str]) -> Any:
        found = self.at("new", path)
        return found if found is not None else self.at("old", path)

    def sources(self, side: str) -> Mapping[str, Any]:
        return self.at(side, ("sources",)) or {}

    def stage_number(self, stage_id: str) -> int:
        stages = list(self.new.get("stages") or {}) or list(self.old.get("stages") or {})
        return stages.index(stage_id) + 1 if stage_id in stages else 0


# -- sentences ---------------------------------------------------------------------------------


def _describe(unit: tuple[str, ...], changes: list[Change], sides: _Sides) -> str:
    name, describe = _describer(unit, sides)
    whole = next((c for c in changes if c.path == unit), None)
    if whole is not None and (isinstance(whole.old, Mapping) or isinstance(whole.new, Mapping)) \
            and (whole.old is None or whole.new is None):
        return f"{name}: {'added' if whole.old is None else 'removed'}."
    return f"{name}: {'; '.join(describe(unit, changes, sides))}."


Describer = Callable[[tuple[str, ...], list[Change], _Sides], list[str]]


def _describer(unit: tuple[str, ...], sides: _Sides) -> tuple[str, Describer]:
    head = unit[0]
    if head == "stages" and len(unit) == 4 and unit[2] == "deadlines":
        number = sides.stage_number(unit[1])
        title = sides.either((*unit, "title")) or (
            f"Stage {number} {words.DEADLINE_KINDS.get(unit[3], unit[3]).lower()}")
        return str(title), _clock_unit("received")
    if head == "stages" and len(unit) == 4:
        number = sides.stage_number(unit[1])
        title = sides.either((*unit, "title")) or f"Window to ask for stage {number + 1}"
        return str(title), _clock_unit("responded")
    if head == "stages":
        number = sides.stage_number(unit[1])
        return f"Stage {number}" if number else f"Stage {unit[1]}", _fields
    if head in ("time_limit",):
        return "Time limit for complaining", _clock_unit("occurred")
    if head == "ombudsman" and len(unit) == 3:
        return f"Ombudsman route ({unit[2]})", _route
    if head == "ombudsman":
        return "Ombudsman route", _route
    if len(unit) == 2 and head != "partnership":
        kind = {"entitlements": "Entitlement", "exclusions": "Exclusion", "deferrals": "Deferral",
                "ambiguities": "Ambiguity", "sources": "Source"}[head]
        title = sides.either((*unit, "title")) or unit[1]
        return f"{kind} “{title}”", _fields
    if head == "partnership" and len(unit) == 2:
        return f"Partnership: {_PARTNERSHIP_NAMES.get(unit[1], words.plain(unit[1]))}", _fields
    return _TOP_NAMES.get(head, words.plain(head).capitalize()), _fields


_TOP_NAMES = {
    "title": "Title", "summary": "Summary", "nation": "Nation", "calendar": "Working-day calendar",
    "closures": "Local closure days", "bodies": "Bodies covered", "services": "Services covered",
    "organisations": "Organisations", "receipt": "Receipt", "eligibility": "Who may complain",
    "citation": "Legal basis", "partnership": "Partnership",
}
_VALUE_NAMES: dict[str, Mapping[str, str]] = {
    "calendar": words.CALENDARS, "nation": words.NATIONS, "non_working_day": {
        "as_received": "received that day", "next_working_day": "received the next working day"},
}
_PARTNERSHIP_NAMES = {"consent_to_share": "consent to share information",
                      "duty_to_cooperate": "duty to co-operate", "citation": "legal basis"}


def _clock_unit(default_anchor: str) -> Describer:
    def describe(unit: tuple[str, ...], changes: list[Change], sides: _Sides) -> list[str]:
        parts = []
        if any(c.path[len(unit)] in CLOCK_KEYS for c in changes if len(c.path) > len(unit)):
            parts.append(_clock_change(unit, sides, default_anchor))
        rest = [c for c in changes if len(c.path) > len(unit) and c.path[len(unit)] not in CLOCK_KEYS]
        parts.extend(_fields(unit, rest, sides))
        return parts
    return describe


def _clock(raw: Mapping[str, Any] | None, default_anchor: str, number: int,
           titles: Mapping[str, str]) -> tuple[str, str]:
    """(period, "after …") of a raw deadline, window or time limit."""
    raw = raw or {}
    anchor = raw.get("from", default_anchor)
    period = words.period_text(raw.get("period"))
    if not raw.get("period") and (raw.get("extension") or {}).get("agreed_period"):
        return ("a longer period agreed with the complainant",
                f"counted from {words.anchor_text(anchor, titles, number or None)}")
    clock = words.clock_text(raw.get("period"), anchor, str(raw.get("counting", "after")),
                             titles, number or None)
    tail = ", or as soon as reasonably practicable" if raw.get("tail") else ""
    calendar = f" ({words.CALENDARS.get(raw['calendar'], raw['calendar'])} calendar)" \
        if raw.get("calendar") else ""
    return period, f"{clock.removeprefix(period).strip()}{tail}{calendar}"


def _clock_change(unit: tuple[str, ...], sides: _Sides, default_anchor: str) -> str:
    number = sides.stage_number(unit[1]) if unit[0] == "stages" else 0
    titles = {k: str(v.get("title", k)) for k, v in
              (sides.either(("stages", unit[1], "deadlines")) or {}).items()} if number else {}
    old_period, old_rest = _clock(sides.at("old", unit), default_anchor, number, titles)
    new_period, new_rest = _clock(sides.at("new", unit), default_anchor, number, titles)
    if old_rest == new_rest:
        return f"{old_period} → {new_period} {new_rest}"
    return f"{old_period} {old_rest} → {new_period} {new_rest}"


def _route(unit: tuple[str, ...], changes: list[Change], sides: _Sides) -> list[str]:
    limit = (*unit, "time_limit")
    parts = []
    if any(c.path[:len(limit)] == limit for c in changes):
        old_period, old_rest = _clock(sides.at("old", limit), "aware", 0, {})
        new_period, new_rest = _clock(sides.at("new", limit), "aware", 0, {})
        parts.append(f"time limit {old_period} {old_rest} → {new_period} {new_rest}")
    parts.extend(_fields(unit, [c for c in changes if c.path[:len(limit)] != limit
                                and c.path[len(unit):len(unit) + 1] != ("other_routes",)], sides))
    return parts


def _fields(unit: tuple[str, ...], changes: list[Change], sides: _Sides) -> list[str]:
    """One phrase per changed field of a unit: citations, lists, text and values."""
    parts: list[str] = []
    done: set[Path] = set()
    for change in changes:
        field = _field_path(change.path, unit)
        if field in done:
            continue
        done.add(field)
        parts.append(_field(field, unit, sides))
    return parts


def _field_path(path: Path, unit: tuple[str, ...]) -> Path:
    """The field of ``unit`` a change belongs to; a citation is one field, not three."""
    if "citation" in path:
        return path[:path.index("citation") + 1]
    return path[:len(unit) + 1] if len(path) > len(unit) else path


def _field(field: Path, unit: tuple[str, ...], sides: _Sides) -> str:
    old, new = sides.at("old", field), sides.at("new", field)
    name = words.plain(field[-1]) if field != unit else ""
    label = f"{name} " if name else ""
    if field[-1] == "citation":
        return f"{label}{_cite(old, sides.sources('old'))} → {_cite(new, sides.sources('new'))}"
    names = _VALUE_NAMES.get(field[-1])
    if names and isinstance(old, str) and isinstance(new, str):
        return f"{label}{names.get(old, old)} → {names.get(new, new)}"
    if isinstance(old, list) or isinstance(new, list):
        return f"{label}{_list_change(old or [], new or [])}".strip()
    if old is None:
        return f"{label}added ({_value(new)})"
    if new is None:
        return f"{label}removed (was {_value(old)})"
    if isinstance(old, str) and isinstance(new, str) and (len(old) > 80 or len(new) > 80):
        return f"{label}reworded, now “{_short(new)}”"
    return f"{label}{_value(old)} → {_value(new)}"


def _cite(raw: Any, sources: Mapping[str, Any]) -> str:
    if not isinstance(raw, Mapping):
        return "none"
    return build_citation(raw, sources).text or "none"


def _list_change(old: Sequence[Any], new: Sequence[Any]) -> str:
    added = [_value(v) for v in new if v not in old]
    removed = [_value(v) for v in old if v not in new]
    parts = ([f"added {', '.join(added)}"] if added else []) + (
        [f"removed {', '.join(removed)}"] if removed else [])
    return "; ".join(parts) or "reordered"


def _value(value: Any) -> str:
    if isinstance(value, Mapping):
        if "date" in value and "name" in value:
            return f"{value['date']} ({value['name']})"
        shown = value.get("title") or value.get("id") or value.get("description")
        if not shown and "period" in value and isinstance(value.get("from"), str):
            # an outer limit or or-later limb: a clock, not its keys
            return words.clock_text(value["period"], value["from"],
                                    str(value.get("counting", "after")))
        if shown:
            return f"“{_short(str(shown))}”"
        if value and all(isinstance(v, Mapping) for v in value.values()):
            # a mapping of items by id (an ambiguity's readings): the items, not their ids
            return ", ".join(_value(v) for v in value.values())
        return ", ".join(f"{words.plain(str(k))}: {_value(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and " " not in value:
        return value.replace("_", " ")
    return f"“{_short(str(value))}”" if isinstance(value, str) else str(value)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"

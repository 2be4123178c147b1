"""Where a local policy departs from the law or the Code it extends.

Bundled policies mark each statutory or Code provision with its ``nature`` (next to its
``citation``):

* a body's deadline: ``legal_maximum`` or ``code_requirement`` (or ``recommendation``);
* a complainant's window or time limit: ``legal_minimum`` or ``code_requirement`` (or
  ``recommendation``);
* a stage or an entitlement: ``legal_requirement`` or ``code_requirement`` (or
  ``recommendation``).

:func:`departures` compares a local policy's merged text with the text it extends, one version
at a time: a deadline made longer or removed, a window or time limit made shorter, a stage or an
entitlement removed.  Departing from a recommendation is a local choice and is not reported.  A
departure the local policy explains with ``departs_from: {provision, reason}`` (on the element, or
in the top-level ``departs_from`` list for what it removes) carries that reason; lint reports the
others, the docs page shows the explained ones to reviewers.

Periods in different units are compared at 7 calendar days to 5 working days, 7 days a week,
365.25/12 days a month; only the period is compared, not a changed anchor or counting rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from redress.findings import Path
from redress.policy.model import PERIOD_UNITS, Period, build_citation, build_period

# The natures a bundled provision may have, by what it governs.
DEADLINE_NATURES = ("legal_maximum", "code_requirement", "recommendation")
WINDOW_NATURES = ("legal_minimum", "code_requirement", "recommendation")
REQUIREMENT_NATURES = ("legal_requirement", "code_requirement", "recommendation")
NATURE_WORDS = {"legal_maximum": "a legal maximum", "legal_minimum": "a legal minimum",
                "legal_requirement": "a legal requirement",
                "code_requirement": "a Code requirement", "recommendation": "a recommendation"}
REPORTED = ("legal_maximum", "legal_minimum", "legal_requirement", "code_requirement")
_DAYS = {"working_days": 7 / 5, "calendar_days": 1.0, "weeks": 7.0, "months": 365.25 / 12,
         "years": 365.25}

Role = Literal["deadline", "window", "requirement"]
Change = Literal["longer", "shorter", "removed"]


@dataclass(frozen=True)
class Departure:
    """One change a local policy makes to a statutory or Code provision it extends."""

    path: Path            # of the element in the merged policy
    what: str             # "stage 'stage1' deadline 'respond'"
    change: Change        # longer, shorter or removed
    provision: str        # "LGSCO Code 6.3"
    nature: str           # one of REPORTED
    now: str | None       # "15 working days" (None when removed)
    was: str | None       # "10 working days"
    reason: str | None = None         # the recorded ``departs_from`` reason, if any
    recorded_at: Path | None = None   # where that ``departs_from`` is written

    @property
    def statutory(self) -> bool:
        return self.nature.startswith("legal_")

    @property
    def summary(self) -> str:
        """What the local policy does: ``15 working days instead of 10`` or ``removed``."""
        return "removed" if self.change == "removed" else f"{self.now} instead of {self.was}"

    def sentence(self) -> str:
        """``stage 'stage1' deadline 'respond' is 15 working days, longer than the 10 working
        days LGSCO Code 6.3 allows (a Code requirement)``."""
        nature = NATURE_WORDS[self.nature]
        if self.change == "longer":
            return (f"{self.what} is {self.now}, longer than the {self.was} {self.provision} "
                    f"allows ({nature})")
        if self.change == "shorter":
            return (f"{self.what} is {self.now}, shorter than the {self.was} {self.provision} "
                    f"gives the complainant ({nature})")
        return f"{self.what} is removed, but {self.provision} requires it ({nature})"


@dataclass(frozen=True)
class Element:
    """A provision-bearing part of a policy: where it is, what to call it, what it governs."""

    path: Path
    label: str
    role: Role


def elements(data: Mapping[str, Any]) -> Iterator[Element]:
    """Every time limit, stage, deadline, window and entitlement of a merged policy."""
    if isinstance(data.get("time_limit"), Mapping):
        yield Element(("time_limit",), "the time limit for complaining", "window")
    for stage_id, stage in _mapping(data.get("stages")).items():
        yield Element(("stages", stage_id), f"stage '{stage_id}'", "requirement")
        for kind in _mapping(_mapping(stage).get("deadlines")):
            yield Element(("stages", stage_id, "deadlines", kind),
                          f"stage '{stage_id}' deadline '{kind}'", "deadline")
        if isinstance(_mapping(_mapping(stage).get("next")).get("window"), Mapping):
            yield Element(("stages", stage_id, "next", "window"),
                          f"the window to ask for the stage after '{stage_id}'", "window")
    for ent_id in _mapping(data.get("entitlements")):
        yield Element(("entitlements", ent_id), f"entitlement '{ent_id}'", "requirement")


def departures(local: Mapping[str, Any], extended: Mapping[str, Any]) -> list[Departure]:
    """What ``local`` (a merged local policy) changes of the provisions of ``extended`` (the
    merged policy it extends, the same version) that are law or Code requirements."""
    recorded = recorded_departures(local)
    out: list[Departure] = []
    for element in elements(extended):
        before = _at(extended, element.path)
        nature = before.get("nature")
        if nature not in REPORTED or _within_removed(element.path, out):
            continue
        after = _at(local, element.path) if _present(local, element.path) else None
        change = _change(element.role, before, after)
        if change is None:
            continue
        provision = provision_text(before, extended)
        reason, where = _reason(local, element.path, provision, before, extended, recorded)
        now, was = (_period(after), _period(before)) if after is not None else (None, None)
        out.append(Departure(element.path, element.label, change, provision, str(nature),
                             now.describe() if now else None, was.describe() if was else None,
                             reason, where))
    return out


def _within_removed(path: Path, found: list[Departure]) -> bool:
    """Whether ``path`` lies inside an element already found removed (a removed stage's
    deadlines are part of that one departure)."""
    return any(d.change == "removed" and path[:len(d.path)] == d.path for d in found)


def element_title(data: Mapping[str, Any], path: Path) -> str:
    """The element's own title in plain words (``Stage 1 response``), for reviewers."""
    title = _at(data, path).get("title")
    if isinstance(title, str) and title.strip():
        return title
    return "Time limit for complaining" if path == ("time_limit",) else "Ask for the next stage"


def provision_text(element: Mapping[str, Any], policy: Mapping[str, Any]) -> str:
    """``LGSCO Code 6.3``: the short name of the element's source and its provision."""
    return build_citation(_mapping(element.get("citation")), _mapping(policy.get("sources"))).text


def recorded_departures(data: Mapping[str, Any]) -> list[tuple[Path, Mapping[str, Any]]]:
    """Every ``departs_from`` a merged policy records: ``(path of the departs_from, entry)``,
    the top-level list's entries first, then those written on an element."""
    top = data.get("departs_from")
    entries: list[tuple[Path, Mapping[str, Any]]] = []
    if isinstance(top, Mapping):
        entries.append((("departs_from",), top))
    elif isinstance(top, list):
        entries.extend((("departs_from", i), e) for i, e in enumerate(top) if isinstance(e, Mapping))
    for element in elements(data):
        here = _at(data, element.path).get("departs_from")
        if isinstance(here, Mapping):
            entries.append(((*element.path, "departs_from"), here))
    return entries


def names_provision(written: Any, provision: str, element: Mapping[str, Any],
                    policy: Mapping[str, Any]) -> bool:
    """Whether a ``departs_from.provision`` names ``provision``: its short form (``LGSCO Code
    6.3``), the instrument's full title with the provision, or the bare provision (``6.3``)."""
    citation = build_citation(_mapping(element.get("citation")), _mapping(policy.get("sources")))
    wanted = {_norm(provision), _norm(citation.provision),
              _norm(f"{citation.instrument} {citation.provision}")}
    return isinstance(written, str) and _norm(written) in wanted


def _reason(local: Mapping[str, Any], path: Path, provision: str, before: Mapping[str, Any],
            extended: Mapping[str, Any],
            recorded: list[tuple[Path, Mapping[str, Any]]]) -> tuple[str | None, Path | None]:
    own = (*path, "departs_from")
    for where, entry in recorded:
        on_element = where == own
        if on_element or (where[0] == "departs_from" and names_provision(
                entry.get("provision"), provision, before, extended)):
            reason = entry.get("reason")
            return (" ".join(str(reason).split()) or None) if reason else None, where
    return None, None


def _change(role: Role, before: Mapping[str, Any],
            after: Mapping[str, Any] | None) -> Change | None:
    """How ``after`` departs from ``before``, or ``None``: a window may be removed (the
    complainant then has no limit at all), a deadline may not."""
    if after is None:
        return None if role == "window" else "removed"
    old, new = _period(before), _period(after)
    if role == "requirement" or old is None or new is None:
        return None
    sign = _compare(new, old)
    if role == "deadline" and sign > 0:
        return "longer"
    if role == "window" and sign < 0:
        return "shorter"
    return None


def _period(element: Mapping[str, Any] | None) -> Period | None:
    raw = _mapping(_mapping(element).get("period"))
    units = [u for u in PERIOD_UNITS if isinstance(raw.get(u), int)]
    return build_period({units[0]: raw[units[0]]}) if len(units) == 1 else None


def _compare(new: Period, old: Period) -> int:
    if new.unit == old.unit:
        return (new.amount > old.amount) - (new.amount < old.amount)
    a, b = new.amount * _DAYS[new.unit], old.amount * _DAYS[old.unit]
    return (a > b) - (a < b)


def _present(data: Mapping[str, Any], path: Path) -> bool:
    node: Any = data
    for part in path:
        if not isinstance(node, Mapping) or part not in node or node[part] is None:
            return False
        node = node[part]
    return isinstance(node, Mapping)


def _at(data: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    node: Any = data
    for part in path:
        node = _mapping(node).get(str(part)) if isinstance(part, str) else None
    return _mapping(node)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2013", "-").replace("\u2014", "-")).strip().casefold()


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


__all__ = ["DEADLINE_NATURES", "NATURE_WORDS", "REPORTED", "REQUIREMENT_NATURES",
           "WINDOW_NATURES", "Change", "Departure", "Element", "departures", "element_title", "elements",
           "names_provision", "provision_text", "recorded_departures"]

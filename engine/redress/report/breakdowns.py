"""Council-wide breakdowns of the complaints received in the period: by service, department and
team (the case's organisational ``unit``), topic, channel and complainant; advocacy offered and
taken up (Children Act 1989 s26A); and the learning and actions recorded on cases, by service.

Each breakdown row counts the complaints received in the period, how many were decided and
upheld in full or in part (the final decision), and the share of their responses sent in the
period that were on time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from redress.report.figures import (
    Period,
    Record,
    in_time_share,
    procedure_id,
    record_of,
    responses_in,
)

UNSTATED = "unstated"
Keys = Callable[[Record], Iterable[str]]


def _unit(r: Record, part: str) -> str | None:
    unit = record_of(r).get("unit")
    value = unit.get(part) if isinstance(unit, Mapping) else None
    return str(value) if value else None


def _team(r: Record) -> list[str]:
    team = _unit(r, "team")
    if team is None:
        return [UNSTATED]
    department = _unit(r, "department")
    return [f"{department} / {team}" if department else team]


KEYS: Mapping[str, Keys] = {
    "service": lambda r: [str(record_of(r).get("service") or UNSTATED)],
    "department": lambda r: [_unit(r, "department") or UNSTATED],
    "team": _team,
    "topic": lambda r: [str(t) for t in record_of(r).get("topics") or ()] or [UNSTATED],
    "channel": lambda r: [str(record_of(r).get("channel") or UNSTATED)],
    "complainant": lambda r: [str(record_of(r).get("complainant_role") or UNSTATED)],
}


def breakdowns(started: Sequence[Record], period: Period) -> dict[str, Any]:
    return {name: _rows(started, keys, period) for name, keys in KEYS.items()}


def _rows(started: Sequence[Record], keys: Keys, period: Period) -> dict[str, Any]:
    groups: dict[str, list[Record]] = {}
    for r in started:
        for key in dict.fromkeys(keys(r)):
            groups.setdefault(key, []).append(r)
    return {key: _row(rows, period) for key, rows in sorted(groups.items())}


def _row(rows: Sequence[Record], period: Period) -> dict[str, Any]:
    outcomes = [record_of(r).get("outcome") for r in rows]
    return {"received": len(rows), "decided": sum(1 for o in outcomes if o),
            "upheld": sum(1 for o in outcomes if o in ("upheld", "partly_upheld")),
            "on_time": in_time_share(responses_in(rows, period))}


def advocacy(started: Sequence[Record]) -> dict[str, Any]:
    """Complaints whose complainant was entitled to advocacy (the s26A entitlement in the
    result), and those recorded as offered it and as taking it up, by procedure."""
    def part(rows: Sequence[Record]) -> dict[str, int]:
        recorded = [record_of(r).get("advocacy") or {} for r in rows]
        return {"entitled": sum(1 for r in rows if _entitled(r)),
                "offered": sum(1 for a in recorded if a.get("offered")),
                "taken_up": sum(1 for a in recorded if a.get("taken_up"))}

    chosen = [r for r in started if _entitled(r) or record_of(r).get("advocacy")]
    procedures = sorted({procedure_id(r) or "" for r in chosen})
    return {**part(chosen),
            "by_procedure": {p: part([r for r in chosen if (procedure_id(r) or "") == p])
                             for p in procedures}}


def _entitled(r: Record) -> bool:
    return any(isinstance(e, Mapping) and e.get("id") == "advocacy"
               for e in r.get("entitlements") or ())


def learning(started: Sequence[Record]) -> dict[str, Any]:
    """The learning and actions recorded on complaints received in the period."""
    items: list[dict[str, Any]] = []
    for r in started:
        rec = record_of(r)
        text, actions = rec.get("learning"), list(rec.get("actions") or ())
        if text or actions:
            items.append({"case_id": r.get("case_id"), "procedure": procedure_id(r),
                          "service": rec.get("service"), "department": _unit(r, "department"),
                          "team": _unit(r, "team"), "learning": text or None,
                          "actions": [str(a) for a in actions]})
    services = sorted({str(i["service"] or UNSTATED) for i in items})
    return {"cases": len(items), "actions": sum(len(i["actions"]) for i in items),
            "by_service": {s: {"cases": sum(1 for i in items if str(i["service"] or UNSTATED) == s),
                               "actions": sum(len(i["actions"]) for i in items
                                              if str(i["service"] or UNSTATED) == s)}
                           for s in services},
            "items": items}


__all__ = ["KEYS", "UNSTATED", "advocacy", "breakdowns", "learning"]

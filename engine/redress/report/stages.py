"""One procedure's stage figures: received, responded, outcomes at the stage, timeliness of each of
the body's own deadlines (labelled with the version of the rules each case was handled under),
the complainant's windows under their own name, working days and extensions.

Acknowledgements are counted for stages received in the period; every other deadline for stages
responded to in the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from redress.report.catalog import ProcedureFacts
from redress.report.figures import (
    EXTENDED,
    LATE,
    ON_TIME,
    PENDING,
    Period,
    Record,
    deadline_kinds,
    had_extension,
    mean,
    median,
    percentile,
    stage_record,
    timeliness,
)

STATES = (ON_TIME, EXTENDED, LATE, PENDING)
DECISIONS = ("upheld", "partly_upheld", "not_upheld")
OPENING_KINDS = frozenset({"acknowledge", "discuss"})


def opened_in(rows: Sequence[Record], stage: str, period: Period) -> list[Record]:
    return [r for r in rows if period.holds((stage_record(r, stage) or {}).get("opened"))]


def responded_in(rows: Sequence[Record], stage: str, period: Period) -> list[Record]:
    return [r for r in rows if period.holds((stage_record(r, stage) or {}).get("responded"))]


def stage_figures(stage: str, rows: Sequence[Record], period: Period,
                  facts: ProcedureFacts) -> dict[str, Any]:
    opened, responded = opened_in(rows, stage, period), responded_in(rows, stage, period)
    days = [int(s["working_days"]) for r in responded
            if (s := stage_record(r, stage)) and s.get("working_days") is not None]
    return {
        "stage": stage, "title": facts.stages.get(stage) or None,
        "received": len(opened), "responded": len(responded),
        "outcomes": {k: sum(1 for r in responded
                            if (stage_record(r, stage) or {}).get("outcome") == k)
                     for k in DECISIONS},
        "timeliness": timeliness_table(opened, responded, stage),
        "complainant_windows": _windows(responded, stage),
        "versions": _versions(opened, responded, stage, facts),
        "working_days": {"responses": len(days), "median": median(days),
                         "p90": percentile(days, 90), "mean": mean(days)},
        "extensions": sum(1 for r in responded if had_extension(r, stage)),
        "escalated_to_next": sum(1 for r in opened if stage_record(r, _next(stage))),
    }


def _next(stage: str) -> str:
    return f"stage{int(stage[-1]) + 1}"


def tally(rows: Sequence[Record], stage: str, kind: str) -> dict[str, int]:
    found = Counter(timeliness(r, stage, kind) for r in rows)
    return {k: found.get(k, 0) for k in STATES}


def timeliness_table(opened: Sequence[Record], responded: Sequence[Record],
                     stage: str) -> dict[str, dict[str, int]]:
    """Per body deadline kind: on time, within an extension, late, not yet due."""
    out = {}
    for kind in sorted({k for r in [*opened, *responded] for k in deadline_kinds(r, stage)}):
        counted = opened if kind in OPENING_KINDS else responded
        if any(kind in deadline_kinds(r, stage) for r in counted):
            out[kind] = tally(counted, stage, kind)
    return out


def _windows(responded: Sequence[Record], stage: str) -> dict[str, dict[str, int]]:
    kinds = sorted({k for r in responded for k in deadline_kinds(r, stage, complainants=True)})
    return {kind: tally(responded, stage, kind) for kind in kinds}


def version_of(r: Record) -> tuple[str, str | None]:
    proc = r.get("procedure") or {}
    return str(proc.get("version") or "unknown"), proc.get("effective_from")


def _versions(opened: Sequence[Record], responded: Sequence[Record], stage: str,
              facts: ProcedureFacts) -> list[dict[str, Any]]:
    """The stage's timeliness split by the version of the rules each case was received under."""
    keys = sorted({version_of(r) for r in [*opened, *responded]}, key=lambda k: str(k[1]))
    out = []
    for key in keys:
        version = facts.version(*key)
        mine_opened = [r for r in opened if version_of(r) == key]
        mine = [r for r in responded if version_of(r) == key]
        out.append({"version": version.id, "label": version.label(),
                    "effective_from": _iso(version.effective_from),
                    "effective_to": _iso(version.effective_to),
                    "received": len(mine_opened), "responded": len(mine),
                    "timeliness": timeliness_table(mine_opened, mine, stage)})
    return out


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def in_time(counts: dict[str, int]) -> tuple[int, int]:
    """(on time or within an extension, decided) of one deadline kind's tally."""
    met = counts.get(ON_TIME, 0) + counts.get(EXTENDED, 0)
    return met, met + counts.get(LATE, 0)


__all__ = ["DECISIONS", "STATES", "in_time", "opened_in", "responded_in", "stage_figures",
           "tally", "timeliness_table", "version_of"]

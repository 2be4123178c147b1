"""Counting over result records: pure functions of plain result dictionaries.

A *result record* is ``Result.to_dict()`` (optionally with the batch's ``input`` member).  Every
count here reads only the published result contract (``schemas/result.schema.json``), so a report
can be made from the JSON Lines output of ``redress batch`` as well as from ``Engine.evaluate``.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Record = Mapping[str, Any]
STAGES = ("stage1", "stage2", "stage3")
OVERDUE_STATUSES = frozenset({"acknowledgement_overdue", "response_overdue"})
ON_TIME, EXTENDED, LATE, PENDING = "on_time", "within_extension", "late", "pending"
# Time limits that are the complainant's to meet, not the body's: never in timeliness.
COMPLAINANT_KINDS = frozenset({"request_next_stage", "complaint_time_limit",
                               "ombudsman_time_limit", "ombudsman_premature_until"})
# The deadline a stage's response is measured against (stage 3 of the children's procedure
# ends with the authority's final response to the panel).
RESPONSE_KINDS = ("respond", "final_response")


@dataclass(frozen=True)
class Period:
    """The reporting period, both ends inclusive; an open end takes everything."""

    start: dt.date | None = None
    end: dt.date | None = None

    def holds(self, day: str | dt.date | None) -> bool:
        if day is None:
            return False
        when = dt.date.fromisoformat(day) if isinstance(day, str) else day
        return (self.start is None or when >= self.start) and (self.end is None or when <= self.end)


def year_before(period: Period) -> Period:
    """The same dates a year earlier (29 February becomes 28 February)."""
    def back(day: dt.date | None) -> dt.date | None:
        if day is None:
            return None
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return Period(back(period.start), back(period.end))


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else None


# -- one record ---------------------------------------------------------------------------------


def record_of(result: Record) -> Mapping[str, Any]:
    """The result's ``record`` member (empty for results made before it existed)."""
    value = result.get("record")
    return value if isinstance(value, Mapping) else {}


def kind_of(result: Record) -> str:
    return str(record_of(result).get("kind") or "complaint")


def is_complaint(result: Record) -> bool:
    rec = record_of(result)
    return kind_of(result) == "complaint" or bool(rec.get("became_complaint"))


def complaint_start(result: Record) -> dt.date | None:
    """When the complaint clock started: stage 1's opening (a representation's conversion)."""
    rec = record_of(result)
    return _date(rec.get("became_complaint")) or _date(rec.get("recorded")) or _stage_opened(
        result, "stage1")


def recorded(result: Record) -> dt.date | None:
    return _date(record_of(result).get("recorded"))


def _stage_opened(result: Record, stage: str) -> dt.date | None:
    found = stage_record(result, stage)
    return _date(found.get("opened")) if found else None


def stage_record(result: Record, stage: str) -> Mapping[str, Any] | None:
    for item in record_of(result).get("stages") or ():
        if item.get("stage") == stage:
            return item  # type: ignore[no-any-return]
    return None


def procedure_id(result: Record) -> str | None:
    proc = result.get("procedure")
    return str(proc["id"]) if isinstance(proc, Mapping) else None


def timeliness(result: Record, stage: str, kind: str = "respond") -> str | None:
    """How a stage's clock of ``kind`` ended: on time, within an extension, late, or pending.

    An extension deadline is the base kind with ``_extended``; when the base deadline gave way to
    it, the extended one decides.
    """
    deadlines = {d["kind"]: d for d in result.get("deadlines") or () if d.get("stage") == stage}
    base = deadlines.get(kind)
    if base is None:
        return None
    extended = deadlines.get(f"{kind}_extended")
    if base["state"] == "met":
        return ON_TIME
    if base["state"] == "missed":
        return LATE
    if extended is not None and extended["state"] == "met":
        return EXTENDED
    if extended is not None and extended["state"] == "missed":
        return LATE
    return PENDING


def responses_in(rows: Sequence[Record], period: Period) -> list[tuple[Record, str]]:
    """(record, stage) of every stage response sent in the period."""
    return [(r, s) for r in rows for s in STAGES
            if period.holds((stage_record(r, s) or {}).get("responded"))]


def response_timeliness(responses: Sequence[tuple[Record, str]]) -> Counter[str | None]:
    """How each response ended against its response deadline (stage 3: the final response)."""
    return Counter(timeliness(r, s, response_kind(r, s) or "respond") for r, s in responses)


def in_time_share(responses: Sequence[tuple[Record, str]]) -> dict[str, Any]:
    """The share of responses on time or within an extension, of those decided."""
    found = response_timeliness(responses)
    met = found.get(ON_TIME, 0) + found.get(EXTENDED, 0)
    return share(met, met + found.get(LATE, 0))


def deadline_kinds(result: Record, stage: str, complainants: bool = False) -> list[str]:
    """The kinds of deadline a stage has in a result: the body's own, or (``complainants``)
    the complainant's windows, never both."""
    return [str(d["kind"]) for d in result.get("deadlines") or ()
            if d.get("stage") == stage and not str(d["kind"]).endswith("_extended")
            and (str(d["kind"]) in COMPLAINANT_KINDS) == complainants]


def response_kind(result: Record, stage: str) -> str | None:
    kinds = deadline_kinds(result, stage)
    return next((k for k in RESPONSE_KINDS if k in kinds), None)


def had_extension(result: Record, stage: str) -> bool:
    """Whether the stage's response time was extended: an extension event, or a base deadline
    that gave way to its extended one (e.g. a longer period agreed under SI 2009/309 reg 14)."""
    if int((stage_record(result, stage) or {}).get("extensions") or 0) > 0:
        return True
    return any(d.get("stage") == stage and d.get("state") == "not_applicable"
               and "extended" in (d.get("flags") or ())
               and not str(d.get("kind")).endswith("_extended")
               for d in result.get("deadlines") or ())


# -- small statistics -----------------------------------------------------------------------------


def share(numerator: int, denominator: int) -> dict[str, Any]:
    return {"numerator": numerator, "denominator": denominator,
            "share": round(numerator / denominator, 4) if denominator else None}


def percentile(values: Sequence[int], p: float) -> int | None:
    """The nearest-rank percentile (the smallest value with at least p% at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)), 1) - 1]


def median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def mean(values: Sequence[int]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def day_of(value: Any) -> dt.date | None:
    """A date from an ISO date (or date-time) text, else None."""
    return _date(value)


def counts(values: Iterable[Any]) -> dict[str, int]:
    return dict(sorted(Counter(str(v) for v in values).items()))


__all__ = [
    "COMPLAINANT_KINDS",
    "EXTENDED",
    "LATE",
    "ON_TIME",
    "OVERDUE_STATUSES",
    "PENDING",
    "RESPONSE_KINDS",
    "STAGES",
    "Period",
    "Record",
    "complaint_start",
    "counts",
    "day_of",
    "deadline_kinds",
    "had_extension",
    "in_time_share",
    "is_complaint",
    "kind_of",
    "mean",
    "median",
    "percentile",
    "procedure_id",
    "record_of",
    "recorded",
    "response_kind",
    "response_timeliness",
    "responses_in",
    "share",
    "stage_record",
    "timeliness",
    "year_before",
]

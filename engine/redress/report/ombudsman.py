"""The Ombudsman's view of the body, and the remedies it made, each in the period it belongs to.

* a **referral** counts in the period it was made, a **decision** in the period it was decided
  (a decision in June 2025 on a 2024 complaint is a 2025-26 figure);
* the **upheld rate** is the share of decisions after an investigation (upheld, partly upheld,
  upheld with the remedy already provided by the body, not upheld) that upheld the complaint;
* **recommendations** count in the period of the decision that made them, and **compliance**
  with them in the period they fell due;
* remedies the body agreed itself count with their complaint, in the period it was received.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from redress.report.figures import Period, Record, counts, procedure_id, record_of, share

REMEDY_STATES = ("completed_on_time", "completed_late", "outstanding", "overdue")
DECISIONS = ("upheld", "partly_upheld", "upheld_remedy_provided", "not_upheld",
             "not_investigated", "premature", "withdrawn")
UPHELD = frozenset({"upheld", "partly_upheld", "upheld_remedy_provided"})
INVESTIGATED = UPHELD | {"not_upheld"}


def omb(r: Record) -> Mapping[str, Any] | None:
    value = record_of(r).get("ombudsman")
    return value if isinstance(value, Mapping) else None


def decided_in(rows: Sequence[Record], period: Period) -> list[Record]:
    return [r for r in rows if (o := omb(r)) and o.get("decision")
            and period.holds(o.get("decided"))]


def recommendations(rows: Sequence[Record]) -> list[Mapping[str, Any]]:
    return [m for r in rows for m in record_of(r).get("remedies") or ()
            if m.get("source") == "ombudsman"]


def recommendations_due(rows: Sequence[Record], period: Period) -> list[Mapping[str, Any]]:
    """Recommendations due in the period (without a due date: decided in the period)."""
    due = [m for m in recommendations(rows) if m.get("due") and period.holds(m.get("due"))]
    undated = [m for r in decided_in(rows, period) for m in recommendations([r])
               if not m.get("due")]
    return [*due, *undated]


def local_remedies(started: Sequence[Record]) -> list[Mapping[str, Any]]:
    return [m for r in started for m in record_of(r).get("remedies") or ()
            if m.get("source") != "ombudsman"]


def remedies(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Remedies by state, kind and source, with the payments made."""
    def part(chosen: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        found = Counter(str(m.get("state")) for m in chosen)
        return {"total": len(chosen), **{s: found.get(s, 0) for s in REMEDY_STATES}}

    return {
        **part(items),
        "payments_total": round(sum(float(m.get("amount") or 0) for m in items), 2),
        "by_kind": {kind: part([m for m in items if m.get("kind") == kind])
                    for kind in sorted({str(m.get("kind")) for m in items})},
        "by_source": {src: part([m for m in items if (m.get("source") or "local") == src])
                      for src in ("local", "ombudsman")},
    }


def ombudsman(rows: Sequence[Record], period: Period, references: Sequence[str]) -> dict[str, Any]:
    referred = [r for r in rows if (o := omb(r)) and period.holds(o.get("referred"))]
    decided = decided_in(rows, period)
    outcomes = Counter(str((omb(r) or {}).get("decision")) for r in decided)
    upheld = sum(n for k, n in outcomes.items() if k in UPHELD)
    due = recommendations_due(rows, period)
    compliance = remedies(due)
    return {
        "referred": [_row(r) for r in referred],
        "decisions": counts(str((omb(r) or {}).get("decision")) for r in decided),
        "decided": [_row(r) for r in decided],
        "referred_without_reference": sorted(str(r["case_id"]) for r in referred
                                             if not (omb(r) or {}).get("reference")),
        "unmatched_references": unmatched(rows, references),
        "by_outcome": {k: outcomes.get(k, 0) for k in
                       [*DECISIONS, *sorted(set(outcomes) - set(DECISIONS))]},
        "upheld_rate": share(upheld, sum(n for k, n in outcomes.items() if k in INVESTIGATED)),
        "recommendations": {"made": len(made := recommendations(decided)),
                            "by_kind": counts(str(m.get("kind")) for m in made)},
        "compliance": {"due": len(due),
                       **{s: compliance[s] for s in REMEDY_STATES},
                       "on_time": share(compliance["completed_on_time"], len(due)),
                       "complied": share(compliance["completed_on_time"]
                                         + compliance["completed_late"], len(due))},
    }


def _row(r: Record) -> dict[str, Any]:
    o = omb(r) or {}
    return {"case_id": r.get("case_id"), "procedure": procedure_id(r), "body": o.get("body"),
            "reference": o.get("reference"), "referred": o.get("referred"),
            "decision": o.get("decision"), "decided": o.get("decided")}


def unmatched(rows: Sequence[Record], references: Sequence[str]) -> list[str]:
    """The Ombudsman's references (e.g. from its annual letter) that no local case carries."""
    known = {_norm(str(o["reference"])) for r in rows if (o := omb(r)) and o.get("reference")}
    return sorted({ref for ref in references if _norm(ref) not in known})


def _norm(reference: str) -> str:
    return "".join(reference.split()).upper()


__all__ = ["DECISIONS", "REMEDY_STATES", "decided_in", "local_remedies", "omb", "ombudsman",
           "recommendations_due", "remedies", "unmatched"]

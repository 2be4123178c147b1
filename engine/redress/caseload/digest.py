"""What a complaints manager needs from one record for the morning check: open, overdue, next due.

Computed from a record's JSON form, so the same code serves freshly evaluated records and the
lines already in an output file that ``--resume`` reads back.

* **open**: a complaint (not a compliment, comment or matter routed elsewhere) whose status is
  not one that ends the local procedure (see ``CLOSED_STATUSES``);
* **overdue**: open, and the rules say a response or acknowledgement is overdue, or one of the
  body's own time limits has passed without its event.  The complainant's time limits (for
  complaining, for asking for the next stage, for going to the Ombudsman) never make a case
  overdue: they are the complainant's to meet;
* **next due**: the earliest pending time limit of the body, with the working days left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redress.evaluation.records import INTERNAL_KINDS

CLOSED_STATUSES = frozenset({"local_procedure_complete", "with_ombudsman", "closed", "withdrawn",
                             "resolved", "excluded", "no_procedure"})
OVERDUE_STATUSES = frozenset({"acknowledgement_overdue", "response_overdue"})
# Stages and kinds of deadline that are the complainant's to meet, not the body's.
COMPLAINANT_STAGES = frozenset({"intake", "ombudsman"})
COMPLAINANT_KINDS = frozenset({"request_next_stage", "complaint_time_limit",
                               "ombudsman_time_limit"})


@dataclass(frozen=True)
class Digest:
    """One record in brief."""

    index: int
    case_id: str | None
    error: str | None            # the error kind of an error record
    procedure: str | None
    stage: str | None
    status: str | None
    open: bool
    overdue: bool
    next_due: dt.date | None
    next_deadline: str | None    # ``stage1.respond``
    days_left: int | None        # working days to ``next_due``

    def due_within(self, days: int) -> bool:
        return self.open and self.days_left is not None and self.days_left <= days


def _body_deadline(deadline: Mapping[str, Any]) -> bool:
    return (deadline.get("stage") not in COMPLAINANT_STAGES
            and deadline.get("kind") not in COMPLAINANT_KINDS)


def _is_complaint(record: Mapping[str, Any]) -> bool:
    kept = record.get("record") or {}
    return kept.get("kind", "complaint") == "complaint" or bool(kept.get("became_complaint"))


def digest(record: Mapping[str, Any]) -> Digest:
    """The digest of one output record (a result record or an error record)."""
    ref = record.get("input") or {}
    index = int(ref.get("index", -1))
    if "error" in record:
        error = record["error"]
        return Digest(index, record.get("case_id"), str(error.get("kind")), None, None, None,
                      False, False, None, None, None)
    status = str(record.get("status"))
    is_open = status not in CLOSED_STATUSES and _is_complaint(record)
    body = [d for d in record.get("deadlines") or () if _body_deadline(d)]
    passed = any(d.get("state") == "missed" and d.get("met_on") is None for d in body)
    pending = sorted((d for d in body if d.get("state") == "pending"),
                     key=lambda d: (str(d.get("due")), str(d.get("stage")), str(d.get("kind"))))
    first = pending[0] if pending else None
    procedure = (record.get("procedure") or {}).get("id")
    return Digest(
        index=index, case_id=record.get("case_id"), error=None, procedure=procedure,
        stage=record.get("stage"), status=status, open=is_open,
        overdue=is_open and (status in OVERDUE_STATUSES or passed),
        next_due=dt.date.fromisoformat(first["due"]) if first and is_open else None,
        next_deadline=f"{first['stage']}.{first['kind']}" if first and is_open else None,
        days_left=first.get("working_days_remaining") if first and is_open else None)


@dataclass
class Tally:
    """The run's summary: records, evaluated, errors (by kind), open, overdue, due soon."""

    due_soon_days: int = 5
    records: int = 0
    evaluated: int = 0
    errors: int = 0
    internal_errors: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0

    def add(self, d: Digest) -> None:
        self.records += 1
        if d.error is not None:
            self.errors += 1
            self.internal_errors += d.error in INTERNAL_KINDS
            return
        self.evaluated += 1
        self.open += d.open
        self.overdue += d.overdue
        self.due_soon += d.due_within(self.due_soon_days)

    def render(self) -> str:
        return (f"{self.records} records: {self.evaluated} evaluated, {self.errors} errors"
                + (f" ({self.internal_errors} internal)" if self.internal_errors else "")
                + f"; {self.open} open, {self.overdue} overdue, {self.due_soon} due in the next "
                f"{self.due_soon_days} working days")


__all__ = ["CLOSED_STATUSES", "Digest", "Tally", "digest"]

"""``redress batch --format table``: the caseload as a table sorted by next due date."""

from __future__ import annotations

from collections.abc import Iterable

from redress.caseload.digest import Digest
from redress.evaluation.records import one_line
from redress.evaluation.status import STATUS_LABELS

HEADERS = ("CASE", "PROCEDURE", "STAGE", "STATUS", "NEXT DUE", "DEADLINE", "LEFT", "OVERDUE")


def sort_key(d: Digest) -> tuple[int, str, int]:
    """Soonest next due date first; cases with nothing pending, then errors, last."""
    rank = 2 if d.error else (0 if d.next_due else 1)
    return (rank, d.next_due.isoformat() if d.next_due else "", d.index)


def rows(digests: Iterable[Digest]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for d in sorted(digests, key=sort_key):
        case = one_line(d.case_id or f"(record {d.index})", 40)
        if d.error:
            out.append((case, "", "", f"ERROR: {d.error}", "", "", "", ""))
            continue
        out.append((case, d.procedure or "-", d.stage or "",
                    STATUS_LABELS.get(d.status or "", d.status or ""),
                    d.next_due.isoformat() if d.next_due else "", d.next_deadline or "",
                    "" if d.days_left is None else f"{d.days_left} wd",
                    "yes" if d.overdue else ""))
    return out


def render_table(digests: Iterable[Digest]) -> str:
    """A plain-text table, one line per case, with a header line."""
    body = rows(digests)
    widths = [max(len(r[i]) for r in [HEADERS, *body]) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [HEADERS, *body]]
    return "\n".join(lines) + "\n"


__all__ = ["HEADERS", "render_table", "rows", "sort_key"]

"""The result for a record that runs no complaint clock: a compliment, a representation that has
not become a complaint, or a matter routed to another process."""

from __future__ import annotations

from redress.evaluation.record_types import COMPLIMENT, REPRESENTATION, CaseRecord
from redress.evaluation.result import Result
from redress.evaluation.result_types import Audit, NoProcedure, Routing

NOT_A_COMPLAINT = "not_a_complaint"
_REASONS = {
    COMPLIMENT: "a compliment is recorded and counted; it runs no complaint clock",
    REPRESENTATION: "a comment recorded as a representation is counted; no complaint clock runs "
                    "unless it becomes a complaint",
}


def not_a_complaint_result(case_id: str, kind: str, goes_to: str | None,
                           handled_by: str | None, audit: Audit, warnings: tuple[str, ...],
                           record: CaseRecord | None = None) -> Result:
    """The result of a compliment, a representation, or a matter routed elsewhere (``kind``)."""
    reason = _REASONS.get(kind, "routed to another process; it is counted but handled there, "
                                "so no complaint clock runs")
    next_step = (f"Handle under: {goes_to}" if goes_to else
                 "Record it; share compliments and comments with the service")
    return Result(
        case_id=case_id, procedure=None,
        no_procedure=NoProcedure(NOT_A_COMPLAINT, reason, str(goes_to) if goes_to else None, None),
        stage="closed", status=NOT_A_COMPLAINT, status_reason=reason, deadlines=(),
        entitlements=(),
        routing=Routing(handled_by=handled_by, lead_body=None, co_operating_bodies=(),
                        next_step=next_step, ombudsman=None, redirected_from=None,
                        partnership=None),
        flags=(), trace=(), audit=audit, warnings=warnings, record=record)


__all__ = ["NOT_A_COMPLAINT", "not_a_complaint_result"]

"""The result for a record that runs no complaint clock: a compliment, a representation that has
not become a complaint, or a matter routed to another process."""

from __future__ import annotations

from redress.evaluation.case import Case
from redress.evaluation.case_record import COMPLIMENT, REPRESENTATION, record_kind
from redress.evaluation.result import Audit, NoProcedure, Result, Routing

NOT_A_COMPLAINT = "not_a_complaint"
_REASONS = {
    COMPLIMENT: "a compliment is recorded and counted; it runs no complaint clock",
    REPRESENTATION: "a comment recorded as a representation is counted; no complaint clock runs "
                    "unless it becomes a complaint",
}


def not_a_complaint_result(case: Case, audit: Audit, warnings: tuple[str, ...]) -> Result:
    kind = record_kind(case.raw)
    goes_to = case.raw.get("routed_to")
    reason = _REASONS.get(kind, "routed to another process; it is counted but handled there, "
                                "so no complaint clock runs")
    next_step = (f"Handle under: {goes_to}" if goes_to else
                 "Record it; share compliments and comments with the service")
    return Result(
        case_id=case.id, procedure=None,
        no_procedure=NoProcedure(NOT_A_COMPLAINT, reason, str(goes_to) if goes_to else None, None),
        stage="closed", status=NOT_A_COMPLAINT, status_reason=reason, deadlines=(),
        entitlements=(),
        routing=Routing(handled_by=case.organisations[0].id if case.organisations else None,
                        lead_body=None, co_operating_bodies=(), next_step=next_step,
                        ombudsman=None, redirected_from=None, partnership=None),
        flags=(), trace=(), audit=audit, warnings=warnings)


__all__ = ["NOT_A_COMPLAINT", "not_a_complaint_result"]

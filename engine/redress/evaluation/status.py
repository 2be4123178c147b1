"""Plain-English labels for a case's status codes (the result contract's ``status``)."""

from __future__ import annotations

STATUS_LABELS: dict[str, str] = {
    "awaiting_acknowledgement": "Awaiting acknowledgement",
    "acknowledgement_overdue": "Acknowledgement overdue",
    "in_progress": "In progress",
    "response_overdue": "Response overdue",
    "awaiting_escalation_decision": "Awaiting the complainant's decision on escalation",
    "escalation_window_passed_discretion": "Escalation window passed – discretion",
    "escalation_refused": "Escalation refused – Ombudsman now",
    "local_procedure_complete": "Local procedure complete",
    "with_ombudsman": "With the Ombudsman",
    "closed": "Closed",
    "withdrawn": "Withdrawn",
    "resolved": "Resolved",
    "excluded": "Excluded",
    "deferred": "Deferred",
    "out_of_time_discretion": "Out of time – discretion",
    "no_procedure": "No procedure applies",
    "not_a_complaint": "Recorded, not a complaint",
}

__all__ = ["STATUS_LABELS"]

"""Deadlines and flags: the values a result is made of, with the words that explain them.

Deadline states: ``pending`` (not yet met, not yet passed), ``met`` (its event happened on or
before the due date), ``missed`` (the due date passed first; ``met_on`` shows any late event),
``not_applicable`` (no longer applies: extended in time, not needed, or stopped by a withdrawal,
resolution or deferral; never "met", whatever ``met_on`` holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from redress.calendar import WorkingDayCalendar
from redress.calendar.counting import Count, describe_skipped
from redress.frozen_dataclass import frozen_dataclass
from redress.policy.model import Citation

PENDING, MET, MISSED, NOT_APPLICABLE = "pending", "met", "missed", "not_applicable"

ANCHOR_WORDS = {
    "received": "complaint received",
    "notified": "complaint received (or, if passed on, notice given)",
    "escalation_requested": "{stage} request received",
    "acknowledged": "{stage} acknowledged",
    "statement_agreed": "statement of complaint agreed",
    "discussed": "discussion held",
    "resolved": "complaint resolved",
    "resolution_confirmed": "resolution confirmed",
    "panel_met": "review panel met",
    "panel_report_received": "panel report received",
    "responded": "{stage} response",
    "response_received": "{stage} response received by the complainant",
    "occurred": "matter occurred",
    "aware": "complainant became aware",
    "later_of_occurred_or_aware": "matter occurred or came to notice (the later)",
    "final_response": "final response",
}
MATTER_ANCHORS = ("occurred", "aware", "later_of_occurred_or_aware")
STAGE_WORDS = {"stage1": "stage 1", "stage2": "stage 2", "stage3": "stage 3"}


@frozen_dataclass
class FlagReading:
    """One reading of an ambiguity and the dates it gives (``"stage2.respond": "2025-05-22"``)."""

    id: str
    description: str
    default: bool
    dates: Mapping[str, str | None]


@frozen_dataclass
class Flag:
    """Something a complaints officer must look at: an ambiguity, a discretion point, a warning."""

    id: str
    kind: str            # ambiguity | discretion | warning | info
    message: str
    stage: str | None = None
    readings: tuple[FlagReading, ...] = ()
    citation: Citation | None = None


@frozen_dataclass
class Deadline:
    stage: str
    kind: str
    title: str
    due: dt.date
    anchor: str
    anchor_date: dt.date
    basis: str
    state: str
    met_on: dt.date | None
    working_days_remaining: int | None
    citation: Citation
    flags: tuple[str, ...] = ()
    provisional: bool = False
    note: str | None = None   # the policy's caveat on the rule, window or time limit behind it

    @property
    def key(self) -> str:
        return f"{self.stage}.{self.kind}"


def deadline_state(due: dt.date, met_on: dt.date | None, as_of: dt.date) -> str:
    """The state of a deadline from its due date, the date it was met and the as-of date."""
    if met_on is not None:
        return MET if met_on <= due else MISSED
    return PENDING if as_of <= due else MISSED


def anchor_words(anchor: str, stage: str) -> str:
    return ANCHOR_WORDS.get(anchor, anchor.replace("_", " ")).format(
        stage=STAGE_WORDS.get(stage, stage))


def basis_text(count: Count, anchor_label: str) -> str:
    skipped = describe_skipped(count.skipped)
    text = f"{count.basis}, {anchor_label}"
    return f"{text}; {skipped}" if skipped else text


def matter_anchor(anchor: str, occurred: dt.date | None,
                  aware: dt.date | None) -> tuple[dt.date | None, str]:
    """The date of a matter anchor (``occurred``, ``aware``, ``later_of_occurred_or_aware``).

    Without an awareness date, ``aware`` falls back to the date the matter occurred.
    """
    if anchor == "occurred":
        return occurred, ANCHOR_WORDS["occurred"]
    if anchor == "aware":
        if aware is None and occurred is not None:
            return occurred, "matter occurred (no awareness date given)"
        return aware, ANCHOR_WORDS["aware"]
    days = [d for d in (occurred, aware) if d is not None]
    return (max(days) if days else None), ANCHOR_WORDS["later_of_occurred_or_aware"]


def remaining_working_days(cal: WorkingDayCalendar, due: dt.date, as_of: dt.date, state: str) -> int | None:
    if state != PENDING:
        return None
    return cal.working_days_between(as_of, due)

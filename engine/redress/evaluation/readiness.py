"""When an Ombudsman would consider a complaint that is still premature.

An Ombudsman rule may give ``opportunity_weeks``: the calendar weeks from the complaint that the
Ombudsman normally treats as the body's reasonable opportunity to investigate and reply (LGSCO
practice: about 12 weeks; LGA 1974 s26(5), s34B(6)).  The date those weeks run out is put in the
deadlines as ``ombudsman_premature_until`` so calling systems can diary it, and ``{until}`` in
the rule's reason is replaced by it ("the council will have had 12 weeks on Mon 30 Mar 2026").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from redress.policy.model import Citation, TimeLimit, build_period

PREMATURE_KIND = "ombudsman_premature_until"


class Dated(Protocol):
    """A deadline of either kind: only its due date is read."""

    @property
    def due(self) -> dt.date: ...


def opportunity_weeks(conclusion: Mapping[str, Any]) -> int | None:
    weeks = conclusion.get("opportunity_weeks")
    return int(weeks) if isinstance(weeks, int) and weeks > 0 else None


def premature_title(weeks: int) -> str:
    return f"Ombudsman's reasonable-opportunity period ({weeks} weeks) ends"


def premature_basis(weeks: int, received: dt.date) -> str:
    return f"{weeks} calendar weeks after the complaint was received on {received.isoformat()}"


def spoken_date(day: dt.date) -> str:
    """``Mon 30 Mar 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def reason_with_date(reason: str, until: Dated | None) -> str:
    """The rule's reason with ``{until}`` replaced by the date (or by words when there is none)."""
    if "{until}" not in reason:
        return reason
    return reason.replace("{until}", spoken_date(until.due) if until
                          else "the end of the reasonable-opportunity period")


def rule_time_limit(conclusion: Mapping[str, Any], citation: Citation | None) -> TimeLimit | None:
    """The Ombudsman's time limit a rule states itself (a route with no Redress procedure).

    ``time_limit: {months: 12, from: aware, counting: beginning_with, provision: s34D}`` — the
    citation is the rule's, with the time limit's own provision.
    """
    raw = conclusion.get("time_limit")
    if not isinstance(raw, Mapping) or citation is None:
        return None
    cited = Citation(citation.instrument, citation.short,
                     str(raw.get("provision", citation.provision)),
                     str(raw.get("url", citation.url)))
    return TimeLimit(period=build_period(raw), anchor=str(raw.get("from", "aware")),
                     counting=str(raw.get("counting", "beginning_with")),
                     late=str(raw.get("late", "discretion")), discretion="", citation=cited)

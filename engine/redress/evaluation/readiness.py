"""When an Ombudsman would consider a complaint that is still premature.

An Ombudsman rule may give ``opportunity_weeks``: the calendar weeks from the complaint that the
Ombudsman normally treats as the body's reasonable opportunity to investigate and reply (LGSCO
practice: about 12 weeks; LGA 1974 s26(5), s34B(6)).  The date those weeks run out is put in the
deadlines as ``ombudsman_premature_until`` so calling systems can diary it, and ``{until}`` in
the rule's reason is replaced by it ("the council will have had 12 weeks on Mon 30 Mar 2026").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import pairwise
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


def premature_basis(weeks: int, received: dt.date, paused_days: int = 0) -> str:
    basis = f"{weeks} calendar weeks after the complaint was received on {received.isoformat()}"
    if paused_days:
        basis += (f", plus {paused_days} days the complainant delayed between stages (LGSCO: "
                  "longer if the complainant delayed between stages)")
    return basis


class _Stage(Protocol):
    @property
    def next_stage(self) -> str | None: ...


class _Progress(Protocol):
    """A stage's progress in either evaluation path."""

    @property
    def id(self) -> str: ...
    @property
    def stage(self) -> _Stage: ...
    @property
    def opened_on(self) -> dt.date: ...
    @property
    def responded_on(self) -> dt.date | None: ...


class TimelineView(Protocol):
    """A case's timeline in either evaluation path."""

    @property
    def received(self) -> dt.date: ...
    @property
    def stages(self) -> Sequence[_Progress]: ...
    def deadline(self, stage: str, kind: str) -> Dated | None: ...


def _delay_start(progress: _Progress, timeline: TimelineView) -> dt.date | None:
    """When the complainant's time starts to count as *delay* after a stage's response: the end
    of the window to ask for the next stage, or the response itself where the policy sets none.
    Taking the time the procedure allows is not delaying."""
    answered = progress.responded_on
    if answered is None:
        return None
    window = timeline.deadline(progress.id, "request_next_stage")
    return max(answered, window.due) if window else answered


def complainant_delay(timeline: TimelineView, as_of: dt.date) -> tuple[int, int]:
    """Calendar days the complainant delayed between stages: (gaps closed by a request for the
    next stage, the gap still open after the last answered stage).

    The LGSCO allows a body longer than its usual 12 weeks "where someone had delayed in
    progressing their complaint from one stage to the next" (Guidance on Jurisdiction, ch. 7):
    that time is the complainant's, not the body's.  The default reading counts as delay only
    the time beyond the window to ask for the next stage (all of it where there is no window);
    flags-legal.yaml names the reading that counts 12 weeks from receipt regardless.
    """
    stages = timeline.stages
    closed = 0
    for earlier, later in pairwise(stages):
        start = _delay_start(earlier, timeline)
        if start is not None and later.opened_on > start:
            closed += (later.opened_on - start).days
    last = stages[-1] if stages else None
    start = _delay_start(last, timeline) if last and last.stage.next_stage else None
    return closed, max((as_of - start).days, 0) if start else 0


def weeks_with_body(timeline: TimelineView, as_of: dt.date) -> int:
    """Whole calendar weeks the complaint has been with the body, the complainant's delay
    between stages (closed or still open) left out."""
    closed, still_open = complainant_delay(timeline, as_of)
    return max((as_of - timeline.received).days - closed - still_open, 0) // 7


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

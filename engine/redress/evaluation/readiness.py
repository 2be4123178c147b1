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
from itertools import pairwise
from typing import Any

from redress.calendar import WorkingDayCalendar
from redress.evaluation.case import Case
from redress.evaluation.deadlines import (
    MET,
    PENDING,
    Deadline,
    StageProgress,
    remaining_working_days,
)
from redress.evaluation.time_limits import ombudsman_time_limit
from redress.evaluation.timeline import Timeline
from redress.policy.model import Citation, TimeLimit, build_period

PREMATURE_KIND = "ombudsman_premature_until"


def opportunity_weeks(conclusion: Mapping[str, Any]) -> int | None:
    weeks = conclusion.get("opportunity_weeks")
    return int(weeks) if isinstance(weeks, int) and weeks > 0 else None


def _delay_start(progress: StageProgress, timeline: Timeline) -> dt.date | None:
    """When the complainant's time starts to count as *delay* after a stage's response: the end
    of the window to ask for the next stage, or the response itself where the policy sets none.
    Taking the time the procedure allows is not delaying."""
    answered = progress.responded_on
    if answered is None:
        return None
    window = timeline.deadline(progress.id, "request_next_stage")
    return max(answered, window.due) if window else answered


def complainant_delay(timeline: Timeline, as_of: dt.date) -> tuple[int, int]:
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


def weeks_with_body(timeline: Timeline, as_of: dt.date) -> int:
    """Whole calendar weeks the complaint has been with the body, the complainant's delay
    between stages (closed or still open) left out."""
    closed, still_open = complainant_delay(timeline, as_of)
    return max((as_of - timeline.received).days - closed - still_open, 0) // 7


def premature_until(conclusion: Mapping[str, Any], received: dt.date, as_of: dt.date,
                    calendar: WorkingDayCalendar, citation: Citation | None,
                    paused_days: int = 0) -> Deadline | None:
    """The date the body will have had its reasonable opportunity, or None if the rule sets none.

    Counted in calendar weeks from the day the complaint was received: 12 weeks after Mon 5 Jan
    is Mon 30 Mar; ``paused_days`` (the complainant's delay between stages) push it later.  The
    deadline is ``met`` from that day on (the test is then satisfied), and ``pending`` before it.
    """
    weeks = opportunity_weeks(conclusion)
    if weeks is None or citation is None:
        return None
    due = received + dt.timedelta(weeks=weeks, days=paused_days)
    state = MET if as_of >= due else PENDING
    basis = f"{weeks} calendar weeks after the complaint was received on {received.isoformat()}"
    if paused_days:
        basis += (f", plus {paused_days} days the complainant delayed between stages (LGSCO: "
                  "longer if the complainant delayed between stages)")
    return Deadline(
        stage="ombudsman", kind=PREMATURE_KIND,
        title=f"Ombudsman's reasonable-opportunity period ({weeks} weeks) ends",
        due=due, anchor="received", anchor_date=received, basis=basis,
        state=state, met_on=due if state == MET else None,
        working_days_remaining=remaining_working_days(calendar, due, as_of, state),
        citation=citation)


def spoken_date(day: dt.date) -> str:
    """``Mon 30 Mar 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def reason_with_date(reason: str, until: Deadline | None) -> str:
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


def provider_time_limit(case: Case, conclusion: Mapping[str, Any], citation: Citation | None,
                        calendar: WorkingDayCalendar, as_of: dt.date) -> Deadline | None:
    """The Ombudsman time limit of a case that goes to another body first (e.g. LGA 1974 s34D)."""
    limit = rule_time_limit(conclusion, citation)
    if limit is None:
        return None
    referral = next(iter(case.of_type("referred_to_ombudsman")), None)
    return ombudsman_time_limit(case, limit, str(conclusion.get("ombudsman", "Ombudsman")), (),
                                calendar, as_of, referral)

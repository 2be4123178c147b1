"""An Ombudsman's premature period and a provider's time limit, as the evaluation path before
issue 24 worked them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from redress.calendar import WorkingDayCalendar
from redress.evaluation.deadlines import MET, PENDING, Deadline, remaining_working_days
from redress.evaluation.readiness import (
    PREMATURE_KIND,
    opportunity_weeks,
    premature_basis,
    premature_title,
    rule_time_limit,
)
from redress.policy.model import Citation
from redress.testing.reference.case import Case
from redress.testing.reference.time_limits import ombudsman_time_limit


def premature_until(conclusion: Mapping[str, Any], received: dt.date, as_of: dt.date,
                    calendar: WorkingDayCalendar, citation: Citation | None,
                    paused_days: int = 0) -> Deadline | None:
    """The date the body will have had its reasonable opportunity, or None if the rule sets none.

    Counted in calendar weeks from the day the complaint was received: 12 weeks after Mon 5 Jan
    is Mon 30 Mar.  The deadline is ``met`` from that day on (the test is then satisfied), and
    ``pending`` before it.
    """
    weeks = opportunity_weeks(conclusion)
    if weeks is None or citation is None:
        return None
    due = received + dt.timedelta(weeks=weeks, days=paused_days)
    state = MET if as_of >= due else PENDING
    return Deadline(
        stage="ombudsman", kind=PREMATURE_KIND,
        title=premature_title(weeks),
        due=due, anchor="received", anchor_date=received,
        basis=premature_basis(weeks, received, paused_days),
        state=state, met_on=due if state == MET else None,
        working_days_remaining=remaining_working_days(calendar, due, as_of, state),
        citation=citation)


def provider_time_limit(case: Case, conclusion: Mapping[str, Any], citation: Citation | None,
                        calendar: WorkingDayCalendar, as_of: dt.date) -> Deadline | None:
    """The Ombudsman time limit of a case that goes to another body first (e.g. LGA 1974 s34D)."""
    limit = rule_time_limit(conclusion, citation)
    if limit is None:
        return None
    referral = next(iter(case.of_type("referred_to_ombudsman")), None)
    return ombudsman_time_limit(case, limit, str(conclusion.get("ombudsman", "Ombudsman")), (),
                                calendar, as_of, referral)

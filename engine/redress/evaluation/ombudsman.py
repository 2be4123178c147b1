"""The Ombudsman a case goes to, when it would consider it, and its time limits.

The Ombudsman rule that fired names the body; the policy's route for it gives its title and
time limit; the rule's ``opportunity_weeks`` give the date the body will have had its reasonable
opportunity (``readiness``).  A case with no procedure takes its Ombudsman and time limit from
the rule alone (e.g. LGA 1974 s34D for a care provider).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from redress.calendar import WorkingDayCalendar, get_calendar
from redress.evaluation.case import Case
from redress.evaluation.clock import Clock
from redress.evaluation.conclusion import OmbudsmanRec
from redress.evaluation.deadlines import MET, PENDING
from redress.evaluation.limits import LimitCode, ombudsman_limit
from redress.evaluation.readiness import (
    PREMATURE_KIND,
    complainant_delay,
    opportunity_weeks,
    premature_basis,
    premature_title,
    rule_time_limit,
)
from redress.evaluation.record_types import NATION_CALENDARS
from redress.evaluation.timeline import PolicyCode, Timeline
from redress.policy.model import Citation, OmbudsmanRoute, Policy
from redress.policy.rules import Rule


def premature_until(conclusion: Mapping[str, Any], received: dt.date, as_of: dt.date,
                    calendar: WorkingDayCalendar, citation: Citation | None,
                    paused_days: int = 0) -> Clock | None:
    """The date the body will have had its reasonable opportunity, or None if the rule sets none.

    Counted in calendar weeks from the day the complaint was received, ``paused_days`` (the
    complainant's delay between stages) later; ``met`` from that day on (the test is then
    satisfied), ``pending`` before it.
    """
    weeks = opportunity_weeks(conclusion)
    if weeks is None or citation is None:
        return None
    due = received + dt.timedelta(weeks=weeks, days=paused_days)
    state = MET if as_of >= due else PENDING
    return Clock("ombudsman", PREMATURE_KIND, premature_title(weeks), due, "received", received,
                 state, due if state == MET else None,
                 calendar.elapsed(as_of, due) if state == PENDING else None, citation, (), False,
                 None, (premature_basis, weeks, received, paused_days))


def rule_limit_codes(rules: Sequence[Rule]) -> dict[str, LimitCode]:
    """The time limits Ombudsman rules state themselves, by rule id, counts made once."""
    codes = {}
    for rule in rules:
        limit = rule_time_limit(rule.then, rule.citation)
        if limit is not None:
            codes[rule.id] = LimitCode.of(limit)
    return codes


def chosen_ombudsman(policy: Policy, fired: Sequence[Rule]
                     ) -> tuple[Rule | None, str | None, OmbudsmanRoute | None]:
    """The Ombudsman rule that fired, the body it names (else the policy's own) and its route."""
    rule = next((r for r in fired if r.ruleset == "ombudsman"), None)
    body = str(rule.then["ombudsman"]) if rule else (policy.ombudsman.body
                                                     if policy.ombudsman else None)
    route = (policy.route(body) or policy.ombudsman) if body is not None else None
    return rule, body, route


def procedure_ombudsman(code: PolicyCode, timeline: Timeline, fired: Sequence[Rule], case: Case,
                        as_of: dt.date, delay: tuple[int, int] | None = None
                        ) -> OmbudsmanRec | None:
    """The Ombudsman of a case under a procedure: the rule's, else the policy's own; ``delay``
    is ``complainant_delay`` of the timeline when the caller has it already."""
    rule, body, route = chosen_ombudsman(code.policy, fired)
    if body is None:
        return None
    limit = None
    if route is not None and route.time_limit is not None:
        limit = ombudsman_limit(code.routes[route.body], body, timeline.stages, timeline.calendar,
                                as_of, timeline.referral, case.received,
                                case.occurred, case.aware)
    until = premature_until(rule.then, case.received, as_of, timeline.calendar, rule.citation,
                            (delay or complainant_delay(timeline, as_of))[0]) if rule else None
    return OmbudsmanRec(body, route.title if route and route.body == body else body,
                        bool(rule.then.get("ready", False)) if rule else False, rule, limit,
                        rule.citation if rule else None, until)


def rule_ombudsman(rule: Rule, code: LimitCode | None, case: Case,
                   as_of: dt.date) -> OmbudsmanRec:
    """The Ombudsman of a case no procedure covers, from the rule (and its time limit) alone."""
    then = rule.then
    calendar = get_calendar(NATION_CALENDARS[case.nation])
    until = premature_until(then, case.received, as_of, calendar, rule.citation)
    limit = None
    if code is not None:
        referral = next((e for e in case.events if e.type == "referred_to_ombudsman"), None)
        limit = ombudsman_limit(code, str(then.get("ombudsman", "Ombudsman")), (), calendar, as_of,
                                referral, case.received, case.occurred,
                                case.aware)
    return OmbudsmanRec(str(then["ombudsman"]), str(then.get("title", then["ombudsman"])),
                        bool(then.get("ready", False)), rule, limit, rule.citation, until)


__all__ = ["chosen_ombudsman", "premature_until", "procedure_ombudsman", "rule_limit_codes",
           "rule_ombudsman"]

"""A generated year of records for one English council, with the counts the report must show.

``council_year(seed)`` plans a year (1 April 2025 to 31 March 2026) of children's, adult social
care, corporate and housing complaints, compliments, representations (some becoming
complaints), matters routed elsewhere, Ombudsman referrals, references, decisions and remedies,
and costs.  Every expected figure is counted from the *plan* here, with working days counted
from the ``holidays`` package's England bank holidays, never from Redress's output.  The law each
plan relies on, worked by hand:

* Children Act 1989 procedure: stage 1 response within 10 working days of receipt, extendable to
  20 (SI 2006/1738 reg 14); stage 2 within 25 working days (reg 17).
* Corporate procedure before the LGSCO Code (to 31 March 2026): stage 1 within 10 working days
  of receipt, a further 10 on extension; stage 2 within 20 working days of the request.
* Housing Ombudsman Code 2024: stage 1 within 10 working days of the acknowledgement, a further
  10 on extension (6.3–6.4); stage 2 within 20 working days of the acknowledgement.
* Adult social care and NHS 2009 Regulations: the response is due within six months of receipt
  (reg 14), so 40 working days is on time.

So a response 3 working days after receipt (acknowledged on the day) is on time everywhere; one
15 working days after receipt, with a 10-day extension given on day 5, is within the extension
(children's, corporate, housing); one 40 working days after receipt is late except under the
2009 Regulations.  Stage 2 is always answered 5 working days after the request (on time).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import holidays

YEAR_START, YEAR_END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
AS_OF = dt.date(2026, 4, 30)
HOMES = 4200
SERVICES = {  # service -> (procedure, stages it can reach, Ombudsman)
    "children_social_care": ("children-act-1989", 2, "LGSCO"),
    "adult_social_care": ("adult-social-care-nhs-2009", 1, "LGSCO"),
    "council_corporate": ("council-corporate", 2, "LGSCO"),
    "housing": ("housing-ombudsman-code-2024", 2, "HOS"),
}
FEEDBACK_SERVICES = (*SERVICES, "public_health")
TOPICS = {  # topics (rules/facts.yaml) that keep each complaint in its own procedure
    "children_social_care": ("placement", "contact", "care_planning"),
    "adult_social_care": ("care_assessment", "home_care", "care_charges"),
    "council_corporate": ("waste", "highways"),
    "housing": ("repairs", "anti_social_behaviour"),
}
UNMATCHED = ("LGSCO 25 900 001", "HOS-202599999")
UNITS = {  # service -> (department, teams)
    "children_social_care": ("Children's Services", ("Fostering", "Child protection")),
    "adult_social_care": ("Adults and Health", ("Home care", "Assessment")),
    "council_corporate": ("Place", ("Waste and recycling", "Highways")),
    "housing": ("Housing", ("Repairs", "Tenancy")),
}
CHANNELS = ("written", "oral", "electronic")
ADULT_ROLES = ("service_user", "representative", "relative")
CHILD_ROLES = ("child", "parent")
LEARNING = "We learned to check records before replying."
ACTION = "Staff briefed on record keeping"
NARRATIVE = """This report covers complaints to Exampleshire Council in 2025-26.

## Learning and service improvements
- Repairs appointments are now confirmed by text the day before.
- Advocates are offered to every child at first contact.

## Self-assessment against the Code
We meet the Code except for *stage 2 timescales*. <script>alert("narrative")</script>
[A hostile link](javascript:alert(1)) and ![a tracking image](https://tracker.example/p.png).

## You said, we did
| You said | We did |
|---|---|
| Calls went unanswered | Two more officers in the contact centre |
"""


class WorkingDays:
    """England's working days from the holidays package (weekends and bank holidays off)."""

    def __init__(self) -> None:
        self.off = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2028))

    def is_working(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.off

    def add(self, day: dt.date, n: int) -> dt.date:
        while n > 0:
            day += dt.timedelta(days=1)
            if self.is_working(day):
                n -= 1
        return day


@dataclass
class Truth:
    """What the report must say, counted from the plan."""

    received: Counter[tuple[str, str]] = field(default_factory=Counter)     # (procedure, stage)
    responded: Counter[tuple[str, str]] = field(default_factory=Counter)
    timeliness: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    outcome: Counter[tuple[str, str]] = field(default_factory=Counter)       # (procedure, final)
    stage_outcome: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    days: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    resolved_at_stage1: Counter[tuple[str, bool]] = field(default_factory=Counter)
    withdrawn: Counter[str] = field(default_factory=Counter)
    by_month: Counter[tuple[str, str]] = field(default_factory=Counter)     # (procedure, YYYY-MM)
    topics: Counter[tuple[str, str]] = field(default_factory=Counter)       # (procedure, topic)
    well_founded: Counter[str] = field(default_factory=Counter)
    referred: Counter[tuple[str, str]] = field(default_factory=Counter)     # (procedure, body)
    decisions: Counter[str] = field(default_factory=Counter)
    compliments: Counter[str] = field(default_factory=Counter)
    representations: Counter[str] = field(default_factory=Counter)
    became_complaints: int = 0
    routed: Counter[str] = field(default_factory=Counter)
    remedies: Counter[tuple[str, str]] = field(default_factory=Counter)     # (source, state)
    remedy_kinds: Counter[str] = field(default_factory=Counter)
    cost: dict[str, float] = field(default_factory=dict)
    payments: float = 0.0
    references: list[str] = field(default_factory=list)
    referred_without_reference: list[str] = field(default_factory=list)
    # Added for the publishable report (issue 21).
    by_department: Counter[str] = field(default_factory=Counter)
    by_team: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    by_role: Counter[str] = field(default_factory=Counter)
    by_topic: Counter[str] = field(default_factory=Counter)
    advocacy: Counter[str] = field(default_factory=Counter)           # entitled/offered/taken_up
    learning: Counter[tuple[str, str]] = field(default_factory=Counter)  # (service, cases|actions)
    responded_by_month: Counter[tuple[str, str]] = field(default_factory=Counter)
    on_time_by_month: Counter[tuple[str, str]] = field(default_factory=Counter)  # in time
    decided_by_month: Counter[tuple[str, str]] = field(default_factory=Counter)  # not pending
    recommendations_due: Counter[str] = field(default_factory=Counter)  # state, due in the year
    recommendations_made: int = 0
    extensions: Counter[tuple[str, str]] = field(default_factory=Counter)


def _remedy_state(due: dt.date, completed: dt.date | None) -> str:
    if completed is not None and completed <= AS_OF:
        return "completed_on_time" if completed <= due else "completed_late"
    return "overdue" if due < AS_OF else "outstanding"


def council_year(seed: int, year_start: dt.date = YEAR_START,
                 prefix: str = "") -> tuple[list[dict[str, Any]], Truth]:
    """The plan of a year from ``year_start`` (a year earlier for last year's file)."""
    rng = random.Random(seed)
    wd = WorkingDays()
    year_end = year_start.replace(year=year_start.year + 1) - dt.timedelta(days=1)
    days = [d for d in (year_start + dt.timedelta(n) for n in range(275)) if wd.is_working(d)]
    cases: list[dict[str, Any]] = []
    truth = Truth()
    n = 0

    prefix_ = prefix

    def new_id(kind: str) -> str:
        nonlocal n
        n += 1
        return f"{prefix_}{kind}-{n:04d}"

    for _ in range(48):
        service = rng.choice(FEEDBACK_SERVICES)
        recorded = rng.choice(days)
        kind = rng.choice(("compliment", "compliment", "representation", "routed_elsewhere"))
        case: dict[str, Any] = {"id": new_id("R"), "received": recorded.isoformat(),
                                "nation": "england", "service": service, "record": kind,
                                "organisations": [{"id": "exampleshire",
                                                   "kind": "local_authority"}], "events": []}
        if kind == "compliment":
            truth.compliments[service] += 1
        elif kind == "representation":
            truth.representations[service] += 1
        else:
            case["routed_to"] = rng.choice(("disciplinary", "insurance claim"))
            truth.routed[case["routed_to"]] += 1
        cases.append(case)

    for _ in range(140):
        service = rng.choice(list(SERVICES))
        procedure, max_stage, ombudsman = SERVICES[service]
        received = rng.choice(days)
        case = {"id": new_id("C"), "received": received.isoformat(), "nation": "england",
                "service": service,
                "organisations": [{"id": "exampleshire", "kind": "local_authority"}],
                "events": [], "matter": {}}
        _describe(case, rng, truth)
        start = received
        if rng.random() < 0.15 and service != "children_social_care":
            # A comment logged as a representation that became a complaint two working days on.
            case["record"] = "representation"
            start = wd.add(received, 2)
            case["became_complaint"] = start.isoformat()
            truth.representations[service] += 1
            truth.became_complaints += 1
        topic = rng.choice(TOPICS[service])
        case["matter"] = {"topics": [topic]}
        truth.topics[(procedure, topic)] += 1
        truth.by_topic[topic] += 1
        truth.by_month[(procedure, start.strftime("%Y-%m"))] += 1
        events = case["events"]
        events.append({"date": start.isoformat(), "type": "acknowledged"})
        truth.received[(procedure, "stage1")] += 1
        if rng.random() < 0.05:
            withdrawn = wd.add(start, 2)
            events.append({"date": withdrawn.isoformat(), "type": "withdrawn"})
            truth.withdrawn[procedure] += 1
            cases.append(case)
            continue
        speed = rng.choice(("fast", "fast", "extended", "slow")) if service != "adult_social_care" \
            else rng.choice(("fast", "slow"))
        offset = {"fast": 3, "extended": 15, "slow": 40}[speed]
        if speed == "extended":
            events.append({"date": wd.add(start, 5).isoformat(), "type": "extension",
                           "days": 10, "consent": "told"})
        answered = wd.add(start, offset)
        month = answered.strftime("%Y-%m")
        truth.responded_by_month[(procedure, month)] += 1
        late_here = speed == "slow" and service != "adult_social_care"
        truth.decided_by_month[(procedure, month)] += 1
        truth.on_time_by_month[(procedure, month)] += not late_here
        truth.extensions[(procedure, "stage1")] += speed == "extended"
        outcome = rng.choice(("upheld", "partly_upheld", "not_upheld"))
        events.append({"date": answered.isoformat(), "type": "responded", "outcome": outcome})
        truth.responded[(procedure, "stage1")] += 1
        truth.stage_outcome[(procedure, "stage1", outcome)] += 1
        truth.days.setdefault((procedure, "stage1"), []).append(offset)
        late = speed == "slow" and service != "adult_social_care"
        truth.timeliness[(procedure, "stage1",
                          "late" if late else "within_extension" if speed == "extended"
                          else "on_time")] += 1
        final = outcome
        last = answered
        escalates = max_stage >= 2 and rng.random() < 0.25
        truth.resolved_at_stage1[(procedure, not escalates)] += 1
        if escalates:
            asked = wd.add(answered, 3)
            events.append({"date": asked.isoformat(), "type": "escalation_requested",
                           "to": "stage2"})
            events.append({"date": asked.isoformat(), "type": "acknowledged", "stage": "stage2"})
            last = wd.add(asked, 5)
            final = rng.choice(("upheld", "partly_upheld", "not_upheld"))
            events.append({"date": last.isoformat(), "type": "responded", "stage": "stage2",
                           "outcome": final})
            truth.received[(procedure, "stage2")] += 1
            truth.responded[(procedure, "stage2")] += 1
            truth.stage_outcome[(procedure, "stage2", final)] += 1
            truth.timeliness[(procedure, "stage2", "on_time")] += 1
            truth.days.setdefault((procedure, "stage2"), []).append(5)
            truth.responded_by_month[(procedure, last.strftime("%Y-%m"))] += 1
            truth.decided_by_month[(procedure, last.strftime("%Y-%m"))] += 1
            truth.on_time_by_month[(procedure, last.strftime("%Y-%m"))] += 1
            costs = [{"stage": "stage2", "item": "independent investigator",
                      "amount": float(rng.choice((850, 1200, 1475.5)))}]
            if service == "children_social_care":
                costs.append({"stage": "stage2", "item": "Independent Person", "amount": 450.0})
            case["costs"] = costs
            for c in costs:
                truth.cost[c["stage"]] = truth.cost.get(c["stage"], 0.0) + c["amount"]
        truth.outcome[(procedure, final)] += 1
        if final in ("upheld", "partly_upheld"):
            truth.well_founded[procedure] += 1
        remedies = []
        if final != "not_upheld":
            due = wd.add(last, 10)
            completed = rng.choice((wd.add(last, 5), wd.add(last, 20), None))
            remedies.append({"kind": rng.choice(("apology", "service_review", "payment")),
                             "source": "local", "due": due.isoformat(),
                             **({"completed": completed.isoformat()} if completed else {})})
            truth.remedies[("local", _remedy_state(due, completed))] += 1
            truth.remedy_kinds[remedies[-1]["kind"]] += 1
        if rng.random() < 0.2:
            referred = wd.add(last, 10)
            events.append({"date": referred.isoformat(), "type": "referred_to_ombudsman",
                           "body": ombudsman})
            if referred <= year_end:  # referrals and decisions count in the year they happen
                truth.referred[(procedure, ombudsman)] += 1
            omb: dict[str, Any] = {"body": ombudsman}
            if rng.random() < 0.8:
                reference = (f"LGSCO 25 {n:03d} {rng.randint(100, 999)}" if ombudsman == "LGSCO"
                             else f"HOS-2025{n:05d}")
                omb["reference"] = reference
                truth.references.append(reference)
            elif referred <= year_end:
                truth.referred_without_reference.append(case["id"])
            if rng.random() < 0.6:
                decided = wd.add(referred, 30)
                omb["decision"] = rng.choice(("upheld", "not_upheld", "premature",
                                              "upheld_remedy_provided"))
                omb["decided"] = decided.isoformat()
                if decided <= year_end:
                    truth.decisions[omb["decision"]] += 1
                if omb["decision"] == "upheld":
                    for kind in ("payment", "review_others_affected"):
                        due = wd.add(decided, 20)
                        completed = rng.choice((wd.add(decided, 10), None))
                        remedies.append({"kind": kind, "source": "ombudsman",
                                         "due": due.isoformat(),
                                         **({"completed": completed.isoformat()}
                                            if completed else {})})
                        if due <= year_end:  # compliance counts in the year it falls due
                            if kind == "payment":
                                remedies[-1]["amount"] = 250.0
                                truth.payments += 250.0
                            truth.remedies[("ombudsman", _remedy_state(due, completed))] += 1
                            truth.remedy_kinds[kind] += 1
                            truth.recommendations_due[_remedy_state(due, completed)] += 1
                        if decided <= year_end:
                            truth.recommendations_made += 1
            case["ombudsman"] = omb
        if remedies:
            case["remedies"] = remedies
        cases.append(case)
    if year_start == YEAR_START:
        cases += _last_years_decisions(truth)
    return cases, truth


def _describe(case: dict[str, Any], rng: random.Random, truth: Truth) -> None:
    """The organisational unit, channel, complainant, advocacy and learning of a complaint, each
    counted in the plan (a representation that becomes a complaint counts too)."""
    service = case["service"]
    department, teams = UNITS[service]
    team = rng.choice(teams)
    case["unit"] = {"department": department, "team": team}
    case["channel"] = rng.choice(CHANNELS)
    truth.by_department[department] += 1
    truth.by_team[f"{department} / {team}"] += 1
    truth.by_channel[case["channel"]] += 1
    if service == "children_social_care":
        role = rng.choice(CHILD_ROLES)
        case["complainant"] = {"role": role, "age": 12 if role == "child" else 40}
        case["subject"] = {"status": ["looked_after"], "age": 12}
        if role == "child":  # s26A: a child making representations is entitled to an advocate
            truth.advocacy["entitled"] += 1
            taken = rng.random() < 0.5
            case["advocacy"] = {"offered": True, "taken_up": taken}
            truth.advocacy["offered"] += 1
            truth.advocacy["taken_up"] += taken
    else:
        role = rng.choice(ADULT_ROLES)
        case["complainant"] = {"role": role}
    truth.by_role[role] += 1
    if rng.random() < 0.3:
        case["learning"] = LEARNING
        case["actions"] = [ACTION] * rng.randint(1, 2)
        truth.learning[(service, "cases")] += 1
        truth.learning[(service, "actions")] += len(case["actions"])


def _last_years_decisions(truth: Truth) -> list[dict[str, Any]]:
    """Two complaints of 2024-25 that the Ombudsman decided in June 2025: this year's decisions
    and, for the one upheld, this year's compliance, though the complaints are last year's."""
    out = []
    for n, decision in enumerate(("upheld", "not_upheld"), start=1):
        case = {"id": f"P-{n:04d}", "received": "2024-10-01", "nation": "england",
                "service": "council_corporate", "channel": "written",
                "complainant": {"role": "service_user"},
                "unit": {"department": "Place", "team": "Highways"},
                "organisations": [{"id": "exampleshire", "kind": "local_authority"}],
                "matter": {"topics": ["highways"]},
                "events": [{"date": "2024-10-01", "type": "acknowledged"},
                           {"date": "2024-10-08", "type": "responded", "outcome": "not_upheld"},
                           {"date": "2025-01-06", "type": "referred_to_ombudsman",
                            "body": "LGSCO"}],
                "ombudsman": {"body": "LGSCO", "reference": f"LGSCO 24 000 {n:03d}",
                              "decision": decision, "decided": "2025-06-12"}}
        truth.references.append(case["ombudsman"]["reference"])
        truth.decisions[decision] += 1
        if decision == "upheld":
            case["remedies"] = [{"kind": "apology", "source": "ombudsman", "due": "2025-07-10",
                                 "completed": "2025-07-01"}]
            truth.remedies[("ombudsman", "completed_on_time")] += 1
            truth.remedy_kinds["apology"] += 1
            truth.recommendations_due["completed_on_time"] += 1
            truth.recommendations_made += 1
        out.append(case)
    return out


def median(values: list[int]) -> float:
    return float(statistics.median(values))


LAST_YEAR_START = YEAR_START.replace(year=YEAR_START.year - 1)

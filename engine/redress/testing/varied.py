"""A seeded, varied mix of cases for differential tests and benchmarks (never for legal
expectations: nothing here says what a result should be, only that two paths agree on it).

Each case comes with an evaluation date.  The mix reaches every bundled procedure (including
the partnership protocol and the local s75 example), all three calendars, events of every type
at every stage, receipt times after hours, and evaluation dates spread from the day of receipt
to long after the last event, so that cases are seen at every stage, open, overdue and closed.
A small share is broken on purpose (bad fields, impossible dates, events out of order).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

# (nation, service, organisation kinds, partnership, organisation ids)
SETTINGS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    ("england", "children_social_care", "local_authority", None, ()),
    ("england", "children_social_care", "local_authority", None, ()),
    ("england", "adult_social_care", "local_authority", None, ()),
    ("england", "adult_social_care", "care_provider", None, ()),
    ("england", "nhs", "nhs_body", None, ()),
    ("england", "nhs", "gp_practice", None, ()),
    ("england", "council_corporate", "local_authority", None, ()),
    ("england", "housing", "housing_provider", None, ()),
    ("england", "housing", "local_authority", None, ()),
    ("england", "public_health", "local_authority", None, ()),
    ("england", "education", "school", None, ()),
    ("england", "adult_social_care", "local_authority", "s75", ()),
    ("england", "nhs", "nhs_body", "s75", ("exampleshire-council", "exampleshire-mh-trust")),
    ("wales", "adult_social_care", "local_authority", None, ()),
    ("wales", "children_social_care", "local_authority", None, ()),
    ("wales", "council_corporate", "local_authority", None, ()),
    ("scotland", "council_corporate", "local_authority", None, ()),
    ("scotland", "adult_social_care", "local_authority", None, ()),
    ("northern_ireland", "council_corporate", "local_authority", None, ()),
    ("northern_ireland", "nhs", "nhs_body", None, ()),
)
ROLES = ("child", "parent", "person_with_parental_responsibility", "foster_parent",
         "special_guardian", "care_leaver", "service_user", "representative", "relative", "other")
STATUSES = ("looked_after", "child_in_need", "care_leaver", "disabled", "lacks_capacity")
TOPICS = ("other",)
OUTCOMES = ("upheld", "partly_upheld", "not_upheld", "resolved", "no_finding")
BODIES = ("lgsco", "phso", "housing-ombudsman", "psow", "spso", "nipso")
BROKEN_SHARE = 0.04


def _day(day: dt.date, rng: random.Random, low: int, high: int) -> str:
    return (day + dt.timedelta(days=rng.randint(low, high))).isoformat()


def _stage_events(rng: random.Random, number: int, day: dt.date,
                  last: bool) -> tuple[list[dict[str, Any]], dt.date]:
    stage = f"stage{number}"
    events: list[dict[str, Any]] = []
    if number > 1:
        day += dt.timedelta(days=rng.randint(1, 45))
        events.append({"date": day.isoformat(), "type": "escalation_requested", "to": stage,
                       **({"written": rng.random() < 0.7} if rng.random() < 0.3 else {})})
    if rng.random() < 0.85:
        day += dt.timedelta(days=rng.randint(0, 5))
        events.append({"date": day.isoformat(), "type": "acknowledged", "stage": stage})
    if rng.random() < 0.25:
        day += dt.timedelta(days=rng.randint(0, 8))
        events.append({"date": day.isoformat(), "type": "discussed", "stage": stage})
    if rng.random() < 0.2:
        day += dt.timedelta(days=rng.randint(1, 10))
        events.append({"date": day.isoformat(), "type": "period_agreed", "stage": stage,
                       "until": _day(day, rng, 20, 90)})
    if rng.random() < 0.25:
        day += dt.timedelta(days=rng.randint(1, 15))
        extension: dict[str, Any] = {"date": day.isoformat(), "type": "extension", "stage": stage,
                                     "consent": rng.choice(("told", "agreed"))}
        if rng.random() < 0.3:
            extension["reason"] = "complex enquiries"
        if rng.random() < 0.4:
            extension["days"] = rng.randint(1, 20)
        elif rng.random() < 0.5:
            extension["new_date"] = _day(day, rng, 5, 60)
        events.append(extension)
    if rng.random() < 0.1:
        day += dt.timedelta(days=rng.randint(1, 10))
        events.append({"date": day.isoformat(), "type": "deferred", "stage": stage,
                       "reason": "proceedings"})
        if rng.random() < 0.7:
            day += dt.timedelta(days=rng.randint(5, 60))
            events.append({"date": day.isoformat(), "type": "resumed", "stage": stage})
    if number == 3 and rng.random() < 0.7:
        day += dt.timedelta(days=rng.randint(5, 40))
        events.append({"date": day.isoformat(), "type": "panel_met"})
        if rng.random() < 0.7:
            day += dt.timedelta(days=rng.randint(1, 10))
            events.append({"date": day.isoformat(), "type": "panel_report_received"})
    if not last or rng.random() < 0.75:
        day += dt.timedelta(days=rng.randint(1, 70))
        response: dict[str, Any] = {"date": day.isoformat(), "type": "responded", "stage": stage,
                                    "outcome": rng.choice(OUTCOMES)}
        if rng.random() < 0.15:  # when the complainant received it
            response["received"] = _day(day, rng, 0, 6)
        events.append(response)
    elif rng.random() < 0.1:
        day += dt.timedelta(days=rng.randint(1, 30))
        events.append({"date": day.isoformat(), "type": "escalation_refused",
                       "to": f"stage{number + 1}"})
    return events, day


def varied_case(rng: random.Random, index: int) -> tuple[dict[str, Any], dt.date]:
    """One case and its evaluation date."""
    nation, service, kind, partnership, named = rng.choice(SETTINGS)
    received = dt.date(2019, 6, 1) + dt.timedelta(days=rng.randint(0, 2900))
    stamp = received.isoformat()
    if rng.random() < 0.15:
        stamp += f"T{rng.randint(7, 22):02d}:{rng.choice((0, 15, 30, 59)):02d}"
    events: list[dict[str, Any]] = []
    if rng.random() < 0.08:
        events.append({"date": _day(received, rng, -10, -1), "type": "forwarded",
                       "body": "org-forwarder", "received": stamp[:10]})
    if rng.random() < 0.1:
        events.append({"date": _day(received, rng, 0, 10), "type": "consent_given",
                       "scope": rng.choice(("information_sharing", "joint_investigation"))})
    day = received
    stages = rng.choice((0, 1, 1, 2, 2, 3, 3))
    for number in range(1, stages + 1):
        more, day = _stage_events(rng, number, day, number == stages)
        events += more
    if 0 < stages < 3 and rng.random() < 0.08 and events and events[-1]["type"] == "responded":
        # The complainant asks for the next stage and the body refuses to open it.
        day += dt.timedelta(days=rng.randint(1, 30))
        events.append({"date": day.isoformat(), "type": "escalation_requested",
                       "to": f"stage{stages + 1}"})
        day += dt.timedelta(days=rng.randint(0, 10))
        events.append({"date": day.isoformat(), "type": "escalation_refused",
                       "to": f"stage{stages + 1}"})
    if stages and rng.random() < 0.15:
        day += dt.timedelta(days=rng.randint(1, 200))
        events.append({"date": day.isoformat(), "type": "referred_to_ombudsman",
                       "body": rng.choice(BODIES)})
    if rng.random() < 0.05:
        day += dt.timedelta(days=rng.randint(1, 20))
        events.append({"date": day.isoformat(),
                       "type": rng.choice(("withdrawn", "resolved", "resolution_confirmed",
                                           "statement_agreed"))})
    rng.shuffle(events)  # events may come in any order
    ids = named or (f"org-{index % 11}",)
    organisations: list[dict[str, Any]] = [{"id": ids[0], "kind": kind}]
    if partnership:
        organisations[0]["partnership"] = partnership
        second = ids[1] if len(ids) > 1 else f"trust-{index % 5}"
        organisations.append({"id": second, "kind": "nhs_body", "partnership": partnership,
                              **({"lead": True} if rng.random() < 0.5 else {})})
    if rng.random() < 0.1:
        organisations[0]["funding"] = rng.choice(("council_funded", "self_funded",
                                                  "direct_payment"))
    occurred = received - dt.timedelta(days=rng.randint(0, 600))
    aware = occurred + dt.timedelta(days=rng.randint(0, (received - occurred).days))
    case: dict[str, Any] = {
        "id": f"MIX-{index:06d}", "received": stamp, "nation": nation, "service": service,
        "complainant": {"role": rng.choice(ROLES)},
        "organisations": organisations,
        "matter": {"occurred": occurred.isoformat(), "aware": aware.isoformat(),
                   "topics": list(TOPICS)},
        "events": events,
    }
    if rng.random() < 0.3:
        case["channel"] = rng.choice(("written", "oral", "electronic"))
    if rng.random() < 0.3:
        case["complainant"]["age"] = rng.randint(8, 95)
    if rng.random() < 0.2:
        case["subject"] = {"age": rng.randint(0, 25),
                           "status": rng.sample(STATUSES, rng.randint(1, 2))}
    if rng.random() < 0.1:
        case["matter"]["proceedings"] = [rng.choice(("court", "tribunal", "disciplinary"))]
    if rng.random() < 0.05:
        case["matter"]["previously_investigated"] = True
    _record_facts(case, rng, received)
    # Mostly seen while something is pending (just after a random event), otherwise later.
    if rng.random() < 0.6:
        moments = [received, *(dt.date.fromisoformat(e["date"][:10]) for e in events)]
        as_of = max(rng.choice(moments), received) + dt.timedelta(days=rng.randint(0, 30))
    else:
        as_of = day + dt.timedelta(days=rng.randint(0, 500))
    if rng.random() < BROKEN_SHARE:
        case = _broken(case, rng)
    return case, as_of


def _record_facts(case: dict[str, Any], rng: random.Random, received: dt.date) -> None:
    """What a report reads: the kind of record, decision, remedies, cost, unit, learning."""
    kind = rng.random()
    if kind < 0.02:
        case["record"] = "compliment"
    elif kind < 0.04:
        case["record"] = "routed_elsewhere"
        case["routed_to"] = "staff discipline"
    elif kind < 0.07:
        case["record"] = "representation"
        if rng.random() < 0.6:
            case["became_complaint"] = _day(received, rng, 0, 0)
    if rng.random() < 0.1:
        case["decision"] = {"outcome": rng.choice(("upheld", "partly_upheld", "not_upheld"))}
        case["remedies"] = [{"kind": "apology", "due": _day(received, rng, 10, 90),
                             **({"completed": _day(received, rng, 5, 120)}
                                if rng.random() < 0.5 else {})},
                            {"kind": "payment", "amount": rng.choice((50, 125.5)),
                             "source": rng.choice(("local", "ombudsman"))}]
        case["costs"] = [{"stage": "stage1", "item": "investigator", "amount": 300}]
    if rng.random() < 0.1:
        case["unit"] = {"department": "Children's services",
                        **({"team": "North"} if rng.random() < 0.5 else {})}
        case["advocacy"] = {"offered": True, "taken_up": rng.random() < 0.5}
        case["learning"] = "Reply to letters within ten days."
        case["actions"] = ["A new letters log"]
    if rng.random() < 0.05:
        case["ombudsman"] = {"body": rng.choice(BODIES), "reference": f"REF-{rng.randint(1, 999)}"}


def _broken(case: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    broken = copy.deepcopy(case)
    choice = rng.randrange(6)
    if choice == 0:
        broken.pop(rng.choice(("id", "received", "nation", "service", "events")))
    elif choice == 1:
        broken["received"] = rng.choice(("2025-02-30", "yesterday", "2025-13-01", 20250101))
    elif choice == 2:
        broken["nation"] = "mercia"
    elif choice == 3:
        broken["events"].append({"date": "2001-01-01", "type": "responded", "stage": "stage1"})
    elif choice == 4:
        broken["events"].append({"date": case["received"][:10], "type": "escalation_requested"})
    else:
        broken["matter"]["aware"] = "2024-02-31"
    return broken


def varied_cases(count: int, seed: int = 1) -> list[tuple[dict[str, Any], dt.date]]:
    """``count`` cases with their evaluation dates, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - a seeded test generator, not a secret
    return [varied_case(rng, i) for i in range(count)]

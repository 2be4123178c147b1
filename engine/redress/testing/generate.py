"""Synthetic cases for load, thread-safety and benchmark runs (never for legal expectations).

Cases are varied across the bundled procedures, nations and stages, with event histories that
are consistent (each stage requested after the previous response), so they evaluate cleanly.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from typing import Any

SERVICES: tuple[tuple[str, str, str], ...] = (
    ("england", "children_social_care", "local_authority"),
    ("england", "adult_social_care", "local_authority"),
    ("england", "nhs", "nhs_body"),
    ("england", "council_corporate", "local_authority"),
    ("england", "housing", "housing_provider"),
    ("wales", "adult_social_care", "local_authority"),
    ("scotland", "council_corporate", "local_authority"),
    ("northern_ireland", "council_corporate", "local_authority"),
)
ROLES = ("child", "parent", "service_user", "relative", "representative", "care_leaver")


def _workday(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    return day + dt.timedelta(days=rng.randint(low, high))


def random_case(rng: random.Random, index: int) -> dict[str, Any]:
    """One consistent synthetic case."""
    nation, service, kind = rng.choice(SERVICES)
    # Received by 30 Apr 2026, so a caseload checked on 1 Jun 2026 holds no complaint from
    # the future (an evaluation date before receipt is a case error).
    received = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 850))
    events: list[dict[str, Any]] = []
    day = received
    stages = rng.randint(0, 3)
    for number in range(1, stages + 1):
        if number > 1:
            day = _workday(rng, day, 1, 30)
            events.append({"date": day.isoformat(), "type": "escalation_requested",
                           "to": f"stage{number}"})
        day = _workday(rng, day, 0, 4)
        events.append({"date": day.isoformat(), "type": "acknowledged",
                       "stage": f"stage{number}"})
        if rng.random() < 0.3:
            day = _workday(rng, day, 1, 10)
            events.append({"date": day.isoformat(), "type": "extension",
                           "stage": f"stage{number}", "consent": "told"})
        if rng.random() < 0.8 or number < stages:
            day = _workday(rng, day, 3, 40)
            events.append({"date": day.isoformat(), "type": "responded",
                           "stage": f"stage{number}", "outcome": "not_upheld"})
    rng.shuffle(events)  # events may come in any order
    occurred = received - dt.timedelta(days=rng.randint(0, 500))
    return {
        "id": f"GEN-{index:06d}", "received": received.isoformat(), "nation": nation,
        "service": service, "complainant": {"role": rng.choice(ROLES)},
        "organisations": [{"id": f"org-{index % 7}", "kind": kind}],
        "matter": {"occurred": occurred.isoformat(), "aware": occurred.isoformat(),
                   "topics": ["other"]},
        "events": events,
    }


def random_cases(count: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    return [random_case(rng, i) for i in range(count)]


def as_of_for(case: dict[str, Any]) -> dt.date:
    """An evaluation date after every event of the case."""
    last = max([case["received"], *(e["date"] for e in case["events"])])
    return dt.date.fromisoformat(last) + dt.timedelta(days=10)


def value_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON-like value (the root first), for fuzz tests that mutate it."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += value_paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += value_paths(v, (*prefix, i))
    return out


def mutated(case: dict[str, Any], rng: random.Random, junk: Sequence[Any],
            rounds: tuple[int, int] = (1, 3), extra_keys: Sequence[str] = ()) -> dict[str, Any]:
    """A copy of ``case`` broken at random, ``rounds`` times: a member dropped, a list item
    repeated, a member named in ``extra_keys`` added, or a value replaced by one of ``junk``."""
    broken = copy.deepcopy(case)
    for _ in range(rng.randint(*rounds)):
        path = rng.choice([p for p in value_paths(broken) if p])
        parent: Any = broken
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.2 and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif action < 0.3 and isinstance(parent, list):
            parent.append(copy.deepcopy(rng.choice(parent) if parent else rng.choice(junk)))
        elif action < 0.4 and extra_keys and isinstance(parent, dict):
            parent[rng.choice(extra_keys)] = copy.deepcopy(rng.choice(junk))
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(junk))
    return broken


# --- caseloads for the batch benchmark and tests ----------------------------------------------

PARTNERSHIP_ORGS = ({"id": "exampleshire-mh-trust", "kind": "nhs_body", "partnership": "s75"},
                    {"id": "exampleshire-council", "kind": "local_authority",
                     "partnership": "s75"})
BAD_KINDS = ("not_json", "unknown_nation", "not_a_date")


def caseload_case(rng: random.Random, index: int) -> dict[str, Any]:
    """One case of a realistic caseload: every bundled procedure, every stage, all three
    calendars (England and Wales, Scotland, Northern Ireland), and a joint s75 complaint."""
    case = random_case(rng, index)
    if rng.random() < 0.08:  # a complaint to an integrated mental health team (partnership)
        case.update(nation="england", service="nhs",
                    organisations=[dict(o) for o in PARTNERSHIP_ORGS],
                    matter={**case["matter"], "topics": ["mental_health", "health_treatment"]})
    elif rng.random() < 0.04:  # a withdrawn or resolved complaint
        last = max([case["received"], *(e["date"] for e in case["events"])])
        day = dt.date.fromisoformat(last) + dt.timedelta(days=rng.randint(1, 20))
        case["events"].append({"date": day.isoformat(),
                               "type": rng.choice(("withdrawn", "resolved"))})
    return case


def caseload_lines(count: int, seed: int = 1, bad_rate: float = 0.01) -> Iterator[str]:
    """``count`` JSON Lines records (each ending in a newline) with about ``bad_rate`` bad ones:
    a torn JSON line, an unknown nation, or a date that does not exist."""
    rng = random.Random(seed)  # noqa: S311 - a seeded test generator, not a secret
    for index in range(count):
        case = caseload_case(rng, index)
        if rng.random() < bad_rate:
            kind = rng.choice(BAD_KINDS)
            if kind == "not_json":
                yield json.dumps(case)[: rng.randint(1, 60)] + "\n"
                continue
            if kind == "unknown_nation":
                case["nation"] = "atlantis"
            else:
                case["received"] = case["received"][:8] + "31" if case["received"][5:7] in (
                    "02", "04", "06", "09", "11") else case["received"][:5] + "02-30"
        yield json.dumps(case, separators=(",", ":")) + "\n"

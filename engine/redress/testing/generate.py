"""Synthetic cases for load, thread-safety and benchmark runs (never for legal expectations).

Cases are varied across the bundled procedures, nations and stages, with event histories that
are consistent (each stage requested after the previous response), so they evaluate cleanly.
"""

from __future__ import annotations

import datetime as dt
import random
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
    received = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
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

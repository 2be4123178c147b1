"""The quicker parts of reading a case say exactly what the slower ones they replaced said.

Issue 24, round 3: a date is tested without a regular expression, and events are read and
ordered in one pass; each is checked here against the plain statement of what it must do.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from typing import Any

from redress.evaluation.case import SAME_DAY_ORDER, _events
from redress.evaluation.case_errors import _enum_hint, moment
from redress.evaluation.case_types import _DATE, _is_date, _node, decode
from redress.findings import choice_hint
from redress.resources import schema_path
from redress.testing.varied import varied_cases


def _regex_and_real(value: str) -> bool:
    """jsonschema's test of ``format: date``: the pattern, then a real date."""
    if _DATE.fullmatch(value) is None:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def test_a_date_is_tested_as_jsonschema_tests_it() -> None:
    rng = random.Random(7)
    alphabet = "0123456789-TW :\n\u0662\u00b2+Z."
    samples = ["2025-03-03", "0001-01-01", "0000-01-01", "9999-12-31", "2024-02-29", "2025-02-29",
               "2025-02-30", "20250303", "2025-W10-1", "2025W101", "2025-062", "2025-03-03\n",
               "\u0662\u0660\u0662\u0665-01-01", "2025-1-01", "2025-01-1", " 2025-01-01",
               "2025-01-01T10:00", "2025-13-01", "2025-00-10", "2025-01-00", "+2025-01-01", ""]
    for _ in range(20000):
        if rng.random() < 0.5:  # near a date: one character changed, dropped or added
            text = list(dt.date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28))
                        .isoformat())
            spot = rng.randrange(len(text))
            choice = rng.random()
            if choice < 0.4:
                text[spot] = rng.choice(alphabet)
            elif choice < 0.7:
                del text[spot]
            else:
                text.insert(spot, rng.choice(alphabet))
            samples.append("".join(text))
        else:
            samples.append("".join(rng.choice(alphabet) for _ in range(rng.randint(8, 11))))
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    either = _node(schema["properties"]["events"]["items"]["properties"]["date"], "Date")[1]
    timed = re.compile(schema["properties"]["events"]["items"]["properties"]["date"]["anyOf"][1]
                       ["pattern"])
    assert either is not None
    accepted = 0
    for value in [*samples, *(s[:10] + "T10:30" for s in samples)]:
        assert _is_date(value) is _regex_and_real(value), value
        assert either(value) is (_regex_and_real(value) or timed.search(value) is not None), value
        accepted += _is_date(value)
    assert 500 < accepted < len(samples) - 500


def _old_order(events: list[Any]) -> list[tuple[int, dt.date, dt.time | None]]:
    """The order the events were sorted in before: by date, time, same-day order, file order."""
    read = []
    for index, raw in enumerate(events):
        day, time = moment(raw.date)
        read.append((day, time or dt.time.min, SAME_DAY_ORDER.get(raw.type, 9), index, time))
    return [(index, day, time) for day, _t, _o, index, time in sorted(read)]


def test_events_are_read_and_ordered_as_before() -> None:
    rng = random.Random(3)
    compared = 0
    for case, _as_of in varied_cases(300, seed=5):
        events = list(case.get("events") or [])
        rng.shuffle(events)
        for event in events[:2]:  # some on one day, some with a time
            if rng.random() < 0.5:
                event = dict(event, date=event["date"][:10] + "T09:30")
            events.append(event)
        wire = decode(dict(case, events=events))
        if wire is None:
            continue
        read = _events(wire.events)
        assert [(e.index, e.date, e.time) for e in read] == _old_order(list(wire.events))
        assert all(read[i].type == wire.events[read[i].index].type for i in range(len(read)))
        compared += 1
    assert compared > 200


def test_an_enumeration_hint_is_the_one_choice_hint_gives() -> None:
    allowed = ["england", "wales", "scotland", "northern_ireland", "acknowledged", "responded"]
    words: list[Any] = ["England", "wales", "Wales", "northern-ireland", "respnded", "x", "", 3,
                        None, ["wales"], "w" * 300, "scotland\n", "ack_nowledged"]
    for word in [*words, *words]:  # the second time from what was looked up the first
        for choices in (allowed, allowed[:4], allowed[4:]):
            assert _enum_hint(word, choices) == choice_hint(word, choices, short=0), word

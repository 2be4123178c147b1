"""Hypothesis strategies for cases, read from ``schemas/case.schema.json``.

Every enum, required key and optional key comes from the schema, so a case field added there is
generated here without a change.  Dates fall in 2023–2027 so that they meet; topics come from
the fact catalogue.  Cases are schema-valid by construction except for the conditional
requirements (``allOf``/``if``/``then``), which callers filter with the schema itself.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from hypothesis import strategies as st

from redress.resources import data_dir, schema_path

FIRST, LAST = dt.date(2023, 1, 1), dt.date(2027, 6, 30)
DATE_WORDS = ("received", "date", "occurred", "aware", "new_date", "until")


@cache  # the catalogue is a large YAML file: read it once, not on every draw
def _topics() -> tuple[str, ...]:
    import yaml

    facts = yaml.safe_load((data_dir("rules") / "facts.yaml").read_text(encoding="utf-8"))
    catalogue = facts.get("facts", facts)
    return tuple(str(v) for v in catalogue["matter.topics"]["values"])


def iso_dates() -> st.SearchStrategy[str]:
    return st.dates(FIRST, LAST).map(dt.date.isoformat)


def from_schema(node: dict[str, Any], name: str = "") -> st.SearchStrategy[Any]:
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        required = {k: from_schema(v, k) for k, v in props.items()
                    if k in node.get("required", ()) and k != "$schema"}
        optional = {k: from_schema(v, k) for k, v in props.items()
                    if k not in node.get("required", ()) and k != "$schema"}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "array":
        items = node.get("items", {})
        if name == "topics":
            element: st.SearchStrategy[Any] = st.sampled_from(_topics())
        else:
            element = from_schema(items, name)
        unique = bool(node.get("uniqueItems"))
        low = int(node.get("minItems", 0))
        high = 6 if name == "events" else 3
        return st.lists(element, min_size=low, max_size=max(low, high), unique=unique)
    if kind == "integer":
        return st.integers(node.get("minimum", 0), node.get("maximum", 120))
    if kind == "boolean":
        return st.booleans()
    if name in DATE_WORDS or node.get("format") == "date":
        return iso_dates()
    if name == "id":
        return st.sampled_from(["council", "trust", "CASE-1", "x"])
    return st.text(alphabet="abcdefghij -", min_size=1, max_size=12)


@cache  # one strategy, built once; Hypothesis draws from the same object every time
def cases() -> st.SearchStrategy[dict[str, Any]]:
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    return from_schema(schema)


@st.composite
def plausible_cases(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date]:
    """A schema case with its dates put in a believable order (matter, receipt, events, the
    evaluation date) and, mostly, a nation and service some procedure covers, so that most
    cases get as far as a procedure; returned with an evaluation date after its events."""
    from redress.testing.generate import SERVICES

    case = dict(draw(cases()))
    received = draw(st.dates(FIRST, dt.date(2026, 12, 31)))
    case["received"] = received.isoformat()
    if draw(st.booleans()) or draw(st.booleans()):
        nation, service, kind = draw(st.sampled_from(SERVICES))
        case.update(nation=nation, service=service,
                    organisations=[{"id": "council", "kind": kind}])
    events = []
    for event in case.get("events", []):
        offset = draw(st.integers(0, 150))
        events.append({**event, "date": (received + dt.timedelta(days=offset)).isoformat()})
    case["events"] = events
    matter = dict(case.get("matter") or {})
    for key in ("occurred", "aware"):
        if key in matter:
            matter[key] = (received - dt.timedelta(days=draw(st.integers(0, 400)))).isoformat()
    if matter:
        case["matter"] = matter
    last = max([received, *(dt.date.fromisoformat(e["date"]) for e in events)])
    return case, last + dt.timedelta(days=draw(st.integers(0, 120)))

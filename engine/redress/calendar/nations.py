"""Each nation's non-working days, worked out from the ``holidays`` package and the overrides.

This is where the calendars' data comes from.  It runs when the prebuilt tables are made
(``python -m redress.calendar.tables``, at packaging time) and whenever the tables are missing or
out of date; an evaluation otherwise never imports ``holidays``.  Layers, in order:

1. ``holidays.country_holidays("GB", subdiv=...)`` for the nation (ENG serves England and Wales:
   holidays' ENG and WLS subdivisions are identical, checked in the contract tests);
2. ``calendar/overrides.json``, where the official GOV.UK list wins over ``holidays``;
3. Christmas Day, Boxing Day and Good Friday, which no override can remove because the
   working-day definitions of the regulations name them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from redress.calendar.working_days import (
    CALENDAR_NAMES,
    COVERED_END,
    COVERED_START,
    Override,
    unknown_calendar,
)

OVERRIDES_FILE = "overrides.json"
SUBDIVISIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}


def _holidays_days(subdiv: str, years: range) -> dict[date, str]:
    """Bank holidays of one subdivision, substitute days named "(substitute day)" as GOV.UK does."""
    import holidays

    source: Mapping[date, str] = holidays.country_holidays(
        "GB", subdiv=subdiv, years=years, language="en_GB"
    )
    return {d: name.replace(" (observed)", " (substitute day)") for d, name in source.items()}


def _statutory_days(year: int) -> dict[date, str]:
    """Christmas Day, Boxing Day and Good Friday, which the working-day definitions name directly
    (SI 2006/1738 reg 2, SI 2009/309 reg 2(1), SI 2014/1794 reg 2) whether or not they are bank
    holidays."""
    from dateutil.easter import easter

    return {
        date(year, 12, 25): "Christmas Day",
        date(year, 12, 26): "Boxing Day",
        easter(year) - timedelta(days=2): "Good Friday",
    }


def _parse_override(entry: Mapping[str, Any], where: str) -> Override:
    try:
        day = date.fromisoformat(entry["date"])
        action = entry.get("action", "add")
        nations = tuple(entry["nations"])
        name = str(entry["name"]).strip()
        source = str(entry["source"]).strip()
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: malformed override entry {entry!r}: {exc}") from exc
    if action not in ("add", "remove"):
        raise ValueError(f"{where}: override action must be 'add' or 'remove', not {action!r}")
    unknown = [n for n in nations if n not in CALENDAR_NAMES]
    if unknown or not nations:
        raise ValueError(f"{where}: override for {day} names unknown nations {unknown or nations}")
    if not name or not source:
        raise ValueError(f"{where}: override for {day} needs a name and a source")
    return Override(day, action, nations, name, source)


def parse_overrides(text: str, where: str = OVERRIDES_FILE) -> tuple[str, tuple[Override, ...]]:
    """Parse an overrides document; returns its ``revised`` stamp and its entries."""
    doc = json.loads(text)
    revised = str(doc.get("revised", "")).strip()
    if not revised:
        raise ValueError(f"{where}: missing 'revised' date")
    entries = tuple(_parse_override(e, where) for e in doc.get("entries", []))
    return revised, entries


@cache
def shipped_overrides() -> tuple[str, tuple[Override, ...]]:
    """The ``revised`` stamp and entries of the overrides file shipped in the package."""
    # A file next to this module (the package is a folder on disk, see ``redress.resources``).
    text = Path(__file__).with_name(OVERRIDES_FILE).read_text(encoding="utf-8")
    return parse_overrides(text)


def holidays_version() -> str:
    from importlib import metadata

    return metadata.version("holidays")


def nation_days(name: str, overrides: Sequence[Override] | None = None,
                overrides_revised: str | None = None) -> tuple[dict[date, str], str]:
    """A nation's named non-working days over the covered years, and their data version.

    ``overrides`` are the shipped file's unless given.  Raises ``UnknownCalendarError`` for a
    name that is not one of ``CALENDAR_NAMES``.
    """
    subdiv = SUBDIVISIONS.get(name)
    if subdiv is None:
        raise unknown_calendar(name)
    if overrides is None:
        overrides_revised, overrides = shipped_overrides()
    years = range(COVERED_START.year, COVERED_END.year + 1)
    days = _holidays_days(subdiv, years)
    for o in overrides:
        if name not in o.nations:
            continue
        if o.action == "add":
            days[o.day] = o.name
        else:
            days.pop(o.day, None)
    for year in years:
        for day, reason in _statutory_days(year).items():
            days.setdefault(day, reason)
    version = f"holidays {holidays_version()} + overrides {overrides_revised or 'custom'}"
    return days, version


__all__ = ["OVERRIDES_FILE", "SUBDIVISIONS", "holidays_version", "nation_days",
           "parse_overrides", "shipped_overrides"]

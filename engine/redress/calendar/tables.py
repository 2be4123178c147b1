"""Prebuilt calendar tables: each nation's named non-working days, made once at packaging time.

Building a calendar from ``holidays`` costs about a tenth of a second per nation and an import
of ``holidays`` itself, on every start of a process.  So the days are worked out once, by

    python -m redress.calendar.make_tables   # rewrites calendar/holiday_tables.json

when ``holidays`` is re-pinned or ``calendar/overrides.json`` changes, and shipped with the
package (the file is committed, so a fresh clone works too).  ``tests/contract`` checks the file
equals a fresh build from ``holidays`` and the overrides, day for day.  A table file that is
missing, unreadable or made from an older overrides file (its ``revised`` stamp differs) is not
used: the calendar is then built from ``holidays`` as before.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from redress.calendar.nations import holidays_version, nation_days, shipped_overrides
from redress.calendar.working_days import CALENDAR_NAMES, COVERED_END, COVERED_START

TABLE_FILE = "holiday_tables.json"
FORMAT = 1


def build_tables() -> dict[str, Any]:
    """The table document, worked out afresh from ``holidays`` and the shipped overrides."""
    revised, _entries = shipped_overrides()
    calendars = {}
    for name in CALENDAR_NAMES:
        days, version = nation_days(name)
        calendars[name] = {"data_version": version,
                           "days": [[d.isoformat(), days[d]] for d in sorted(days)]}
    return {"format": FORMAT, "holidays": holidays_version(), "overrides_revised": revised,
            "start": COVERED_START.isoformat(), "end": COVERED_END.isoformat(),
            "calendars": calendars}


def table_path() -> Path:
    return Path(__file__).with_name(TABLE_FILE)  # next to this module, as ``nations`` finds its own


def write_tables(path: Path | None = None) -> Path:
    target = path or table_path()
    target.write_bytes(orjson.dumps(build_tables(), option=orjson.OPT_INDENT_2) + b"\n")
    return target


@cache
def _document() -> dict[str, Any] | None:
    try:
        doc = orjson.loads(table_path().read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    usable = (isinstance(doc, dict) and doc.get("format") == FORMAT
              and doc.get("start") == COVERED_START.isoformat()
              and doc.get("end") == COVERED_END.isoformat()
              and doc.get("overrides_revised") == shipped_overrides()[0])
    return doc if usable else None


def prebuilt(name: str) -> tuple[dict[date, str], str] | None:
    """A nation's named non-working days and data version from the shipped table, or None."""
    doc = _document()
    entry = doc["calendars"].get(name) if doc else None
    if entry is None:
        return None
    fromiso = date.fromisoformat
    return {fromiso(day): reason for day, reason in entry["days"]}, str(entry["data_version"])


def data_version(name: str) -> str | None:
    """The data version a nation's prebuilt table states, without building the calendar."""
    doc = _document()
    entry = doc["calendars"].get(name) if doc else None
    return None if entry is None else str(entry["data_version"])


__all__ = ["TABLE_FILE", "build_tables", "data_version", "prebuilt", "table_path", "write_tables"]

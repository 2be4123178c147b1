"""Working days per UK nation, and periods in weeks, months and years.

The bottom of the pipeline: it imports nothing from Redress but ``errors``.  ``working_days``
holds the calendar and its O(1) arithmetic; ``nations`` works out each nation's non-working days
from the ``holidays`` package plus checked overrides; ``tables`` ships them prebuilt so that a
process never has to import ``holidays``; ``registry`` hands out the calendars by name;
``periods`` adds calendar months, weeks and years under the two statutory readings;
``counting`` turns a policy's period and counting convention into a due date with its skipped
days.
"""

from __future__ import annotations

from redress.calendar.nations import parse_overrides, shipped_overrides
from redress.calendar.registry import build_calendar, calendar_data_version, get_calendar
from redress.calendar.working_days import (
    CALENDAR_NAMES,
    COVERED_END,
    COVERED_START,
    OFFICIAL_DATA_UNTIL,
    Override,
    SkippedDay,
    UnknownCalendarError,
    WorkingDayCalendar,
    WorkingDaySpan,
)

__all__ = [
    "CALENDAR_NAMES",
    "COVERED_END",
    "COVERED_START",
    "OFFICIAL_DATA_UNTIL",
    "Override",
    "SkippedDay",
    "UnknownCalendarError",
    "WorkingDayCalendar",
    "WorkingDaySpan",
    "build_calendar",
    "calendar_data_version",
    "get_calendar",
    "parse_overrides",
    "shipped_overrides",
]

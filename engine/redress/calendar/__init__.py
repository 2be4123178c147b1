"""Working days per UK nation, and periods in weeks, months and years.

The bottom of the pipeline: it imports nothing from Redress but ``errors``.  ``working_days``
builds each nation's calendar from the ``holidays`` package plus checked overrides;
``periods`` adds calendar months, weeks and years under the two statutory readings; ``counting``
turns a policy's period and counting convention into a due date with its skipped days.
"""

from __future__ import annotations

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
    build_calendar,
    get_calendar,
    parse_overrides,
    shipped_overrides,
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
    "get_calendar",
    "parse_overrides",
    "shipped_overrides",
]

"""The nation calendars by name: from the prebuilt tables, or built from ``holidays``."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from redress.calendar.nations import nation_days
from redress.calendar.tables import data_version, prebuilt
from redress.calendar.working_days import CALENDAR_NAMES, Override, WorkingDayCalendar, unknown_calendar


def build_calendar(
    name: str,
    overrides: Sequence[Override] | None = None,
    *,
    overrides_revised: str | None = None,
) -> WorkingDayCalendar:
    """Build a nation calendar afresh from ``holidays``.  Prefer the cached :func:`get_calendar`.

    Layers, in order: ``holidays`` for the nation; the overrides (the shipped file unless given),
    where the official GOV.UK list wins over ``holidays``; then Christmas Day, Boxing Day and Good
    Friday, which no override can remove because the regulations name them.
    """
    days, version = nation_days(name, overrides, overrides_revised)
    return WorkingDayCalendar(name, days, data_version=version)


@functools.cache
def get_calendar(name: str) -> WorkingDayCalendar:
    """The named nation calendar, built once per process (from the prebuilt table when it is
    current, see ``calendar/tables.py``).

    ``name`` is one of :data:`CALENDAR_NAMES`.  An unknown name raises
    :class:`UnknownCalendarError` (a ``KeyError``) listing the valid names.
    """
    if name not in CALENDAR_NAMES:
        raise unknown_calendar(name)
    table = prebuilt(name)
    if table is None:
        return build_calendar(name)
    days, version = table
    return WorkingDayCalendar(name, days, data_version=version)


def calendar_data_version(name: str = "england-and-wales") -> str:
    """A nation calendar's data version (the audit stamp), without building it when the
    prebuilt table states it."""
    return data_version(name) or get_calendar(name).data_version


__all__ = ["build_calendar", "calendar_data_version", "get_calendar"]

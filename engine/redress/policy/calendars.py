"""The working-day calendar a policy counts in: its nation's, with the body's closure days."""

from __future__ import annotations

import datetime as dt
from functools import cache

from redress.calendar import WorkingDayCalendar, get_calendar
from redress.policy.model import Policy


def policy_calendar(policy: Policy, name: str | None = None) -> WorkingDayCalendar:
    """The calendar ``name`` (the policy's own by default), with the body's closures layered on
    when the policy has any."""
    if not policy.closures:
        return get_calendar(name or policy.calendar)
    return _with_closures(name or policy.calendar, f"{policy.id}-closures", policy.closures)


@cache
def _with_closures(name: str, layer: str,
                   closures: tuple[tuple[dt.date, str], ...]) -> WorkingDayCalendar:
    # Built once per calendar, layer and set of days: a new table costs milliseconds.
    return get_calendar(name).with_closures(layer, closures)


__all__ = ["policy_calendar"]

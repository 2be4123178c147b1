"""How a case's clocks stop: a refused stage, a withdrawal, a resolution or a deferral.

Pure functions of the case's events and its computed deadlines, shared by the compiled path
(``timeline``, over ``Clock``) and the reference path before issue 24 (over ``Deadline``): each
caller passes the ``replace`` of its own record type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Protocol, TypeVar

from redress.evaluation.case import Event
from redress.evaluation.deadlines import NOT_APPLICABLE

ENDING = frozenset({"withdrawn", "resolved", "deferred", "resumed", "referred_to_ombudsman"})


class Stoppable(Protocol):
    """What stopping a deadline reads: ``Clock`` and ``Deadline`` both have it."""

    @property
    def stage(self) -> str: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def anchor_date(self) -> dt.date: ...
    @property
    def met_on(self) -> dt.date | None: ...
    @property
    def state(self) -> str: ...
    @property
    def flags(self) -> tuple[str, ...]: ...


D = TypeVar("D", bound=Stoppable)


class Ends(NamedTuple):
    """The last withdrawal, resolution and referral, the deferral still in force, and the dates
    of a deferral since resumed (``resumed``)."""

    withdrawn: Event | None
    resolved: Event | None
    deferred: Event | None
    referral: Event | None
    resumed: tuple[dt.date, dt.date] | None

    def stop(self) -> tuple[dt.date, str] | None:
        """The first event that stops the open stage clocks, and its word."""
        stops = [(e.date, word) for e, word in ((self.withdrawn, "withdrawn"),
                                                (self.resolved, "resolved"),
                                                (self.deferred, "deferred")) if e is not None]
        return min(stops) if stops else None


def case_ends(events: Iterable[Event]) -> Ends:
    """The case's ending events, read in one pass (the last of each kind counts)."""
    last: dict[str, Event] = {}
    for event in events:
        if event.type in ENDING:
            last[event.type] = event
    deferred, resumed = last.get("deferred"), last.get("resumed")
    in_force = deferred if deferred and (not resumed or resumed.date < deferred.date) else None
    span = (deferred.date, resumed.date) if deferred and resumed and in_force is None else None
    return Ends(last.get("withdrawn"), last.get("resolved"), in_force,
                last.get("referred_to_ombudsman"), span)


def suspended(deadlines: list[D], stop: dt.date, why: str, replace: Callable[..., D]) -> list[D]:
    """After a withdrawal, resolution or deferral, open stage deadlines no longer run.

    A clock started by (or after) that event keeps running: e.g. the Welsh duty to confirm the
    terms of a resolution within 5 working days of it.
    """
    return [replace(d, state=NOT_APPLICABLE, working_days_remaining=None, flags=(*d.flags, why))
            if (d.stage.startswith("stage") and d.met_on is None and d.due >= stop
                and d.anchor_date < stop) else d
            for d in deadlines]


def refused(deadlines: list[D], events: Iterable[Event], replace: Callable[..., D]) -> list[D]:
    """A stage the body refused to open (``escalation_refused`` with ``to``): its clocks stop.

    The refusal is the body's answer to the request; its open deadlines no longer run, and the
    Ombudsman rules treat the refusal itself (``local.escalation_refused``).
    """
    refusals = {e.to for e in events if e.type == "escalation_refused" and e.to}
    if not refusals:
        return deadlines
    return [replace(d, state=NOT_APPLICABLE, working_days_remaining=None, provisional=False,
                    flags=(*(f for f in d.flags if f != "provisional"), "escalation-refused"))
            if d.stage in refusals and d.met_on is None and d.state != NOT_APPLICABLE else d
            for d in deadlines]


def stopped(deadlines: list[D], events: tuple[Event, ...], ends: Ends,
            replace: Callable[..., Any]) -> list[D]:
    """The deadlines once refused stages and the first ending event have stopped them."""
    deadlines = refused(deadlines, events, replace)
    stop = ends.stop()
    return suspended(deadlines, *stop, replace) if stop else deadlines


__all__ = ["Ends", "case_ends", "refused", "stopped", "suspended"]

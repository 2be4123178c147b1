"""The plain values the compiled clocks work with: a stage's progress and one computed deadline.

A :class:`Clock` is a deadline without its words: the due date, the state and the flags are
worked out; how the date was reached is kept as a recipe (``why``: a wording function and its
arguments) and written out only when a full result or an explanation asks
(:meth:`Clock.basis`).  Both are frozen ``msgspec`` structs: a case makes a dozen of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from msgspec import Struct

from redress.evaluation.case import Event
from redress.evaluation.deadlines import MET, MISSED, PENDING, Deadline
from redress.evaluation.frozen import made
from redress.policy.model import Citation, Stage


class Progress(Struct, frozen=True, gc=False):
    """What has happened at one stage: the dates of its events by anchor name."""

    stage: Stage
    opened_on: dt.date
    dates: Mapping[str, dt.date]
    outcome: str | None
    extensions: tuple[Event, ...]
    agreed_periods: tuple[Event, ...]

    @property
    def id(self) -> str:
        return self.stage.id

    @property
    def responded_on(self) -> dt.date | None:
        return self.dates.get("responded")


class Clock(Struct, frozen=True, gc=False):
    """One computed deadline, its basis not yet written (see ``Deadline`` for the fields)."""

    stage: str
    kind: str
    title: str
    due: dt.date
    anchor: str
    anchor_date: dt.date
    state: str
    met_on: dt.date | None
    working_days_remaining: int | None
    citation: Citation
    flags: tuple[str, ...]
    provisional: bool
    note: str | None
    why: tuple[Any, ...]

    @property
    def key(self) -> str:
        return f"{self.stage}.{self.kind}"

    def basis(self) -> str:
        """How the due date was reached, in words."""
        words: str = self.why[0](*self.why[1:])
        return words

    def deadline(self) -> Deadline:
        """The deadline of the result contract, with its basis written out."""
        return made(Deadline, {
            "stage": self.stage, "kind": self.kind, "title": self.title, "due": self.due,
            "anchor": self.anchor, "anchor_date": self.anchor_date, "basis": self.basis(),
            "state": self.state, "met_on": self.met_on,
            "working_days_remaining": self.working_days_remaining, "citation": self.citation,
            "flags": self.flags, "provisional": self.provisional, "note": self.note})


def state_of(due: dt.date, met_on: dt.date | None, as_of: dt.date) -> str:
    """``met``/``missed`` once done, else ``pending`` until the due date has passed."""
    if met_on is not None:
        return MET if met_on <= due else MISSED
    return PENDING if as_of <= due else MISSED


__all__ = ["Clock", "Progress", "state_of"]

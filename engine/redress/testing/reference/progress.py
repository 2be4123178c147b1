"""What has happened at one stage, as the evaluation path before issue 24 kept it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from redress.policy.model import Stage
from redress.testing.reference.case import Event


@dataclass(frozen=True)
class StageProgress:
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

"""How figures read in a report: counts, shares, days and money in words, with the small-number
suppression of a publication.

In a publication (``redress report --publish``) a count from 1 to one less than the threshold
reads "<N" and draws as nothing in a chart, and a share reads "*" when its denominator is below
the threshold or its numerator is suppressed, so a small group cannot be worked out from it.
Zero is shown: it identifies no one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SUPPRESSED_SHARE = "*"


@dataclass(frozen=True)
class Presenter:
    publish: bool = False
    threshold: int = 5      # in a publication, counts below this (and above 0) are suppressed

    def hidden(self, count: int | None) -> bool:
        return self.publish and count is not None and 0 < count < self.threshold

    def n(self, count: Any) -> str:
        if count is None:
            return "–"
        if self.hidden(int(count)):
            return f"<{self.threshold}"
        return f"{int(count):,}"

    def bar(self, count: Any) -> float:
        """A value to draw: suppressed counts are not drawn."""
        value = float(count or 0)
        return 0.0 if self.hidden(int(value)) else value

    def pct(self, part: Mapping[str, Any] | None) -> str:
        """A share ({numerator, denominator, share}) as a percentage, "–" when there is none."""
        if not part or part.get("share") is None:
            return "–"
        if self.publish and (part["denominator"] < self.threshold
                             or self.hidden(part["numerator"])):
            return SUPPRESSED_SHARE
        return f"{part['share'] * 100:.1f}%"

    def of(self, part: Mapping[str, Any] | None) -> str:
        """``62.5% (25 of 40)``."""
        text = self.pct(part)
        if not part or text in ("–", SUPPRESSED_SHARE):
            return text
        return f"{text} ({self.n(part['numerator'])} of {self.n(part['denominator'])})"

    def days(self, value: Any) -> str:
        if value is None:
            return "–"
        number = float(value)
        return f"{int(number)}" if number.is_integer() else f"{number:.1f}"

    def change(self, value: Any, unit: str) -> str:
        if value is None:
            return "–"
        if unit == "share":
            points = value * 100
            return "no change" if abs(points) < 0.05 else f"{points:+.1f} points"
        return "no change" if value == 0 else f"{int(value):+,}"

    def value(self, value: Any, unit: str, denominator: int | None = None) -> str:
        """A headline figure: a count, or a share with its denominator."""
        if unit != "share":
            return self.n(value)
        if value is None:
            return "–"
        whole = int(denominator or 0)
        return self.pct({"share": value, "numerator": round(value * whole),
                         "denominator": whole})


def money(value: float) -> str:
    return f"£{value:,.2f}"


def day(value: str | None) -> str:
    """``2025-06-02`` → ``2 June 2025``."""
    import datetime as dt

    if not value:
        return "–"
    when = dt.date.fromisoformat(value[:10])
    return f"{when.day} {when:%B %Y}"


def month(value: str) -> str:
    """``2025-06`` → ``June 2025``."""
    import datetime as dt

    when = dt.date.fromisoformat(f"{value}-01")
    return f"{when:%B %Y}"


def short_month(value: str) -> str:
    import datetime as dt

    when = dt.date.fromisoformat(f"{value}-01")
    return f"{when:%b %Y}"


__all__ = ["SUPPRESSED_SHARE", "Presenter", "day", "money", "month", "short_month"]

"""Effective-dated versions: each well formed, none overlapping, no gaps between them.

``effective_from`` and ``effective_to`` are inclusive.  A date means the whole day; a date and
time means from (or up to and including) that minute.  Two versions meet without a gap when the
second starts no more than a minute after the first ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from redress.findings import Finding
from redress.policy.policyset import LoadedPolicies, ResolvedPolicy

TOLERANCE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Span:
    index: int
    id: str
    start: dt.datetime
    end: dt.datetime | None  # None: still in force
    start_text: str
    end_text: str | None

    def words(self) -> str:
        until = f" to {self.end_text}" if self.end_text else " onwards"
        return f"version '{self.id}' ({self.start_text}{until})"


def moment(text: str, end: bool = False) -> dt.datetime:
    """A version boundary as a moment: a date's start (or, for an end, its last minute)."""
    if "T" in text:
        value = dt.datetime.fromisoformat(text)
        return value.replace(second=59) if end and len(text) <= 16 else value
    day = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
    return day + dt.timedelta(days=1) - TOLERANCE if end else day


def _spans(policy: ResolvedPolicy) -> list[Span]:
    out = []
    for i, entry in enumerate(policy.version_entries):
        start_text, end_text = entry.get("effective_from"), entry.get("effective_to")
        try:
            start = moment(str(start_text))
            end = moment(str(end_text), end=True) if end_text is not None else None
        except ValueError:
            continue  # the schema reports dates that are not real
        out.append(Span(i, str(entry.get("id")), start, end, str(start_text),
                        None if end_text is None else str(end_text)))
    return out


def version_dates(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A version that ends before it starts."""
    for policy in loaded.valid_policies():
        for span in _spans(policy):
            if span.end is not None and span.end < span.start:
                yield policy.base.locate(Finding(
                    "version-dates",
                    f"version '{span.id}' ends ({span.end_text}) before it starts "
                    f"({span.start_text})", ("versions", span.index, "effective_to")))


def version_overlaps(loaded: LoadedPolicies) -> Iterator[Finding]:
    """Two versions in force at the same moment."""
    for policy in loaded.valid_policies():
        ordered = _ordered(policy)
        for earlier, later in pairwise(ordered):
            if earlier.end is None or later.start <= earlier.end:
                yield policy.base.locate(Finding(
                    "version-overlap",
                    f"{later.words()} overlaps {earlier.words()}",
                    ("versions", later.index, "effective_from")))


def version_gaps(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A stretch of time between two versions that no version covers."""
    for policy in loaded.valid_policies():
        ordered = _ordered(policy)
        for earlier, later in pairwise(ordered):
            if earlier.end is not None and later.start - earlier.end > TOLERANCE:
                yield policy.base.locate(Finding(
                    "version-gap",
                    f"no version is in force between {earlier.words()} and {later.words()}",
                    ("versions", later.index, "effective_from")))


def _ordered(policy: ResolvedPolicy) -> list[Span]:
    spans = [s for s in _spans(policy) if s.end is None or s.end >= s.start]
    return sorted(spans, key=lambda s: (s.start, s.index))


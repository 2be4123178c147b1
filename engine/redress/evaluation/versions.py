"""Which policy applies to a case routed to a procedure, and its version in force at receipt.

``Library.choose`` and ``Library.policy_at`` look at every policy and parse every version's
dates; an engine asks the same questions for thousands of cases, so the answers are indexed
once: the local policy chosen for each set of organisations, and each policy's versions as
(start, end) moments.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from redress.evaluation.case import Case
from redress.policy.library import Library
from redress.policy.model import Policy, parse_moment

Span = tuple[dt.datetime, dt.datetime | None]


class Versions:
    """The policy (and version) for a procedure and a case; safe to share between threads."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._chosen: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self._spans: dict[str, list[Span]] = {}
        self._policies: dict[tuple[str, int], Policy | None] = {}

    def _spans_of(self, policy_id: str) -> list[Span]:
        spans = self._spans.get(policy_id)
        if spans is None:
            spans = []
            for version, _merged in self.library.policies[policy_id].versions:
                start = parse_moment(str(version["effective_from"]))
                end_raw = version.get("effective_to")
                end = parse_moment(str(end_raw), end_of_day=True) if end_raw else None
                spans.append((start, end))
            self._spans[policy_id] = spans
        return spans

    def policy_id(self, procedure: str, organisations: Sequence[str]) -> str | None:
        key = (procedure, tuple(sorted(set(organisations))))
        if key not in self._chosen:
            entry = self.library.choose(procedure, key[1])
            with self._lock:
                self._chosen[key] = entry.id if entry is not None else None
        return self._chosen[key]

    def __call__(self, procedure: str, case: Case) -> Policy | None:
        """The version of the policy chosen for ``procedure`` in force when the case came in."""
        policy_id = self.policy_id(procedure, [o.id for o in case.wire.organisations or ()])
        if policy_id is None:
            return None
        moment = dt.datetime.combine(case.received, case.received_time or dt.time.min)
        for index, (start, end) in enumerate(self._spans_of(policy_id)):
            if start <= moment and (end is None or moment <= end):
                # The first version in force at the moment, as Library.policy_at picks it.
                key = (policy_id, index)
                if key not in self._policies:
                    self._policies[key] = self.library.policy_at(policy_id, moment)
                return self._policies[key]
        return None


__all__ = ["Versions"]

"""What one reading of an ambiguity changes in a policy version.

A reading's overrides usually change one stage (a longer stage 2 timescale, another window),
the complaint time limit or an Ombudsman route.  Knowing which, a case's dates under the reading
can be worked out from its dates under the policy by recomputing only what changed: the deemed
receipt, the replay of events and every other stage stay as they are.
"""

from __future__ import annotations

from dataclasses import fields

from msgspec import Struct

from redress.policy.model import Policy

# Fields that do not bear on a timeline's dates, that are compared stage by stage, or that are
# recomputed from the changed policy (the time limit, its Ombudsman routes).
_NOT_COMPARED = frozenset({"stages", "raw", "ambiguities", "time_limit", "ombudsman",
                           "other_routes"})


class Plan(Struct, frozen=True):
    """What a reading changes: these stages' definitions, whether the time limit, whether the
    Ombudsman routes."""

    stages: frozenset[str]
    time_limit: bool
    routes: bool


def reading_plan(policy: Policy, alt: Policy) -> Plan | None:
    """What differs between a policy and the policy under a reading, or None when anything
    else differs (then the case is replayed in full)."""
    for f in fields(Policy):
        if f.name not in _NOT_COMPARED and getattr(policy, f.name) != getattr(alt, f.name):
            return None
    if [s.id for s in policy.stages] != [s.id for s in alt.stages]:
        return None
    return Plan(frozenset(a.id for a, b in zip(policy.stages, alt.stages, strict=True) if a != b),
                policy.time_limit != alt.time_limit,
                (policy.ombudsman, policy.other_routes) != (alt.ombudsman, alt.other_routes))


__all__ = ["Plan", "reading_plan"]

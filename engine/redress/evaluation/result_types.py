"""The typed parts of a result: procedure, routing, Ombudsman, entitlements, trace and audit.

Frozen dataclasses, each one part of ``Result``; ``schemas/result.schema.json`` describes their
JSON form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from redress.evaluation.deadlines import Deadline
from redress.frozen_dataclass import frozen_dataclass
from redress.policy.model import Citation


@frozen_dataclass
class ProcedureRef:
    id: str
    title: str
    version: str
    effective_from: str
    family: str
    kind: str
    citation: Citation | None


@frozen_dataclass
class NoProcedure:
    """Why no procedure applies, and where the matter goes instead."""

    why: str          # excluded | deferred | not_covered | other_body | no_version
    reason: str
    goes_to: str | None
    citation: Citation | None


@frozen_dataclass
class EntitlementResult:
    id: str
    title: str
    reason: str
    stages: tuple[str, ...]
    citation: Citation
    note: str | None = None


@frozen_dataclass
class OmbudsmanDecision:
    body: str
    title: str
    ready: bool
    reason: str
    time_limit: Deadline | None
    citation: Citation | None
    # When the Ombudsman's reasonable-opportunity period ends (also listed in the deadlines).
    premature_until: Deadline | None = None


@frozen_dataclass
class Routing:
    handled_by: str | None
    lead_body: str | None
    co_operating_bodies: tuple[str, ...]
    next_step: str
    ombudsman: OmbudsmanDecision | None
    redirected_from: Mapping[str, Any] | None
    partnership: Mapping[str, Any] | None


@frozen_dataclass
class TraceStep:
    rule: str
    ruleset: str
    description: str
    conclusion: Mapping[str, Any]
    facts: Mapping[str, Any]
    citation: Citation | None
    applied: bool = True   # False: fired, but a higher-priority rule of its ruleset decided


@frozen_dataclass
class Audit:
    engine_version: str
    policy_set_hash: str
    calendar_data_version: str
    evaluated_as_of: dt.date
    backend: str
    # Local policies (--policies) that were loaded but not used for this case, so a copy that
    # nothing routes to does not go unnoticed.
    unused_local_policies: tuple[str, ...] = ()


__all__ = ["Audit", "EntitlementResult", "NoProcedure", "OmbudsmanDecision", "ProcedureRef",
           "Routing", "TraceStep"]

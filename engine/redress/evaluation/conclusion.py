"""What the compiled path concludes about a case, as plain values.

A :class:`Conclusion` holds every decision of a result — procedure, stage, status, each
deadline's date and state, entitlements, routing, flags — and the inputs its words are written
from (the rules that fired, with the facts they read).  The lean form is written straight from
it; the full form and the explanation build the result's typed parts from it when they are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from msgspec import Struct

from redress.evaluation.case import Case
from redress.evaluation.clock import Clock
from redress.evaluation.flag_values import FlagRec
from redress.evaluation.programs import Program
from redress.evaluation.result_types import NoProcedure
from redress.policy.model import Citation, Entitlement, Policy
from redress.policy.rules import Rule


class Fired(NamedTuple):
    """One firing of a program: the facts it read and the rules that held, in order."""

    program: Program
    values: Mapping[str, Any]
    rules: list[Rule]


class OmbudsmanRec(Struct, frozen=True, gc=False):
    body: str
    title: str
    ready: bool
    rule: Rule | None          # the rule that decided it, whose reason the result quotes
    time_limit: Clock | None
    citation: Citation | None
    premature_until: Clock | None = None


class RoutingRec(Struct, frozen=True, gc=False):
    handled_by: str | None
    lead_body: str | None
    co_operating_bodies: tuple[str, ...]
    next_step: str
    ombudsman: OmbudsmanRec | None
    redirected_from: Mapping[str, Any] | None
    partnership: Mapping[str, Any] | None


class EntitledRec(Struct, frozen=True, gc=False):
    id: str
    spec: Entitlement
    rule: Rule


class Conclusion(Struct, frozen=True, gc=False):
    case: Case
    as_of: dt.date
    policy: Policy | None          # the procedure's version (None: no procedure applies)
    no_procedure: NoProcedure | None
    stage: str
    status: str
    status_reason: str
    deadlines: tuple[Clock, ...]
    entitlements: tuple[EntitledRec, ...]
    routing: RoutingRec
    flags: tuple[FlagRec, ...]
    fired: tuple[Fired, ...]
    used: str | None               # the policy id the audit names as used
    warnings: tuple[str, ...]


__all__ = ["Conclusion", "EntitledRec", "Fired", "OmbudsmanRec", "RoutingRec"]

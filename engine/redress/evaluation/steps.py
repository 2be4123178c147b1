"""One case's evaluation, step by step: route → version → exclusions → clocks → rules → result.

``conclude`` is a generator: each time the decision rules must be fired it yields a
:class:`Fire` (a program and the named facts) and is sent back the ids of the rules that held.
Whoever drives it decides how rules are fired: one case at a time (``Engine.evaluate``), or many
cases together so that durable-rules can decide a whole batch in one session
(``evaluate_many``).  Everything else is plain functions over plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Mapping
from typing import Any, NamedTuple

from msgspec import Struct

from redress.evaluation.case import Case
from redress.evaluation.clock import Clock
from redress.evaluation.conclusion import (
    Conclusion,
    EntitledRec,
    Fired,
    OmbudsmanRec,
    RoutingRec,
)
from redress.evaluation.facts import (
    case_facts,
    current_stage,
    receiving_organisation,
    timeline_facts,
)
from redress.evaluation.flag_values import FlagRec, flag_rec, unique
from redress.evaluation.flags import deadline_flags, deferral_flags, projected_calendar, rule_flags
from redress.evaluation.limits import LimitCode
from redress.evaluation.ombudsman import procedure_ombudsman, rule_ombudsman
from redress.evaluation.programs import Program, Programs
from redress.evaluation.readiness import complainant_delay
from redress.evaluation.readings import ambiguity_flags
from redress.evaluation.result_types import NoProcedure
from redress.evaluation.timeline import PolicyCode, run_timeline
from redress.evaluation.wording import (
    no_procedure_step,
    no_version_text,
    not_covered_text,
    overlap_text,
)
from redress.policy.library import Library
from redress.policy.model import Policy, Reading
from redress.policy.reading_plan import Plan
from redress.policy.rules import Rule

MAX_HOPS = 3  # an exclusion may send the matter to another procedure, and that one on again


class Fire(NamedTuple):
    """A request to fire ``program`` on the named facts ``values``."""

    program: Program
    values: Mapping[str, Any]


class Context(Struct, frozen=True):
    """What a case's evaluation reads from its engine."""

    library: Library
    programs: Programs
    version: Callable[[str, Case], Policy | None]
    code: Callable[[Policy], PolicyCode]
    reading: Callable[[Policy, Reading], tuple[PolicyCode, Plan | None]]
    rule_limits: Mapping[str, LimitCode]


Steps = Generator[Fire, list[str], Conclusion]
Firing = Generator[Fire, list[str], list[Rule]]


class _Case(Struct):
    """One evaluation's inputs and what it has collected on the way."""

    case: Case
    as_of: dt.date
    warnings: tuple[str, ...]
    facts: dict[str, Any]
    fired: list[Fired]
    flags: list[FlagRec]


def _fire(run: _Case, program: Program, values: Mapping[str, Any]) -> Firing:
    ids = yield Fire(program, values)
    rules = program.fired(ids)
    run.fired.append(Fired(program, values, rules))
    return rules


def conclude(ctx: Context, case: Case, as_of: dt.date, warnings: tuple[str, ...]) -> Steps:
    """Everything Redress concludes about a case that runs a complaint clock."""
    run = _Case(case, as_of, warnings, case_facts(case), [], [])
    routed = yield from _fire(run, ctx.programs.routing, run.facts)
    procedure_id, none = _route(run, routed)
    policy: Policy | None = None
    redirected: dict[str, Any] | None = None
    excluded_by: Rule | None = None
    for _hop in range(MAX_HOPS):
        if procedure_id is None:
            break
        policy = ctx.version(procedure_id, case)
        if policy is None:
            none = NoProcedure("no_version", no_version_text(procedure_id, case.received), None,
                               None)
            break
        program = ctx.programs.exclusions(policy)
        excluded = (yield from _fire(run, program, run.facts)) if program.program.rules else []
        excluded_by = excluded[0] if excluded else None
        if excluded_by is None:
            break
        redirected, procedure_id, none = _redirect(ctx, policy, excluded_by)
        if procedure_id is not None:
            policy, excluded_by = None, None
    if policy is None or (none is not None and excluded_by is not None):
        return (yield from _no_procedure(ctx, run, none, redirected, policy))
    return (yield from _procedure(ctx, run, policy, redirected))


def _route(run: _Case, fired: list[Rule]) -> tuple[str | None, NoProcedure | None]:
    case = run.case
    if not fired:
        return None, NoProcedure("not_covered", not_covered_text(case.service, case.nation),
                                 None, None)
    top = fired[0]
    rivals = [r for r in fired[1:] if r.priority == top.priority
              and r.then.get("procedure") != top.then.get("procedure")]
    if rivals:
        run.flags.append(flag_rec("routing-overlap", "warning",
                                  (overlap_text, top.id, rivals[0].id)))
    if "procedure" in top.then:
        return str(top.then["procedure"]), None
    none = top.then.get("no_procedure") or {}
    return None, NoProcedure(str(none.get("why", "other_body")),
                             str(top.then.get("reason", top.description)), none.get("goes_to"),
                             top.citation)


def _redirect(ctx: Context, policy: Policy, rule: Rule
              ) -> tuple[dict[str, Any], str | None, NoProcedure | None]:
    """Where an exclusion sends the matter: another procedure Redress has, or none."""
    goes_to = rule.then.get("goes_to")
    redirected = {"procedure": policy.id, "family": policy.family,
                  "exclusion": rule.then.get("exclusion"), "reason": rule.description,
                  "citation": rule.citation.to_dict()}
    if goes_to and ctx.library.has(goes_to):
        return redirected, str(goes_to), None
    return redirected, None, NoProcedure("excluded", rule.description,
                                         str(goes_to) if goes_to else None, rule.citation)


def _procedure(ctx: Context, run: _Case, policy: Policy,
               redirected: Mapping[str, Any] | None) -> Steps:
    case, as_of = run.case, run.as_of
    code = ctx.code(policy)
    timeline = run_timeline(case, code, as_of)
    delay = complainant_delay(timeline, as_of)  # read by the facts and by the Ombudsman's dates
    values = {**run.facts, **timeline_facts(code, timeline, as_of, delay)}
    fired = yield from _fire(run, ctx.programs.decisions, values)
    status = next((r for r in fired if r.ruleset == "status"), None)
    omb = procedure_ombudsman(code, timeline, fired, case, as_of, delay)
    deadlines = [*timeline.deadlines, *_ombudsman_clocks(omb, False)]
    flags = [*timeline.flags, *run.flags, *rule_flags(fired), *projected_calendar(deadlines),
             *deadline_flags(deadlines), *deferral_flags(case, policy),
             *ambiguity_flags(case, as_of, code, timeline, omb.body if omb else None,
                              ctx.reading, omb.time_limit if omb else None)]
    return Conclusion(
        case, as_of, policy, None, current_stage(timeline, False),
        str(status.then["status"]) if status else "in_progress",
        str(status.then.get("reason", status.description)) if status else "",
        tuple(deadlines), _entitlements(policy, fired),
        _routing(case, policy, omb, status, redirected), unique(flags), tuple(run.fired),
        policy.id, run.warnings)


def _ombudsman_clocks(omb: OmbudsmanRec | None, premature_first: bool) -> list[Clock]:
    if omb is None:
        return []
    clocks = [omb.premature_until, omb.time_limit] if premature_first \
        else [omb.time_limit, omb.premature_until]
    return [c for c in clocks if c is not None]


def _no_procedure(ctx: Context, run: _Case, none: NoProcedure | None,
                  redirected: Mapping[str, Any] | None, policy: Policy | None) -> Steps:
    case, as_of = run.case, run.as_of
    none = none or NoProcedure("not_covered", "no procedure applies", None, None)
    weeks = max((as_of - case.received).days // 7, 0)
    # Routed to another body's procedure: its response (a ``responded`` event) is the final
    # response the Ombudsman waits for (e.g. LGA 1974 s34B(6)(a) for a care provider).
    values = {**run.facts, "stage": "closed", "excluded": none.why == "excluded",
              "local.weeks_since_received": weeks, "local.weeks_with_body": weeks,
              "local.complete": any(e.type == "responded" for e in case.events)}
    fired = yield from _fire(run, ctx.programs.decisions, values)
    rule = next((r for r in fired if r.ruleset == "ombudsman"), None)
    omb = rule_ombudsman(rule, ctx.rule_limits.get(rule.id), case, as_of) if rule else None
    # An excluded matter has no procedure; which one excluded it is in routing.redirected_from.
    routing = RoutingRec(receiving_body(case), None, (), no_procedure_step(none.goes_to), omb,
                         redirected, None)
    return Conclusion(
        case, as_of, None, none, "closed", "excluded" if none.why == "excluded"
        else "no_procedure", none.reason, tuple(_ombudsman_clocks(omb, True)), (), routing,
        unique([*run.flags, *rule_flags(fired)]), tuple(run.fired),
        policy.id if policy else None, run.warnings)


def _entitlements(policy: Policy, fired: list[Rule]) -> tuple[EntitledRec, ...]:
    out: dict[str, EntitledRec] = {}
    for rule in fired:
        if rule.ruleset != "entitlements":
            continue
        ent_id = str(rule.then["entitlement"])
        spec = policy.entitlement(ent_id)
        if spec is not None and ent_id not in out:
            out[ent_id] = EntitledRec(ent_id, spec, rule)
    return tuple(out.values())


def receiving_body(case: Case) -> str | None:
    """The body dealing with the complaint: after forwarding, the one it was sent to."""
    org = receiving_organisation(case)
    return str(org.id) if org is not None else None


def _routing(case: Case, policy: Policy, omb: OmbudsmanRec | None, status: Rule | None,
             redirected: Mapping[str, Any] | None) -> RoutingRec:
    orgs = case.wire.organisations or ()
    lead = next((o.id for o in orgs if o.lead), None)
    partnership = dict(policy.partnership) or None
    named_lead = str((partnership or {}).get("lead_body", ""))
    if lead is None and named_lead in {o.id for o in orgs}:
        lead = named_lead  # a protocol that names the lead body by organisation id
    handled_by = lead or receiving_body(case)
    co_op = tuple(o.id for o in orgs if o.id != handled_by) if len(orgs) > 1 else ()
    next_step = str(status.then.get("next_step", "")) if status else ""
    return RoutingRec(handled_by, lead or (handled_by if co_op else None), co_op, next_step, omb,
                      redirected, partnership)


__all__ = ["Context", "Fire", "Steps", "conclude", "receiving_body"]

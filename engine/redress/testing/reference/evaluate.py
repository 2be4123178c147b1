"""The evaluation path as it was before issue 24, kept as the oracle of the compiled one.

``ReferenceEngine`` is an ``Engine`` (same loading, calendars, audit) whose ``evaluate`` and
``evaluate_many`` take the old way: every case copied and checked by ``jsonschema``, built as
frozen dataclasses, replayed by the generic timeline (``reference.timeline``), every deadline
worded as it is computed, the trace built as the rules fire, one case at a time.  The
differential tests and the engine benchmark compare the two on generated cases.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from redress.__about__ import __version__
from redress.calendar import get_calendar
from redress.errors import CalendarRangeError, CaseError
from redress.evaluation.backends import RuleBackend, make_backend
from redress.evaluation.case import CaseInput
from redress.evaluation.case_errors import MAX_CASE_BYTES
from redress.evaluation.compiled_facts import compile_flatten
from redress.evaluation.compiled_result import procedure_ref as _procedure_ref
from redress.evaluation.context import as_of_date as _as_of_date
from redress.evaluation.context import parsed_input
from redress.evaluation.deadlines import Flag
from redress.evaluation.evaluate import Engine
from redress.evaluation.facts import current_stage
from redress.evaluation.not_complaint import not_a_complaint_result
from redress.evaluation.ombudsman import chosen_ombudsman
from redress.evaluation.programs import DECISION_RULESETS, SINGLE_DECISION
from redress.evaluation.readiness import complainant_delay, reason_with_date
from redress.evaluation.record_types import (
    complaint_document,
    record_findings,
    record_kind,
    recorded_on,
    runs_clock,
)
from redress.evaluation.records import ParsedInput, Record, evaluate_record
from redress.evaluation.result import Result
from redress.evaluation.result_types import (
    Audit,
    EntitlementResult,
    NoProcedure,
    OmbudsmanDecision,
    Routing,
    TraceStep,
)
from redress.evaluation.trace import shown as _shown
from redress.evaluation.wording import (
    no_procedure_step,
    no_version_text,
    not_covered_text,
    overlap_text,
)
from redress.findings import Finding
from redress.policy.conditions import leaves
from redress.policy.facts_catalog import FactCatalog
from redress.policy.library import Library, PolicyEntry
from redress.policy.loader import Document, data_document, read_document
from redress.policy.model import Policy
from redress.policy.rules import Rule, RuleProgram, make_program
from redress.testing.reference.case import Case, parse_case
from redress.testing.reference.case_record import case_record
from redress.testing.reference.facts import (
    NATION_CALENDARS,
    case_values,
    receiving_organisation,
    timeline_values,
)
from redress.testing.reference.flagging import (
    ambiguity_flags,
    deadline_flags,
    deferral_flags,
    projected_calendar,
    rule_flags,
    unique_flags,
)
from redress.testing.reference.readiness import premature_until, provider_time_limit
from redress.testing.reference.reading_dates import Plans
from redress.testing.reference.time_limits import ombudsman_time_limit
from redress.testing.reference.timeline import Timeline, build_timeline


class ReferenceEngine(Engine):
    """An ``Engine`` that evaluates the way Redress did before issue 24."""

    def __init__(self, library: Library, backend: str = "auto") -> None:
        super().__init__(library, backend)
        self._ref_lock = threading.Lock()
        self._backends: dict[str, RuleBackend] = {}
        # Per program key: facts.flatten(values, catalog) restricted to the keys it tests.
        self._flatteners: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {}
        self._reading_plans: Plans = {}  # which stages each ambiguity reading changes
        # Per program key: its rules by id, each with the facts its trace step shows.
        self._rule_index: dict[str, dict[str, tuple[Rule, tuple[str, ...]]]] = {}
        self._programs: dict[str, RuleProgram] = {
            "routing": make_program("routing", library.rules),
            "decisions": RuleProgram("decisions", tuple(sorted(
                (r for r in library.rules if r.ruleset in DECISION_RULESETS),
                key=lambda r: (r.priority, r.order)))),
        }

    # -- backends (built lazily, one per program, cached: durable-rules never frees them) ----

    def _backend(self, key: str, program: RuleProgram) -> RuleBackend:
        with self._ref_lock:
            backend = self._backends.get(key)
            if backend is None:
                backend = make_backend(program, self.backend_name)
                self._backends[key] = backend
            return backend

    def _flattener(self, key: str,
                   program: RuleProgram) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
        flattener = self._flatteners.get(key)
        if flattener is None:
            tested = {leaf.key for rule in program.rules for leaf in leaves(rule.condition)}
            flattener = compile_flatten(self.library.catalog, tested)
            self._flatteners[key] = flattener
        return flattener

    def _rules(self, key: str, program: RuleProgram) -> dict[str, tuple[Rule, tuple[str, ...]]]:
        index = self._rule_index.get(key)
        if index is None:
            index = {r.id: (r, tuple(r.facts_used)) for r in program.rules}
            self._rule_index[key] = index
        return index

    def close(self) -> None:
        with self._ref_lock:
            for backend in self._backends.values():
                backend.close()
            self._backends.clear()
        super().close()

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, case: CaseInput, as_of: dt.date | str | None = None) -> Result:
        day = _as_of_date(as_of)
        original = _case_document(case)
        # A representation that became a complaint is evaluated from the day it became one.
        parsed, warnings = parse_case(complaint_document(original), self.library.catalog, day)
        problems = [original.locate(f) for f in record_findings(original.data)]
        if problems:
            raise CaseError(problems, original.file)
        rendered = [w.render() for w in warnings]
        try:
            if runs_clock(parsed.raw):
                result = _Evaluation(self, parsed, day, rendered).run()
            else:
                result = not_a_complaint_result(
                    parsed.id, record_kind(parsed.raw), parsed.raw.get("routed_to"),
                    parsed.organisations[0].id if parsed.organisations else None,
                    self._plain_audit(day), tuple(rendered))
        except CalendarRangeError as exc:
            # A deadline counted past the calendar's last year: the case's dates, not a bug.
            raise CaseError([original.locate(Finding(
                "date-out-of-range", f"case: a date this case needs is out of range: {exc}",
                ()))], original.file) from exc
        record = case_record(parsed, day, recorded_on(original.data))
        return replace(result, record=record)

    def _plain_audit(self, as_of: dt.date) -> Audit:
        return Audit(engine_version=__version__, policy_set_hash=self.library.digest,
                     calendar_data_version=self.library.calendar_version,
                     evaluated_as_of=as_of, backend=self.backend)

    def evaluate_many(self, cases: Iterable[CaseInput | ParsedInput],
                      as_of: dt.date | str | None = None) -> Iterator[Record]:
        day = _as_of_date(as_of)  # one date for the whole run, even across midnight
        for index, case in enumerate(cases):
            yield evaluate_record(self, parsed_input(case, index), day)


def _case_document(case: CaseInput) -> Document:
    if isinstance(case, str | Path):
        doc, findings = read_document(case, MAX_CASE_BYTES)
        if doc is None:
            raise CaseError(findings, str(case))
        return doc
    if isinstance(case, Document):
        doc, findings = data_document(case.data, case.file, case.positions)
        file = case.file
    elif isinstance(case, Mapping):
        doc, findings = data_document(case, "<case>")
        file = "<case>"
    else:
        raise TypeError(f"a case is a mapping, a path or a Document, not {type(case).__name__}")
    if doc is None:
        raise CaseError(findings, file)
    return doc


class _Evaluation:
    """One case's evaluation; holds the trace as it grows."""

    def __init__(self, engine: ReferenceEngine, case: Case, as_of: dt.date,
                 warnings: list[str]) -> None:
        self.engine = engine
        self.library = engine.library
        self.catalog: FactCatalog = engine.library.catalog
        self.case = case
        self.as_of = as_of
        self.warnings = warnings
        self.trace: list[TraceStep] = []
        self.flags: list[Flag] = []
        self.case_facts = case_values(case)  # routing, exclusions and decisions all start here

    # routing ----------------------------------------------------------------------------

    def _fire(self, key: str, program: RuleProgram, values: Mapping[str, Any]) -> list[Rule]:
        facts = self.engine._flattener(key, program)(values)
        fired_ids = self.engine._backend(key, program).fire(facts)
        rules = self.engine._rules(key, program)
        fired = [rules[i][0] for i in fired_ids]
        decided: set[str] = set()
        for rule_id in fired_ids:
            rule, shown = rules[rule_id]
            # Routing, status and Ombudsman take the first rule that fires; the rest are kept
            # in the trace, marked as not applied.
            single = rule.ruleset in SINGLE_DECISION
            applied = not (single and rule.ruleset in decided)
            decided.add(rule.ruleset)
            self.trace.append(TraceStep(
                rule=rule.id, ruleset=rule.ruleset, description=rule.description,
                conclusion=dict(rule.then),
                facts={name: _shown(values, name, self.catalog) for name in shown},
                citation=rule.citation, applied=applied))
        return fired

    def route(self) -> tuple[str | None, NoProcedure | None]:
        fired = self._fire("routing", self.engine._programs["routing"], self.case_facts)
        if not fired:
            return None, NoProcedure(
                "not_covered", not_covered_text(self.case.service, self.case.nation), None, None)
        top = fired[0]
        rivals = [r for r in fired[1:] if r.priority == top.priority
                  and r.then.get("procedure") != top.then.get("procedure")]
        if rivals:
            self.flags.append(Flag("routing-overlap", "warning", overlap_text(top.id, rivals[0].id)))
        if "procedure" in top.then:
            return str(top.then["procedure"]), None
        none = top.then.get("no_procedure") or {}
        return None, NoProcedure(str(none.get("why", "other_body")),
                                 str(top.then.get("reason", top.description)),
                                 none.get("goes_to"), top.citation)

    def pick_version(self, procedure: str) -> tuple[PolicyEntry | None, Policy | None]:
        entry = self.library.choose(procedure, [o.id for o in self.case.organisations])
        if entry is None:
            return None, None
        moment = dt.datetime.combine(self.case.received, self.case.received_time or dt.time.min)
        return entry, self.library.policy_at(entry.id, moment)

    def exclusions(self, policy: Policy) -> tuple[Rule | None, list[Rule]]:
        program = self.library.exclusion_program(policy)
        if not program.rules:
            return None, []
        values = self.case_facts
        fired = self._fire(f"exclusions:{policy.id}:{policy.version.id}", program, values)
        return (fired[0] if fired else None), fired

    # the whole flow -----------------------------------------------------------------------

    def run(self) -> Result:
        procedure_id, none = self.route()
        redirected: dict[str, Any] | None = None
        policy: Policy | None = None
        excluded_by: Rule | None = None
        for _hop in range(3):  # an exclusion may send the matter to another procedure
            if procedure_id is None:
                break
            _entry, policy = self.pick_version(procedure_id)
            if policy is None:
                none = NoProcedure("no_version", no_version_text(procedure_id, self.case.received),
                                   None, None)
                break
            excluded_by, _ = self.exclusions(policy)
            if excluded_by is None:
                break
            goes_to = excluded_by.then.get("goes_to")
            redirected = {"procedure": policy.id, "family": policy.family,
                          "exclusion": excluded_by.then.get("exclusion"),
                          "reason": excluded_by.description,
                          "citation": excluded_by.citation.to_dict()}
            if goes_to and self.library.has(goes_to):
                procedure_id, policy, excluded_by = str(goes_to), None, None
                continue
            none = NoProcedure("excluded", excluded_by.description,
                               str(goes_to) if goes_to else None, excluded_by.citation)
            break
        if policy is None or (none is not None and excluded_by is not None):
            return self._no_procedure_result(none, redirected, policy)
        return self._procedure_result(policy, redirected)

    def _procedure_result(self, policy: Policy, redirected: Mapping[str, Any] | None) -> Result:
        timeline = build_timeline(self.case, policy, self.as_of)
        values = {**self.case_facts,
                  **timeline_values(self.case, policy, timeline, self.as_of, False)}
        fired = self._fire("decisions", self.engine._programs["decisions"], values)
        status_rule = next((r for r in fired if r.ruleset == "status"), None)
        omb = self._ombudsman(policy, timeline, fired)
        deadlines = list(timeline.deadlines)
        if omb and omb.time_limit:
            deadlines.append(omb.time_limit)
        if omb and omb.premature_until:
            deadlines.append(omb.premature_until)
        flags = [*timeline.flags, *self.flags, *rule_flags(fired), *projected_calendar(deadlines),
                 *deadline_flags(deadlines), *deferral_flags(self.case, policy),
                 *ambiguity_flags(self.library, self.case, self.as_of, policy, timeline,
                                  omb.body if omb else None, self.engine._reading_plans)]
        return Result(
            case_id=self.case.id,
            procedure=_procedure_ref(policy),
            no_procedure=None,
            stage=current_stage(timeline, False),
            status=str(status_rule.then["status"]) if status_rule else "in_progress",
            status_reason=str(status_rule.then.get("reason", status_rule.description))
            if status_rule else "",
            deadlines=tuple(deadlines),
            entitlements=self._entitlements(policy, fired),
            routing=self._routing(policy, omb, status_rule, redirected),
            flags=tuple(unique_flags(flags)),
            trace=tuple(self.trace),
            audit=self._audit(policy.id),
            warnings=tuple(self.warnings),
        )

    def _no_procedure_result(self, none: NoProcedure | None, redirected: Mapping[str, Any] | None,
                             policy: Policy | None) -> Result:
        none = none or NoProcedure("not_covered", "no procedure applies", None, None)
        status = "excluded" if none.why == "excluded" else "no_procedure"
        weeks = max((self.as_of - self.case.received).days // 7, 0)
        # Routed to another body's procedure: its response (a ``responded`` event) is the final
        # response the Ombudsman waits for (e.g. LGA 1974 s34B(6)(a) for a care provider).
        values = {**self.case_facts, "stage": "closed", "excluded": none.why == "excluded",
                  "local.weeks_since_received": weeks, "local.weeks_with_body": weeks,
                  "local.complete": bool(self.case.of_type("responded"))}
        fired = self._fire("decisions", self.engine._programs["decisions"], values)
        omb_rule = next((r for r in fired if r.ruleset == "ombudsman"), None)
        omb = None
        if omb_rule is not None:
            calendar = get_calendar(NATION_CALENDARS[self.case.nation])
            until = premature_until(omb_rule.then, self.case.received, self.as_of, calendar,
                                    omb_rule.citation)
            omb = OmbudsmanDecision(body=str(omb_rule.then["ombudsman"]),
                                    title=str(omb_rule.then.get("title", omb_rule.then["ombudsman"])),
                                    ready=bool(omb_rule.then.get("ready", False)),
                                    reason=reason_with_date(
                                        str(omb_rule.then.get("reason", omb_rule.description)),
                                        until),
                                    time_limit=provider_time_limit(
                                        self.case, omb_rule.then, omb_rule.citation, calendar,
                                        self.as_of),
                                    citation=omb_rule.citation, premature_until=until)
        deadlines = tuple(d for d in (omb.premature_until, omb.time_limit) if d) if omb else ()
        # An excluded matter has no procedure; which one excluded it is in routing.redirected_from.
        return Result(
            case_id=self.case.id, procedure=None,
            no_procedure=none, stage="closed", status=status, status_reason=none.reason,
            deadlines=deadlines, entitlements=(),
            routing=Routing(handled_by=self._receiving_body(), lead_body=None,
                            co_operating_bodies=(),
                            next_step=no_procedure_step(none.goes_to),
                            ombudsman=omb, redirected_from=redirected, partnership=None),
            flags=tuple(unique_flags([*self.flags, *rule_flags(fired)])), trace=tuple(self.trace),
            audit=self._audit(policy.id if policy else None),
            warnings=tuple(self.warnings))

    # parts ----------------------------------------------------------------------------------

    def _ombudsman(self, policy: Policy, timeline: Timeline,
                   fired: Sequence[Rule]) -> OmbudsmanDecision | None:
        rule, body, route = chosen_ombudsman(policy, fired)
        if body is None:
            return None
        limit = None
        if route is not None and route.time_limit is not None:
            limit = ombudsman_time_limit(self.case, route.time_limit, body, timeline.stages,
                                         timeline.calendar, self.as_of, timeline.referral)
        until = premature_until(rule.then, self.case.received, self.as_of, timeline.calendar,
                                rule.citation, complainant_delay(timeline, self.as_of)[0]) if rule else None
        return OmbudsmanDecision(
            body=body, title=route.title if route and route.body == body else body,
            ready=bool(rule.then.get("ready", False)) if rule else False,
            reason=reason_with_date(str(rule.then.get("reason", rule.description)), until)
            if rule else "",
            time_limit=limit, citation=rule.citation if rule else None, premature_until=until)

    def _entitlements(self, policy: Policy, fired: Sequence[Rule]) -> tuple[EntitlementResult, ...]:
        out: dict[str, EntitlementResult] = {}
        for rule in fired:
            if rule.ruleset != "entitlements":
                continue
            ent_id = str(rule.then["entitlement"])
            spec = policy.entitlement(ent_id)
            if spec is None or ent_id in out:
                continue
            out[ent_id] = EntitlementResult(
                id=ent_id, title=spec.title,
                reason=str(rule.then.get("reason", rule.description)),
                stages=spec.stages, citation=spec.citation, note=spec.note)
        return tuple(out.values())

    def _receiving_body(self) -> str | None:
        """The body dealing with the complaint: after forwarding, the one it was sent to."""
        org = receiving_organisation(self.case)
        return org.id if org else None

    def _routing(self, policy: Policy, omb: OmbudsmanDecision | None, status_rule: Rule | None,
                 redirected: Mapping[str, Any] | None) -> Routing:
        orgs = self.case.organisations
        lead = next((o.id for o in orgs if o.lead), None)
        partnership = dict(policy.partnership) or None
        named_lead = str((partnership or {}).get("lead_body", ""))
        if lead is None and named_lead in {o.id for o in orgs}:
            lead = named_lead  # a protocol that names the lead body by organisation id
        handled_by = lead or self._receiving_body()
        co_op = tuple(o.id for o in orgs if o.id != handled_by) if len(orgs) > 1 else ()
        next_step = str(status_rule.then.get("next_step", "")) if status_rule else ""
        return Routing(handled_by=handled_by, lead_body=lead or (handled_by if co_op else None),
                       co_operating_bodies=co_op, next_step=next_step, ombudsman=omb,
                       redirected_from=redirected, partnership=partnership)

    def _audit(self, used: str | None) -> Audit:
        unused = tuple(sorted(p.id for p in self.library.policies.values()
                              if p.local and p.id != used))
        return Audit(engine_version=__version__, policy_set_hash=self.library.digest,
                     calendar_data_version=self.library.calendar_version,
                     evaluated_as_of=self.as_of, backend=self.engine.backend,
                     unused_local_policies=unused)

__all__ = ["ReferenceEngine"]

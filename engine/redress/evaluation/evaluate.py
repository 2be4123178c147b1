"""Evaluate a case: validate → route → pick the version in force → replay the events →
compute deadlines → fire the decision rules → assemble the result and its trace.

``Engine`` is the stable entry point::

    from redress import Engine
    engine = Engine.load()                      # bundled policies and rules
    result = engine.evaluate(case, as_of=date(2025, 5, 1))
    result.to_dict(); result.explain()

Routing, exclusions, entitlements, status and Ombudsman decisions are made by the YAML rules
(compiled once per engine) through a rule backend: the conditions compiled to Python by
default, durable-rules when asked for (``backend="durable"``); both give identical results.
Everything temporal is computed in Python before the rules run.  An engine is safe to share
between threads (each backend locks).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from redress.__about__ import __version__
from redress.calendar import WorkingDayCalendar, get_calendar
from redress.errors import CalendarRangeError, CaseError
from redress.evaluation.backends import RuleBackend, make_backend
from redress.evaluation.case import MAX_CASE_BYTES, Case, parse_case
from redress.evaluation.case_record import (
    case_record,
    complaint_document,
    record_findings,
    recorded_on,
    runs_clock,
)
from redress.evaluation.compiled_facts import compile_flatten
from redress.evaluation.deadlines import Flag
from redress.evaluation.facts import (
    NATION_CALENDARS,
    case_values,
    current_stage,
    receiving_organisation,
    timeline_values,
)
from redress.evaluation.flagging import (
    ambiguity_flags,
    deadline_flags,
    deferral_flags,
    projected_calendar,
    rule_flags,
    unique_flags,
)
from redress.evaluation.not_complaint import not_a_complaint_result
from redress.evaluation.readiness import (
    complainant_delay,
    premature_until,
    provider_time_limit,
    reason_with_date,
)
from redress.evaluation.reading_dates import Plans
from redress.evaluation.records import InputRef, ParsedInput, Record, evaluate_record
from redress.evaluation.result import (
    Audit,
    EntitlementResult,
    NoProcedure,
    OmbudsmanDecision,
    ProcedureRef,
    Result,
    Routing,
    TraceStep,
)
from redress.evaluation.time_limits import ombudsman_time_limit
from redress.evaluation.timeline import Timeline, build_timeline, policy_calendar
from redress.findings import Finding
from redress.policy.conditions import leaves
from redress.policy.facts_catalog import FactCatalog
from redress.policy.library import Library, PolicyEntry, load_library
from redress.policy.loader import Document, data_document, read_document
from redress.policy.model import Policy
from redress.policy.rules import Rule, RuleProgram, make_program

DECISION_RULESETS = ("entitlements", "status", "ombudsman", "flags")
SINGLE_DECISION = frozenset({"routing", "status", "ombudsman", "exclusions"})
CaseInput = Mapping[str, Any] | str | Path | Document


class Engine:
    """Evaluates cases against a loaded, validated set of policies and rules."""

    def __init__(self, library: Library, backend: str = "auto") -> None:
        self.library = library
        self.backend_name = backend
        self._lock = threading.Lock()
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

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), backend: str = "auto",
             include_bundled: bool = True) -> Engine:
        """An engine over the bundled policies and rules plus any local files or folders.

        Raises ``PolicyError`` listing every problem if any policy or rule file is invalid.
        ``include_bundled=False`` loads exactly ``paths`` (they must include a fact catalogue).
        """
        library = load_library([Path(p) for p in paths], include_bundled)
        return cls(library, backend)

    # -- backends (built lazily, one per program, cached: durable-rules never frees them) ----

    def _backend(self, key: str, program: RuleProgram) -> RuleBackend:
        with self._lock:
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

    @property
    def backend(self) -> str:
        """The rule backend in use: ``plain`` or ``durable`` (as every audit stamp names it)."""
        return self._backend("routing", self._programs["routing"]).name

    def close(self) -> None:
        """Free the rule backends (durable-rules keeps its rulesets in C memory until then)."""
        with self._lock:
            for backend in self._backends.values():
                backend.close()
            self._backends.clear()

    def calendar_for(self, procedure: str, on: dt.date) -> WorkingDayCalendar | None:
        """The working-day calendar of a procedure's policy in force on ``on``.

        That is its nation's bank holidays plus any closure days the body's (local) policy adds,
        so an officer can check a due date by hand exactly as the engine counts it.  ``None``
        when no policy has that id or none is in force on that day.
        """
        if not self.library.has(procedure):
            return None
        policy = self.library.policy_at(procedure, dt.datetime.combine(on, dt.time.min))
        return policy_calendar(policy) if policy is not None else None

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, case: CaseInput, as_of: dt.date | str | None = None) -> Result:
        """Evaluate one case as of a date (today by default).

        ``case`` is a mapping (as parsed from JSON/YAML), a path to a case file, or a
        ``Document``; it is copied first, so changing it while the evaluation runs changes
        nothing.  ``as_of`` is a ``datetime.date`` or an ISO date string (``"2025-05-01"``).

        Raises ``CaseError`` listing every problem if the case is invalid, including a value
        with no JSON form, an evaluation date before the complaint was received, and any date
        (or deadline) outside the years the working-day calendars cover.  Raises ``TypeError``
        for an ``as_of`` that is not a date (a ``datetime`` too: pass ``.date()``) and
        ``ValueError`` for a string that is not an ISO date.
        """
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
                result = not_a_complaint_result(parsed, self._audit(day), tuple(rendered))
        except CalendarRangeError as exc:
            # A deadline counted past the calendar's last year: the case's dates, not a bug.
            raise CaseError([original.locate(Finding(
                "date-out-of-range", f"case: a date this case needs is out of range: {exc}",
                ()))], original.file) from exc
        record = case_record(parsed, day, recorded_on(original.data))
        return replace(result, record=record)

    def _audit(self, as_of: dt.date) -> Audit:
        return Audit(engine_version=__version__, policy_set_hash=self.library.digest,
                     calendar_data_version=self.library.calendar_version,
                     evaluated_as_of=as_of, backend=self.backend)

    def evaluate_many(self, cases: Iterable[CaseInput | ParsedInput],
                      as_of: dt.date | str | None = None) -> Iterator[Record]:
        """Evaluate many cases lazily, yielding one record per case in input order.

        Each record is a ``ResultRecord`` (the result plus where the case came from) or an
        ``ErrorRecord`` (``invalid_case``, ``unreadable``, ``out_of_calendar`` or
        ``internal_error``); a bad or failing case never raises and never stops the rest.
        ``to_json_line(record)`` gives the JSON Lines form (``schemas/record.schema.json``).
        Items may be ``ParsedInput`` to carry their own source and line.
        """
        day = _as_of_date(as_of)  # one date for the whole run, even across midnight
        for index, case in enumerate(cases):
            yield evaluate_record(self, parsed_input(case, index), day)


def _as_of_date(as_of: object) -> dt.date:
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime):  # a date subclass that compares with no date at all
        raise TypeError("as_of must be a datetime.date, not a datetime: pass as_of.date()")
    if isinstance(as_of, dt.date):
        return as_of
    if isinstance(as_of, str):
        try:
            return dt.date.fromisoformat(as_of)
        except ValueError:
            raise ValueError(f"as_of {as_of[:40]!r} is not a date (YYYY-MM-DD)") from None
    raise TypeError(f"as_of must be a datetime.date or a YYYY-MM-DD string, not "
                    f"{type(as_of).__name__}")


def parsed_input(case: CaseInput | ParsedInput, index: int) -> ParsedInput:
    """An item of ``evaluate_many`` as a ParsedInput: read files, wrap mappings."""
    if isinstance(case, ParsedInput):
        return case
    if isinstance(case, Document):
        return ParsedInput(InputRef(case.file, None, index), case)
    if isinstance(case, str | Path):
        doc, findings = read_document(case, MAX_CASE_BYTES)
        return ParsedInput(InputRef(str(case), None, index), doc, tuple(findings))
    ref = InputRef("<data>", None, index)
    if not isinstance(case, Mapping):
        return ParsedInput(ref, None, (Finding(
            "case-type", f"a case is a mapping, a path or a Document, not {type(case).__name__}"),))
    doc, findings = data_document(case, "<case>")
    return ParsedInput(ref, doc, tuple(findings))


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

    def __init__(self, engine: Engine, case: Case, as_of: dt.date, warnings: list[str]) -> None:
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
                "not_covered",
                f"no bundled or local procedure covers {self.case.service.replace('_', ' ')} "
                f"complaints in {self.case.nation.replace('_', ' ').title()}", None, None)
        top = fired[0]
        rivals = [r for r in fired[1:] if r.priority == top.priority
                  and r.then.get("procedure") != top.then.get("procedure")]
        if rivals:
            self.flags.append(Flag("routing-overlap", "warning",
                                   f"rules {top.id} and {rivals[0].id} both claim this case; "
                                   f"{top.id} was applied (file order)"))
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
                none = NoProcedure("no_version",
                                   f"no version of {procedure_id} was in force on "
                                   f"{self.case.received}", None, None)
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
            stage=current_stage(timeline, policy, False),
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
                            next_step=f"Handle under: {none.goes_to}" if none.goes_to
                            else "Tell the complainant in writing why the procedure does not apply",
                            ombudsman=omb, redirected_from=redirected, partnership=None),
            flags=tuple(unique_flags([*self.flags, *rule_flags(fired)])), trace=tuple(self.trace),
            audit=self._audit(policy.id if policy else None),
            warnings=tuple(self.warnings))

    # parts ----------------------------------------------------------------------------------

    def _ombudsman(self, policy: Policy, timeline: Timeline,
                   fired: Sequence[Rule]) -> OmbudsmanDecision | None:
        rule = next((r for r in fired if r.ruleset == "ombudsman"), None)
        body = str(rule.then["ombudsman"]) if rule else (policy.ombudsman.body
                                                         if policy.ombudsman else None)
        if body is None:
            return None
        route = policy.route(body) or policy.ombudsman
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


# ---------------------------------------------------------------------------------------------


def _procedure_ref(policy: Policy) -> ProcedureRef:
    first = policy.stages[0].citation if policy.stages else None
    return ProcedureRef(id=policy.id, title=policy.title, version=policy.version.id,
                        effective_from=policy.version.effective_from.date().isoformat(),
                        family=policy.family, kind=policy.kind,
                        citation=policy.citation or first)


def _shown(values: Mapping[str, Any], name: str, catalog: FactCatalog) -> Any:
    value = values.get(name)
    spec = catalog.get(name)
    if spec is not None and value is None:
        value = spec.empty_value()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return sorted(value)
    return value


__all__ = ["Engine"]


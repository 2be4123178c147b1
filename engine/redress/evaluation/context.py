"""What an engine keeps between cases: its rule programs, compiled policy versions, audit stamps.

Everything here is built on first use and then shared by every case (and every thread): the
rule programs with their backends, each policy version compiled (``PolicyCode``), each
ambiguity reading compiled, the version in force for a procedure, the procedure's reference
and the audit stamp of a day.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from redress.__about__ import __version__
from redress.calendar import WorkingDayCalendar
from redress.evaluation.case import MAX_CASE_BYTES, CaseInput
from redress.evaluation.compiled_result import procedure_ref
from redress.evaluation.ombudsman import rule_limit_codes
from redress.evaluation.programs import Programs
from redress.evaluation.records import InputRef, ParsedInput
from redress.evaluation.result_types import Audit, ProcedureRef
from redress.evaluation.steps import Context
from redress.evaluation.timeline import PolicyCode
from redress.evaluation.versions import Versions
from redress.findings import Finding
from redress.policy.calendars import policy_calendar
from redress.policy.citations import citation_table
from redress.policy.library import Library
from redress.policy.loader import Document, data_document, read_document
from redress.policy.model import Policy, Reading
from redress.policy.reading_plan import Plan, reading_plan


class EngineParts:
    """The state an ``Engine`` shares between the cases it evaluates."""

    def __init__(self, library: Library, backend: str = "auto") -> None:
        self.library = library
        self.backend_name = backend
        self.programs = Programs(library, backend)
        self._lock = threading.Lock()
        self._codes: dict[tuple[str, str, str], PolicyCode] = {}
        self._plans: dict[tuple[str, str, str], tuple[PolicyCode, Plan | None]] = {}
        self._refs: dict[tuple[str, str], ProcedureRef] = {}
        self._audits: dict[tuple[dt.date, str | None, bool], Audit] = {}
        self._unused: dict[str | None, tuple[str, ...]] = {}
        limits = rule_limit_codes([r for r in library.rules if r.ruleset == "ombudsman"])
        self.context = Context(library, self.programs, Versions(library), self.code,
                               self.reading, limits)

    def code(self, policy: Policy) -> PolicyCode:
        """A policy version compiled (once)."""
        return self._compiled((policy.id, policy.version.id, ""), lambda: policy)

    def reading(self, policy: Policy, reading: Reading) -> tuple[PolicyCode, Plan | None]:
        """A policy version under one ambiguity reading, compiled (once), and what the reading
        changes in it."""
        key = (policy.id, policy.version.id, reading.id)
        found = self._plans.get(key)
        if found is None:
            code = self._compiled(key, lambda: self.library.under_reading(policy, reading))
            found = self._plans[key] = (code, reading_plan(policy, code.policy))
        return found

    def _compiled(self, key: tuple[str, str, str], policy: Any) -> PolicyCode:
        code = self._codes.get(key)
        if code is None:
            with self._lock:
                code = self._codes.get(key) or PolicyCode(policy())
                self._codes[key] = code
        return code

    def procedure_ref(self, policy: Policy) -> ProcedureRef:
        """The procedure a result names for ``policy``'s version (made once per version)."""
        key = (policy.id, policy.version.id)
        ref = self._refs.get(key)
        if ref is None:
            ref = self._refs[key] = procedure_ref(policy)
        return ref

    def audit(self, day: dt.date, used: str | None, list_unused: bool = True) -> Audit:
        """The audit stamp of a result; ``used`` is the policy it used (the others of the
        caller's own policies are listed as unused)."""
        key = (day, used, list_unused)
        found = self._audits.get(key)
        if found is None:
            unused = self._unused.get(used) if list_unused else ()
            if unused is None:
                unused = self._unused[used] = tuple(sorted(
                    p.id for p in self.library.policies.values() if p.local and p.id != used))
            found = Audit(engine_version=__version__, policy_set_hash=self.library.digest,
                          calendar_data_version=self.library.calendar_version,
                          evaluated_as_of=day, backend=self.backend,
                          unused_local_policies=unused)
            if len(self._audits) > 4096:
                self._audits.clear()
            self._audits[key] = found
        return found

    @property
    def backend(self) -> str:
        """The rule backend in use: ``plain`` or ``durable`` (as every audit stamp names it)."""
        return self.programs.backend_label

    def close(self) -> None:
        """Free the rule backends (durable-rules keeps its rulesets in C memory until then)."""
        self.programs.close()

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

    def citation_table(self) -> dict[str, dict[str, str]]:
        """Every citation the policy set can give, by ``citation_id``: the table a lean result
        names its citations from (``redress citations``, ``GET /v1/policy-sets/{hash}``)."""
        return citation_table(self.library, self.context.rule_limits)


def as_of_date(as_of: object) -> dt.date:
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


__all__ = ["EngineParts", "as_of_date", "parsed_input"]

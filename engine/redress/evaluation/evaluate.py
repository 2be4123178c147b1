"""Evaluate a case: read → route → pick the version in force → run its compiled clocks → fire
the decision rules → conclude; the words of the result are written when they are read.

``Engine`` is the stable entry point::

    from redress import Engine
    engine = Engine.load()                      # bundled policies and rules
    result = engine.evaluate(case, as_of=date(2025, 5, 1))
    result.to_dict(); result.to_dict(form="lean"); result.explain()

Routing, exclusions, entitlements, status and Ombudsman decisions are made by the YAML rules
(compiled once per engine) through a rule backend: the conditions compiled to Python by
default, durable-rules when asked for (``backend="durable"``); both give identical results.
Each policy version is compiled once into the functions that work out its clocks
(``timeline``, ``policy_code``).  An engine is safe to share between threads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from redress.errors import CalendarRangeError
from redress.evaluation.case import Case, CaseInput, out_of_range, read_case
from redress.evaluation.compiled_result import CompiledResult
from redress.evaluation.conclusion import Conclusion
from redress.evaluation.context import EngineParts, as_of_date, parsed_input
from redress.evaluation.drive import drive, drive_many
from redress.evaluation.not_complaint import not_a_complaint_result
from redress.evaluation.record import case_record
from redress.evaluation.record_types import record_kind, recorded_on, runs_clock
from redress.evaluation.records import (
    ErrorRecord,
    ParsedInput,
    Record,
    ResultRecord,
    record_of,
    unreadable,
)
from redress.evaluation.result import Result
from redress.evaluation.steps import Steps, conclude
from redress.policy.cache import load_library_cached
from redress.policy.loader import Document

BATCH = 256  # cases decided together by evaluate_many (one durable-rules session per program)


class Engine(EngineParts):
    """Evaluates cases against a loaded, validated set of policies and rules."""

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), backend: str = "auto",
             include_bundled: bool = True) -> Engine:
        """An engine over the bundled policies and rules plus any local files or folders.

        Raises ``PolicyError`` listing every problem if any policy or rule file is invalid.
        ``include_bundled=False`` loads exactly ``paths`` (they must include a fact catalogue).
        """
        library = load_library_cached([Path(p) for p in paths], include_bundled)
        return cls(library, backend)

    def evaluate(self, case: CaseInput, as_of: dt.date | str | None = None) -> Result:
        """Evaluate one case as of a date (today by default).

        ``case`` is a mapping (as parsed from JSON/YAML), a path to a case file, or a
        ``Document``; nothing the caller holds is changed, and changing it afterwards changes
        nothing.  ``as_of`` is a ``datetime.date`` or an ISO date string (``"2025-05-01"``).

        Raises ``CaseError`` listing every problem if the case is invalid, including a value
        with no JSON form, an evaluation date before the complaint was received, and any date
        (or deadline) outside the years the working-day calendars cover.  Raises ``TypeError``
        for an ``as_of`` that is not a date (a ``datetime`` too: pass ``.date()``) and
        ``ValueError`` for a string that is not an ISO date.
        """
        day = as_of_date(as_of)
        started = self._start(read_case(case, self.library.catalog, day), day)
        if isinstance(started, Result):
            return started
        case_, doc, steps = started
        try:
            conclusion = drive(self.programs, steps)
        except CalendarRangeError as exc:
            raise out_of_range(doc, exc) from exc
        return self._finish(case_, doc, day, conclusion)

    def _start(self, read: tuple[Case, Document, tuple[str, ...]],
               day: dt.date) -> Result | tuple[Case, Document, Steps]:
        """The evaluation of a complaint, or the result of a record that runs no clock."""
        case, doc, warnings = read
        if runs_clock(case.head):
            return case, doc, conclude(self.context, case, day, warnings)
        orgs = case.wire.organisations
        return not_a_complaint_result(
            case.id, record_kind(case.head), case.wire.routed_to, orgs[0].id if orgs else None,
            self.audit(day, None, list_unused=False), warnings,
            case_record(case, day, recorded_on(case.head)))

    def _finish(self, case: Case, doc: Document, day: dt.date,
                conclusion: Conclusion) -> CompiledResult:
        procedure = self.procedure_ref(conclusion.policy) if conclusion.policy else None
        return CompiledResult(conclusion, self.audit(day, conclusion.used),
                              self.library.catalog, recorded_on(case.head), procedure)

    def evaluate_many(self, cases: Iterable[CaseInput | ParsedInput],
                      as_of: dt.date | str | None = None) -> Iterator[Record]:
        """Evaluate many cases lazily, yielding one record per case in input order.

        Each record is a ``ResultRecord`` (the result plus where the case came from) or an
        ``ErrorRecord`` (``invalid_case``, ``unreadable``, ``out_of_calendar`` or
        ``internal_error``); a bad or failing case never raises and never stops the rest.
        ``to_json_line(record)`` gives the JSON Lines form (``schemas/record.schema.json``).
        Items may be ``ParsedInput`` to carry their own source and line.  With durable-rules
        the cases are read ahead and decided in batches of ``BATCH`` (one session for each
        program's rules per batch); otherwise one at a time.
        """
        day = as_of_date(as_of)  # one date for the whole run, even across midnight
        items = (parsed_input(case, index) for index, case in enumerate(cases))
        size = BATCH if self.programs.backend_label == "durable" else 1
        while batch := list(islice(items, size)):
            yield from self.evaluate_batch(batch, day)

    def evaluate_batch(self, batch: Sequence[ParsedInput],
                       day: dt.date | Sequence[dt.date]) -> list[Record]:
        """The records of a batch of parsed inputs, in input order, decided together, as of
        ``day`` (or each as of its own date, given one date per input)."""
        days = [day] * len(batch) if isinstance(day, dt.date) else list(day)
        outcomes: list[Result | BaseException | Record | None] = []
        pending: list[tuple[int, Case, Document, Steps, dt.date]] = []
        for index, item in enumerate(batch):
            started = self._started(item, days[index])
            if isinstance(started, tuple):
                pending.append((index, *started, days[index]))
                outcomes.append(None)
            else:
                outcomes.append(started)
        decided = drive_many(self.programs, [steps for *_, steps, _day in pending])
        for (index, case, doc, _steps, on), outcome in zip(pending, decided, strict=True):
            if isinstance(outcome, CalendarRangeError):
                outcomes[index] = out_of_range(doc, outcome)
            else:
                outcomes[index] = (outcome if isinstance(outcome, Exception)
                                   else self._finish(case, doc, on, outcome))
        return [o if isinstance(o, ResultRecord | ErrorRecord) else record_of(item, o)
                for item, o in zip(batch, outcomes, strict=True) if o is not None]

    def _started(self, item: ParsedInput, day: dt.date
                 ) -> Record | Result | BaseException | tuple[Case, Document, Steps]:
        if item.document is None:
            return unreadable(item.ref, item.problems)
        try:
            return self._start(read_case(item.document, self.library.catalog, day), day)
        except Exception as exc:  # worded as the record's error by record_of
            return exc


__all__ = ["Engine"]

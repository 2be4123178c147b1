"""The public ``Engine`` with ``report``: evaluation's engine, plus the complaints report over
its results.  It lives here because a report sits above evaluation in the pipeline; the façade
(``redress.Engine``) exports this class."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from redress.evaluation.evaluate import Engine as EvaluationEngine
from redress.evaluation.result import Result
from redress.report.build import make_report
from redress.report.catalog import catalog_of
from redress.report.compute import ReportOptions
from redress.report.figures import Period, year_before
from redress.report.narrative import sections
from redress.report.read import checked_record

Results = Iterable[Result | Mapping[str, Any]]


class Engine(EvaluationEngine):
    """Evaluates cases (see ``evaluate``) and reports on many results (``report``)."""

    def report(self, results: Results, start: dt.date | None = None,
               end: dt.date | None = None, procedure: str | None = None,
               homes: int | None = None, ombudsman_references: Sequence[str] = (),
               title: str = "Complaints report", narrative: str | None = None,
               compare_to: Results | None = None, compare_start: dt.date | None = None,
               compare_end: dt.date | None = None) -> dict[str, Any]:
        """The complaints report over ``results`` (``Result`` objects, their ``to_dict()``, or
        the records of ``redress batch``), as data described by ``schemas/report.schema.json``.

        ``start``/``end`` bound the period (inclusive); ``homes`` is a landlord's number of homes
        (for CH01); ``ombudsman_references`` are the Ombudsman's own references (e.g. from its
        annual letter), to list those that match no local case; ``narrative`` is the complaints
        manager's Markdown (learning, improvements, self-assessment, "you said, we did").
        ``compare_to`` (last year's results, or the same ones again) compares each headline
        figure with the period ``compare_start``–``compare_end``, by default the same dates a
        year earlier.
        """
        period = Period(start, end)
        previous = None if compare_to is None else _records(compare_to)
        options = ReportOptions(
            period=period, procedure=procedure, homes=homes,
            ombudsman_references=tuple(ombudsman_references), title=title,
            narrative=sections(narrative) if narrative else (),
            catalog=catalog_of(self.library),
            compare_period=(Period(compare_start, compare_end)
                            if compare_start or compare_end else year_before(period)),
            compare_source="<data>" if compare_to is not None else None)
        return make_report(_records(results), options, previous=previous)


def _records(results: Results) -> list[dict[str, Any]]:
    # Our own Result objects are trusted; dictionaries are input, checked as a file's lines.
    return [r.to_dict() if isinstance(r, Result) else checked_record(r, "<data>", None)
            for r in results]


__all__ = ["Engine"]

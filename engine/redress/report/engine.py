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
from redress.report.compute import ReportOptions
from redress.report.figures import Period
from redress.report.read import checked_record


class Engine(EvaluationEngine):
    """Evaluates cases (see ``evaluate``) and reports on many results (``report``)."""

    def report(self, results: Iterable[Result | Mapping[str, Any]],
               start: dt.date | None = None, end: dt.date | None = None,
               procedure: str | None = None, homes: int | None = None,
               ombudsman_references: Sequence[str] = (),
               title: str = "Complaints report") -> dict[str, Any]:
        """The complaints report over ``results`` (``Result`` objects, their ``to_dict()``, or
        the records of ``redress batch``), as data described by ``schemas/report.schema.json``.

        ``start``/``end`` bound the period (inclusive); ``homes`` is a landlord's number of homes
        (for CH01); ``ombudsman_references`` are the Ombudsman's own references (e.g. from its
        annual letter), to list those that match no local case.
        """
        # Our own Result objects are trusted; dictionaries are input, checked as a file's lines.
        records = [r.to_dict() if isinstance(r, Result) else checked_record(r, "<data>", None)
                   for r in results]
        options = ReportOptions(period=Period(start, end), procedure=procedure, homes=homes,
                                ombudsman_references=tuple(ombudsman_references), title=title)
        return make_report(records, options)


__all__ = ["Engine"]

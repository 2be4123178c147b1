"""``redress batch``'s task: one raw record → one JSON line and its digest.

The task runs in whichever process evaluates the record (see :mod:`redress.caseload.runner`),
so parsing and serialising are spread over the workers too; the writer only writes lines.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from redress.caseload.digest import Digest, digest
from redress.caseload.parse import parse_raw
from redress.caseload.sources import RawRecord
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import (
    case_id_of,
    evaluate_record,
    internal_error,
    to_json_bytes,
)
from redress.evaluation.result import Form


@dataclass(frozen=True)
class Outcome:
    """One output line (UTF-8, ending in a newline) and what the summary and filters need."""

    line: bytes
    digest: Digest


@dataclass(frozen=True)
class BatchSpec:
    """How each process builds its engine (picklable)."""

    as_of: dt.date
    policies: tuple[str, ...] = ()
    backend: str = "auto"
    form: Form = "full"

    def build(self) -> Callable[[RawRecord], Outcome]:
        return BatchTask(Engine.load(self.policies, backend=self.backend), self.as_of,
                         self.form)


class BatchTask:
    """Evaluate one record with a loaded engine; never raises for a record."""

    def __init__(self, engine: Engine, as_of: dt.date, form: Form = "full") -> None:
        self.engine = engine
        self.as_of = as_of
        self.form = form

    def __call__(self, raw: RawRecord) -> Outcome:
        try:
            record = evaluate_record(self.engine, parse_raw(raw), self.as_of)
        except Exception as exc:  # parsing is guarded too: a bug is a record, not a crash
            record = internal_error(raw.ref, None, exc)
        data = record.to_dict(self.form)
        return Outcome(to_json_bytes(data), digest(data))


def crashed(raw: RawRecord, why: str) -> Outcome:
    """The outcome of a record whose worker process died (see ``runner.run_ordered``)."""
    case_id = None
    if raw.kind == "json":
        try:
            case_id = case_id_of(json.loads(raw.payload))
        except ValueError:
            case_id = None
    record = internal_error(raw.ref, case_id, RuntimeError(why))
    data = record.to_dict()
    return Outcome(to_json_bytes(data), digest(data))


__all__ = ["BatchSpec", "BatchTask", "Outcome", "crashed"]

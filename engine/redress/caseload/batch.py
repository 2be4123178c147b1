"""``redress batch``'s task: one raw record → the body of one JSON line and its digest.

The task runs in whichever process evaluates the record (see :mod:`redress.caseload.runner`),
so parsing and serialising are spread over the workers too.  The body is the record without its
``input`` member: the writer adds that (:func:`with_input`), because part of it — which line
came before in this output — is known only where the lines are written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from redress.caseload.digest import Digest, digest
from redress.caseload.parse import parse_raw
from redress.caseload.raw import RawRecord
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import (
    Record,
    case_id_of,
    evaluate_record,
    internal_error,
    to_json_bytes,
    worker_crash,
)
from redress.evaluation.result import Form


@dataclass(frozen=True)
class Outcome:
    """One record's JSON body (UTF-8, ``{…}`` and a newline, no ``input``), its digest, and the
    ``input`` member so far (``source``, ``line``, ``index``, ``sha256``)."""

    body: bytes
    digest: Digest
    input: dict[str, Any]


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
        return outcome(record, raw.sha256, self.form)


def outcome(record: Record, sha256: str, form: Form = "full") -> Outcome:
    """The outcome of one record whose input has the digest ``sha256``, in ``form``."""
    data = record.to_dict(form)
    summary = digest(data)
    member = {**data.pop("input"), "sha256": sha256}
    return Outcome(to_json_bytes(data), summary, member)


def crashed(raw: RawRecord, why: str, form: Form = "full") -> Outcome:
    """The outcome of a record that keeps ending its worker process (see ``runner``)."""
    return outcome(worker_crash(raw.ref, _case_id(raw), why), raw.sha256, form)


def _case_id(raw: RawRecord) -> str | None:
    if raw.kind == "csv":
        return case_id_of(raw.payload)
    if raw.kind == "json":
        try:
            return case_id_of(json.loads(raw.payload))
        except (ValueError, RecursionError):
            return None
    return None


def with_input(body: bytes, member: Mapping[str, Any]) -> bytes:
    """The full JSON line: ``body`` with ``"input": member`` added as its last member."""
    if not body.endswith(b"}\n") or len(body) < 4:
        raise ValueError("a record body is a non-empty JSON object ending in a newline")
    return body[:-2] + b',"input":' + to_json_bytes(member)[:-1] + b"}\n"


__all__ = ["BatchSpec", "BatchTask", "Outcome", "crashed", "outcome", "with_input"]

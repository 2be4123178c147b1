"""The JSON Lines record contract for many cases (``schemas/record.schema.json``).

The types live in :mod:`redress.evaluation.records` so that ``Engine.evaluate_many``, the batch
command and the HTTP service share them without importing one another; this module re-exports
them for the caseload layer and adds the validator used to check output against the schema.
"""

from __future__ import annotations

from functools import cache

from jsonschema import Draft202012Validator

from redress.evaluation.records import (
    ERROR_KINDS,
    INTERNAL_KINDS,
    ErrorKind,
    ErrorRecord,
    InputRef,
    ParsedInput,
    Problem,
    Record,
    ResultRecord,
    case_id_of,
    evaluate_record,
    internal_error,
    one_line,
    to_json_bytes,
    to_json_line,
    unreadable,
    worker_crash,
)
from redress.policy.schema import validator


@cache
def record_validator() -> Draft202012Validator:
    """A validator for one parsed output line (``schemas/record.schema.json``)."""
    return validator("record")


__all__ = ["ERROR_KINDS", "INTERNAL_KINDS", "ErrorKind", "ErrorRecord", "InputRef", "ParsedInput", "Problem",
           "Record", "ResultRecord", "case_id_of", "evaluate_record", "internal_error",
           "one_line", "record_validator", "to_json_bytes", "to_json_line", "unreadable",
           "worker_crash"]

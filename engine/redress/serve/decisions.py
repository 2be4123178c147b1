"""The decision log: one JSON line per evaluation, for audit (``redress serve --decision-log``).

As Open Policy Agent's decision logs do, each line names the decision (its id, as in the
result's ``audit.decision_id``), when it was made, what made it (package version and
``policy_set_hash``, which ``GET /v1/policy-sets/{hash}`` turns back into the exact rules) and
what was concluded (procedure, policy version, stage, status, the evaluation date).  A case's
contents are written only when asked (``--decision-log-cases``): complaints hold personal data,
and without them the line still ties a stored result to the rules that produced it.

Several worker processes may share one file: each line is one ``write`` to a file opened for
appending, which the operating system does not interleave.  A file that exists and is not a
decision log is never written to.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FIRST_LINE_BYTES = 1 << 16


class DecisionLogError(ValueError):
    """The decision log cannot be opened (the message says why, naming the file)."""


def check_log_file(path: Path) -> None:
    """Refuse a file that exists and does not start with a decision line (it is not ours)."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(FIRST_LINE_BYTES)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DecisionLogError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if not first.strip():
        return
    try:
        ours = isinstance(line := json.loads(first), dict) and "decision_id" in line
    except ValueError:
        ours = False
    if not ours:
        raise DecisionLogError(f"{path}: exists and is not a Redress decision log; "
                               "not writing to it")


class DecisionLog:
    """Appends decision lines to one file; safe to call from several threads."""

    def __init__(self, path: Path, with_cases: bool = False) -> None:
        check_log_file(path)
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise DecisionLogError(f"{path}: cannot open it for appending: "
                                   f"{exc.strerror or exc}") from None
        self.with_cases = with_cases
        self._lock = threading.Lock()

    def record(self, result: Mapping[str, Any], operation: str,
               case: Any = None) -> None:
        """Write the decision line of one evaluated result (with ``audit.decision_id``)."""
        line = decision_line(result, operation)
        if self.with_cases and case is not None:
            line["case"] = case
        data = (json.dumps(line, ensure_ascii=True, separators=(",", ":"), default=str)
                + "\n").encode("ascii")
        with self._lock:
            os.write(self._fd, data)

    def close(self) -> None:
        """Close the log file."""
        os.close(self._fd)


def decision_line(result: Mapping[str, Any], operation: str) -> dict[str, Any]:
    """The logged facts of one decision: never the case's contents."""
    audit = result.get("audit") or {}
    procedure = result.get("procedure") or {}
    return {
        "decision_id": audit.get("decision_id"),
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "operation": operation,
        "engine_version": audit.get("engine_version"),
        "policy_set_hash": audit.get("policy_set_hash"),
        "calendar_data_version": audit.get("calendar_data_version"),
        "as_of": audit.get("evaluated_as_of"),
        "procedure": procedure.get("id"),
        "procedure_version": procedure.get("version"),
        "stage": result.get("stage"),
        "status": result.get("status"),
    }


__all__ = ["DecisionLog", "DecisionLogError", "check_log_file", "decision_line"]

"""The examples in the OpenAPI document: real answers of this service, made when it starts.

The bundled example case (``examples/EX-2025-0042.yaml``) is evaluated as of 2025-05-01 by the
service's own engine, and its answers (result, explanation, calendar feed, batch records) are
what the operations would return, so an example can never drift from the code.  The lint
example is written out (linting takes a while); a test checks the service gives exactly it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redress.calendar import CALENDAR_NAMES, get_calendar
from redress.evaluation.evaluate import Engine
from redress.evaluation.ics import result_to_ics
from redress.evaluation.records import InputRef, ParsedInput, evaluate_record
from redress.policy.loader import Document, read_document
from redress.resources import data_dir
from redress.serve.calendars import added, counted
from redress.serve.contract import decided, stamped, versions
from redress.serve.policy_sets import LoadedPolicySet
from redress.serve.procedures import policy_in_force, procedure_detail, procedure_list

EXAMPLE_CASE = "EX-2025-0042.yaml"
AS_OF = dt.date(2025, 5, 1)
DECISION_ID = "0b6f1c2e-4d7a-4f3e-9b1a-5c8d2e7f9a10"
CALENDAR = "england-and-wales"
LINT_DOCUMENT = """\
id: my-council
extends: council-corporate
title: My Council complaints procedure
organisations: [my-council]
stages:
  stage1:
    deadlines:
      - kind: response
        period: 10 working days
"""
LINT_FINDINGS = [{"file": "my-policy.yaml", "line": 7, "column": 5, "severity": "error",
                  "check_id": "schema", "hint": None,
                  "message": "stage 'stage1' deadlines must be a mapping, not a list"}]
ERROR_EXAMPLES = {
    404: ("not_found", "no procedure 'council-corporat' (did you mean council-corporate?)", []),
    413: ("too_large", "the request body is larger than 1048576 bytes", []),
    422: ("invalid_case", "invalid case: 1 problem(s)",
          [{"path": "received", "line": 3, "column": 13, "check": "case-schema",
            "message": "received: '2025-02-30' is not a real date"}]),
    500: ("internal_error", "internal error in Redress (KeyError); please report it with the "
                            "X-Request-Id header", []),
    503: ("time_limit", "the request took longer than the service's limit of 10 s", []),
    400: ("invalid_host", "this service does not answer to that Host name (start it with "
                          "--allow-host NAME to add one)", []),
    401: ("unauthorized", "a valid bearer token is required (Authorization: Bearer <token>)",
          []),
    403: ("forbidden", "this token may not call /v1/admin/reload (it needs the admin role)", []),
    406: ("not_acceptable", "this endpoint answers application/json; the Accept header allows "
                            "none of them", []),
    408: ("timeout", "the request body did not arrive within 30 s", []),
    415: ("unsupported_media_type", "Content-Type 'text/csv' is not taken here; send "
                                    "application/json, application/yaml", []),
}


@dataclass(frozen=True)
class Examples:
    """One example of every request and answer."""

    as_of: str
    case: dict[str, Any]
    case_yaml: str
    result: dict[str, Any]
    explained: dict[str, Any]
    ics: str
    records: list[dict[str, Any]]
    records_lean: list[dict[str, Any]]
    procedure_ids: tuple[str, ...]
    procedure_id: str
    procedures: dict[str, Any]
    procedure: dict[str, Any]
    policy_set_hash: str
    policy_set: dict[str, Any]
    lint_document: str
    lint: dict[str, Any]
    calendar_ids: tuple[str, ...]
    calendar_id: str
    calendar_add: dict[str, Any]
    calendar_between: dict[str, Any]
    health: dict[str, Any]
    version: dict[str, Any]


def example_case() -> Document:
    """The bundled example case, as read from its file."""
    document, problems = read_document(Path(data_dir("examples")) / EXAMPLE_CASE)
    if document is None:  # the file ships with Redress; a test reads it too
        raise RuntimeError(f"the bundled example case cannot be read: {problems}")
    return document


def build_examples(engine: Engine, version: dict[str, Any]) -> Examples:
    """Every example, from this engine (``version``: the body of ``GET /v1/version``)."""
    document = example_case()
    result = engine.evaluate(document, as_of=AS_OF)
    body = decided(result.to_dict(), DECISION_ID)
    library = engine.library
    procedure_id = str(body["procedure"]["id"])
    policy = policy_in_force(library, procedure_id, AS_OF)
    record = evaluate_record(engine, ParsedInput(InputRef("-", 1, 0), document), AS_OF)
    lint = {"findings": LINT_FINDINGS, "errors": 1, "warnings": 0}
    return Examples(
        as_of=AS_OF.isoformat(), case=document.data, case_yaml=_yaml_text(), result=body,
        explained=stamped({"result": body, "explanation": result.explain()}),
        ics=result_to_ics(result).decode("utf-8"), records=[decided(record.to_dict(), DECISION_ID)],
        records_lean=[decided(record.to_dict(form="lean"), DECISION_ID)],
        procedure_ids=tuple(sorted(library.policies)), procedure_id=procedure_id,
        procedures=stamped({"procedures": procedure_list(library)}),
        procedure=stamped(procedure_detail(policy, AS_OF)) if policy else {},
        policy_set_hash=library.digest, policy_set=_short_policy_set(engine),
        lint_document=LINT_DOCUMENT, lint=stamped(lint),
        calendar_ids=tuple(CALENDAR_NAMES), calendar_id=CALENDAR,
        calendar_add=stamped(working_days_added(CALENDAR, AS_OF, 20)),
        calendar_between=stamped(working_days_between(CALENDAR, AS_OF,
                                                      AS_OF + dt.timedelta(days=28))),
        health=stamped({"status": "ready", "policy_set_hash": library.digest}), version=version)


def _yaml_text() -> str:
    """The example case file without its comments."""
    text = (Path(data_dir("examples")) / EXAMPLE_CASE).read_text(encoding="utf-8")
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def _short_policy_set(engine: Engine) -> dict[str, Any]:
    """The policy set with one file and three citations: the whole is hundreds of kilobytes."""
    full = LoadedPolicySet.of(engine).body()
    return stamped({**full, "files": full["files"][:1],
                    "citations": dict(list(full["citations"].items())[:3])})


def working_days_added(name: str, start: dt.date, n: int) -> dict[str, Any]:
    """The body of ``GET /v1/calendars/{name}/add`` (raises ``CalendarRangeError``)."""
    return added(get_calendar(name), start, n)


def working_days_between(name: str, first: dt.date, last: dt.date) -> dict[str, Any]:
    """The body of ``GET /v1/calendars/{name}/between``."""
    return counted(get_calendar(name), first, last)


def error_example(status: int) -> dict[str, Any]:
    """An error body of this status."""
    kind, message, problems = ERROR_EXAMPLES.get(status, ("unreadable", "bad request", []))
    return {"error": {"status": status, "kind": kind, "message": message,
                      "problems": problems}, **versions()}


__all__ = ["AS_OF", "EXAMPLE_CASE", "LINT_DOCUMENT", "LINT_FINDINGS", "Examples",
           "build_examples", "error_example", "example_case", "working_days_added",
           "working_days_between"]

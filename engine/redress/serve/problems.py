"""Error responses: one JSON shape for every failure the service reports.

``{"error": {"status": 422, "kind": "invalid_case", "message": "...", "problems": [...]}}`` where
each problem is ``{"path", "line", "column", "message"}`` exactly as in the record contract
(``redress.evaluation.records.Problem``), so a calling system reads one format from the service
and from ``redress batch``.  Messages are one line and never repeat the case's contents beyond
the path and the validator's own words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from starlette.responses import JSONResponse

from redress.evaluation.records import Problem, json_bytes, one_line
from redress.findings import Finding, SourcePos
from redress.policy.loader import Document, parse_text
from redress.serve.contract import versions

ERROR_KINDS = ("unreadable", "invalid_case", "invalid_parameter", "invalid_policy",
               "out_of_calendar", "not_found", "method_not_allowed", "too_large", "time_limit",
               "internal_error", "invalid_host", "unauthorized", "forbidden", "busy", "timeout",
               "unsupported_media_type", "not_acceptable")


class ServiceError(Exception):
    """Raised inside a handler to answer with an error response."""

    def __init__(self, status: int, kind: str, message: str,
                 problems: Sequence[Problem] = (), headers: Mapping[str, str] | None = None,
                 cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.problems = tuple(problems)
        self.headers = dict(headers or {})
        self.cause = cause  # the exception behind a 500, logged (never shown) with the request id


class SafeJSONResponse(JSONResponse):
    """JSON that never fails to encode.

    Written by orjson (a result in a fraction of the standard library's time); a body it
    refuses, such as one carrying a lone surrogate (``"\\ud800"``) that UTF-8 cannot encode,
    falls back to ASCII escapes, as batch records do (``records.json_bytes``).
    """

    def render(self, content: Any) -> bytes:
        """UTF-8 JSON by orjson, or ASCII-escaped JSON when orjson refuses the content (a lone
        surrogate, an integer beyond 64 bits): ``records.json_bytes``."""
        return json_bytes(content)


def error_response(status: int, kind: str, message: str,
                   problems: Sequence[Problem] = ()) -> JSONResponse:
    """The service's one error shape (module docstring) with ``status``."""
    return SafeJSONResponse({"error": {"status": status, "kind": kind, "message": one_line(message),
                                   "problems": [p.to_dict() for p in problems]},
                             **versions()},
                        status_code=status)


def from_service_error(exc: ServiceError) -> JSONResponse:
    """The error response for ``exc``, with its extra headers (``WWW-Authenticate``…)."""
    response = error_response(exc.status, exc.kind, exc.message, exc.problems)
    response.headers.update(exc.headers)
    return response


def bad_parameter(name: str, message: str) -> ServiceError:
    """A 422 for a query or path parameter; its path is ``query.<name>`` or ``path.<name>``."""
    return ServiceError(422, "invalid_parameter", f"{name}: {message}",
                        (Problem(name, None, None, one_line(message)),))


def json_syntax(exc: json.JSONDecodeError, line_offset: int = 0) -> Finding:
    """A JSON syntax error as a finding at its line and column."""
    return Finding("json-syntax", f"not valid JSON: {exc.msg}",
                   pos=SourcePos(exc.lineno + line_offset, exc.colno))


def case_problems(findings: Iterable[Finding], body: str | None) -> tuple[Problem, ...]:
    """Error findings as problems, with line and column looked up in the request body.

    A case sent as JSON is parsed with ``json.loads`` (fast, no positions); only when it fails
    validation is the body parsed again by the position-keeping loader to place each problem.
    """
    errors = [f for f in findings if f.is_error]
    located: Document | None = None
    if body is not None and any(f.pos is None for f in errors):
        located, _ = parse_text(body, "<request>")
    if located is not None:
        errors = [f if f.pos is not None else located.locate(f) for f in errors]
    return tuple(Problem.from_finding(f) for f in errors)


__all__ = ["ERROR_KINDS", "SafeJSONResponse", "ServiceError", "bad_parameter", "case_problems",
           "error_response", "from_service_error", "json_syntax"]

"""The endpoints of ``redress serve``: each turns one request into one response.

Blocking work (evaluation, lint, reload) runs in a worker thread under the per-request time
limit; everything else is quick and runs on the event loop.  A handler raises
``ServiceError`` for anything the caller got wrong; the application turns it into the JSON error
shape of :mod:`redress.serve.problems`.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse

from redress.calendar import CALENDAR_NAMES, UnknownCalendarError, get_calendar
from redress.errors import CalendarRangeError, CaseError, PolicyError
from redress.evaluation.ics import MEDIA_TYPE as ICS_MEDIA_TYPE
from redress.evaluation.ics import result_to_ics
from redress.evaluation.records import (
    InputRef,
    Problem,
    case_id_of,
    evaluate_record,
    internal_error,
    one_line,
    to_json_line,
)
from redress.evaluation.result import Result
from redress.findings import did_you_mean
from redress.policy.lint import lint
from redress.policy.loader import Document
from redress.serve.components import SCHEMA_FILES, schema_file
from redress.serve.contract import DECISION_HEADER, decided, new_decision_id, stamped
from redress.serve.docs_page import render_docs
from redress.serve.examples import build_examples, working_days_added
from redress.serve.inputs import REQUEST, batch_inputs, case_document, decode
from redress.serve.limits import read_body, run_limited
from redress.serve.openapi import build_openapi
from redress.serve.params import date_param, int_param
from redress.serve.policy_sets import policy_set_body
from redress.serve.problems import SafeJSONResponse, ServiceError, bad_parameter, case_problems
from redress.serve.procedures import policy_in_force, procedure_detail, procedure_list
from redress.serve.service import Service

JSONL_MEDIA_TYPE = "application/x-ndjson"
MAX_WORKING_DAYS = 3660
_LINT_NAME = re.compile(r"^[A-Za-z0-9._-]+\.ya?ml$")
# Where a posted document's schema comment points depends on the server's folders, not on the
# document: that check is left to `redress lint` on the officer's own machine.
_LINT_IGNORED = ("missing-schema-comment",)


class Handlers:
    """The endpoints, bound to one worker's :class:`Service`."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.config = service.config
        self._documents: tuple[str, dict[str, Any], str] | None = None  # (hash, OpenAPI, page)

    @property
    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document of the policy set loaded now."""
        return self._described()[1]

    @property
    def docs_html(self) -> str:
        return self._described()[2]

    def _described(self) -> tuple[str, dict[str, Any], str]:
        """The document and its page, made on first use and again after a reload changes the
        policy set (its procedure ids, examples and hash come from it)."""
        engine = self.service.engine
        documents = self._documents
        if documents is None or documents[0] != engine.library.digest:
            examples = build_examples(engine, stamped(self.service.version(engine)))
            openapi = build_openapi(examples, self.config.admin_reload)
            documents = self._documents = (engine.library.digest, openapi, render_docs(openapi))
        return documents

    # -- evaluation -----------------------------------------------------------------------

    async def evaluate(self, request: Request) -> Response:
        _, body, _ = await self._decide(request, "evaluate")
        return self._decision(body)

    async def explain(self, request: Request) -> Response:
        _, body, explanation = await self._decide(request, "explain", explain=True)
        return self._decision(stamped({"result": body, "explanation": explanation}),
                              body)

    async def evaluate_ics(self, request: Request) -> Response:
        result, body, _ = await self._decide(request, "ics")
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", result.case_id) or "case"
        return Response(result_to_ics(result), media_type=ICS_MEDIA_TYPE,
                        headers={"content-disposition": f'inline; filename="{safe}.ics"',
                                 DECISION_HEADER: body["audit"]["decision_id"]})

    @staticmethod
    def _decision(content: dict[str, Any], result: dict[str, Any] | None = None) -> Response:
        decision_id = (result or content)["audit"]["decision_id"]
        return SafeJSONResponse(content, headers={DECISION_HEADER: decision_id})

    async def _decide(self, request: Request, operation: str,
                      explain: bool = False) -> tuple[Result, dict[str, Any], str | None]:
        """Evaluate the case in the body: the result, its body with a decision id (logged),
        and its explanation when asked."""
        as_of = date_param(request, "as_of")
        raw = await read_body(request, self.config.max_body_bytes)
        document, text = case_document(raw, request.headers.get("content-type", ""))
        result, explanation = await self._evaluate(document, text, as_of, explain)
        body = decided(result.to_dict(), new_decision_id())
        self.service.log_decision(body, operation, document.data)
        return result, body, explanation

    async def _evaluate(self, document: Document, text: str, as_of: dt.date | None,
                        explain: bool) -> tuple[Result, str | None]:
        engine = self.service.engine

        def work() -> tuple[Result, str | None]:
            result = engine.evaluate(document, as_of=as_of)
            return result, (result.explain() if explain else None)

        try:
            return await run_limited(work, self.config.time_limit_seconds)
        except CaseError as exc:
            problems = case_problems(exc.findings, text)
            raise ServiceError(422, "invalid_case",
                               f"invalid case: {len(problems)} problem(s)", problems) from None
        except CalendarRangeError as exc:
            raise ServiceError(422, "out_of_calendar",
                               f"a date falls outside the working-day calendar: {exc}") from None
        except ServiceError:
            raise
        except Exception as exc:  # a bug in Redress: a 500 naming the case, never a traceback
            record = internal_error(InputRef(REQUEST, None, 0), case_id_of(document.data), exc)
            raise ServiceError(500, "internal_error", record.message) from None

    async def evaluate_batch(self, request: Request) -> Response:
        day = date_param(request, "as_of") or dt.date.today()  # one date for the whole batch
        raw = await read_body(request, self.config.max_batch_bytes)
        inputs = batch_inputs(raw)
        engine = self.service.engine

        async def records() -> AsyncIterator[bytes]:
            for parsed in inputs:
                record = await anyio.to_thread.run_sync(evaluate_record, engine, parsed, day)
                if record.is_error:
                    yield to_json_line(record).encode("utf-8")
                    continue
                body = decided(record.to_dict(), new_decision_id())
                self.service.log_decision(body, "batch", parsed.document and parsed.document.data)
                yield to_json_line(body).encode("utf-8")

        return StreamingResponse(records(), media_type=JSONL_MEDIA_TYPE)

    # -- policies -------------------------------------------------------------------------

    async def lint(self, request: Request) -> Response:
        name = request.query_params.get("name", "document.yaml")
        if not _LINT_NAME.match(name):
            raise bad_parameter("name", f"{name!r} is not a plain file name ending .yaml or .yml")
        text = decode(await read_body(request, self.config.max_body_bytes))

        def work() -> list[dict[str, Any]]:
            # A private folder per request: nothing is shared, and it is removed afterwards.
            with tempfile.TemporaryDirectory(prefix="redress-lint-") as folder:
                path = Path(folder) / name
                path.write_text(text, encoding="utf-8")
                return [{"file": r.file, "line": r.line, "column": r.col, "severity": r.severity,
                         "check_id": r.check_id, "message": r.message, "hint": r.hint}
                        for r in lint([path], ignore=_LINT_IGNORED, cwd=Path(folder))]

        findings = await run_limited(work, self.config.time_limit_seconds)
        errors = sum(1 for f in findings if f["severity"] == "error")
        return SafeJSONResponse(stamped({"findings": findings, "errors": errors,
                                         "warnings": len(findings) - errors}))

    async def procedures(self, request: Request) -> Response:
        return SafeJSONResponse(stamped({"procedures":
                                         procedure_list(self.service.engine.library)}))

    async def procedure(self, request: Request) -> Response:
        policy_id = request.path_params["id"]
        day = date_param(request, "date") or dt.date.today()
        library = self.service.engine.library
        if not library.has(policy_id):
            hint = did_you_mean(policy_id, library.policies)
            raise ServiceError(404, "not_found", f"no procedure {policy_id!r}"
                               + (f" ({hint})" if hint else ""))
        policy = policy_in_force(library, policy_id, day)
        if policy is None:
            raise ServiceError(404, "not_found",
                               f"no version of {policy_id!r} is in force on {day.isoformat()}")
        return SafeJSONResponse(stamped(procedure_detail(policy, day)))

    async def policy_set(self, request: Request) -> Response:
        digest = str(request.path_params["hash"])
        library = self.service.policy_set(digest)
        if library is None:
            raise ServiceError(404, "not_found", f"no policy set {digest[:80]!r} has been "
                               "loaded by this service (see GET /v1/version)")
        return SafeJSONResponse(stamped(policy_set_body(library)))

    # -- calendars ------------------------------------------------------------------------

    async def calendar_add(self, request: Request) -> Response:
        name = request.path_params["id"]
        try:
            get_calendar(name)
        except UnknownCalendarError:
            hint = did_you_mean(name, CALENDAR_NAMES)
            raise ServiceError(404, "not_found", f"no calendar {name!r}"
                               + (f" ({hint})" if hint else "")) from None
        start = date_param(request, "date", required=True)
        if start is None:  # required=True refuses a missing date; this narrows the type
            raise RuntimeError("date_param returned no date for a required parameter")
        n = int_param(request, "n", -MAX_WORKING_DAYS, MAX_WORKING_DAYS)
        try:
            return SafeJSONResponse(stamped(working_days_added(name, start, n)))
        except CalendarRangeError as exc:
            raise ServiceError(422, "out_of_calendar", str(exc),
                               (Problem("date", None, None, str(exc)),)) from None

    # -- the service itself ---------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return SafeJSONResponse(stamped({"status": "ok"}))

    async def version(self, request: Request) -> Response:
        return SafeJSONResponse(stamped(self.service.version()))

    async def openapi_json(self, request: Request) -> Response:
        return SafeJSONResponse(self.openapi)

    async def docs(self, request: Request) -> Response:
        return HTMLResponse(self.docs_html)

    async def schema(self, request: Request) -> Response:
        name = str(request.path_params["name"])
        stem = name.removesuffix(".schema.json")
        if stem == name or stem not in SCHEMA_FILES:
            raise ServiceError(404, "not_found", f"no schema {name!r}")
        return SafeJSONResponse(schema_file(stem), media_type="application/schema+json")

    async def reload(self, request: Request) -> Response:
        try:
            engine = await run_limited(self.service.reload,
                                               max(self.config.time_limit_seconds, 60.0))
        except PolicyError as exc:
            problems = tuple(Problem(None, f.pos.line if f.pos else None,
                                     f.pos.col if f.pos else None, one_line(f.render()))
                             for f in exc.findings)
            raise ServiceError(422, "invalid_policy",
                               f"the policies did not load: {len(problems)} problem(s); "
                               "the service keeps the policies it had", problems) from None
        return SafeJSONResponse(stamped(self.service.version(engine)))


__all__ = ["JSONL_MEDIA_TYPE", "Handlers"]

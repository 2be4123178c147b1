"""The endpoints of ``redress serve``: each turns one request into one response.

Every endpoint first checks its query (unknown, empty or repeated parameters are a 422), what
it may answer (``Accept``: 406) and what it is sent (``Content-Type``: 415).  Evaluation of a
small case runs on the event loop and is refused (503) if it took longer than the per-request
time limit; a larger one runs in a worker thread, abandoned at the limit
(:func:`redress.serve.limits.runs_inline`), lint in a worker process stopped at it
(:mod:`redress.serve.lint_pool`), a batch record by record (:mod:`redress.serve.batch`);
everything else is quick and runs on the event loop.  A handler raises ``ServiceError`` for
anything the caller got wrong; the application turns it into the JSON error shape of
:mod:`redress.serve.problems`.  "Today" is the date in the United Kingdom.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from redress.errors import CalendarRangeError, CaseError, PolicyError
from redress.evaluation.ics import MEDIA_TYPE as ICS_MEDIA_TYPE
from redress.evaluation.ics import result_to_ics
from redress.evaluation.records import (
    ErrorRecord,
    InputRef,
    Problem,
    Record,
    case_id_of,
    internal_error,
    one_line,
)
from redress.evaluation.result import Form, Result
from redress.findings import did_you_mean
from redress.policy.lint import DOCUMENT_NAME
from redress.policy.loader import Document
from redress.serve import calendars
from redress.serve.batch import JSONL_MEDIA_TYPE, BatchLimits, BatchStream
from redress.serve.components import SCHEMA_FILES, schema_file
from redress.serve.contract import DECISION_HEADER, decided, new_decision_id, stamped
from redress.serve.docs_page import render_docs
from redress.serve.examples import build_examples
from redress.serve.inputs import REQUEST, case_document, decode
from redress.serve.limits import read_body, run_limited, run_timed, runs_inline
from redress.serve.lint_pool import LintPool
from redress.serve.metrics import MEDIA_TYPE as METRICS_MEDIA_TYPE
from redress.serve.metrics import Metrics
from redress.serve.negotiation import body_format, negotiate
from redress.serve.openapi import build_openapi
from redress.serve.params import check_query, date_param, form_param, uk_today
from redress.serve.problems import SafeJSONResponse, ServiceError, bad_parameter, case_problems
from redress.serve.procedures import policy_in_force, procedure_detail, procedure_list
from redress.serve.service import Service

JSON = "application/json"
CASE_FORMATS = {JSON: "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
                "text/yaml": "yaml"}
BATCH_FORMATS = {JSONL_MEDIA_TYPE: "jsonl", "application/jsonl": "jsonl",
                 "application/x-jsonlines": "jsonl"}
EVALUATION_THREADS = 40
LINT_FORMATS = {"application/yaml": "yaml", "application/x-yaml": "yaml", "text/yaml": "yaml",
                JSON: "yaml", "text/plain": "yaml"}


class Handlers:
    """The endpoints, bound to one worker's :class:`Service`."""

    def __init__(self, service: Service, metrics: Metrics, lint_pool: LintPool) -> None:
        self.service = service
        self.config = service.config
        self.metrics = metrics
        self.lint_pool = lint_pool
        self._batches: anyio.Semaphore | None = None
        # Evaluations run here (as many at once as anyio's default thread limit allowed).
        self.threads = ThreadPoolExecutor(max_workers=EVALUATION_THREADS,
                                          thread_name_prefix="redress-evaluate")
        self._documents: tuple[str, dict[str, Any], str] | None = None  # (hash, OpenAPI, page)

    def close(self) -> None:
        """Stop the evaluation threads (work still running is left to finish on its own)."""
        self.threads.shutdown(wait=False, cancel_futures=True)

    @property
    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document of the policy set loaded now."""
        return self._described()[1]

    @property
    def docs_html(self) -> str:
        """The OpenAPI document as one HTML page."""
        return self._described()[2]

    def _described(self) -> tuple[str, dict[str, Any], str]:
        """The document and its page, made on first use and again after a reload changes the
        policy set (its procedure ids, examples and hash come from it)."""
        engine = self.service.engine
        documents = self._documents
        if documents is None or documents[0] != engine.library.digest:
            examples = build_examples(engine, stamped(self.service.version(engine)))
            openapi = build_openapi(examples, self.config.admin_reload,
                                    self.config.token_file is not None)
            documents = self._documents = (engine.library.digest, openapi, render_docs(openapi))
        return documents

    def _json_only(self, request: Request, params: Collection[str] = ()) -> None:
        check_query(request, params)
        negotiate(request, [JSON])

    # -- evaluation -----------------------------------------------------------------------

    async def evaluate(self, request: Request) -> Response:
        """``POST /v1/evaluate``: one case, as JSON (or YAML), its result."""
        _, body, _ = await self._decide(request, "evaluate", JSON, form_param)
        return self._decision(body)

    async def explain(self, request: Request) -> Response:
        """``POST /v1/evaluate/explanation``: the result and its plain-English account."""
        _, body, explanation = await self._decide(request, "explain", JSON, form_param,
                                                  explain=True)
        return self._decision(stamped({"result": body, "explanation": explanation}),
                              body)

    async def evaluate_ics(self, request: Request) -> Response:
        """``POST /v1/evaluate/ics``: the case's deadlines as an iCalendar feed."""
        result, body, _ = await self._decide(request, "ics", ICS_MEDIA_TYPE.split(";")[0])
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", result.case_id) or "case"
        return Response(result_to_ics(result), media_type=ICS_MEDIA_TYPE,
                        headers={"content-disposition": f'inline; filename="{safe}.ics"',
                                 DECISION_HEADER: body["audit"]["decision_id"]})

    @staticmethod
    def _decision(content: dict[str, Any], result: dict[str, Any] | None = None) -> Response:
        decision_id = (result or content)["audit"]["decision_id"]
        return SafeJSONResponse(content, headers={DECISION_HEADER: decision_id})

    async def _decide(self, request: Request, operation: str, answers: str,
                      form_of: Callable[[Request], Form] | None = None,
                      explain: bool = False) -> tuple[Result, dict[str, Any], str | None]:
        """Evaluate the case in the body: the result, its body (in the form asked for, when
        ``form_of`` reads one) with a decision id (logged), and its explanation when asked."""
        check_query(request, ("as_of", "form") if form_of is not None else ("as_of",))
        as_of = date_param(request, "as_of") or uk_today()
        form = form_of(request) if form_of is not None else "full"
        negotiate(request, [answers])
        kind = body_format(request, CASE_FORMATS, "json")
        raw = await read_body(request, self.config.max_body_bytes,
                              self.config.body_timeout_seconds)
        document, text = case_document(raw, kind)
        result, explanation = await self._evaluate(document, text, as_of, explain)
        body = decided(result.to_dict(form), new_decision_id())
        self.service.log_decision(body, operation, document.data)
        return result, body, explanation

    async def _evaluate(self, document: Document, text: str, as_of: dt.date,
                        explain: bool) -> tuple[Result, str | None]:
        engine = self.service.engine

        def work() -> tuple[Result, str | None]:
            result = engine.evaluate(document, as_of=as_of)
            return result, (result.explain() if explain else None)

        seconds = self.config.time_limit_seconds
        try:
            if runs_inline(len(text), seconds):
                answer = run_timed(work, seconds)
            else:
                answer = await run_limited(work, seconds, self.threads)
        except CaseError as exc:
            problems = case_problems(exc.findings, text)
            self.metrics.evaluated("invalid_case")
            raise ServiceError(422, "invalid_case",
                               f"invalid case: {len(problems)} problem(s)", problems) from None
        except CalendarRangeError as exc:
            self.metrics.evaluated("out_of_calendar")
            raise ServiceError(422, "out_of_calendar",
                               f"a date falls outside the working-day calendar: {exc}") from None
        except ServiceError as exc:
            self.metrics.evaluated(exc.kind)
            raise
        except Exception as exc:  # a bug in Redress: a 500 naming the case, never a traceback
            self.metrics.evaluated("internal_error")
            record = internal_error(InputRef(REQUEST, None, 0), case_id_of(document.data), exc)
            raise ServiceError(500, "internal_error", record.message, cause=exc) from None
        self.metrics.evaluated("ok")
        return answer

    async def evaluate_batch(self, request: Request) -> BatchStream:
        """``POST /v1/evaluate/batch``: JSON Lines in, one record per line out, as they go."""
        check_query(request, ("as_of", "form"))
        day = date_param(request, "as_of") or uk_today()  # one date for the whole batch
        form = form_param(request)
        negotiate(request, [JSONL_MEDIA_TYPE])
        body_format(request, BATCH_FORMATS, "jsonl")
        if self._batches is None:
            self._batches = anyio.Semaphore(self.config.max_batches)
        try:
            self._batches.acquire_nowait()
        except anyio.WouldBlock:
            raise ServiceError(503, "busy", f"this worker is already evaluating "
                               f"{self.config.max_batches} batches; try again shortly",
                               headers={"retry-after": "5"}) from None
        config = self.config
        limits = BatchLimits(config.max_batch_bytes, config.max_body_bytes,
                             config.time_limit_seconds, config.batch_time_limit_seconds,
                             config.body_timeout_seconds)
        return BatchStream(self.service.engine, day, limits,
                           functools.partial(self._batch_record, form=form),
                           on_done=self._batches.release)

    def _batch_record(self, record: Record, case: Any, form: Form) -> dict[str, Any]:
        """A batch record as written, in ``form``: counted, and a result with its (logged)
        decision id."""
        if isinstance(record, ErrorRecord):
            self.metrics.evaluated(record.kind)
            return record.to_dict(form)
        self.metrics.evaluated("ok")
        body = decided(record.to_dict(form), new_decision_id())
        self.service.log_decision(body, "batch", case)
        return body

    # -- policies -------------------------------------------------------------------------

    async def lint(self, request: Request) -> Response:
        """``POST /v1/lint``: a policy or rules document's findings, as ``redress lint`` finds."""
        self._json_only(request, ("name",))
        name = request.query_params.get("name", "document.yaml")
        if not DOCUMENT_NAME.fullmatch(name):
            raise bad_parameter("name", f"{name!r} is not a plain file name ending .yaml or .yml")
        body_format(request, LINT_FORMATS, "yaml")
        text = decode(await read_body(request, self.config.max_body_bytes,
                                      self.config.body_timeout_seconds))
        findings = await self.lint_pool.lint(text, name)
        errors = sum(1 for f in findings if f["severity"] == "error")
        return SafeJSONResponse(stamped({"findings": findings, "errors": errors,
                                         "warnings": len(findings) - errors}))

    async def procedures(self, request: Request) -> Response:
        """``GET /v1/procedures``: every procedure the service knows."""
        self._json_only(request)
        return SafeJSONResponse(stamped({"procedures":
                                         procedure_list(self.service.engine.library)}))

    async def procedure(self, request: Request) -> Response:
        """``GET /v1/procedures/{id}``: the version in force on ``date`` (today by default)."""
        self._json_only(request, ("date",))
        policy_id = request.path_params["id"]
        day = date_param(request, "date") or uk_today()
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
        """``GET /v1/policy-sets/{hash}``: the policy set behind a result's hash."""
        self._json_only(request)
        digest = str(request.path_params["hash"])
        loaded = self.service.policy_set(digest)
        if loaded is None:
            raise ServiceError(404, "not_found", f"no policy set {digest[:80]!r} has been "
                               "loaded by this service (see GET /v1/version)")
        return SafeJSONResponse(stamped(loaded.body()))

    # -- calendars ------------------------------------------------------------------------

    async def calendar_add(self, request: Request) -> Response:
        """``GET /v1/calendars/{id}/add``: the ``n``-th working day after ``date``."""
        self._json_only(request, ("date", "n", "procedure"))
        return SafeJSONResponse(stamped(calendars.add(self.service.engine, request)))

    async def calendar_between(self, request: Request) -> Response:
        """``GET /v1/calendars/{id}/between``: working days after ``from`` up to ``to``."""
        self._json_only(request, ("from", "to", "procedure"))
        return SafeJSONResponse(stamped(calendars.between(self.service.engine, request)))

    # -- the service itself ---------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        """``GET /v1/health``: ready (200) once the policy set is loaded, naming its hash."""
        self._json_only(request)
        engine = self.service.loaded_engine
        if engine is None:
            return SafeJSONResponse(stamped({"status": "starting", "policy_set_hash": None}),
                                    status_code=503)
        return SafeJSONResponse(stamped({"status": "ready",
                                         "policy_set_hash": engine.library.digest}))

    async def version(self, request: Request) -> Response:
        """``GET /v1/version``: the audit stamp of the engine answering."""
        self._json_only(request)
        return SafeJSONResponse(stamped(self.service.version()))

    async def metrics_text(self, request: Request) -> Response:
        """``GET /metrics``: Prometheus text format."""
        check_query(request, ())
        negotiate(request, ["text/plain", "application/openmetrics-text"])
        return Response(self.metrics.exposition(), media_type=METRICS_MEDIA_TYPE)

    async def openapi_json(self, request: Request) -> Response:
        """``GET /openapi.json``: the OpenAPI 3.1 document."""
        self._json_only(request)
        return SafeJSONResponse(self.openapi)

    async def docs(self, request: Request) -> Response:
        """``GET /docs``: the document as one HTML page."""
        check_query(request, ())
        negotiate(request, ["text/html"])
        return HTMLResponse(self.docs_html)

    async def schema(self, request: Request) -> Response:
        """``GET /schemas/{name}``: a bundled JSON Schema file."""
        check_query(request, ())
        negotiate(request, ["application/schema+json", JSON])
        name = str(request.path_params["name"])
        stem = name.removesuffix(".schema.json")
        if stem == name or stem not in SCHEMA_FILES:
            raise ServiceError(404, "not_found", f"no schema {name!r}")
        return SafeJSONResponse(schema_file(stem), media_type="application/schema+json")

    async def reload(self, request: Request) -> Response:
        """``POST /v1/admin/reload``: load the policies again (admin token, JSON content type).

        A browser can send a cross-site POST only as a "simple" request (form or text
        content types, no ``Authorization``); asking for ``application/json`` and a bearer
        token makes it ask first (CORS), and this service never says yes.
        """
        self._json_only(request)
        if request.headers.get("content-type") is None:
            raise ServiceError(415, "unsupported_media_type",
                               "send Content-Type: application/json (an empty body will do)")
        body_format(request, {JSON: "json"}, "json")
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


__all__ = ["Handlers"]

"""The OpenAPI 3.1 document of ``redress serve``, built from the JSON Schemas in ``schemas/``.

Built in small steps: the components come from the schema files (:mod:`.components`); each
operation is one :class:`Operation` with one response shape per status (an explanation or a
calendar feed is an operation of its own, never a shape chosen by a query flag); every response
declares the three version headers; the examples come from :mod:`.examples`.  Procedure and
calendar ids are enumerations of what this service has loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from redress.__about__ import API_VERSION, __version__
from redress.serve.components import PREFIX, components
from redress.serve.examples import Examples

JSON = "application/json"
YAML = "application/yaml"
JSONL = "application/x-ndjson"
ICS = "text/calendar"
VERSION_HEADERS = {
    "Redress-Version": "The Redress package version (X.Y.Z) that answered.",
    "Redress-API-Version": "The HTTP API version (MAJOR.MINOR) that answered.",
    "Redress-Schema-Version": "The version (MAJOR.MINOR) of the JSON formats of the body.",
    "X-Request-Id": "The id of this request in the service's log; quote it when reporting.",
}
ERROR_WORDS = {
    400: "The request is malformed, or its Host is not one the service answers to.",
    401: "A bearer token is required (when the service has a token file).",
    403: "The token may not call this operation.",
    406: "The Accept header allows none of the media types this operation answers.",
    408: "The body did not arrive within the body timeout.",
    415: "The Content-Type is not one this operation takes.",
    404: "No such route, procedure, calendar or policy set.",
    413: "The body is over the size limit.",
    422: "The input is invalid: every problem with its path (and line and column).",
    500: "A bug in Redress; quote the X-Request-Id header when reporting it.",
    503: "The work took longer than the per-request time limit, or the service is busy "
         "(see Retry-After).",
}
TAGS = (
    ("evaluation", "Evaluate cases: one, with its explanation, as a calendar feed, or many."),
    ("policies", "The procedures, their policy versions and the policy set behind a result."),
    ("calendars", "Working-day arithmetic on the UK nations' calendars."),
    ("service", "Health, versions and administration of the service itself."),
)


def ref(name: str) -> dict[str, str]:
    """A reference to the named component schema."""
    return {"$ref": PREFIX + name}


@dataclass(frozen=True)
class Operation:
    """One HTTP operation: its place, its words, its parameters, its body and its answers."""

    path: str
    method: str
    operation_id: str
    tag: str
    summary: str
    description: str
    responses: Mapping[str, Any]
    parameters: Sequence[Mapping[str, Any]] = ()
    request: Mapping[str, Any] | None = None
    errors: Sequence[int] = field(default=(422,))

    def to_openapi(self) -> dict[str, Any]:
        """The operation object of the document, its error answers included."""
        out: dict[str, Any] = {"operationId": self.operation_id, "tags": [self.tag],
                               "summary": self.summary, "description": self.description}
        if self.parameters:
            out["parameters"] = list(self.parameters)
        if self.request is not None:
            out["requestBody"] = dict(self.request)
        out["responses"] = {**self.responses, **errors(*self.errors)}
        return out


# -- building blocks --------------------------------------------------------------------------

def headers() -> dict[str, Any]:
    """References to the headers every answer carries."""
    return {name: {"$ref": f"#/components/headers/{name}"} for name in VERSION_HEADERS}


def response(description: str, media: str, schema: Mapping[str, Any], example: Any,
             extra_headers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One answer: its words, headers, media type, schema and example."""
    return {"description": description, "headers": {**headers(), **(extra_headers or {})},
            "content": {media: {"schema": dict(schema), "example": example}}}


def in_forms(answer: dict[str, Any], full: Any, lean: Any) -> dict[str, Any]:
    """``answer`` with one named example per result form instead of its single example."""
    content = {media: {"schema": body["schema"],
                       "examples": {"full": {"summary": "?form=full (the default)",
                                             "value": full},
                                    "lean": {"summary": "?form=lean", "value": lean}}}
               for media, body in answer["content"].items()}
    return {**answer, "content": content}


def errors(*statuses: int) -> dict[str, Any]:
    """The error answers of these statuses, each in the one error shape, with an example."""
    from redress.serve.examples import error_example

    return {str(s): response(ERROR_WORDS[s], JSON, ref("ErrorResponse"), error_example(s))
            for s in statuses}


def query(name: str, schema: Mapping[str, Any], description: str, example: Any,
          required: bool = False) -> dict[str, Any]:
    """A query parameter with its schema, words and example."""
    return {"name": name, "in": "query", "required": required, "schema": dict(schema),
            "description": description, "example": example}


def path_param(name: str, schema: Mapping[str, Any], description: str,
               example: Any) -> dict[str, Any]:
    """A path parameter with its schema, words and example."""
    return {"name": name, "in": "path", "required": True, "schema": dict(schema),
            "description": description, "example": example}


def enum_of(values: Iterable[str]) -> dict[str, Any]:
    """A string schema allowing exactly ``values`` (sorted)."""
    return {"type": "string", "enum": sorted(values)}


DATE = {"type": "string", "format": "date"}
DECISION_HEADER = {"Redress-Decision-Id": {
    "description": "The decision id of this evaluation (as in audit.decision_id and the "
                   "decision log).", "schema": {"type": "string"}}}


def as_of(examples: Examples) -> dict[str, Any]:
    """The ``as_of`` query parameter of the evaluation operations."""
    return query("as_of", DATE, "Evaluation date, YYYY-MM-DD (default: today in "
                 "Europe/London).", examples.as_of)


# The closed enumeration a client sends (the result's own ``form`` member is open, as every
# output enumeration is); one component so a generator makes one type for the three operations.
RESULT_FORM_SCHEMA = {"title": "ResultForm", "type": "string", "enum": ["full", "lean"],
                      "default": "full", "description": "A result form: full or lean."}
RESULT_FORM = query(
    "form", ref("ResultForm"),
    "The result form. full (the default): every member, the rule trace and each "
    "conclusion's citation and explanatory text. lean: every conclusion, each citation named by "
    "its citation_id, without the trace and the explanatory text; a single lean result carries "
    "the table of the ids it uses under citations, a lean batch record none (GET "
    "/v1/policy-sets/{hash} serves the table of the whole set).", "lean")


def case_body(examples: Examples) -> dict[str, Any]:
    """The request body of one case, as JSON or YAML."""
    return {"required": True,
            "description": "One case (schemas/case.schema.json), as JSON, or as YAML with "
                           "Content-Type application/yaml.",
            "content": {JSON: {"schema": ref("ComplaintCase"), "example": examples.case},
                        YAML: {"schema": {"type": "string", "contentMediaType": YAML,
                                          "description": "A ComplaintCase written in YAML."},
                               "example": examples.case_yaml}}}


# -- the operations ---------------------------------------------------------------------------

def evaluation_operations(examples: Examples) -> list[Operation]:
    """Evaluate one case (result, explanation, calendar feed) or a batch."""
    body = case_body(examples)
    return [
        Operation("/v1/evaluate", "post", "evaluate", "evaluation", "Evaluate one case",
                  "Procedure, stage, status, every deadline with its basis and citation, "
                  "entitlements, routing and the audit stamp (with a decision id).",
                  # One example (full form): openapi-generator warns about a JSON answer
                  # with named examples; the batch shows both forms.
                  {"200": response("The result (schemas/result.schema.json), in the form "
                                   "asked for.", JSON, ref("EvaluationResult"), examples.result,
                                   DECISION_HEADER)},
                  [as_of(examples), RESULT_FORM], body, (413, 422, 500, 503)),
        Operation("/v1/evaluate/explanation", "post", "explainCase", "evaluation",
                  "Evaluate one case and explain it in plain English",
                  "The result and the plain-English account that redress evaluate --explain "
                  "gives.",
                  {"200": response("The result and its explanation.", JSON,
                                   ref("ExplainedResult"), examples.explained,
                                   DECISION_HEADER)},
                  [as_of(examples), RESULT_FORM], body, (413, 422, 500, 503)),
        Operation("/v1/evaluate/ics", "post", "evaluateToCalendar", "evaluation",
                  "The case's deadlines as an iCalendar feed",
                  "Each deadline of the case as an event (RFC 5545), to subscribe to in a "
                  "calendar program.",
                  {"200": response("An iCalendar document.", ICS, {"type": "string"},
                                   examples.ics, DECISION_HEADER)},
                  [as_of(examples)], body, (413, 422, 500, 503)),
        Operation("/v1/evaluate/batch", "post", "evaluateBatch", "evaluation",
                  "Evaluate many cases (JSON Lines)",
                  "One case per line in; one record per case out, in input order, streamed as "
                  "each case is done. A case that fails becomes an error record and the rest "
                  "carry on (schemas/record.schema.json), the same contract as redress batch. "
                  "Blank lines are skipped. The body is JSON Lines (one JSON value per line); "
                  "its schema is given as an array of the values on its lines.",
                  {"200": in_forms(response("JSON Lines: one record (EvaluationRecord) per "
                                            "input line, in the form asked for.", JSONL,
                                            {"type": "array", "items": ref("EvaluationRecord")},
                                            examples.records),
                                   examples.records, examples.records_lean)},
                  [as_of(examples), RESULT_FORM],
                  {"required": False,
                   "description": "JSON Lines: one case per line (no lines: no records).",
                   "content": {JSONL: {"schema": {"type": "array",
                                                  "items": ref("ComplaintCase")},
                                       "example": [examples.case]}}},
                  (413, 422)),
    ]


def policy_operations(examples: Examples) -> list[Operation]:
    """The procedures, the policy version in force, policy sets and lint."""
    procedure_id = path_param("id", enum_of(examples.procedure_ids),
                              "The procedure id (see /v1/procedures).", examples.procedure_id)
    return [
        Operation("/v1/procedures", "get", "listProcedures", "policies",
                  "The procedures this service knows", "Every procedure with its versions.",
                  {"200": response("Every procedure.", JSON, ref("ProcedureList"),
                                   examples.procedures)}, errors=()),
        Operation("/v1/procedures/{id}", "get", "getProcedure", "policies",
                  "The policy version in force on a date",
                  "One procedure's policy version in force on the date: every stage, "
                  "deadline, entitlement and route with its citation.",
                  {"200": response("The version in force, with citations.", JSON,
                                   ref("ProcedureInForce"), examples.procedure)},
                  [procedure_id, query("date", DATE, "The date (default: today in "
                                       "Europe/London).", examples.as_of)], errors=(404, 422)),
        Operation("/v1/policy-sets/{hash}", "get", "getPolicySet", "policies",
                  "The policy set behind a policy_set_hash",
                  "The exact policy and rule files that a result's audit.policy_set_hash "
                  "names, and their citation table. Only sets this service has loaded since it "
                  "started are known.",
                  {"200": response("The files and citations.", JSON, ref("PolicySet"),
                                   examples.policy_set)},
                  [path_param("hash", {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                              "A policy_set_hash (64 hex digits).", examples.policy_set_hash)],
                  errors=(404, 422)),
        Operation("/v1/lint", "post", "lint", "policies", "Lint a policy or rules document",
                  "The document is laid over the bundled policies and rules (so extends "
                  "resolves) and checked as redress lint checks it; only its own findings "
                  "are reported, each with line and column. The missing-schema-comment check "
                  "is left out: where a comment points depends on the server's folders, not "
                  "on the document.",
                  {"200": response("Every finding.", JSON, ref("LintReport"), examples.lint)},
                  [query("name", {"type": "string", "pattern": r"^[A-Za-z0-9._-]+\.ya?ml$",
                                  "default": "document.yaml"},
                         "The file name to report findings against.", "my-policy.yaml")],
                  {"required": False,
                   "description": "A policy or rules file (YAML); an empty one is reported.",
                   "content": {YAML: {"schema": {"description": "Any YAML document: what is "
                                                     "wrong with it is the answer."},
                                      "example": examples.lint_document}}},
                  (413, 422, 503)),
    ]


PROCEDURE = {"name": "procedure", "in": "query", "required": False,
             "schema": {"type": "string"}, "example": "council-corporate",
             "description": "Count in this procedure's calendar on the start date: the nation's "
                            "bank holidays plus its local closure days, as its deadlines are "
                            "counted."}


def calendar_operations(examples: Examples) -> list[Operation]:
    """Working days added to a date, and counted between two dates."""
    calendar_id = path_param("id", enum_of(examples.calendar_ids), "The calendar.",
                             examples.calendar_id)
    return [
        Operation("/v1/calendars/{id}/add", "get", "addWorkingDays", "calendars",
                  "The n-th working day after a date",
                  "Counts working days (weekends and the nation's bank holidays skipped); the "
                  "start date is day 0.",
                  {"200": response("The due date.", JSON, ref("WorkingDaysAdded"),
                                   examples.calendar_add)},
                  [calendar_id,
                   query("date", DATE, "The start date (day 0).", examples.as_of, True),
                   query("n", {"type": "integer", "minimum": -3660, "maximum": 3660},
                         "Working days to add (negative counts back).", 20, True), PROCEDURE],
                  errors=(404, 422)),
        Operation("/v1/calendars/{id}/between", "get", "workingDaysBetween", "calendars",
                  "Working days after one date up to and including another",
                  "As redress calendar between counts: the working days w with from < w <= to "
                  "(negative when to is the earlier), with the non-working weekdays passed over.",
                  {"200": response("The count.", JSON, ref("WorkingDaysBetween"),
                                   examples.calendar_between)},
                  [calendar_id, query("from", DATE, "From (not counted).", examples.as_of, True),
                   query("to", DATE, "To (counted).", examples.calendar_between["to"], True),
                   PROCEDURE], errors=(404, 422)),
    ]


def service_operations(examples: Examples, admin_reload: bool) -> list[Operation]:
    """Health, metrics, versions and (when turned on) the admin reload."""
    operations = [
        Operation("/v1/health", "get", "health", "service", "Is the service ready",
                  "Ready (200) once the policy set is loaded, naming its hash; 503 before. "
                  "Never needs a token.",
                  {"200": response("Ready.", JSON, ref("Health"), examples.health),
                   "503": response("Not ready yet.", JSON, ref("Health"),
                                   {**examples.health, "status": "starting",
                                    "policy_set_hash": None})}, errors=()),
        Operation("/metrics", "get", "metrics", "service", "Prometheus metrics",
                  "Requests, latencies, evaluations and errors by kind in the Prometheus text "
                  "format, added up across worker processes.",
                  {"200": response("Prometheus text format.", "text/plain", {"type": "string"},
                                   "redress_evaluations_total{outcome=\"ok\"} 1.0\n")},
                  errors=()),
        Operation("/v1/version", "get", "version", "service",
                  "Versions, policy set hash and calendar data",
                  "The package, API and schema versions and the audit stamp every result of "
                  "this service carries.",
                  {"200": response("The versions and audit stamp.", JSON,
                                   ref("ServiceVersion"), examples.version)}, errors=()),
    ]
    if admin_reload:
        operations.append(Operation(
            "/v1/admin/reload", "post", "reload", "service",
            "Reload policies and rules (this worker only)",
            "Only when the service was started with --admin-reload; needs a token with the "
            "admin role and Content-Type: application/json (so a page on another site cannot "
            "send it). Each worker process holds its own copy: with several workers, restart "
            "instead.",
            {"200": response("The new audit stamp.", JSON, ref("ServiceVersion"),
                             examples.version)},
            request={"required": False, "description": "Empty, or an empty JSON object.",
                     "content": {JSON: {"schema": {"type": "object"}, "example": {}}}},
            errors=(401, 403, 415, 422)))
    return operations


# -- what every operation shares -------------------------------------------------------------

REQUEST_ID = {"name": "X-Request-Id", "in": "header", "required": False,
              "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:+/=@-]{1,128}$"},
              "description": "The caller's id for this request: used as the request id, echoed "
                             "in the X-Request-Id response header and logged (422 if unsafe).",
              "example": "crm-7f3a-0001"}
SECURITY_SCHEMES = {"bearerAuth": {
    "type": "http", "scheme": "bearer",
    "description": "A token made by `redress token new`, sent as Authorization: Bearer <token>. "
                   "Asked for only when the service runs with --token-file; /v1/health, "
                   "/openapi.json, /docs and /schemas/ never need one."}}
OPEN_OPERATIONS = ("health",)


def shared(document_paths: dict[str, Any], tokens: bool) -> dict[str, Any]:
    """Add to every operation: 406, 422 (an unsafe X-Request-Id), and 408/413/415 with a body;
    the caller's X-Request-Id; with tokens, 401 and 403 (and ``security: []`` on the operations
    that need none)."""
    for item in document_paths.values():
        for operation in item.values():
            extra = [406, 422, *((408, 413, 415) if "requestBody" in operation else ())]
            if tokens and operation["operationId"] not in OPEN_OPERATIONS:
                extra += [401, 403]
            elif tokens:
                operation["security"] = []
            operation["responses"] = {**errors(*extra), **operation["responses"]}
            operation.setdefault("parameters", []).append(dict(REQUEST_ID))
    return document_paths


# -- the document -----------------------------------------------------------------------------

def paths(operations: Iterable[Operation]) -> dict[str, Any]:
    """The ``paths`` object: each operation under its path and method."""
    out: dict[str, dict[str, Any]] = {}
    for operation in operations:
        out.setdefault(operation.path, {})[operation.method] = operation.to_openapi()
    return out


def info() -> dict[str, Any]:
    """The ``info`` object: title, versions and the compatibility rule."""
    return {"title": "Redress", "version": API_VERSION,
            "summary": "Rules-as-code for UK public-sector complaints procedures.",
            "description": "Evaluate complaints cases against cited YAML policies: procedure, "
                           "stage, deadlines in working days, entitlements and the route to "
                           "the Ombudsman, each with its legal citation. Nothing here is legal "
                           f"advice. This is API version {API_VERSION} of Redress {__version__}. "
                           "Within a major version only additions are made: clients must "
                           "ignore members they do not know and treat an enumeration value "
                           "they do not know as 'other' (CHANGELOG.md, 'Versions and "
                           "compatibility').",
            "license": {"name": "MIT", "identifier": "MIT"},
            "x-redress-version": __version__}


def build_openapi(examples: Examples, admin_reload: bool = False,
                  tokens: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.1 document (with the admin path only when reload is on, and the bearer
    token required everywhere but the open operations when the service has tokens)."""
    operations = [*evaluation_operations(examples), *policy_operations(examples),
                  *calendar_operations(examples), *service_operations(examples, admin_reload)]
    return {
        "openapi": "3.1.0",
        "info": info(),
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": "/", "description": "The service this document was fetched from."}],
        "tags": [{"name": name, "description": words} for name, words in TAGS],
        "paths": shared(paths(operations), tokens),
        **({"security": [{"bearerAuth": []}]} if tokens else {}),
        "components": {
            "schemas": {**components(), "ResultForm": RESULT_FORM_SCHEMA},
            "securitySchemes": SECURITY_SCHEMES,
            "headers": {name: {"description": words, "schema": {"type": "string"}}
                        for name, words in VERSION_HEADERS.items()}},
    }


__all__ = ["Operation", "build_openapi"]

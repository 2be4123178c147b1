"""The OpenAPI 3.1 document of ``redress serve``, built from the JSON Schemas in ``schemas/``.

OpenAPI 3.1 schema objects are JSON Schema 2020-12, so the case, result, record and service
schema files go under ``components.schemas`` as they are, bundled the usual way: each file's
``$id`` and ``$schema`` are dropped and its references are rewritten to point inside the
document (``#/$defs/deadline`` in the result schema becomes
``#/components/schemas/Result/$defs/deadline``; ``result.schema.json`` in the record schema
becomes ``#/components/schemas/Result``).  Nothing else changes, so there is no second copy of a
schema to drift from the files; tools that do not follow ``$id`` inside a document (most OpenAPI
tools) resolve every reference.  The service also serves each file at
``/schemas/<name>.schema.json``.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from redress.__about__ import __version__
from redress.resources import schema_path

SCHEMA_FILES = ("case", "result", "record", "service")
JSON = "application/json"
JSONL = "application/x-ndjson"
ICS = "text/calendar"


@cache
def schema_file(name: str) -> dict[str, Any]:
    """A bundled schema file, parsed (cached: the files do not change while the service runs)."""
    data: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return data


def component(name: str) -> str:
    """The component name of a schema file: ``result`` → ``Result``."""
    return name.capitalize()


def _ref(name: str, definition: str | None = None) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component(name)}"
                    + (f"/$defs/{definition}" if definition else "")}


def bundled(name: str) -> Any:
    """A schema file as a component: no ``$id``/``$schema``, references rewritten."""
    return _rewrite(schema_file(name), component(name))


def _rewrite(node: Any, owner: str) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, owner) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$id", "$schema") and isinstance(value, str):
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = _target(value, owner)
        else:
            out[key] = _rewrite(value, owner)
    return out


def _target(ref: str, owner: str) -> str:
    """``#/$defs/x`` → inside ``owner``; ``result.schema.json#/y`` → inside ``Result``."""
    file, _, pointer = ref.partition("#")
    if file:
        stem = file.rsplit("/", 1)[-1].removesuffix(".schema.json")
        if stem not in SCHEMA_FILES:
            raise ValueError(f"schema reference {ref!r} leaves the bundled schema files")
        owner = component(stem)
    return f"#/components/schemas/{owner}{pointer}"


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {400: "The request is malformed, or its Host is not one the service answers to.",
             401: "A bearer token is required (when the service has a token file).",
             403: "The token may not call this operation.",
             404: "No such route, procedure or calendar.",
             406: "The Accept header allows none of the media types this operation answers.",
             408: "The body did not arrive within the body timeout.",
             413: "The body is over the size limit.",
             415: "The Content-Type is not one this operation takes.",
             422: "The input is invalid: every problem with its path (and line and column).",
             500: "A bug in Redress; quote the X-Request-Id header when reporting it.",
             503: "The work took longer than the per-request time limit, or the service is "
                  "busy (see Retry-After)."}
    return {str(s): _json(_ref("service", "error"), words[s]) for s in statuses}


def _query(name: str, schema: dict[str, Any], description: str,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
            "description": description}


DATE = {"type": "string", "format": "date"}
AS_OF = _query("as_of", DATE, "Evaluation date, YYYY-MM-DD (default: today in the UK, "
               "Europe/London).")
PROCEDURE = _query("procedure", {"type": "string"}, "Count in this procedure's calendar on the "
                   "start date: the nation's bank holidays plus its local closure days.")


def _paths() -> dict[str, Any]:
    case_body = {"required": True, "description": "One case (schemas/case.schema.json), as JSON, "
                 "or as YAML with Content-Type application/yaml.",
                 "content": {JSON: {"schema": _ref("case")},
                             "application/yaml": {"schema": _ref("case")}}}
    return {
        "/v1/evaluate": {"post": {
            "operationId": "evaluate", "summary": "Evaluate one case",
            "description": "Procedure, stage, status, every deadline with its basis and "
                           "citation, entitlements, routing and the audit stamp.",
            "parameters": [
                AS_OF,
                _query("explain", {"type": "boolean", "default": False},
                       "true: answer {result, explanation} with the plain-English account."),
                _query("format", {"enum": ["json", "ics"], "default": "json"},
                       "ics: the case's open deadlines as an iCalendar feed instead of JSON.")],
            "requestBody": case_body,
            "responses": {
                "200": {"description": "The result (schemas/result.schema.json); with "
                                       "explain=true, the result and its explanation; with "
                                       "format=ics, a text/calendar document.",
                        "content": {JSON: {"schema": {"oneOf": [
                            _ref("result"), _ref("service", "explained_result")]}},
                                    ICS: {"schema": {"type": "string"}}}},
                **_errors(413, 422, 500, 503)}}},
        "/v1/evaluate/batch": {"post": {
            "operationId": "evaluateBatch", "summary": "Evaluate many cases (JSON Lines)",
            "description": "One case per line in; one record per case out, in input order, "
                           "streamed as each case is done. A case that fails becomes an error "
                           "record and the rest carry on (schemas/record.schema.json), the same "
                           "contract as redress batch. Blank lines are skipped.",
            "parameters": [AS_OF],
            "requestBody": {"required": True, "description": "JSON Lines: one case per line.",
                            "content": {JSONL: {"schema": {"type": "string"}}}},
            "responses": {
                "200": {"description": "JSON Lines: one record (schemas/record.schema.json) per "
                                       "input line.",
                        "content": {JSONL: {"x-item-schema": _ref("record"),
                                            "schema": {"type": "string"}}}},
                **_errors(413, 422, 503)}}},
        "/v1/lint": {"post": {
            "operationId": "lint", "summary": "Lint a policy or rules document",
            "description": "The document is laid over the bundled policies and rules (so "
                           "extends resolves) and checked as redress lint checks it; only its "
                           "own findings are reported, each with line and column. The "
                           "missing-schema-comment check is left out: where a comment points "
                           "depends on the server's folders, not on the document.",
            "parameters": [_query("name", {"type": "string", "pattern": r"^[A-Za-z0-9._-]+\.ya?ml$",
                                           "default": "document.yaml"},
                                  "The file name to report findings against.")],
            "requestBody": {"required": True, "description": "A policy or rules file (YAML).",
                            "content": {"application/yaml": {"schema": {"type": "string"}},
                                        JSON: {"schema": {"type": "object"}}}},
            "responses": {"200": _json(_ref("service", "lint_report"), "Every finding."),
                          **_errors(413, 422, 503)}}},
        "/v1/procedures": {"get": {
            "operationId": "listProcedures", "summary": "The procedures this service knows",
            "responses": {"200": _json(_ref("service", "procedure_list"),
                                       "Every procedure with its versions.")}}},
        "/v1/procedures/{id}": {"get": {
            "operationId": "getProcedure", "summary": "The policy version in force on a date",
            "parameters": [_path("id", "The procedure id (see /v1/procedures)."),
                           _query("date", DATE, "The date (default: today in the UK).")],
            "responses": {"200": _json(_ref("service", "procedure"),
                                       "The version in force, with citations."),
                          **_errors(404, 422)}}},
        "/v1/calendars/{id}/add": {"get": {
            "operationId": "addWorkingDays", "summary": "The n-th working day after a date",
            "parameters": [_path("id", "england-and-wales, scotland or northern-ireland."),
                           _query("date", DATE, "The start date (day 0).", required=True),
                           _query("n", {"type": "integer", "minimum": -3660, "maximum": 3660},
                                  "Working days to add (negative counts back).", required=True),
                           PROCEDURE],
            "responses": {"200": _json(_ref("service", "calendar_add"), "The due date."),
                          **_errors(404, 422)}}},
        "/v1/calendars/{id}/between": {"get": {
            "operationId": "workingDaysBetween",
            "summary": "Working days after one date up to and including another",
            "parameters": [_path("id", "england-and-wales, scotland or northern-ireland."),
                           _query("from", DATE, "From (not counted).", required=True),
                           _query("to", DATE, "To (counted); earlier than from gives a "
                                  "negative count.", required=True), PROCEDURE],
            "responses": {"200": _json(_ref("service", "calendar_between"), "The count."),
                          **_errors(404, 422)}}},
        "/v1/health": {"get": {
            "operationId": "health", "summary": "Is the service ready",
            "security": [],
            "responses": {"200": _json(_ref("service", "health"),
                                       "Ready: the policy set is loaded (its hash is given)."),
                          "503": _json(_ref("service", "health"), "Not ready yet.")}}},
        "/v1/version": {"get": {
            "operationId": "version", "summary": "Engine version, policy set hash, calendar",
            "responses": {"200": _json(_ref("service", "version"), "The audit stamp.")}}},
        "/metrics": {"get": {
            "operationId": "metrics", "summary": "Prometheus metrics",
            "description": "Requests, latencies, evaluations and errors by kind, in the "
                           "Prometheus text format.",
            "responses": {"200": {"description": "Prometheus text format.",
                                  "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    }


def _admin_paths() -> dict[str, Any]:
    return {"/v1/admin/reload": {"post": {
        "operationId": "reload", "summary": "Reload policies and rules (this worker only)",
        "description": "Only when the service was started with --admin-reload; needs a token "
                       "with the admin role and Content-Type: application/json (so a browser "
                       "page on another site cannot send it). Each worker process holds its "
                       "own copy: with several workers, restart instead.",
        "requestBody": {"required": False, "content": {JSON: {"schema": {"type": "object"}}}},
        "responses": {"200": _json(_ref("service", "version"), "The new audit stamp."),
                      **_errors(401, 403, 415, 422)}}}}


def _secured(paths: dict[str, Any]) -> dict[str, Any]:
    """Every operation but the open ones answers 401 and 403 (the token is checked first)."""
    for item in paths.values():
        for operation in item.values():
            if operation.get("security") != []:
                operation["responses"].update(_errors(401, 403))
    return paths


REQUEST_ID = {"name": "X-Request-Id", "in": "header", "required": False,
              "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:+/=@-]{1,128}$"},
              "description": "The caller's id for this request: used as the request id, echoed "
                             "in the X-Request-Id response header and logged (422 if unsafe)."}


def _negotiated(paths: dict[str, Any]) -> dict[str, Any]:
    """What every operation may answer besides its own: 406, and 408/413/415 with a body;
    and the caller's X-Request-Id, which every operation takes."""
    for item in paths.values():
        for operation in item.values():
            extra = (406, 408, 413, 415) if "requestBody" in operation else (406,)
            operation["responses"].update(_errors(*extra))
            operation.setdefault("parameters", []).append(
                {"$ref": "#/components/parameters/RequestId"})
    return paths


SECURITY_SCHEMES = {"bearerAuth": {
    "type": "http", "scheme": "bearer",
    "description": "A token made by `redress token new`, sent as Authorization: Bearer <token>. "
                   "Asked for only when the service runs with --token-file; /v1/health, "
                   "/openapi.json, /docs and /schemas/ never need one."}}


def build_openapi(admin_reload: bool = False, tokens: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.1 document (with the admin path only when reload is on, and the bearer
    token required everywhere but the open operations when the service has tokens)."""
    paths = _negotiated(_paths() | (_admin_paths() if admin_reload else {}))
    if tokens:
        paths = _secured(paths)
    security: dict[str, Any] = {"security": [{"bearerAuth": []}]} if tokens else {}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Redress", "version": __version__,
                 "summary": "Rules-as-code for UK public-sector complaints procedures.",
                 "description": "Evaluate complaints cases against cited YAML policies: "
                                "procedure, stage, deadlines in working days, entitlements and "
                                "the route to the Ombudsman, each with its legal citation. "
                                "Nothing here is legal advice.",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        **security,
        "components": {"schemas": {component(name): bundled(name) for name in SCHEMA_FILES},
                       "parameters": {"RequestId": REQUEST_ID},
                       "securitySchemes": SECURITY_SCHEMES},
    }


__all__ = ["SCHEMA_FILES", "build_openapi", "bundled", "component", "schema_file"]

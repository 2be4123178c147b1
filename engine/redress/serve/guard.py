"""The outermost layer of every HTTP request: its id, its host, its size, its token, its log.

:class:`Guard` wraps the whole Starlette application, so whatever happens inside (a 500
included) the answer carries ``X-Request-Id`` and the three version headers of
:mod:`redress.serve.contract`, and one JSON line is logged.  Before anything is
read it refuses, each with the service's JSON error shape:

* an ``X-Request-Id`` that is not 1-128 safe characters (422; a valid one is used as the
  request's id, echoed and logged, so a calling system can follow its own ids);
* a ``Host`` not on the allow-list (400): a page on a hostile site whose name resolves to this
  machine (DNS rebinding) cannot reach the service;
* a ``Content-Length`` over the route's limit (413, at once: the body is never read);
* a missing or wrong bearer token when the service has a token file (401), or a token whose
  role may not call the route (403).

An exception nothing else caught is answered 500 here and logged once with the request id and
the frames it passed through (file, line, function), never its message, which may quote a case.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redress.serve.access_log import access_entry, access_logger
from redress.serve.auth import TokenSet
from redress.serve.contract import RAW_HEADERS
from redress.serve.events import EventLog
from redress.serve.ids import uuid4_hex
from redress.serve.problems import ServiceError, from_service_error

REQUEST_ID = "redress.request_id"  # scope keys shared with the application
ERROR_KIND = "redress.error_kind"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+/=@-]{1,128}", re.ASCII)
# Reachable without a token: probes, and the description of the API itself.
OPEN_PATHS = ("/v1/health", "/openapi.json", "/docs")
OPEN_PREFIXES = ("/schemas/",)
ADMIN_PREFIX = "/v1/admin/"
BATCH_PATH = "/v1/evaluate/batch"

Observer = Callable[[Scope, int, float], None]


@dataclass(frozen=True)
class GuardRules:
    """What :class:`Guard` checks, from the service's settings."""

    allowed_hosts: tuple[str, ...]
    max_body_bytes: int
    max_batch_bytes: int
    tokens: TokenSet | None = None
    log_requests: bool = True


def request_id_of(scope: Scope) -> str:
    """The id :class:`Guard` gave this request (``-`` outside a guarded application)."""
    return str(scope.get(REQUEST_ID, "-"))


def frames_of(exc: BaseException) -> list[str]:
    """``file:line in function`` for each frame of ``exc``'s traceback: no message, no locals."""
    return [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__)]


def host_name(value: str) -> str:
    """The name in a ``Host`` header, without port or brackets, in lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    return value.rpartition(":")[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: request ids, host allow-list, declared size, tokens, logs (module doc)."""

    def __init__(self, app: ASGIApp, rules: GuardRules, events: EventLog,
                 observe: Observer | None = None) -> None:
        self.app = app
        self.rules = rules
        self.events = events
        self.observe = observe
        self.access = access_logger() if rules.log_requests else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = Headers(scope=scope)
        given = headers.get("x-request-id")
        request_id = given if given is not None and _REQUEST_ID.fullmatch(given) else \
            uuid4_hex()
        scope[REQUEST_ID] = request_id
        seen = {"status": 500, "bytes_in": 0, "bytes_out": 0, "started": 0}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes_in"] += len(message.get("body", b""))
            return message

        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"], seen["started"] = message["status"], 1
                message = {**message, "headers": [*message.get("headers", []), *RAW_HEADERS,
                                                  (b"x-request-id", request_id.encode())]}
            elif message["type"] == "http.response.body":
                seen["bytes_out"] += len(message.get("body", b""))
            await send(message)

        try:
            refusal = self._refusal(scope, headers, given, request_id)
            if refusal is not None:
                scope[ERROR_KIND] = refusal.kind
                await _answer(refusal, scope, receive, tagging_send)
            else:
                await self.app(scope, counting_receive, tagging_send)
        except Exception as exc:  # answered here, logged once with the id; never re-raised
            if scope.get(ERROR_KIND) != "internal_error":  # the application logged it already
                self.log_internal_error(scope, exc)
            if not seen["started"]:
                await _answer(internal_error(request_id, exc), scope, receive, tagging_send)
        finally:
            self._log(scope, request_id, started, seen)

    def _refusal(self, scope: Scope, headers: Headers, given: str | None,
                 request_id: str) -> ServiceError | None:
        if given is not None and given != request_id:
            return ServiceError(422, "invalid_parameter", "X-Request-Id: must be 1 to 128 "
                                "letters, digits or . _ : + / = @ -")
        host = headers.get("host")
        allowed = self.rules.allowed_hosts
        if host is not None and "*" not in allowed and host_name(host) not in allowed:
            self.events.note("host_refused")
            return ServiceError(400, "invalid_host", "this service does not answer to that Host "
                                "name (start it with --allow-host NAME to add one)")
        declared = headers.get("content-length", "")
        limit = self.rules.max_batch_bytes if scope.get("path") == BATCH_PATH else \
            self.rules.max_body_bytes
        if declared.isdigit() and int(declared) > limit:
            self.events.note("body_refused", reason="declared length over the limit", limit=limit)
            return ServiceError(413, "too_large", f"the request body is larger than {limit} bytes")
        return self._token_refusal(str(scope.get("path", "")), headers)

    def _token_refusal(self, path: str, headers: Headers) -> ServiceError | None:
        tokens = self.rules.tokens
        if tokens is None or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return None
        scheme, _, presented = headers.get("authorization", "").partition(" ")
        token = tokens.check(presented.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            challenge = 'Bearer realm="redress"' + (', error="invalid_token"' if presented else "")
            return ServiceError(401, "unauthorized", "a valid bearer token is required "
                                "(Authorization: Bearer <token>)",
                                headers={"www-authenticate": challenge})
        role = "admin" if path.startswith(ADMIN_PREFIX) else "client"
        if not token.may(role):
            return ServiceError(403, "forbidden", f"this token may not call {path} "
                                f"(it needs the {role} role)")
        return None

    def log_internal_error(self, scope: Scope, exc: BaseException) -> None:
        """One log line for a bug: the request id, the exception's type and its frames."""
        scope[ERROR_KIND] = "internal_error"
        self.events.always("internal_error", request_id=request_id_of(scope),
                           error=type(exc).__name__, traceback=frames_of(exc))

    def _log(self, scope: Scope, request_id: str, started: float, seen: dict[str, int]) -> None:
        if self.observe is not None:
            self.observe(scope, seen["status"], time.perf_counter() - started)
        if self.access is not None:
            self.access.write(access_entry(scope, request_id, started, seen))


def internal_error(request_id: str, exc: BaseException) -> ServiceError:
    """The 500 for an unexpected exception: its type and the id to quote, nothing of the case."""
    return ServiceError(500, "internal_error", f"internal error in Redress "
                        f"({type(exc).__name__}); please report it with the request id "
                        f"{request_id} (the X-Request-Id header)")


async def _answer(error: ServiceError, scope: Scope, receive: Receive, send: Send) -> None:
    response = from_service_error(error)
    await response(scope, receive, send)


__all__ = ["ADMIN_PREFIX", "ERROR_KIND", "OPEN_PATHS", "REQUEST_ID", "Guard", "GuardRules",
           "frames_of", "host_name", "internal_error", "request_id_of"]

"""The ASGI application: routes and error handling around :class:`Handlers`, inside the
:class:`~redress.serve.guard.Guard` that gives every request its id, checks its host, size and
token, and logs it.

``create_app(config)`` builds one application (loading the policies once); uvicorn calls
``app_from_environment`` in each worker process when ``redress serve --workers N`` runs
several, reading the settings from :data:`redress.serve.config.ENV_VAR`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from redress.evaluation.evaluate import Engine
from redress.serve.auth import TokenSet
from redress.serve.config import ServiceConfig
from redress.serve.events import EventLog
from redress.serve.guard import ERROR_KIND, Guard, GuardRules, internal_error, request_id_of
from redress.serve.handlers import Handlers
from redress.serve.lint_pool import LintPool
from redress.serve.metrics import Metrics
from redress.serve.problems import ServiceError, error_response, from_service_error
from redress.serve.service import Service

_HTTP_KINDS = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def _routes(handlers: Handlers, config: ServiceConfig) -> list[Route]:
    routes = [
        Route("/v1/evaluate", handlers.evaluate, methods=["POST"]),
        Route("/v1/evaluate/explanation", handlers.explain, methods=["POST"]),
        Route("/v1/evaluate/ics", handlers.evaluate_ics, methods=["POST"]),
        Route("/v1/evaluate/batch", handlers.evaluate_batch, methods=["POST"]),
        Route("/v1/lint", handlers.lint, methods=["POST"]),
        Route("/v1/procedures", handlers.procedures, methods=["GET"]),
        Route("/v1/procedures/{id}", handlers.procedure, methods=["GET"]),
        Route("/v1/policy-sets/{hash}", handlers.policy_set, methods=["GET"]),
        Route("/v1/calendars/{id}/add", handlers.calendar_add, methods=["GET"]),
        Route("/v1/calendars/{id}/between", handlers.calendar_between, methods=["GET"]),
        Route("/v1/health", handlers.health, methods=["GET"]),
        Route("/v1/version", handlers.version, methods=["GET"]),
        Route("/metrics", handlers.metrics_text, methods=["GET"]),
        Route("/openapi.json", handlers.openapi_json, methods=["GET"]),
        Route("/docs", handlers.docs, methods=["GET"]),
        Route("/schemas/{name}", handlers.schema, methods=["GET"]),
    ]
    if config.admin_reload:
        routes.append(Route("/v1/admin/reload", handlers.reload, methods=["POST"]))
    return routes


def create_app(config: ServiceConfig | None = None, engine: Engine | None = None) -> ASGIApp:
    """The service as an ASGI application; raises ``PolicyError`` if the policies are invalid
    and ``TokenFileError`` if the token file cannot be read."""
    config = config or ServiceConfig()
    tokens = TokenSet.load(config.token_file) if config.token_file else None
    events = EventLog()
    metrics = Metrics()
    lint_pool = LintPool(config.lint_workers, config.time_limit_seconds)
    handlers = Handlers(Service(config, engine), metrics, lint_pool)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # asyncio's own error reports (a failed accept) as rate-limited JSON lines
        asyncio.get_running_loop().set_exception_handler(events.loop_exception_handler)
        try:
            yield
        finally:
            lint_pool.close()
            handlers.close()

    async def unexpected(request: Request, exc: Exception) -> Response:
        # Logged here with the request id (the frames only: the message may quote the case).
        guard.log_internal_error(request.scope, exc)
        return from_service_error(internal_error(request_id_of(request.scope), exc))

    async def service_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, ServiceError):  # Starlette calls this only for ServiceError
            raise exc
        request.scope[ERROR_KIND] = exc.kind
        if exc.cause is not None:
            guard.log_internal_error(request.scope, exc.cause)
            exc.message += f"; request id {request_id_of(request.scope)}"
        return from_service_error(exc)

    app = Starlette(routes=_routes(handlers, config), lifespan=lifespan, exception_handlers={
        ServiceError: service_error, HTTPException: _http_error, Exception: unexpected})
    rules = GuardRules(config.allowed_hosts, config.max_body_bytes, config.max_batch_bytes,
                       tokens, config.log_requests)
    guard = Guard(app, rules, events, metrics.observe)
    return guard  # outermost: its own answers carry the request id and the versions too


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):  # Starlette calls this only for HTTPException
        raise exc
    kind = _HTTP_KINDS.get(exc.status_code, "unreadable")
    request.scope[ERROR_KIND] = kind
    message = "no such route" if exc.status_code == 404 else str(exc.detail)
    response = error_response(exc.status_code, kind, f"{request.method} {request.url.path}: "
                              f"{message}")
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def app_from_environment() -> ASGIApp:
    """uvicorn's factory for worker processes: settings from the environment."""
    return create_app(ServiceConfig.from_env())


__all__ = ["app_from_environment", "create_app"]

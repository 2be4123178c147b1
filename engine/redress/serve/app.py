"""The ASGI application: routes, error handling and request logs around :class:`Handlers`.

``create_app(config)`` builds one application (loading the policies once); uvicorn calls
``app_from_environment`` in each worker process when ``redress serve --workers N`` runs
several, reading the settings from :data:`redress.serve.config.ENV_VAR`.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from redress.evaluation.evaluate import Engine
from redress.serve.access_log import AccessLog, access_logger
from redress.serve.config import ServiceConfig
from redress.serve.contract import VersionHeaders
from redress.serve.handlers import Handlers
from redress.serve.problems import ServiceError, error_response, from_service_error
from redress.serve.service import Service

_HTTP_KINDS = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def create_app(config: ServiceConfig | None = None, engine: Engine | None = None) -> Starlette:
    """The service as an ASGI application; raises ``PolicyError`` if the policies are invalid."""
    config = config or ServiceConfig()
    handlers = Handlers(Service(config, engine))
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
        Route("/v1/health", handlers.health, methods=["GET"]),
        Route("/v1/version", handlers.version, methods=["GET"]),
        Route("/openapi.json", handlers.openapi_json, methods=["GET"]),
        Route("/docs", handlers.docs, methods=["GET"]),
        Route("/schemas/{name}", handlers.schema, methods=["GET"]),
    ]
    if config.admin_reload:
        routes.append(Route("/v1/admin/reload", handlers.reload, methods=["POST"]))
    middleware = [Middleware(AccessLog, logger=access_logger())] if config.log_requests else []
    middleware.append(Middleware(VersionHeaders))
    return Starlette(routes=routes, middleware=middleware, exception_handlers={
        ServiceError: _service_error, HTTPException: _http_error, Exception: _unexpected})


async def _service_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, ServiceError):  # Starlette calls this only for ServiceError
        raise exc
    return from_service_error(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):  # Starlette calls this only for HTTPException
        raise exc
    kind = _HTTP_KINDS.get(exc.status_code, "unreadable")
    message = "no such route" if exc.status_code == 404 else str(exc.detail)
    response = error_response(exc.status_code, kind, f"{request.method} {request.url.path}: "
                              f"{message}")
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected(request: Request, exc: Exception) -> Response:
    # The exception's text may quote the case, so only its type is shown.
    return error_response(500, "internal_error",
                          f"internal error in Redress ({type(exc).__name__}); please report it "
                          "with the X-Request-Id header")


def app_from_environment() -> Starlette:
    """uvicorn's factory for worker processes: settings from the environment."""
    return create_app(ServiceConfig.from_env())


__all__ = ["app_from_environment", "create_app"]

"""The service's settings, fixed when it starts.

Several worker processes each build their own application from the same settings, so the
settings travel to them as JSON in one environment variable (:data:`ENV_VAR`), the way uvicorn
starts workers from an import string.  Every limit below is listed with its default in
``SECURITY.md``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass

ENV_VAR = "REDRESS_SERVE_CONFIG"
# Host names a browser page can only reach through this machine itself: the default allow-list
# against DNS rebinding (a hostile page whose own name resolves to 127.0.0.1).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class ServiceConfig:
    """What one ``redress serve`` runs with.

    Sizes: ``max_body_bytes`` bounds one case, one policy to lint and each record of a batch;
    ``max_batch_bytes`` bounds a whole JSON Lines batch.  Times: ``time_limit_seconds`` bounds
    the work of one single-case request (evaluate, lint, procedures, calendars) and of each
    record of a batch; ``batch_time_limit_seconds`` bounds a whole batch, reading included;
    ``header_timeout_seconds`` is how long a connection may take to send a request's headers
    (or stay idle before its first request); ``body_timeout_seconds`` how long a single-case
    body may take to arrive, and the longest pause inside a batch body; ``keep_alive_seconds``
    how long an idle connection is kept between requests.  Load: ``max_connections`` is the
    most open connections per worker process (fewer if the process may not open that many
    files) and ``max_client_connections`` the most from one client address (0: any number, as
    behind a reverse proxy); ``max_batches`` the batches one worker evaluates at once (more
    are a 503); ``lint_workers`` the processes that run lint, each stopped at the time limit.
    ``allowed_hosts`` are the ``Host`` names answered (loopback by default; ``*`` any).
    ``token_file`` holds the hashes of the bearer tokens; without one no token is asked for.
    ``admin_reload`` turns on ``POST /v1/admin/reload`` (it needs an admin token).
    ``decision_log`` names a file every evaluation is logged to (see :mod:`.decisions`).
    """

    policies: tuple[str, ...] = ()
    backend: str = "auto"
    max_body_bytes: int = 1024 * 1024
    max_batch_bytes: int = 16 * 1024 * 1024
    time_limit_seconds: float = 10.0
    batch_time_limit_seconds: float = 300.0
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 30.0
    keep_alive_seconds: float = 5.0
    max_connections: int = 256
    max_client_connections: int = 128
    max_batches: int = 2
    lint_workers: int = 1
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    token_file: str | None = None
    admin_reload: bool = False
    log_requests: bool = True
    decision_log: str | None = None  # a JSON-lines file each evaluation is recorded in
    decision_log_cases: bool = False  # write each case's contents there too

    def to_env(self) -> str:
        """The settings as the JSON that :meth:`from_env` reads back in a worker process."""
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceConfig:
        """The settings a parent ``redress serve`` left in :data:`ENV_VAR` (defaults if none)."""
        raw = (environ if environ is not None else os.environ).get(ENV_VAR)
        if not raw:
            return cls()
        data = json.loads(raw)
        for key in ("policies", "allowed_hosts"):
            if key in data:
                data[key] = tuple(data[key])
        return cls(**data)


__all__ = ["ENV_VAR", "LOOPBACK_HOSTS", "ServiceConfig"]

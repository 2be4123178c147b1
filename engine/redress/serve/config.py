"""The service's settings, fixed when it starts.

Several worker processes each build their own application from the same settings, so the
settings travel to them as JSON in one environment variable (:data:`ENV_VAR`), the way uvicorn
starts workers from an import string.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass

ENV_VAR = "REDRESS_SERVE_CONFIG"


@dataclass(frozen=True)
class ServiceConfig:
    """What one ``redress serve`` runs with.

    ``max_body_bytes`` bounds one case, one policy to lint and the query-free requests;
    ``max_batch_bytes`` bounds a JSON Lines batch.  ``time_limit_seconds`` bounds the work of one
    single-case request (evaluate, lint, procedures, calendars) and of each record of a batch.
    ``admin_reload`` turns on ``POST /v1/admin/reload``; it is off by default.
    ``decision_log`` names a file every evaluation is logged to (see :mod:`.decisions`).
    """

    policies: tuple[str, ...] = ()
    backend: str = "auto"
    max_body_bytes: int = 1024 * 1024
    max_batch_bytes: int = 16 * 1024 * 1024
    time_limit_seconds: float = 10.0
    admin_reload: bool = False
    log_requests: bool = True
    decision_log: str | None = None  # a JSON-lines file each evaluation is recorded in
    decision_log_cases: bool = False  # write each case's contents there too

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceConfig:
        raw = (environ if environ is not None else os.environ).get(ENV_VAR)
        if not raw:
            return cls()
        data = json.loads(raw)
        data["policies"] = tuple(data.get("policies", ()))
        return cls(**data)


__all__ = ["ENV_VAR", "ServiceConfig"]

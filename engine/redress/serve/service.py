"""What one worker process serves with: its settings and the engine loaded when it started.

The engine is built once per process and shared by every request; requests keep nothing
between them.  The only change after start is an explicit reload (``POST /v1/admin/reload``,
off unless the service was started with ``--admin-reload``), which builds a new engine and
swaps it in whole: a request already running finishes with the engine it started with.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from redress.__about__ import __version__
from redress.evaluation.evaluate import Engine
from redress.serve.config import ServiceConfig
from redress.serve.decisions import DecisionLog
from redress.serve.policy_sets import LoadedPolicySet


class Service:
    """The settings and the current engine of one worker process."""

    def __init__(self, config: ServiceConfig, engine: Engine | None = None) -> None:
        self.config = config
        self._engine = engine if engine is not None else self._load()
        self._reload_lock = threading.Lock()
        _ = self._engine.backend  # build the routing backend now, not on the first request
        # Every policy set this process has loaded, so a result's hash can be looked up.
        self._policy_sets: dict[str, LoadedPolicySet] = {
            self._engine.library.digest: LoadedPolicySet.of(self._engine)}
        self.decision_log = (DecisionLog(Path(config.decision_log), config.decision_log_cases)
                             if config.decision_log else None)

    def _load(self) -> Engine:
        return Engine.load(self.config.policies, backend=self.config.backend)

    @property
    def engine(self) -> Engine:
        """The engine requests evaluate with (replaced whole by a reload)."""
        return self._engine

    @property
    def loaded_engine(self) -> Engine | None:
        """The engine if its policy set is loaded and checked, else ``None`` (not ready)."""
        engine = self._engine
        return engine if engine is not None and engine.library.policies else None

    def reload(self) -> Engine:
        """Load the policies again; raises ``PolicyError`` (keeping the old engine) if invalid.

        The replaced engine is not closed: requests may still be using it.
        """
        with self._reload_lock:
            engine = self._load()
            _ = engine.backend
            self._policy_sets[engine.library.digest] = LoadedPolicySet.of(engine)
            self._engine = engine
            return engine

    def policy_set(self, digest: str) -> LoadedPolicySet | None:
        """A policy set this process has loaded, by its hash, with its citation table."""
        return self._policy_sets.get(digest)

    def log_decision(self, result: Mapping[str, Any], operation: str, case: Any) -> None:
        """Write a decision line when the service keeps a decision log."""
        if self.decision_log is not None:
            self.decision_log.record(result, operation, case)

    def version(self, engine: Engine | None = None) -> dict[str, Any]:
        """The audit stamp of this worker's engine (or of ``engine``)."""
        engine = engine or self._engine
        return {"engine_version": __version__, "policy_set_hash": engine.library.digest,
                "calendar_data_version": engine.library.calendar_version,
                "backend": engine.backend, "procedures": len(engine.library.policies)}


__all__ = ["Service"]

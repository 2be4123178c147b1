"""``GET /metrics``: Prometheus counters and histograms of the service, via ``prometheus-client``.

* ``redress_http_requests_total{method,route,status}``: requests answered (``route`` is the
  route's pattern, ``/v1/procedures/{id}``, or ``unmatched``: never a path a client typed);
* ``redress_http_request_duration_seconds{route}``: time to answer;
* ``redress_evaluations_total{outcome}``: cases evaluated, by ``ok`` or the error record kind,
  single cases and batch records alike;
* ``redress_errors_total{kind}``: error answers and error records, by the error's ``kind``.

With several worker processes each keeps its own counts in files under the folder named by
``PROMETHEUS_MULTIPROC_DIR`` (``redress serve --workers N`` makes a private one and removes it
when it stops), and whichever worker answers ``/metrics`` adds up all of them, as
prometheus-client's multiprocess mode does.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import Scope

from redress.serve.guard import ERROR_KIND

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
MEDIA_TYPE = CONTENT_TYPE_LATEST
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """The service's metrics, on a registry of their own (nothing global is touched)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("redress_http_requests", "HTTP requests answered",
                                ("method", "route", "status"), registry=self.registry)
        self.latency = Histogram("redress_http_request_duration_seconds",
                                 "Time to answer an HTTP request", ("route",),
                                 buckets=_BUCKETS, registry=self.registry)
        self.evaluations = Counter("redress_evaluations", "Cases evaluated, by outcome",
                                   ("outcome",), registry=self.registry)
        self.errors = Counter("redress_errors", "Error answers and error records, by kind",
                              ("kind",), registry=self.registry)
        # Each labelled series, looked up once: prometheus-client's labels() takes a lock and
        # checks its arguments on every call.  Methods, routes, statuses and kinds are few.
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self._outcomes: dict[str, Counter] = {}
        self._errors: dict[str, Counter] = {}

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Count one answered request (the error's kind is in the scope, see ``guard``)."""
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        key = (str(scope.get("method", "")), route, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = (self.requests.labels(key[0], route, str(status)),
                                          self.latency.labels(route))
        series[0].inc()
        series[1].observe(seconds)
        if status >= 400:
            self._error(scope.get(ERROR_KIND) or f"http_{status}").inc()

    def evaluated(self, outcome: str) -> None:
        """Count one evaluated case: ``ok`` or its error kind (an error record counts too)."""
        counter = self._outcomes.get(outcome)
        if counter is None:
            counter = self._outcomes[outcome] = self.evaluations.labels(outcome)
        counter.inc()
        if outcome != "ok":
            self._error(outcome).inc()

    def _error(self, kind: str) -> Counter:
        counter = self._errors.get(kind)
        if counter is None:
            counter = self._errors[kind] = self.errors.labels(kind)
        return counter

    def exposition(self) -> bytes:
        """The Prometheus text format: this process's counts, or every worker's when shared."""
        if os.environ.get(MULTIPROCESS_ENV):
            combined = CollectorRegistry()
            MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
            return generate_latest(combined)
        return generate_latest(self.registry)


__all__ = ["MEDIA_TYPE", "MULTIPROCESS_ENV", "Metrics"]

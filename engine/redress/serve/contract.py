"""The versions and decision ids every answer of the service carries.

Every HTTP response has the headers ``Redress-Version`` (package), ``Redress-API-Version`` and
``Redress-Schema-Version`` (CHANGELOG.md, "Versions and compatibility"); every JSON body that is
not a result has the same three as ``engine_version``, ``api_version`` and ``schema_version``,
and a result states them in ``audit.engine_version``, ``audit.api_version`` and
``schema_version``.  Each evaluation gets a new decision id (``audit.decision_id``), as Open
Policy Agent gives each decision one, so a logged decision and a stored result can be matched.
"""

from __future__ import annotations

from typing import Any

from redress.__about__ import API_VERSION, SCHEMA_VERSION, __version__
from redress.serve.ids import uuid4_text

HEADERS = (("redress-version", __version__), ("redress-api-version", API_VERSION),
           ("redress-schema-version", SCHEMA_VERSION))
DECISION_HEADER = "redress-decision-id"
# As ASGI sends them (the guard adds them to every answer, its own refusals included).
RAW_HEADERS = tuple((k.encode("ascii"), v.encode("ascii")) for k, v in HEADERS)


def versions() -> dict[str, str]:
    """The three version members of a JSON body that is not a result."""
    return {"engine_version": __version__, "api_version": API_VERSION,
            "schema_version": SCHEMA_VERSION}


def stamped(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the three version members."""
    return {**body, **versions()}


def new_decision_id() -> str:
    """A fresh decision id: a random UUID, never reused."""
    return uuid4_text()


def decided(result: dict[str, Any], decision_id: str) -> dict[str, Any]:
    """A result (``Result.to_dict()``) with the service's members in its audit stamp."""
    audit = {**result.get("audit", {}), "api_version": API_VERSION, "decision_id": decision_id}
    return {**result, "audit": audit}


__all__ = ["DECISION_HEADER", "HEADERS", "RAW_HEADERS", "decided", "new_decision_id",
           "stamped", "versions"]

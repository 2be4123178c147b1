"""The policy sets this worker has loaded, by hash: ``GET /v1/policy-sets/{hash}``.

A result's ``audit.policy_set_hash`` names the exact policy and rule files that produced it.
The service keeps each set it has loaded since it started (the first and any reloaded one) so
an audit can fetch those files, byte for byte as hashed, and the table of every citation they
make.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from redress.policy.library import Library
from redress.serve.components import values_at
from redress.serve.procedures import procedure_detail


def citation_id(citation: dict[str, Any]) -> str:
    """A stable id for a citation: the same instrument, provision and link, the same id."""
    key = json.dumps([citation.get(k) for k in ("instrument", "short", "provision", "url")])
    return "c-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def citation_table(library: Library) -> dict[str, dict[str, Any]]:
    """Every citation of every policy version and rule in the set, by id, sorted."""
    found = {citation_id(c): c for c in _citations(library)}
    return dict(sorted(found.items()))


def _citations(library: Library) -> Iterator[dict[str, Any]]:
    for policy_id, entry in library.policies.items():
        for version, _ in entry.versions:
            start = str(version["effective_from"])
            moment = dt.datetime.fromisoformat(start if "T" in start else f"{start}T00:00")
            policy = library.policy_at(policy_id, moment)
            if policy is not None:
                yield from _cited(procedure_detail(policy, moment.date()))
    for rule in library.rules:
        if rule.citation is not None:
            yield rule.citation.to_dict()


def _cited(node: Any) -> Iterator[dict[str, Any]]:
    return (c for c in values_at(node, "citation") if isinstance(c, dict))


def policy_set_body(library: Library) -> dict[str, Any]:
    """The files behind ``library.digest`` and their citation table (without the versions)."""

    return {"policy_set_hash": library.digest,
            "calendar_data_version": library.calendar_version,
            "files": [{"name": f.name, "kind": f.kind,
                       "sha256": hashlib.sha256(f.content).hexdigest(),
                       "text": f.content.decode("utf-8", "surrogateescape")}
                      for f in library.files],
            "citations": citation_table(library)}


__all__ = ["citation_id", "citation_table", "policy_set_body"]

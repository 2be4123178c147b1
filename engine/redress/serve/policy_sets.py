"""The policy sets this worker has loaded, by hash: ``GET /v1/policy-sets/{hash}``.

A result's ``audit.policy_set_hash`` names the exact policy and rule files that produced it.
The service keeps each set it has loaded since it started (the first and any reloaded one) so
an audit can fetch those files, byte for byte as hashed, and the table of every citation they
make: the engine's own table (``Engine.citation_table()``, as ``redress citations`` prints it),
so a ``citation_id`` of a lean result is always found in it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from redress.evaluation.evaluate import Engine
from redress.policy.library import Library


@dataclass(frozen=True)
class LoadedPolicySet:
    """One policy set as loaded by an engine: its files and its citation table."""

    library: Library
    citations: dict[str, dict[str, str]]
    # The answer is the same for every request (hundreds of kilobytes): made once, on first use.
    _body: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, engine: Engine) -> LoadedPolicySet:
        """The policy set ``engine`` evaluates with, and its citation table."""
        return cls(engine.library, engine.citation_table())

    def body(self) -> dict[str, Any]:
        """The files behind the hash and their citation table (without the versions)."""
        if not self._body:
            self._body.update(policy_set_body(self.library, self.citations))
        return self._body


def policy_set_body(library: Library, citations: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The files behind ``library.digest``, byte for byte, and ``citations``."""
    return {"policy_set_hash": library.digest,
            "calendar_data_version": library.calendar_version,
            "files": [{"name": f.name, "kind": f.kind,
                       "sha256": hashlib.sha256(f.content).hexdigest(),
                       "text": f.content.decode("utf-8", "surrogateescape")}
                      for f in library.files],
            "citations": citations}


__all__ = ["LoadedPolicySet", "policy_set_body"]

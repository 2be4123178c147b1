"""The citation table of a policy set: every citation a result can give, by its stable id.

A lean result names each citation by ``citation_id`` (``Citation.id``); the table turns the ids
back into instrument, provision and link.  It is the same for every result of one policy set
(``audit.policy_set_hash``), so a batch fetches it once: ``Engine.citation_table()``,
``redress citations`` and ``GET /v1/policy-sets/{hash}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

from redress.policy.library import Library
from redress.policy.model import Citation, Policy, TimeLimit, parse_moment


class Limited(Protocol):
    """A rule's own time limit (``evaluation.limits.LimitCode``)."""

    @property
    def limit(self) -> TimeLimit: ...


def _limit(limit: TimeLimit | None) -> Iterator[Citation | None]:
    if limit is not None:
        yield limit.citation
        if limit.outer_limit is not None:
            yield limit.outer_limit.citation


def policy_citations(policy: Policy) -> Iterator[Citation | None]:
    """Every citation a policy version states."""
    yield policy.citation
    yield policy.receipt_citation
    yield from _limit(policy.time_limit)
    for stage in policy.stages:
        yield stage.citation
        yield from (rule.citation for rule in stage.deadlines)
        if stage.window is not None:
            yield stage.window.citation
            if stage.window.or_later is not None:
                yield stage.window.or_later.citation
    for route in policy.ombudsman_routes:
        yield route.citation
        yield from _limit(route.time_limit)
    yield from (part.citation for part in policy.exclusions)
    yield from (part.citation for part in policy.deferrals)
    yield from (part.citation for part in policy.entitlements)
    yield from (part.citation for part in policy.ambiguities)


def _versions(library: Library) -> Iterator[Policy]:
    for policy_id, entry in library.policies.items():
        for version, _merged in entry.versions:
            moment = parse_moment(str(version["effective_from"]))
            policy = library.policy_at(policy_id, moment)
            if policy is not None:
                yield policy


def citation_table(library: Library,
                   rule_limits: Mapping[str, Limited] | None = None) -> dict[str, dict[str, str]]:
    """Every citation of every policy version and rule of the set, by id, sorted by id."""
    found: dict[str, Citation] = {}
    cited: list[Citation | None] = [rule.citation for rule in library.rules]
    cited.extend(code.limit.citation for code in (rule_limits or {}).values())
    for policy in _versions(library):
        cited.extend(policy_citations(policy))
    for citation in cited:
        if citation is not None:
            found.setdefault(citation.id, citation)
    return {key: found[key].to_dict() for key in sorted(found)}


__all__ = ["citation_table", "policy_citations"]

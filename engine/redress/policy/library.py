"""The engine's view of a validated policy set: versions in force, families, compiled rules.

Built once per ``Engine`` from the policy-set loader (``policyset.py``), which reads, validates and
resolves ``extends``; this module adds what evaluation needs: picking the version in force,
choosing a local policy for the case's organisations, compiling exclusions into rules, and a
digest of every file for the audit stamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from msgspec import Struct

from redress.calendar import get_calendar
from redress.errors import PolicyError
from redress.frozen_dataclass import frozen_dataclass
from redress.policy.conditions import AnyOf, Condition, Leaf, parse_condition
from redress.policy.facts_catalog import FactCatalog, flat_key
from redress.policy.merge import deep_merge
from redress.policy.model import Policy, Reading, build_policy, parse_moment
from redress.policy.rules import Rule, RuleProgram


class PolicyEntry(Struct, frozen=True):
    """One policy: its id, kind, family and its versions as (version entry, merged dict)."""

    id: str
    kind: str
    family: str
    extends: str | None
    organisations: tuple[str, ...]
    versions: tuple[tuple[Mapping[str, Any], Mapping[str, Any]], ...]
    local: bool = False  # loaded from the caller's files, not bundled with Redress


class PolicySetFile(Struct, frozen=True):
    """One file of a loaded policy set, exactly as hashed into the set's digest.

    ``name`` is ``policies/<file>`` or ``rules/<file>`` for a bundled file and
    ``local/<file>`` for one of the caller's (never the folder it was read from).
    """

    name: str
    kind: str  # policy, rules or facts
    content: bytes


@frozen_dataclass
class Library:
    policies: Mapping[str, PolicyEntry]
    rules: tuple[Rule, ...]
    catalog: FactCatalog
    digest: str
    # The files behind ``digest``, in the order hashed (GET /v1/policy-sets/{hash} serves them).
    files: tuple[PolicySetFile, ...] = ()
    _cache: dict[tuple[str, str], Policy] = field(default_factory=dict, compare=False, repr=False)
    _exclusions: dict[tuple[str, str], RuleProgram] = field(default_factory=dict, compare=False,
                                                             repr=False)
    _readings: dict[tuple[str, str, str], Policy] = field(default_factory=dict, compare=False,
                                                          repr=False)

    @cached_property
    def calendar_version(self) -> str:
        return get_calendar("england-and-wales").data_version

    def has(self, policy_id: str) -> bool:
        return policy_id in self.policies

    def choose(self, procedure: str, organisation_ids: Sequence[str]) -> PolicyEntry | None:
        """The policy to use for a case routed to ``procedure``.

        A local policy that extends the procedure (directly or through a template) and names
        one of the case's organisations wins; otherwise the procedure itself.
        """
        orgs = set(organisation_ids)
        local = [p for p in self.policies.values()
                 if p.id != procedure and self._descends(p, procedure)
                 and orgs & set(p.organisations)]
        if local:
            return sorted(local, key=lambda p: p.id)[0]
        return self.policies.get(procedure)

    def _descends(self, entry: PolicyEntry, ancestor: str) -> bool:
        seen: set[str] = set()
        current: PolicyEntry | None = entry
        while current is not None and current.extends and current.id not in seen:
            seen.add(current.id)
            if current.extends == ancestor:
                return True
            current = self.policies.get(current.extends)
        return False

    def policy_at(self, policy_id: str, moment: dt.datetime) -> Policy | None:
        """The version of ``policy_id`` in force at ``moment`` (a case's receipt)."""
        entry = self.policies[policy_id]
        for version, merged in entry.versions:
            start = parse_moment(str(version["effective_from"]))
            end_raw = version.get("effective_to")
            end = parse_moment(str(end_raw), end_of_day=True) if end_raw else None
            if start <= moment and (end is None or moment <= end):
                key = (policy_id, str(version.get("id", version["effective_from"])))
                if key not in self._cache:
                    self._cache[key] = build_policy(merged, version, entry.family)
                return self._cache[key]
        return None

    def under_reading(self, policy: Policy, reading: Reading) -> Policy:
        """The policy version with one ambiguity reading's overrides merged in (cached)."""
        key = (policy.id, policy.version.id, reading.id)
        alt = self._readings.get(key)
        if alt is None:
            merged = deep_merge(policy.raw, reading.overrides)
            version = {"id": policy.version.id,
                       "effective_from": policy.version.effective_from.isoformat()}
            alt = replace(build_policy(merged, version, policy.family), version=policy.version)
            self._readings[key] = alt
        return alt

    def exclusion_program(self, policy: Policy) -> RuleProgram:
        """The policy's exclusions as rules over case facts (compiled once per version)."""
        key = (policy.id, policy.version.id)
        program = self._exclusions.get(key)
        if program is None:
            program = RuleProgram("exclusions", tuple(
                _exclusion_rule(policy, i, self.catalog) for i in range(len(policy.exclusions))))
            self._exclusions[key] = program
        return program


def _exclusion_rule(policy: Policy, index: int, catalog: FactCatalog) -> Rule:
    exclusion = policy.exclusions[index]
    parts: list[Condition] = [Leaf(flat_key("matter.topics", t), "eq", True, "matter.topics")
                              for t in exclusion.topics]
    if exclusion.when:
        cond, _problems = parse_condition(exclusion.when, catalog)  # lint reports problems
        parts.append(cond)
    condition: Condition = parts[0] if len(parts) == 1 else AnyOf(tuple(parts))
    return Rule(id=f"{policy.id}/exclusions/{exclusion.id}", ruleset="exclusions",
                description=f"{exclusion.title}: {exclusion.reason}".strip(),
                priority=index, citation=exclusion.citation, condition=condition,
                then={"exclusion": exclusion.id, "goes_to": exclusion.goes_to}, order=index)


def digest_files(paths: Sequence[Path]) -> str:
    """SHA-256 over every policy and rule file's name and bytes, in a stable order."""
    return _digest([(path.name, path.read_bytes()) for path in _hash_order(paths)])


def _hash_order(paths: Sequence[Path]) -> list[Path]:
    return sorted(paths, key=lambda p: (p.name, str(p)))


def _digest(named: Sequence[tuple[str, bytes]]) -> str:
    sha = hashlib.sha256()
    for name, content in named:
        sha.update(name.encode())
        sha.update(content)
    return sha.hexdigest()


def read_policy_set(sources: Sequence[tuple[Path, str, bool]]) -> tuple[str, tuple[PolicySetFile, ...]]:
    """The digest of (path, kind, bundled) files and the files as hashed, read once, so the
    digest and the served copies can never disagree."""
    unique = {path: (kind, bundled) for path, kind, bundled in sources}
    return policy_set_of([(path, kind, bundled, path.read_bytes())
                          for path, (kind, bundled) in unique.items()])


def policy_set_of(sources: Sequence[tuple[Path, str, bool, bytes]]) -> tuple[
        str, tuple[PolicySetFile, ...]]:
    """``read_policy_set`` of files already read: (path, kind, bundled, content)."""
    by_path = {path: (kind, bundled, content) for path, kind, bundled, content in sources}
    files = []
    for path in _hash_order(list(by_path)):
        kind, bundled, content = by_path[path]
        folder = ("rules" if kind != "policy" else "policies") if bundled else "local"
        files.append(PolicySetFile(f"{folder}/{path.name}", kind, content))
    return _digest([(f.name.rsplit("/", 1)[-1], f.content) for f in files]), tuple(files)


def load_library(paths: Sequence[Path] = (), include_bundled: bool = True,
                 work_budget: int | None = None) -> Library:
    """Load, validate and index the bundled policies and rules plus ``paths``.

    With ``include_bundled=False`` exactly ``paths`` are loaded (a what-if run passes the
    bundled files it keeps plus the changed ones).

    Runs the same schema and semantic checks as ``redress lint`` first, so no case is ever
    evaluated against a policy set with an error in it; raises ``PolicyError`` carrying every
    error finding.  ``work_budget`` bounds each searching check as for ``redress lint`` (default
    ``DEFAULT_WORK_BUDGET``); a check that runs out is an error, so the set is refused.
    """
    from redress.policy.checks import run_checks
    from redress.policy.policyset import is_bundled, load_policy_set
    from redress.policy.rules import parse_rules

    loaded, findings = load_policy_set(paths, include_bundled)
    findings = [*findings, *(run_checks(loaded) if work_budget is None
                             else run_checks(loaded, work_budget=work_budget))]
    errors = [f for f in findings if f.is_error]
    if errors:
        raise PolicyError(errors)
    policies = {
        pid: PolicyEntry(
            id=pid, kind=policy.kind, family=policy.family, extends=policy.extends,
            organisations=tuple(policy.base.data.get("organisations") or ()),
            versions=tuple((entry, version.data) for entry, version
                           in zip(policy.version_entries, policy.versions, strict=True)),
            local=not is_bundled(policy.document.file))
        for pid, policy in loaded.policies.items()}
    rules: list[Rule] = []
    for source in loaded.rule_files:
        parsed, _problems = parse_rules(source.data, loaded.catalog, start_order=len(rules))
        rules.extend(parsed)
    digest, files = read_policy_set([(f.path, f.kind, is_bundled(f.path)) for f in loaded.files])
    return Library(policies=policies, rules=tuple(rules), catalog=loaded.catalog, digest=digest,
                   files=files)

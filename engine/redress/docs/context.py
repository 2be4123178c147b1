"""Everything the page renderers share: the loaded library, each procedure's versions as typed
policies, the rules' conditions as written, where the scenario tests are, and page paths."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from redress.docs import markdown as md
from redress.docs.rule_text import applies_to, rule_conditions
from redress.policy.library import Library, PolicyEntry, load_library
from redress.policy.model import Policy, build_policy, parse_moment
from redress.policy.rules import Rule

NATION_ORDER = ("england", "wales", "scotland", "northern_ireland")
KIND_ORDER = ("procedure", "template", "local")
KIND_LABELS = {"procedure": "bundled procedure", "template": "template (extended by local policies)",
               "local": "local policy"}


@dataclass(frozen=True)
class Version:
    """One effective-dated version: its entry, merged dict and typed policy."""

    entry: Mapping[str, Any]
    merged: Mapping[str, Any]
    policy: Policy

    @property
    def id(self) -> str:
        return self.policy.version.id


@dataclass(frozen=True)
class Procedure:
    """One policy file as the documentation sees it; ``versions`` newest first."""

    entry: PolicyEntry
    versions: tuple[Version, ...]

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def current(self) -> Version:
        return self.versions[0]

    @property
    def policy(self) -> Policy:
        return self.current.policy

    @property
    def page(self) -> str:
        """The page's path inside the docs folder."""
        return f"procedures/{self.id}.md"

    @property
    def is_example(self) -> bool:
        """A local policy shipped with Redress: a fictional council's, to show how one is
        written, never a real procedure (a user's own local policies are not bundled)."""
        return self.entry.kind == "local" and not self.entry.local


@dataclass
class DocsContext:
    library: Library
    procedures: dict[str, Procedure]
    conditions: Mapping[str, Any]
    scenario_dir: Path | None
    extra_paths: tuple[Path, ...] = ()
    _engine: Any = field(default=None, repr=False)

    def title(self, policy_id: str) -> str:
        found = self.procedures.get(policy_id)
        return found.policy.title if found else policy_id

    def link_from(self, page: str, policy_id: str) -> str:
        """A relative link from ``page`` to a procedure's page (plain text if unknown)."""
        found = self.procedures.get(policy_id)
        if found is None:
            return policy_id
        return f"[{md.escape(self.title(policy_id))}]({_relative(page, found.page)})"

    def rules_for(self, ruleset: str, procedure: Procedure) -> list[Rule]:
        """Rules of ``ruleset`` that can fire for ``procedure``, in firing order."""
        chosen = [r for r in self.library.rules if r.ruleset == ruleset
                  and applies_to(self.conditions.get(r.id), procedure.id, procedure.entry.family)]
        return sorted(chosen, key=lambda r: (r.priority, r.order))

    def routing_to(self, procedure: Procedure) -> list[Rule]:
        """Routing rules that send a case to ``procedure`` (or to the family it belongs to)."""
        targets = {procedure.id}
        if procedure.entry.kind == "local" and procedure.entry.extends:
            targets.add(procedure.entry.extends)
        return [r for r in self.library.rules
                if r.ruleset == "routing" and r.then.get("procedure") in targets]

    @cached_property
    def titles(self) -> dict[str, str]:
        return {pid: p.policy.title for pid, p in self.procedures.items()}

    def engine(self) -> Any:
        """An ``Engine`` over the same policies (built once, for the worked examples)."""
        if self._engine is None:
            from redress.evaluation.evaluate import Engine

            self._engine = Engine(self.library)
        return self._engine


def _relative(page: str, target: str) -> str:
    depth = page.count("/")
    return "../" * depth + target


def relative(page: str, target: str) -> str:
    """The path of ``target`` (docs-relative) as a link from ``page``."""
    return _relative(page, target)


def load_context(extra_paths: tuple[Path, ...] = (), scenario_dir: Path | None = None) -> DocsContext:
    """Load and validate the policies (``PolicyError`` if any is invalid) and index them."""
    library = load_library(list(extra_paths))
    procedures = {e.id: _procedure(e) for e in library.policies.values()}
    ordered = dict(sorted(procedures.items(), key=lambda kv: _order(kv[1])))
    return DocsContext(library, ordered, rule_conditions(extra_paths), scenario_dir, extra_paths)


def _procedure(entry: PolicyEntry) -> Procedure:
    versions = [Version(v, m, build_policy(m, v, entry.family)) for v, m in entry.versions]
    versions.sort(key=lambda v: parse_moment(str(v.entry["effective_from"])), reverse=True)
    return Procedure(entry, tuple(versions))


def _order(procedure: Procedure) -> tuple[int, int, str]:
    policy = procedure.policy
    nation = NATION_ORDER.index(policy.nation) if policy.nation in NATION_ORDER else 9
    kind = KIND_ORDER.index(policy.kind) if policy.kind in KIND_ORDER else 9
    return nation, kind, policy.title

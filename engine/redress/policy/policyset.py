"""The policy set: every policy, rule file and the fact catalogue, read, validated and resolved.

::

    load_policy_set(paths) -> (LoadedPolicies, findings)

1. **Discover** the bundled ``policies/`` and ``rules/`` (``redress.resources.data_dir``) and
   then the files and folders given; a file reached twice is read once.  ``facts.yaml`` is the
   fact catalogue, a file with ``ruleset:`` is a rule file, anything else is a policy.
2. **Read** each with ``loader.read_document`` and **validate** it against its schema
   (a policy with ``extends`` is validated as a partial policy).
3. **Resolve** ``extends`` chains (``unknown-extends``, ``extends-cycle``; a policy id used
   twice is ``duplicate-id``, and the first file read keeps it) with ``merge.deep_merge``, then
   each version's ``changes`` and each ambiguity reading's ``overrides``.  Every merged result is
   validated against the complete policy schema.  A policy with more than ``MAX_VARIANTS``
   versions and readings of versions is refused (``too-many-variants``): each is merged,
   validated and checked, so their number must not grow with the square of the file.

A merged dict remembers the layers it was merged from (:class:`Layer`), so a finding about
merged data is reported at the file and line that *wrote* the value (:meth:`Resolved.locate`).
User mistakes are findings, never exceptions.

Reading a file is cached while the file is unchanged (same size and modification time), so the
documents and merged dicts handed out may be shared between calls: treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any, Literal

from redress.findings import Finding, Path, did_you_mean
from redress.policy import loader
from redress.policy.discovery import bundled_files, discover, first_line, is_bundled
from redress.policy.facts_catalog import FactCatalog, catalog_from_data
from redress.policy.loader import Document, read_document
from redress.policy.merge import deep_merge
from redress.policy.schema import schema_findings

FileKind = Literal["policy", "rules", "facts"]
CATALOG_NAME = "facts.yaml"
# Versions plus versions under each reading with overrides; the bundled policies have at most 8.
MAX_VARIANTS = 256


@dataclass(frozen=True)
class SourceFile:
    """One file of the policy set, read and classified."""

    path: FsPath
    kind: FileKind
    document: Document
    first_line: str
    valid: bool  # no error findings from reading or from its schema

    @property
    def data(self) -> Any:
        return self.document.data


@dataclass(frozen=True)
class Layer:
    """One overlay of a merged policy: ``data`` sits at ``prefix`` inside ``document``."""

    document: Document
    prefix: Path
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Resolved:
    """A fully merged policy dict and the layers (oldest first) it was merged from."""

    policy_id: str
    version_id: str | None  # None: the top-level text with ``extends`` applied
    reading: str | None
    data: Mapping[str, Any]
    layers: tuple[Layer, ...]

    def origin(self, path: Path) -> tuple[Document, Path]:
        """The document, and the path inside it, that wrote ``path`` of the merged data.

        Walks down the layers that still contribute at each step: a mapping merges with the
        mappings before it, anything else (or ``null``) replaces them.  A path missing from
        the merged data is attributed to its nearest ancestor.
        """
        live = [(layer, layer.data) for layer in self.layers]
        best, depth = live[-1][0], 0
        for i, part in enumerate(path):
            live = _step(live, part)
            if not live:
                break
            best, depth = live[-1][0], i + 1
        return best.document, (*best.prefix, *path[:depth])

    def locate(self, finding: Finding) -> Finding:
        """``finding`` (a path into the merged data) re-addressed to the file that wrote it."""
        document, path = self.origin(finding.path)
        moved = Finding(finding.check_id, finding.message, path, finding.severity,
                        hint=finding.hint)
        return document.locate(moved)

    def with_layer(self, layer: Layer, version_id: str | None,
                   reading: str | None) -> Resolved:
        return Resolved(self.policy_id, version_id, reading, deep_merge(self.data, layer.data),
                        (*self.layers, layer))


def _step(live: list[tuple[Layer, Any]], part: str | int) -> list[tuple[Layer, Any]]:
    out: list[tuple[Layer, Any]] = []
    for layer, node in live:
        found = (isinstance(node, Mapping) and isinstance(part, str) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if not found:
            continue
        value = node[part]
        if value is None:
            out = []
        elif isinstance(value, Mapping):
            out = [(lay, v) for lay, v in out if isinstance(v, Mapping)] + [(layer, value)]
        else:
            out = [(layer, value)]
    return out


@dataclass(frozen=True)
class ResolvedPolicy:
    """One policy with ``extends`` applied, and each of its versions."""

    id: str
    kind: str
    family: str  # the root of the extends chain (the bundled procedure or template)
    extends: str | None
    chain: tuple[str, ...]  # policy ids from the root of the chain to this one
    document: Document  # the file that defines this policy
    base: Resolved  # the top-level text, before any version's changes
    versions: tuple[Resolved, ...]  # one per entry of ``versions``, in file order
    valid: bool  # every document in the chain and every merged result is schema-valid

    @property
    def version_entries(self) -> list[Mapping[str, Any]]:
        """The ``versions`` entries (id, effective_from, effective_to, summary, changes)."""
        entries = self.base.data.get("versions")
        return [v for v in entries if isinstance(v, Mapping)] if isinstance(entries, list) else []

    def version(self, version_id: str) -> Resolved | None:
        return next((v for v in self.versions if v.version_id == version_id), None)

    def reading(self, version_id: str, reading_id: str) -> Resolved | None:
        """The version with one ambiguity reading's ``overrides`` merged over it."""
        version = self.version(version_id)
        if version is None:
            return None
        for amb_id, ambiguity in _mapping(version.data.get("ambiguities")).items():
            readings = _mapping(_mapping(ambiguity).get("readings"))
            if reading_id in readings:
                return _with_reading(version, str(amb_id), reading_id)
        return None

    def variants(self) -> Iterator[Resolved]:
        """Every version, and every version under every reading that has overrides."""
        for version in self.versions:
            yield version
            yield from _readings_of(version)


@dataclass(frozen=True)
class LoadedPolicies:
    """Everything ``load_policy_set`` read: files, resolved policies, rule files, catalogue."""

    files: tuple[SourceFile, ...]
    policies: Mapping[str, ResolvedPolicy]
    policy_ids: frozenset[str]  # every policy id read, resolvable or not
    catalog: FactCatalog
    catalog_file: SourceFile | None = None
    findings: tuple[Finding, ...] = field(default=(), repr=False)

    @property
    def rule_files(self) -> tuple[SourceFile, ...]:
        return tuple(f for f in self.files if f.kind == "rules")

    @property
    def policy_files(self) -> tuple[SourceFile, ...]:
        return tuple(f for f in self.files if f.kind == "policy")

    def resolve(self, policy_id: str, version_id: str | None = None,
                reading: str | None = None) -> Resolved | None:
        """The merged dict of a policy: its top-level text, a version, or a version's reading."""
        policy = self.policies.get(policy_id)
        if policy is None:
            return None
        if version_id is None:
            return policy.base
        if reading is None:
            return policy.version(version_id)
        return policy.reading(version_id, reading)

    def valid_policies(self) -> list[ResolvedPolicy]:
        return [p for p in self.policies.values() if p.valid]

    def valid_rule_files(self) -> list[SourceFile]:
        return [f for f in self.rule_files if f.valid]


# ---------------------------------------------------------------------------------------------
# Loading


def load_policy_set(paths: Sequence[FsPath | str] = (),
                    include_bundled: bool = True) -> tuple[LoadedPolicies, list[Finding]]:
    """Load the bundled policies and rules overlaid with ``paths``; never raises for mistakes."""
    files, findings = discover(paths, include_bundled)
    loaded, more = load_files(files)
    return loaded, [*findings, *more]


def load_files(files: Sequence[FsPath]) -> tuple[LoadedPolicies, list[Finding]]:
    """Read, validate and resolve exactly ``files`` (see :func:`load_policy_set`)."""
    findings: list[Finding] = []
    sources = [s for s in (_read(path, findings) for path in files) if s is not None]
    catalog_file = next((s for s in reversed(sources) if s.kind == "facts" and s.valid), None)
    catalog = catalog_from_data(catalog_file.data) if catalog_file else FactCatalog({})
    by_id = _policies_by_id(sources, findings)
    policies: dict[str, ResolvedPolicy] = {}
    for policy_id in by_id:
        resolved = _resolve(policy_id, by_id, findings)
        if resolved is not None:
            policies[policy_id] = resolved
    loaded = LoadedPolicies(tuple(sources), policies, frozenset(by_id), catalog, catalog_file,
                            tuple(_unique(findings)))
    return loaded, list(loaded.findings)


def _read(path: FsPath, findings: list[Finding]) -> SourceFile | None:
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size, loader.MAX_BYTES)
    except OSError:
        key = None
    source, problems = _read_file(path, key) if key else _read_file.__wrapped__(path, None)
    findings.extend(problems)
    return source


@lru_cache(maxsize=512)
def _read_file(path: FsPath, stamp: tuple[int, int, int] | None) -> tuple[SourceFile | None,
                                                                          tuple[Finding, ...]]:
    """Read, classify and schema-check one file; cached while the file is unchanged."""
    document, problems = read_document(path)
    if document is None:
        return None, tuple(problems)
    kind = _kind(path, document.data)
    errors = [document.locate(f) for f in schema_findings(document.data, kind)]
    source = SourceFile(path, kind, document, first_line(path), valid=not errors)
    return source, (*problems, *errors)


def _kind(path: FsPath, data: Any) -> FileKind:
    if path.name == CATALOG_NAME:
        return "facts"
    if isinstance(data, Mapping) and "ruleset" in data:
        return "rules"
    return "policy"


def _policies_by_id(sources: Iterable[SourceFile],
                    findings: list[Finding]) -> dict[str, SourceFile]:
    by_id: dict[str, SourceFile] = {}
    for source in sources:
        data = source.data
        if source.kind != "policy" or not isinstance(data, Mapping):
            continue
        policy_id = data.get("id")
        if not isinstance(policy_id, str):
            continue
        first = by_id.get(policy_id)
        if first is None:
            by_id[policy_id] = source
            continue
        findings.append(source.document.locate(_duplicate_policy(policy_id, first, source)))
    return by_id


def _duplicate_policy(policy_id: str, first: SourceFile, again: SourceFile) -> Finding:
    """``duplicate-id``; for a copy of a bundled policy, say so and how to change it instead."""
    if not is_bundled(first.path):
        where = place(first.document, ("id",), again.document)
        return Finding("duplicate-id", f"policy id '{policy_id}' is already used {where}",
                       ("id",))
    pos = first.document.pos(("id",))
    return Finding(
        "duplicate-id",
        f"policy id '{policy_id}' is the id of the bundled policy "
        f"({first.path}:{pos.line if pos else 1}); this file is ignored while it has the same id",
        ("id",),
        hint=f"give the local policy its own id and add 'extends: {policy_id}', keeping only "
             "what it changes")


def place(document: Document, path: Path, seen_from: Document) -> str:
    """Where ``path`` is, for a message read next to ``seen_from``: ``on line 7`` in the same
    file, else ``in other.yaml:7`` (the file's name only, so messages do not depend on where
    the files live)."""
    pos = document.pos(path)
    line = pos.line if pos else 1
    if document.file == seen_from.file:
        return f"on line {line}"
    return f"in {FsPath(document.file).name}:{line}"


def _chain(policy_id: str, by_id: Mapping[str, SourceFile],
           findings: list[Finding]) -> list[SourceFile] | None:
    """The files from the root of ``policy_id``'s extends chain down to it, or None."""
    chain: list[SourceFile] = []
    current: str | None = policy_id
    while current is not None:
        source = by_id[current]
        if source in chain:
            if current == policy_id:  # members of a loop report it; policies above it do not
                loop = " → ".join([*(s.data["id"] for s in chain), current])
                findings.append(by_id[policy_id].document.locate(Finding(
                    "extends-cycle", f"policy '{policy_id}' extends itself: {loop}",
                    ("extends",))))
            return None
        chain.append(source)
        parent = source.data.get("extends")
        if parent is not None and not isinstance(parent, str):
            return None
        if parent is not None and parent not in by_id:
            if current == policy_id:
                findings.append(source.document.locate(Finding(
                    "unknown-extends", f"policy '{policy_id}' extends unknown policy '{parent}'",
                    ("extends",), hint=did_you_mean(parent, by_id))))
            return None
        current = parent
    return list(reversed(chain))


def _resolve(policy_id: str, by_id: Mapping[str, SourceFile],
             findings: list[Finding]) -> ResolvedPolicy | None:
    chain = _chain(policy_id, by_id, findings)
    if chain is None:
        return None
    layers = tuple(Layer(s.document, (), s.data) for s in chain)
    merged: dict[str, Any] = {}
    for source in chain:
        merged = deep_merge(merged, source.data)
    base = Resolved(policy_id, None, None, merged, layers)
    seen: set[tuple[Path, str]] = set()
    # A policy in one file was validated whole as its document; only merged results are new.
    problems = _merged_findings(base, seen) if len(chain) > 1 else []
    entries = merged.get("versions")
    versions = tuple(_versions(base)) if len(entries or ()) <= MAX_VARIANTS else ()
    count = sum(1 + len(_overriding_readings(v)) for v in versions) or len(entries or ())
    if count > MAX_VARIANTS:
        findings.append(base.locate(Finding(
            "too-many-variants",
            f"policy '{policy_id}' has {count:,} versions and readings of versions to check, "
            f"more than the limit of {MAX_VARIANTS}", ("versions",),
            hint="each version is checked under each reading that has overrides; use fewer")))
        return None
    for variant in (v for version in versions for v in (version, *_readings_of(version))):
        if variant.data is base.data:
            continue
        if not seen and len(chain) == 1:
            seen.update((f.path, f.message) for f in schema_findings(base.data, "policy", "policy"))
        problems.extend(f for f in _merged_findings(variant, seen))
    findings.extend(problems)
    own = by_id[policy_id].data
    valid = all(s.valid for s in chain) and not any(f.is_error for f in problems)
    return ResolvedPolicy(
        id=policy_id, kind=str(merged.get("kind", "procedure")), family=str(chain[0].data["id"]),
        extends=own.get("extends") if isinstance(own.get("extends"), str) else None,
        chain=tuple(str(s.data["id"]) for s in chain), document=by_id[policy_id].document,
        base=base, versions=versions, valid=valid)


def _merged_findings(resolved: Resolved, seen: set[tuple[Path, str]]) -> list[Finding]:
    """Schema problems of a merged dict not already reported for a less merged one."""
    out = []
    for finding in schema_findings(resolved.data, "policy", "policy"):
        key = (finding.path, finding.message)
        if key not in seen:
            seen.add(key)
            out.append(resolved.locate(finding))
    return out


def _versions(base: Resolved) -> Iterator[Resolved]:
    """Each version of the policy.

    A version's ``changes`` are laid over the text of the policy that wrote the ``versions``
    list, *before* the layers of any policy that extends it: a local policy inheriting a
    template's versions keeps its own edits in every version, and the template's change still
    applies to whatever the local policy does not itself set.
    """
    entries = base.data.get("versions")
    if not isinstance(entries, list):
        return
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue
        version_id = str(entry.get("id", entry.get("effective_from", i)))
        changes = entry.get("changes")
        if not isinstance(changes, Mapping):
            yield Resolved(base.policy_id, version_id, None, base.data, base.layers)
            continue
        document, path = base.origin(("versions", i, "changes"))
        owner = max((k for k, layer in enumerate(base.layers) if layer.document is document),
                    default=len(base.layers) - 1)
        layers = (*base.layers[:owner + 1], Layer(document, path, changes),
                  *base.layers[owner + 1:])
        data: dict[str, Any] = {}
        for layer in layers:
            data = deep_merge(data, layer.data)
        yield Resolved(base.policy_id, version_id, None, data, layers)


def _readings_of(version: Resolved) -> Iterator[Resolved]:
    for amb_id, reading_id in _overriding_readings(version):
        yield _with_reading(version, amb_id, reading_id)


def _overriding_readings(version: Resolved) -> list[tuple[str, str]]:
    """``(ambiguity id, reading id)`` of each reading with ``overrides`` (no merging)."""
    return [(str(amb_id), str(reading_id))
            for amb_id, ambiguity in _mapping(version.data.get("ambiguities")).items()
            for reading_id, reading in _mapping(_mapping(ambiguity).get("readings")).items()
            if isinstance(_mapping(reading).get("overrides"), Mapping)]


def _with_reading(version: Resolved, amb_id: str, reading_id: str) -> Resolved:
    path: Path = ("ambiguities", amb_id, "readings", reading_id, "overrides")
    overrides = _mapping(_mapping(_mapping(_mapping(version.data["ambiguities"])[amb_id])
                                  .get("readings")).get(reading_id)).get("overrides")
    document, where = version.origin(path)
    return version.with_layer(Layer(document, where, _mapping(overrides)), version.version_id,
                              reading_id)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        seen.setdefault((f.check_id, f.file, f.pos, f.message, f.severity), f)
    return list(seen.values())


__all__ = ["Layer", "LoadedPolicies", "Resolved", "ResolvedPolicy", "SourceFile",
           "bundled_files", "discover", "is_bundled", "load_files", "load_policy_set", "place"]

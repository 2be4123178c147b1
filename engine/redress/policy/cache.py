"""The loaded policy set, cached on disk by the hash of its files.

Loading a policy set reads and validates every YAML file and runs every lint check: a tenth of a
second or more, at every start of ``redress evaluate``.  The result depends only on the files'
bytes and on Redress's own version, so it is kept in the user's cache folder
(``platformdirs.user_cache_dir("redress")``, or ``REDRESS_CACHE_DIR``), one JSON file per
policy set, named by a SHA-256 over Redress's version and every file's path and bytes.

A cache must never make Redress do something the files do not say:

* it holds **data only** (the resolved policies, the parsed rules, the fact catalogue), decoded
  into strictly typed structures; nothing in it is ever executed or unpickled, and the code the
  engine compiles from a policy names every policy value as a constant, never as source text;
* an entry not owned by the user, or that others may write to (or in a folder they may), is
  ignored, as are an entry whose own checksum does not match, one made for another policy set
  and one that does not decode; it is then rebuilt from the files;
* it is written to a temporary file and renamed into place, so a reader never sees half of it;
* it is never kept inside a Redress checkout or the installed package (``REDRESS_CACHE_DIR``
  pointing there turns the cache off), and ``REDRESS_CACHE_DIR=off`` turns it off entirely.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from redress.__about__ import __version__
from redress.policy.conditions import AllOf, AnyOf, Condition, Leaf
from redress.policy.discovery import bundled_folders, discover
from redress.policy.facts_catalog import FACT_TYPES, FactCatalog, FactSpec, FactType
from redress.policy.library import Library, PolicyEntry, load_library, policy_set_of
from redress.policy.model import Citation
from redress.policy.rules import Rule

FORMAT = 1
OFF = "off"


class _Rule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    ruleset: str
    description: str
    priority: int
    citation: tuple[str, str, str, str]
    condition: list[Any]
    then: dict[str, Any]
    order: int


class _Policy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    kind: str
    family: str
    extends: str | None
    organisations: tuple[str, ...]
    versions: list[tuple[dict[str, Any], dict[str, Any]]]
    local: bool


class _Fact(msgspec.Struct, frozen=True, array_like=True, forbid_unknown_fields=True):
    name: str
    type: str
    description: str
    values: tuple[str, ...]
    default: Any


class _Entry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    format: int
    key: str
    digest: str
    kinds: list[str]
    policies: list[_Policy]
    rules: list[_Rule]
    facts: list[_Fact]


class _Stored(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    checksum: str
    entry: msgspec.Raw


def cache_dir() -> Path | None:
    """Where policy sets are cached, or None when caching is off or the place is unsafe."""
    given = os.environ.get("REDRESS_CACHE_DIR")
    if given is not None and given.strip().lower() in (OFF, ""):
        return None
    if given:
        folder = Path(given)
    else:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("redress", appauthor=False))
    return None if _inside_redress(folder) else folder


def _inside_redress(folder: Path) -> bool:
    """A cache inside the package or a checkout of it would be read as source."""
    package = Path(__file__).resolve().parent.parent
    roots = [package, *(p for p in package.parents if (p / "pyproject.toml").is_file())][:2]
    target = folder.expanduser().resolve()
    return any(target == root or root in target.parents for root in roots)


def _key(files: Sequence[tuple[Path, bool, bytes]]) -> str:
    sha = hashlib.sha256(f"redress {__version__} policy-set cache {FORMAT}\n".encode())
    for path, bundled, content in files:
        sha.update(f"{path}\n{int(bundled)}\n{len(content)}\n".encode())
        sha.update(content)
    return sha.hexdigest()


def _safe(path: Path) -> bool:
    """Owned by this user and writable by no one else (the file and its folder)."""
    if not hasattr(os, "getuid"):
        return True  # no owners to check (Windows): the per-user folder is the protection
    for item in (path.parent, path):
        info = item.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def load_library_cached(paths: Sequence[Path] = (), include_bundled: bool = True) -> Library:
    """``load_library(paths, include_bundled)``, from the cache when it holds this set."""
    folder = cache_dir()
    files, findings = discover(paths, include_bundled)
    if folder is None or findings:  # a path that cannot be read: the loader words it
        return load_library(paths, include_bundled)
    bundled = bundled_folders()
    try:
        # ``discover`` hands out resolved paths, so a bundled file's folder is one of these.
        read = [(path, path.parent in bundled, path.read_bytes()) for path in files]
    except OSError:
        return load_library(paths, include_bundled)
    key = _key(read)
    entry_path = folder / f"policy-set-{key}.json"
    library = _read_entry(entry_path, key, read)
    if library is None:
        library = load_library(paths, include_bundled)
        _write_entry(entry_path, key, library)
    return library


def _read_entry(path: Path, key: str, read: Sequence[tuple[Path, bool, bytes]]) -> Library | None:
    try:
        if not path.is_file() or not _safe(path):
            return None
        stored = msgspec.json.decode(path.read_bytes(), type=_Stored)
        if hashlib.sha256(bytes(stored.entry)).hexdigest() != stored.checksum:
            return None
        entry = msgspec.json.decode(stored.entry, type=_Entry)
        if entry.format != FORMAT or entry.key != key or len(entry.kinds) != len(read):
            return None
        return _library(entry, read)
    except (OSError, ValueError, TypeError, KeyError, msgspec.MsgspecError):
        return None


def _write_entry(path: Path, key: str, library: Library) -> None:
    entry = msgspec.json.encode(_entry(key, library))
    data = msgspec.json.encode(_Stored(hashlib.sha256(entry).hexdigest(), msgspec.Raw(entry)))
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe_folder(path.parent):
            return
        import tempfile  # only when an entry is written, not on every start

        handle, temporary = tempfile.mkstemp(prefix=".policy-set-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as exc:  # a cache that cannot be written only costs time
        print(f"redress: the policy-set cache {path.parent} cannot be written: "
              f"{exc.strerror or exc}", file=sys.stderr)


def _safe_folder(folder: Path) -> bool:
    if not hasattr(os, "getuid"):
        return True
    info = folder.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


# -- the library as data, and back ---------------------------------------------------------------


def _condition(cond: Condition) -> list[Any]:
    if isinstance(cond, Leaf):
        return ["leaf", cond.key, cond.op, cond.value, cond.fact]
    return ["all" if isinstance(cond, AllOf) else "any", [_condition(c) for c in cond.items]]


def _condition_of(data: list[Any]) -> Condition:
    match data:
        case ["leaf", str(key), str(op), bool() | int() | float() | str() | None as value,
              str(fact)]:
            return Leaf(key, op, value, fact)
        case ["all", list(items)]:
            return AllOf(tuple(_condition_of(i) for i in items))
        case ["any", list(items)]:
            return AnyOf(tuple(_condition_of(i) for i in items))
    raise ValueError("not a condition")


def _entry(key: str, library: Library) -> _Entry:
    return _Entry(
        FORMAT, key, library.digest, [f.kind for f in library.files],
        [_Policy(p.id, p.kind, p.family, p.extends, p.organisations,
                 [(dict(v), dict(m)) for v, m in p.versions], p.local)
         for p in library.policies.values()],
        [_Rule(r.id, r.ruleset, r.description, r.priority,
               (r.citation.instrument, r.citation.short, r.citation.provision, r.citation.url),
               _condition(r.condition), dict(r.then), r.order) for r in library.rules],
        [_Fact(s.name, s.type, s.description, s.values, s.default)
         for s in library.catalog.facts.values()])


def _library(entry: _Entry, read: Sequence[tuple[Path, bool, bytes]]) -> Library:
    policies = {p.id: PolicyEntry(p.id, p.kind, p.family, p.extends, p.organisations,
                                  tuple((v, m) for v, m in p.versions), p.local)
                for p in entry.policies}
    rules = tuple(Rule(r.id, r.ruleset, r.description, r.priority, Citation(*r.citation),
                       _condition_of(r.condition), r.then, r.order) for r in entry.rules)
    catalog = FactCatalog({f.name: FactSpec(f.name, _fact_type(f.type), f.description,
                                            f.values, f.default) for f in entry.facts})
    # The kinds are stored in the order the files are hashed (by name, then path).
    ordered = sorted(read, key=lambda r: (r[0].name, str(r[0])))
    # The files as hashed into the key just now: the digest is of exactly these bytes.
    digest, files = policy_set_of([(path, kind, bundled, content) for (path, bundled, content), kind
                                   in zip(ordered, entry.kinds, strict=True)])
    if digest != entry.digest:
        raise ValueError("the cached policy set is not these files")
    return Library(policies=policies, rules=rules, catalog=catalog, digest=digest, files=files)


def _fact_type(name: str) -> FactType:
    if name not in FACT_TYPES:
        raise ValueError(f"not a fact type: {name!r}")
    return name


__all__ = ["cache_dir", "load_library_cached"]

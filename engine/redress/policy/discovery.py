"""Which files make a policy set: the bundled policies and rules, then the caller's files.

Kept apart from ``policyset`` (which validates what it reads against the JSON Schemas) so that
the policy-set cache can hash the files of a set without importing ``jsonschema``: a warm
``redress evaluate`` never validates anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path as FsPath

from redress.findings import Finding, Severity
from redress.resources import data_dir

YAML_SUFFIXES = (".yaml", ".yml")
SCENARIO_SUFFIXES = (".scenarios.yaml", ".scenarios.yml")
BUNDLED_KINDS = ("policies", "rules")
_OTHER_SCHEMA = re.compile(r"yaml-language-server:.*\b(case|result|report-definition)\.schema\.json")


def bundled_files() -> list[FsPath]:
    """The bundled policy and rule files, in a stable order."""
    return [path for folder in BUNDLED_KINDS for path, _ in _listing(data_dir(folder))]


@cache
def bundled_folders() -> tuple[FsPath, ...]:
    """The bundled ``policies`` and ``rules`` folders, resolved (they are fixed for a process:
    they are where the package itself is)."""
    return tuple(data_dir(kind).resolve() for kind in BUNDLED_KINDS)


def discover(paths: Sequence[FsPath | str] = (),
             include_bundled: bool = True) -> tuple[list[FsPath], list[Finding]]:
    """The files to load: the bundled ones (unless told not to), then ``paths``, each once."""
    # Each bundled file with its resolved path (worked out once: resolving is most of the time).
    known: dict[FsPath, FsPath] = dict(
        entry for kind in BUNDLED_KINDS for entry in _listing(data_dir(kind))
    ) if include_bundled else {}
    found: list[FsPath] = list(known)
    findings: list[Finding] = []
    given: list[FsPath] = []
    for raw in paths:
        path = FsPath(raw)
        if path.is_dir():
            given.extend(_yaml_files(path))
            findings.extend(Finding("file-unreadable", "not followed: a symbolic link out of "
                                    f"the folder {raw}", file=str(link), severity=Severity.WARNING)
                            for link in outside_links(path))
        elif path.exists():
            given.append(path)
        else:
            findings.append(Finding("file-unreadable", "no such file or folder", file=str(raw)))
    # A Redress checkout's own policies/X.yaml is the source of the bundled X.yaml: when the
    # package was installed from a wheel they are two files, and the checkout's one replaces it.
    replacing = {_bundled_name(p): p for p in given if _in_a_checkout(p)}
    found = [replacing.get(_bundled_name(p), p) for p in found]
    unique: dict[FsPath, FsPath] = {}
    for path in (*found, *given):
        resolved = known.get(path) or path.resolve()
        unique.setdefault(resolved, resolved)
    return list(unique.values()), findings


def _bundled_name(path: FsPath) -> tuple[str, str]:
    """``("policies", "council-corporate.yaml")``: a bundled file's folder and name."""
    return path.parent.name, path.name


def _in_a_checkout(path: FsPath) -> bool:
    """Whether ``path`` is ``policies/X.yaml`` or ``rules/X.yaml`` of a Redress checkout: the
    folder above holds ``schemas/policy.schema.json`` and the ``pyproject.toml`` of the
    ``redress`` project itself (a council's own project laid out the same way is not one)."""
    folder = path.resolve().parent
    root = folder.parent
    if folder.name not in ("policies", "rules") or \
            not (root / "schemas" / "policy.schema.json").is_file():
        return False
    import tomllib  # only for a file that sits where a checkout's policies would

    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return bool(project.get("project", {}).get("name") == "redress")


def is_bundled(path: str | FsPath) -> bool:
    """Whether ``path`` is one of the bundled policy or rule files."""
    return FsPath(path).resolve().parent in bundled_folders()


def _yaml_files(folder: FsPath) -> list[FsPath]:
    """The policy-set files in a folder: YAML files, except hidden ones, scenario files and
    files whose schema comment names another schema (cases, results).  A symbolic link that
    leads out of the folder is not followed (it could expose any file on the machine)."""
    return [path for path, _ in _listing(folder)]


def _listing(folder: FsPath) -> list[tuple[FsPath, FsPath]]:
    """``_yaml_files(folder)``, each with its resolved path."""
    inside = folder.resolve()
    found = []
    for p in folder.rglob("*"):
        if p.suffix not in YAML_SUFFIXES or not p.is_file() \
                or any(part.startswith(".") for part in p.relative_to(folder).parts) \
                or p.name.endswith(SCENARIO_SUFFIXES):
            continue
        resolved = _resolved(p, folder, inside)
        if resolved.is_relative_to(inside) and not _OTHER_SCHEMA.search(first_line(p)):
            found.append((p, resolved))
    return sorted(found)


def _resolved(path: FsPath, folder: FsPath, inside: FsPath) -> FsPath:
    """``path.resolve()``, cheaply for the usual file that sits straight in ``folder`` and is
    no symbolic link: ``folder`` resolved, plus its name (``resolve`` walks every part)."""
    if path.parent == folder and not path.is_symlink():
        return inside / path.name
    return path.resolve()


def outside_links(folder: FsPath) -> list[FsPath]:
    """YAML files in ``folder`` that are symbolic links to somewhere outside it (skipped)."""
    inside = folder.resolve()
    return sorted(p for p in folder.rglob("*")
                  if p.suffix in YAML_SUFFIXES and p.is_symlink()
                  and not p.resolve().is_relative_to(inside))


_FIRST_LINE_BYTES = 4096  # a schema comment is one short line


def first_line(path: FsPath) -> str:
    """The first line, read through the bounded reader (a huge one-line file costs nothing)."""
    if not path.is_file():
        return ""
    try:
        with path.open("rb") as fh:
            head = fh.read(_FIRST_LINE_BYTES)
    except OSError:
        return ""
    return head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")


__all__ = ["BUNDLED_KINDS", "SCENARIO_SUFFIXES", "YAML_SUFFIXES", "bundled_files", "bundled_folders",
           "discover", "first_line", "is_bundled", "outside_links"]

"""``redress lint`` without the printing: schema and semantic checks over files, as records.

:func:`lint` loads the bundled policies and rules overlaid with the given files and folders
(so a local policy's ``extends: council-corporate`` resolves), validates them, runs every check
in :data:`redress.policy.checks.CHECKS`, keeps the findings chosen by ``--select``/``--ignore`` and
returns them as flat records sorted by file, line and column.

With paths, only what the given files *bring* is reported: the findings of the bundled files
on their own are computed too and left out, so a local policy is not blamed for the bundled
set's warnings, yet a problem that only shows once it is merged with a bundled policy is
still reported (at the line that wrote the value).

Every searching check spends at most ``work_budget`` steps (default
:data:`~redress.policy.checks.budget.DEFAULT_WORK_BUDGET`); one that runs out is reported as a
``work-budget`` error.  :func:`lint_text` lints one posted document by name, for callers (the
HTTP service) that run it in a process of its own and stop that process at a time limit.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import Enum
from functools import lru_cache
from pathlib import Path as FsPath
from typing import NamedTuple

from redress.errors import RedressError
from redress.findings import Finding
from redress.policy import loader
from redress.policy.checks import run_checks
from redress.policy.checks.budget import DEFAULT_WORK_BUDGET
from redress.policy.policyset import bundled_files, discover, load_files
from redress.policy.report_definitions import (
    bundled_definition_files,
    is_definition_file,
    load_definitions,
)

IO_CHECK_IDS = frozenset({"file-unreadable"})
DOCUMENT_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}\.ya?ml")


class LintRecord(NamedTuple):
    """One finding, flattened for output; fields are in sort order."""

    file: str
    line: int
    col: int
    check_id: str
    severity: str
    message: str
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def render(self) -> str:
        """``file:line:col: severity: message (hint) [check-id]``, like ``Finding.render``."""
        hint = f" ({self.hint})" if self.hint else ""
        return (f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}{hint} "
                f"[{self.check_id}]")


class Decision(Enum):
    """Whether a check id is reported, decided by ``--select`` and ``--ignore`` prefixes."""

    SELECTED = "selected"
    IGNORED = "ignored"


def decide(check_id: str, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Decision:
    """The longest matching prefix wins; with no ``--select`` every id is selected."""
    chosen = max((len(p) for p in (select or ("",)) if check_id.startswith(p)), default=-1)
    dropped = max((len(p) for p in ignore if check_id.startswith(p)), default=-1)
    return Decision.SELECTED if chosen > dropped else Decision.IGNORED


class PathNotFoundError(RedressError, FileNotFoundError):
    """A path given to lint does not exist."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = tuple(paths)
        super().__init__(f"no such file or folder: {', '.join(self.paths)}")


class DocumentNameError(RedressError, ValueError):
    """A document name for :func:`lint_text` that is not a plain ``*.yaml``/``*.yml`` name."""


def lint_text(text: str, name: str, work_budget: int = DEFAULT_WORK_BUDGET,
              ignore: Sequence[str] = ()) -> list[LintRecord]:
    """The findings for one document given as text, laid over the bundled policies and rules.

    ``name`` is the file name it is checked (and reported) under: letters, digits, ``.``, ``_``
    and ``-`` ending ``.yaml`` or ``.yml``, nothing else (no folder, no control character).
    The document is written to a private temporary folder that is removed afterwards.  Arguments
    and result are plain values, so a caller can run this in a child process and kill it at a
    time limit; ``work_budget`` bounds each searching check in any case.
    """
    if not isinstance(name, str) or not DOCUMENT_NAME.fullmatch(name):
        raise DocumentNameError(f"{name!r} is not a plain file name ending .yaml or .yml")
    with tempfile.TemporaryDirectory(prefix="redress-lint-") as folder:
        path = FsPath(folder) / name
        path.write_text(text, encoding="utf-8")
        return lint([path], ignore=ignore, cwd=FsPath(folder), work_budget=work_budget)


def lint(paths: Sequence[str | FsPath] = (), select: Sequence[str] = (),
         ignore: Sequence[str] = (), cwd: FsPath | None = None,
         include_bundled: bool = True,
         work_budget: int = DEFAULT_WORK_BUDGET) -> list[LintRecord]:
    """The findings for ``paths`` (default: the bundled policies and rules), sorted.

    ``include_bundled=False`` checks the given files on their own, as a complete policy set
    (they then need their own ``facts.yaml``).  Each searching check may spend ``work_budget``
    steps.
    """
    missing = [str(p) for p in paths if not FsPath(p).exists()]
    if missing:
        raise PathNotFoundError(missing)
    definitions = _definition_files(paths)
    paths = [p for p in paths if FsPath(p).resolve() not in set(definitions)]
    files, skipped = discover(paths, include_bundled)  # skipped: links out of a folder
    findings = [*skipped, *_everything(files, work_budget)]
    if definitions or (include_bundled and not paths):
        # Report definitions: the given ones, or the bundled ones when nothing is given.
        known = load_files(files)[0].policies
        findings += load_definitions(definitions or bundled_definition_files(), list(known))[1]
    if paths and include_bundled:
        given, _ = discover(paths, include_bundled=False)
        baseline = [f for f in (p.resolve() for p in bundled_files()) if f not in set(given)]
        findings = _without(findings, _everything(baseline, work_budget))
    return to_records(findings, select, ignore, cwd)


def to_records(findings: Iterable[Finding], select: Sequence[str] = (),
               ignore: Sequence[str] = (), cwd: FsPath | None = None) -> list[LintRecord]:
    """The findings chosen by ``select``/``ignore`` as records, sorted by file, line, column."""
    here = (cwd or FsPath.cwd()).resolve()
    records = [_record(f, here) for f in findings
               if decide(f.check_id, select, ignore) is Decision.SELECTED]
    return sorted(records, key=lambda r: (r.file, r.line, r.col, r.check_id, r.message))


def _definition_files(paths: Sequence[str | FsPath]) -> list[FsPath]:
    """The report definitions among ``paths`` (files, or YAML files inside folders)."""
    found: list[FsPath] = []
    for raw in paths:
        path = FsPath(raw)
        candidates = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
        found.extend(p.resolve() for p in candidates if p.is_file() and is_definition_file(p))
    return found


def files_checked(paths: Sequence[str | FsPath] = (), include_bundled: bool = True) -> int:
    """How many policy and rule files :func:`lint` reads for ``paths``."""
    return len(discover(paths, include_bundled)[0])


def _everything(files: Sequence[FsPath], work_budget: int) -> list[Finding]:
    """Loader, schema and check findings for exactly ``files`` (cached while none changes)."""
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            return _everything_uncached(tuple(files), work_budget)
        stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return list(_everything_cached(tuple(stamps), loader.MAX_BYTES, work_budget))


@lru_cache(maxsize=8)
def _everything_cached(stamps: tuple[tuple[FsPath, int, int], ...], max_bytes: int,
                       work_budget: int) -> tuple[Finding, ...]:
    return tuple(_everything_uncached(tuple(path for path, _, _ in stamps), work_budget))


def _everything_uncached(files: tuple[FsPath, ...], work_budget: int) -> list[Finding]:
    loaded, findings = load_files(files)
    return [*findings, *run_checks(loaded, work_budget=work_budget)]


def _key(f: Finding) -> tuple[object, ...]:
    return (f.check_id, f.file, f.pos, f.message, f.severity)


def _without(findings: Iterable[Finding], baseline: Iterable[Finding]) -> list[Finding]:
    known = Counter(_key(f) for f in baseline)
    out = []
    for f in findings:
        if known[_key(f)] > 0:
            known[_key(f)] -= 1
        else:
            out.append(f)
    return out


def _record(f: Finding, cwd: FsPath) -> LintRecord:
    line, col = (f.pos.line, f.pos.col) if f.pos else (1, 1)
    return LintRecord(display_name(f.file or "<input>", cwd), line, col, f.check_id,
                      f.severity.value, f.message, f.hint)


def display_name(file: str, cwd: FsPath) -> str:
    """``file`` relative to ``cwd`` when it lies under it, else as given.

    Only the folder is resolved, never the file itself: a symbolic link is named as the link,
    never by where it points (which may be a file its owner would not show).
    """
    path = FsPath(file)
    try:
        return (path.parent.resolve() / path.name).relative_to(cwd).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def exit_code(records: Iterable[LintRecord]) -> int:
    """0 clean (warnings allowed), 1 any error, 2 a file that could not be read."""
    records = list(records)
    if any(r.check_id in IO_CHECK_IDS and r.is_error for r in records):
        return 2
    return 1 if any(r.is_error for r in records) else 0


__all__ = ["DOCUMENT_NAME", "Decision", "DocumentNameError", "LintRecord", "PathNotFoundError",
           "decide", "display_name", "exit_code", "files_checked", "lint", "lint_text",
           "to_records"]

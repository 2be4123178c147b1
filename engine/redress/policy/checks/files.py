"""File-level checks: the editor's schema comment on the first line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path as FsPath

from redress.findings import Finding, Severity, SourcePos
from redress.policy.policyset import LoadedPolicies, SourceFile
from redress.resources import schema_path

COMMENT = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")


def schema_comments(loaded: LoadedPolicies) -> Iterator[Finding]:
    """Each file should start ``# yaml-language-server: $schema=…/<kind>.schema.json`` so that
    VS Code checks and completes it as it is typed."""
    for source in loaded.files:
        problem = _problem(source)
        if problem is not None:
            yield Finding("missing-schema-comment", problem, severity=Severity.WARNING,
                          file=source.document.file, pos=SourcePos(1, 1), hint=_hint(source))


def _problem(source: SourceFile) -> str | None:
    wanted = f"{source.kind}.schema.json"
    match = COMMENT.match(source.first_line)
    if match is None:
        return "the first line is not the editor's schema comment"
    target = match.group(1)
    if target.rsplit("/", 1)[-1] != wanted:
        return f"the schema comment names '{target}', but this is a {_noun(source)}"
    if "://" not in target and not (source.path.parent / target).is_file():
        return f"the schema comment points to '{target}', which does not exist"
    return None


def _hint(source: SourceFile) -> str:
    """Point at the nearest ``schemas/`` folder above the file (a checkout's, or one written by
    ``redress schema --write``); never into the installed package, whose path changes with
    every environment."""
    name = f"{source.kind}.schema.json"
    folder = source.path.resolve().parent
    bundled = schema_path(source.kind).resolve()
    for above in (folder, *folder.parents):
        candidate = above / "schemas" / name
        if candidate.is_file() or candidate.resolve() == bundled:
            relative = FsPath(os.path.relpath(candidate, folder)).as_posix()
            return f"start the file with '# yaml-language-server: $schema={relative}'"
    return (f"run 'redress schema --write {_shown(folder)}/schemas' and start the file with "
            f"'# yaml-language-server: $schema=schemas/{name}'")


def _shown(folder: FsPath) -> str:
    try:
        return folder.relative_to(FsPath.cwd().resolve()).as_posix()
    except ValueError:
        return folder.as_posix()


def _noun(source: SourceFile) -> str:
    return {"policy": "policy", "rules": "rule file", "facts": "fact catalogue"}[source.kind]

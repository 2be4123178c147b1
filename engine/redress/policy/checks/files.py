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
                          file=source.document.file, pos=SourcePos(1, 1),
                          hint=f"start the file with '{_expected(source)}'")


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


def _expected(source: SourceFile) -> str:
    bundled = schema_path(source.kind).resolve()
    relative = FsPath(os.path.relpath(bundled, source.path.parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}"


def _noun(source: SourceFile) -> str:
    return {"policy": "policy", "rules": "rule file", "facts": "fact catalogue"}[source.kind]

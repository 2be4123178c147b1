"""``redress schema --write DIR``: copy the JSON Schemas next to your own policies.

A policy's first line (``# yaml-language-server: $schema=…``) needs a path that stays put; the
installed package's schemas live somewhere that changes with every Python or virtual
environment.  Copy them once into your policy folder (``--write my-policies/schemas``) and
point the comment at the copy.  A file Redress did not write is never overwritten: an existing
schema file is replaced only when it is an earlier copy of the same Redress schema (same
``$id``), and a symbolic link in DIR is never written through (it could point anywhere).  The
check and the write use one file descriptor opened without following links, so nothing can be
swapped in between them.  Exit 0 written, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from redress.cli import EXIT_OK, EXIT_USAGE
from redress.cli.output import printable_line
from redress.resources import data_dir

_LEGACY_BASE = "https://redress.example/schemas/"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_MAX_SCHEMA_BYTES = 4 * 1024 * 1024  # an earlier copy of ours is far smaller


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "schema", help="copy the JSON Schemas to a folder, for editors",
        description="Copy the JSON Schemas (policy, rules, facts, case, result, record, report, "
                    "report definition, service) into a folder, "
                    "so the schema comment at the top of your own policies can point at a path "
                    "that does not move when Redress is reinstalled.")
    parser.add_argument("--write", type=Path, required=True, metavar="DIR",
                        help="the folder to copy them into (created if missing); a file there "
                             "that is not an earlier Redress copy, or is a symbolic link, is "
                             "left alone and nothing is written")


class _Refused(Exception):
    """A target that is not Redress's to replace."""


def run(args: argparse.Namespace) -> int:
    out: Path = args.write
    # Every schema, so that cross-file references (a record's result) resolve in the copy too.
    sources = {p.name: p.read_bytes() for p in sorted(data_dir("schemas").glob("*.schema.json"))}
    refused = [problem for problem in (_refusal(out / name, text) for name, text in sources.items())
               if problem]
    if refused:
        for problem in refused:
            print(f"redress schema: {printable_line(problem)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in sources.items():
            _write(out / name, text)
    except _Refused as exc:
        print(f"redress schema: {printable_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"redress schema: cannot write to {printable_line(str(out))}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {len(sources)} schemas to {printable_line(str(out))}/. Start each policy "
          f"with:\n  # yaml-language-server: $schema=<path from the policy to "
          f"{printable_line(out.name)}>/policy.schema.json")
    return EXIT_OK


def _refusal(target: Path, text: bytes) -> str | None:
    """Why ``target`` must not be written, checked before anything is written."""
    if target.is_symlink():
        return f"{target} is a symbolic link; not writing through it"
    if target.exists() and not (target.is_file() and _ours(_head(target), text)):
        return f"{target} exists and is not a Redress schema; not overwriting it"
    return None


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_MAX_SCHEMA_BYTES)


def _write(target: Path, text: bytes) -> None:
    """Create ``target``, or replace an earlier copy of ours in place, never following a link."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
    except FileExistsError:
        fd = _open_our_copy(target, text)
    with os.fdopen(fd, "wb") as handle:
        handle.write(text)


def _open_our_copy(target: Path, text: bytes) -> int:
    try:
        fd = os.open(target, os.O_RDWR | _NOFOLLOW)
    except OSError as exc:  # ELOOP: a link was put there after the check
        raise _Refused(f"{target} is a symbolic link; not writing through it") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or not _ours(os.read(fd, _MAX_SCHEMA_BYTES),
                                                                text):
            raise _Refused(f"{target} exists and is not a Redress schema; not overwriting it")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _ours(existing: bytes, text: bytes) -> bool:
    """Whether ``existing`` is a copy (perhaps older) of the bundled schema ``text``."""
    try:
        theirs, mine = json.loads(existing), json.loads(text)
    except ValueError:
        return False
    # Before 1.0 the ids were absolute under a placeholder domain; such a copy is ours too.
    ids = {mine.get("$id"), f"{_LEGACY_BASE}{mine.get('$id')}"}
    return isinstance(theirs, dict) and theirs.get("$id") in ids

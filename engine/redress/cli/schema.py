"""``redress schema --write DIR``: copy the JSON Schemas next to your own policies.

A policy's first line (``# yaml-language-server: $schema=…``) needs a path that stays put; the
installed package's schemas live somewhere that changes with every Python or virtual
environment.  Copy them once into your policy folder (``--write my-policies/schemas``) and
point the comment at the copy.  A file Redress did not write is never overwritten: an existing
schema file is replaced only when it is an earlier copy of the same Redress schema (same
``$id``).  Exit 0 written, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from redress.cli import EXIT_OK, EXIT_USAGE
from redress.resources import data_dir

_LEGACY_BASE = "https://redress.example/schemas/"


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "schema", help="copy the JSON Schemas to a folder, for editors",
        description="Copy the JSON Schemas (policy, rules, facts, case, result, record, report, "
                    "report definition, service) into a folder, "
                    "so the schema comment at the top of your own policies can point at a path "
                    "that does not move when Redress is reinstalled.")
    parser.add_argument("--write", type=Path, required=True, metavar="DIR",
                        help="the folder to copy them into (created if missing)")


def run(args: argparse.Namespace) -> int:
    out: Path = args.write
    # Every schema, so that cross-file references (a record's result) resolve in the copy too.
    sources = {p.name.removesuffix(".schema.json"): p
               for p in sorted(data_dir("schemas").glob("*.schema.json"))}
    refused = [target for target in (out / s.name for s in sources.values())
               if target.exists() and not _ours(target, sources)]
    if refused:
        for target in refused:
            print(f"redress schema: {target} exists and is not a Redress schema; not "
                  "overwriting it", file=sys.stderr)
        return EXIT_USAGE
    try:
        out.mkdir(parents=True, exist_ok=True)
        for source in sources.values():
            (out / source.name).write_bytes(source.read_bytes())
    except OSError as exc:
        print(f"redress schema: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {len(sources)} schemas to {out}/. Start each policy with:\n"
          f"  # yaml-language-server: $schema=<path from the policy to {out.name}>"
          "/policy.schema.json")
    return EXIT_OK


def _ours(target: Path, sources: dict[str, Path]) -> bool:
    """Whether ``target`` is a copy (perhaps older) of the bundled schema with the same name."""
    try:
        theirs = json.loads(target.read_text(encoding="utf-8"))
        mine = json.loads(sources[target.name.split(".")[0]].read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return False
    # Before 1.0 the ids were absolute under a placeholder domain; such a copy is ours too.
    ids = {mine.get("$id"), f"{_LEGACY_BASE}{mine.get('$id')}"}
    return isinstance(theirs, dict) and theirs.get("$id") in ids

"""``redress citations [--policies PATH]``: the citation table of the loaded policy set.

A lean result names each citation by its ``citation_id``; this prints every citation the policy
set can give, by id, as one JSON object ``{"policy_set_hash": …, "citations": {id: citation}}``
(the table of ``GET /v1/policy-sets/{hash}``), so a batch of lean records can be read with the
table fetched once.  The hash is the ``audit.policy_set_hash`` every result carries.

Exit 0, 1 when a policy or rule file is invalid, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "citations", help="the citation table of the policies: what each citation_id of a "
        "lean result names",
        description="Print the policy set's citation table as JSON: every citation a result can "
        "give, by the citation_id a lean result names it with, and the policy set's hash.")
    parser.add_argument("--policies", action="append", default=[], metavar="PATH",
                        help="local policy/rule files or folders to add to the bundled ones")


def run(args: argparse.Namespace) -> int:
    from redress.errors import PolicyError
    from redress.evaluation.evaluate import Engine
    from redress.evaluation.records import json_bytes

    try:
        engine = Engine.load(args.policies)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FINDINGS
    table = {"policy_set_hash": engine.library.digest, "citations": engine.citation_table()}
    sys.stdout.write(json_bytes(table, newline=True).decode("utf-8"))
    return EXIT_OK


__all__ = ["add_parser", "run"]

"""The ``redress`` command line.

``main(argv) -> int`` never calls ``sys.exit`` itself, so tests run it in-process.  Each
subcommand lives in its own module exposing ``add_parser(subparsers)`` and ``run(args) -> int``.
Exit codes: 0 success, 1 findings/invalid input, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from redress.__about__ import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

# Subcommand name -> module under redress.cli.  Order is the order shown in --help.
SUBCOMMANDS: dict[str, str] = {
    "evaluate": "redress.cli.evaluate",
    "lint": "redress.cli.lint",
    "test": "redress.cli.scenario_test",
    "calendar": "redress.cli.calendar",
    "schema": "redress.cli.schema",
    "docs": "redress.cli.docs",
}


def _available_commands() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for name, module_name in SUBCOMMANDS.items():
        try:
            found[name] = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
    return found


def build_parser(commands: dict[str, ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redress",
        description="Rules-as-code for UK public-sector complaints procedures.",
    )
    parser.add_argument("--version", action="version", version=f"redress {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands.values():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    commands = _available_commands()
    parser = build_parser(commands)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    result: int = commands[args.command].run(args)
    return result


def console_main() -> None:
    """Entry point of the ``redress`` console script."""
    sys.exit(main())

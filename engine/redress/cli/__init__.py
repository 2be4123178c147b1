"""The ``redress`` command line.

``main(argv) -> int`` never calls ``sys.exit`` itself, so tests run it in-process.  Each
subcommand lives in its own module exposing ``add_parser(subparsers)`` and ``run(args) -> int``.
Exit codes: 0 success, 1 findings/invalid input, 2 usage or I/O error (including output that
cannot be written, e.g. to a full disk), 3 an unexpected internal error (a bug in Redress).  Every
failure is one clear line on standard error, never a traceback (set ``REDRESS_DEBUG=1`` to see
one).  A closed output pipe (``redress … | head``) ends the command quietly with exit code 141,
as for any command-line tool stopped by SIGPIPE.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

from redress.__about__ import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe

# Subcommand name -> module under redress.cli.  Order is the order shown in --help.
SUBCOMMANDS: dict[str, str] = {
    "evaluate": "redress.cli.evaluate",
    "batch": "redress.cli.batch",
    "lint": "redress.cli.lint",
    "test": "redress.cli.scenario_test",
    "calendar": "redress.cli.calendar",
    "schema": "redress.cli.schema",
    "docs": "redress.cli.docs",
    "report": "redress.cli.report",
    "serve": "redress.cli.serve",
    "citations": "redress.cli.citations",
    "token": "redress.cli.token",
}


def _available_commands(only: str | None = None) -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for name, module_name in SUBCOMMANDS.items():
        if only is not None and name != only:
            continue
        try:
            found[name] = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
    return found


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size().columns`` gives it (``COLUMNS``,
    else the size of standard output's terminal, else 80), without importing ``shutil``."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, with the width worked out here: argparse makes a formatter for
    every option added (to check its metavar) and each one imports ``shutil`` (and with it
    ``bz2`` and ``lzma``) for the width, a cost every start of the command line paid."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         terminal_columns() - 2 if width is None else width)


class ArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose help uses :class:`HelpFormatter` (its subcommands'
    parsers are of this class too: ``add_subparsers`` makes them of the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def build_parser(commands: dict[str, ModuleType]) -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="redress",
        description="Rules-as-code for UK public-sector complaints procedures.",
    )
    parser.add_argument("--version", action="version", version=f"redress {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands.values():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure becomes one line on standard error and an exit code."""
    frozen = gc.get_freeze_count()
    try:
        return _main(argv)
    finally:
        if not frozen:  # what ``starting`` set aside can be collected again (run in-process);
            gc.unfreeze()  # a caller that froze objects itself keeps them (and ours) frozen


def _main(argv: Sequence[str] | None) -> int:
    """``main`` leaving start-up's objects frozen: the process ends with the command, and its
    last collection need not walk them either."""
    _tolerate_unencodable_output()
    try:
        return _run(argv)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except OSError as exc:  # writing output failed: a full disk, a vanished terminal
        _error(f"cannot write output: {exc.strerror or exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last resort: a bug in Redress, never a traceback
        if os.environ.get("REDRESS_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (a bug in Redress; please report "
               "it as SECURITY.md describes)")
        return EXIT_INTERNAL


def _command_named(argv: Sequence[str] | None) -> str | None:
    """The command named first on the line, if it is one: only its module need be imported
    (a cold ``redress evaluate`` does not load the linter or the report)."""
    args = list(sys.argv[1:] if argv is None else argv)
    return args[0] if args and args[0] in SUBCOMMANDS else None


@contextlib.contextmanager
def starting() -> Iterator[None]:
    """No cyclic garbage collection while a command starts up.

    Importing the package and loading a policy set make tens of thousands of objects that live
    until the command ends, and every few hundred new ones set off a collection that walks the
    young ones again (a twentieth of a cold ``redress evaluate``).  Here the collector waits,
    and what start-up made is then set aside (``gc.freeze``) so that later collections skip it;
    ``main`` gives it back to the collector when the command ends.  A caller that turned the
    collector off is left alone.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    with starting():
        commands = _available_commands(_command_named(argv)) or _available_commands()
        parser = build_parser(commands)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
            return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    result: int = commands[args.command].run(args)
    sys.stdout.flush()  # so that a full disk or closed pipe is reported here, not at exit
    return result


def _tolerate_unencodable_output() -> None:
    """A lone surrogate in a case id must not crash a strict UTF-8 terminal: show it escaped."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file descriptor (tests capture output): nothing left to flush


def _error(message: str) -> None:
    from redress.cli.output import printable_line

    with contextlib.suppress(OSError):  # standard error itself gone: the exit code still tells
        print(f"redress: {printable_line(message)}", file=sys.stderr)


def console_main() -> None:
    """Entry point of the ``redress`` console script."""
    code = _main(None)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = EXIT_PIPE
    except OSError as exc:
        _error(f"cannot write output: {exc.strerror or exc}")
        code = EXIT_USAGE
    sys.exit(code)

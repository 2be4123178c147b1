"""``redress lint [PATH ...]``: check policies and rule files, print findings.

With no path, checks the bundled policies and rules; with files or folders, checks them laid
over the bundled ones.  A scenario file (``*.scenarios.yaml``) is checked as a scenario file:
its structure and the shape of each case.  Output is one line per finding, sorted by file, line and column::

    my-council.yaml:12:7: error: unknown key 'respnd' in stage 'stage1' deadlines
        (did you mean 'respond'?) [schema]      <- one line in the real output

``--format json`` prints a JSON list and ``--format github`` prints GitHub Actions annotations.
Exit codes: 0 clean (warnings allowed), 1 an error finding, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from redress.cli import EXIT_USAGE
from redress.cli.output import printable, printable_line
from redress.policy.checks import CHECK_IDS
from redress.policy.checks.budget import DEFAULT_WORK_BUDGET, MAX_WORK_BUDGET
from redress.policy.discovery import SCENARIO_SUFFIXES
from redress.policy.lint import (
    LintRecord,
    PathNotFoundError,
    exit_code,
    files_checked,
    lint,
    to_records,
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lint", help="check policies and rule files",
        description="Check policies and rule files against the schemas and the semantic "
                    "checks. With no PATH, checks the bundled policies and rules.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="policy or rule files, or folders of them (laid over the bundled "
                             "ones)")
    parser.add_argument("--no-bundled", dest="bundled", action="store_false",
                        help="check the given files on their own, without the bundled policies "
                             "and rules (they then need their own facts.yaml)")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                        help="output format (default: text)")
    parser.add_argument("--select", action="append", default=[], metavar="IDS",
                        help="report only check ids starting with these comma-separated "
                             "prefixes")
    parser.add_argument("--ignore", action="append", default=[], metavar="IDS",
                        help="do not report check ids starting with these comma-separated "
                             "prefixes")
    parser.add_argument("--work-budget", type=_steps, default=DEFAULT_WORK_BUDGET,
                        metavar="STEPS",
                        help="how many steps of work each searching check (never-true, "
                             "routing-overlap, routing-gap) may spend before it stops with a "
                             f"work-budget error (default: {DEFAULT_WORK_BUDGET:,})")


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_WORK_BUDGET or not text.isascii():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number of steps from 1 to {MAX_WORK_BUDGET:,}")
    return value


def run(args: argparse.Namespace) -> int:
    select, ignore = _prefixes(args.select), _prefixes(args.ignore)
    scenario_paths = [p for p in args.paths if str(p).endswith(SCENARIO_SUFFIXES)]
    policy_paths = [p for p in args.paths if p not in scenario_paths]
    try:
        records = []
        files = 0
        if policy_paths or not scenario_paths:
            records = lint(policy_paths, select, ignore, include_bundled=args.bundled,
                           work_budget=args.work_budget)
            files = files_checked(policy_paths, args.bundled)
        missing = [p for p in scenario_paths if not Path(p).exists()]
        if missing:
            raise PathNotFoundError(missing)
    except PathNotFoundError as exc:
        print(f"redress lint: {printable_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if scenario_paths:
        from redress.testing.lint import lint_scenario_file

        found = [f for path in scenario_paths for f in lint_scenario_file(path)]
        records = sorted([*records, *to_records(found, select, ignore)])
    text = FORMATTERS[args.format](records)
    if text:
        sys.stdout.write(text)
    if args.format == "text":
        print(summary(records, files, len(scenario_paths)), file=sys.stderr)
    return exit_code(records)


def summary(records: Sequence[LintRecord], policy_files: int, scenario_files: int = 0) -> str:
    """One line for the person at the terminal: what was checked and what was found."""
    errors = sum(1 for r in records if r.is_error)
    warnings = len(records) - errors
    found = "no problems found" if not records else (
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")
    checked = []
    if policy_files:
        checked.append(f"{_count(policy_files, 'policy and rule file')} against "
                       f"{len(CHECK_IDS)} checks")
    if scenario_files:
        checked.append(_count(scenario_files, "scenario file"))
    return f"redress lint: checked {' and '.join(checked) or 'nothing'}: {found}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _prefixes(values: Sequence[str]) -> list[str]:
    return [p.strip() for value in values for p in value.split(",") if p.strip()]


def format_text(records: Sequence[LintRecord]) -> str:
    return "".join(printable_line(r.render()) + "\n" for r in records)


def format_json(records: Sequence[LintRecord]) -> str:
    items = [{"file": r.file, "line": r.line, "col": r.col, "severity": r.severity,
              "check_id": r.check_id, "message": r.message, "hint": r.hint} for r in records]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def format_github(records: Sequence[LintRecord]) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message``."""
    lines = []
    for r in records:
        message = r.message + (f" ({r.hint})" if r.hint else "")
        props = (f"file={_escape_property(r.file)},line={r.line},col={r.col},"
                 f"title={_escape_property(f'redress lint [{r.check_id}]')}")
        lines.append(f"::{r.severity} {props}::{_escape_data(message)}\n")
    return "".join(lines)


def _escape_data(text: str) -> str:
    text = printable(text)  # no terminal escapes in CI logs either
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS: Mapping[str, Callable[[Sequence[LintRecord]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}

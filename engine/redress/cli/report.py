"""``redress report RESULTS.jsonl [--from DATE --to DATE] [--procedure ID] [--format md|html|json]
[--narrative FILE] [--publish [--suppress-below N]] [--compare-to FILE [--compare-from DATE
--compare-until DATE]] [--homes N] [--ombudsman-references FILE] [--definitions PATH]
[--policies PATH] [-o FILE]``.

Reads the JSON Lines records of ``redress batch`` ('-' for standard input) and writes the
complaints report: a council-wide summary with last year's figures, charts, the manager's
narrative, breakdowns, per procedure and stage the figures and each procedure's statutory
figures with their citations, monthly and quarterly views, learning, the Ombudsman, remedies,
cost and compliments.  Error records and unreadable lines are listed in the report, named
file:line on standard error and counted in no figure.  Exit 0 when the report was written from
good records only, 1 when any record was in error (the report is still written), 2 on usage or
I/O errors.  ``-o`` never replaces a file that Redress did not write.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from redress.cli.arguments import iso_date
from redress.errors import PolicyError
from redress.findings import excerpt
from redress.policy.library import load_library
from redress.policy.loader import InputTooLarge, read_file_bytes
from redress.report.build import FORMATS, definition_files, make_report, render
from redress.report.catalog import catalog_of
from redress.report.compute import ReportOptions
from redress.report.figures import Period, year_before
from redress.report.narrative import MAX_NARRATIVE_BYTES, sections
from redress.report.read import MAX_REFERENCES_BYTES, read_references, read_results

# Text that only a report written by Redress carries near its start (see report/*.py).
OUR_MARKS = ("<!-- redress report -->", '<meta name="generator" content="redress report">',
             '"generated_by": "redress ')
ERRORS_SHOWN = 100  # on standard error; the report itself lists every one


class UsageError(Exception):
    """One line for standard error, exit 2."""


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("report", help="the complaints report over batch results",
                            description=(__doc__ or "").split("\n\n")[1].replace("\n", " ")
                            .replace("``", ""))
    arg = parser.add_argument
    arg("results", metavar="RESULTS.jsonl",
        help="JSON Lines records from 'redress batch' ('-' reads standard input)")
    arg("--from", dest="start", type=iso_date, default=None, metavar="DATE",
        help="first day of the period, YYYY-MM-DD")
    arg("--to", dest="end", type=iso_date, default=None, metavar="DATE",
        help="last day of the period, YYYY-MM-DD")
    arg("--procedure", default=None, metavar="ID",
        help="report on one procedure only (e.g. children-act-1989)")
    arg("--format", choices=FORMATS, default="md",
        help="md (default), html (with charts, works offline, prints as A4) or json")
    arg("--narrative", type=Path, default=None, metavar="FILE",
        help="the complaints manager's Markdown (learning, improvements, self-assessment, "
             "'you said, we did'), one section per # or ## heading")
    arg("--publish", action="store_true",
        help="for publication (md or html): no case ids, Ombudsman references or error "
             "details, and small counts suppressed")
    arg("--suppress-below", type=_positive, default=5, metavar="N",
        help="with --publish: show counts from 1 to N-1 as '<N' (default 5)")
    arg("--compare-to", default=None, metavar="FILE",
        help="results to compare with (last year's file, or this one again): each headline "
             "figure with the earlier period's and the change")
    arg("--compare-from", type=iso_date, default=None, metavar="DATE",
        help="first day of the period to compare with (default: a year before --from)")
    arg("--compare-until", type=iso_date, default=None, metavar="DATE",
        help="last day of the period to compare with (default: a year before --to)")
    arg("--homes", type=_positive, default=None, metavar="N",
        help="a landlord's number of homes, for CH01 (complaints per 1,000 homes)")
    arg("--ombudsman-references", type=Path, default=None, metavar="FILE",
        help="the Ombudsman's own references, one a line (e.g. from its annual letter): "
             "those matching no local case are listed")
    arg("--definitions", action="append", type=Path, default=[], metavar="PATH",
        help="local report-definition files or folders, used before the bundled ones "
             "(check them with redress lint)")
    arg("--policies", action="append", type=Path, default=[], metavar="PATH",
        help="local policy files or folders, for the stage names and versions of local "
             "procedures")
    arg("--title", default="Complaints report", help="the report's title")
    arg("-o", "--output", type=Path, default=None, metavar="FILE",
        help="write to FILE instead of standard output")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _fail(message: str) -> int:
    print(f"redress report: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    try:
        _check_usage(args)
        records, previous, options = _inputs(args)
    except UsageError as exc:
        return _fail(str(exc))
    try:
        options = replace(options, catalog=catalog_of(load_library(args.policies)))
        report = make_report(records, options, definition_files(args.definitions), previous)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FINDINGS
    text = render(report, args.format, args.publish, args.suppress_below)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            return _fail(f"{args.output}: cannot write ({exc.__class__.__name__})")
    return _errors_to_stderr(report)


def _check_usage(args: argparse.Namespace) -> None:
    if args.start and args.end and args.end < args.start:
        raise UsageError(f"--to {args.end} is before --from {args.start}")
    if args.publish and args.format == "json":
        raise UsageError("--publish makes a document to publish (--format md or html); the "
                         "JSON report is the data behind it, with ids")
    if (args.compare_from or args.compare_until) and not args.compare_to:
        raise UsageError("--compare-from and --compare-until need --compare-to FILE")
    if args.compare_to and not (args.compare_from or args.start or args.compare_until
                                or args.end):
        raise UsageError("--compare-to needs a period: give --from and --to (compared with "
                         "the same dates a year earlier) or --compare-from and --compare-until")
    missing = [str(p) for p in [*args.definitions, *args.policies] if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder")
    if args.output is not None and args.output.exists() and not _ours(args.output):
        raise UsageError(f"{args.output}: exists and was not written by redress report; "
                         "not replaced")


def _inputs(args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None,
                                                ReportOptions]:
    records = _read_results(args.results)
    previous = None
    if args.compare_to is not None:
        previous = records if args.compare_to == args.results else _read_results(args.compare_to)
    references: tuple[str, ...] = ()
    if args.ombudsman_references is not None:
        references = read_references(_small_file(args.ombudsman_references,
                                                 MAX_REFERENCES_BYTES))
    narrative: tuple[tuple[str, str], ...] = ()
    if args.narrative is not None:
        narrative = sections(_small_file(args.narrative, MAX_NARRATIVE_BYTES).decode("utf-8"))
    period = Period(args.start, args.end)
    compare = (Period(args.compare_from, args.compare_until)
               if args.compare_from or args.compare_until else year_before(period))
    return records, previous, ReportOptions(
        period=period, procedure=args.procedure, homes=args.homes,
        ombudsman_references=references, title=args.title, narrative=narrative,
        compare_period=compare if previous is not None else None,
        compare_source=args.compare_to)


def _small_file(path: Path, limit: int) -> bytes:
    try:
        data = read_file_bytes(path, limit)
        data.decode("utf-8")
    except (OSError, ValueError) as exc:  # also NotARegularFile, InputTooLarge, not UTF-8
        raise UsageError(f"{path}: {_why(exc)}") from exc
    return data


def _read_results(name: str) -> list[dict[str, Any]]:
    """The records of a results file or standard input, read with the caps of ``report.read``."""
    try:
        if name == "-":
            return read_results(sys.stdin.buffer, "-")
        if Path(name).is_dir():
            raise IsADirectoryError(21, "is a folder, not a file")
        with open(name, "rb") as fh:  # a device or pipe is allowed: reading is bounded
            return read_results(fh, name)
    except (OSError, ValueError) as exc:  # InputTooLarge, a folder, an unreadable file
        raise UsageError(f"{name}: {_why(exc)}") from exc


def _why(exc: Exception) -> str:
    if isinstance(exc, InputTooLarge):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "cannot read (not UTF-8 text)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read ({exc.strerror})"
    return f"cannot read ({exc})"


def _errors_to_stderr(report: dict[str, Any]) -> int:
    """One line per record in error (file:line: message), then the count; exit 1 if any."""
    errors = report["errors"]
    for error in errors[:ERRORS_SHOWN]:
        where = error.get("source") or "-"
        line = f":{error['line']}" if error.get("line") else ""
        case = f" (case {excerpt(error['case_id'], 60)})" if error.get("case_id") else ""
        print(f"{where}{line}: {error['kind'].replace('_', ' ')}{case}: "
              f"{excerpt(error['message'], 300)}", file=sys.stderr)
    if len(errors) > ERRORS_SHOWN:
        print(f"redress report: … and {len(errors) - ERRORS_SHOWN} more", file=sys.stderr)
    if errors:
        print(f"redress report: {len(errors)} record(s) in error, listed in the report and "
              "counted in no figure", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def _ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return any(mark in head for mark in OUR_MARKS)

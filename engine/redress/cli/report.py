"""``redress report RESULTS.jsonl [--from DATE --to DATE] [--procedure ID] [--format md|html|json]
[--homes N] [--ombudsman-references FILE] [--definitions PATH] [-o FILE]``.

Reads the JSON Lines records of ``redress batch`` ('-' for standard input) and writes the
complaints report: per procedure and stage, each procedure's statutory figures with their
citations, compliments and representations, remedies, cost and the Ombudsman cross-reference.
Error records are listed in the report and counted in no figure.  Exit 0 when the report was
written from good records only, 1 when any record was in error (the report is still written),
2 on usage or I/O errors.  ``-o`` never replaces a file that Redress did not write.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from redress.cli.arguments import iso_date
from redress.errors import PolicyError
from redress.findings import excerpt
from redress.policy.loader import InputTooLarge, read_file_bytes
from redress.report.build import FORMATS, definition_files, make_report, render
from redress.report.compute import ReportOptions
from redress.report.figures import Period
from redress.report.read import MAX_REFERENCES_BYTES, read_references, read_results

# Text that only a report written by Redress carries near its start (see report/*.py).
OUR_MARKS = ("<!-- redress report -->", '<meta name="generator" content="redress report">',
             '"generated_by": "redress ')


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("report", help="the complaints report over batch results",
                            description=(__doc__ or "").split("\n\n")[1].replace("\n", " ")
                            .replace("``", ""))
    parser.add_argument("results", metavar="RESULTS.jsonl",
                        help="JSON Lines records from 'redress batch' ('-' reads standard input)")
    parser.add_argument("--from", dest="start", type=iso_date, default=None, metavar="DATE",
                        help="first day of the period, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=iso_date, default=None, metavar="DATE",
                        help="last day of the period, YYYY-MM-DD")
    parser.add_argument("--procedure", default=None, metavar="ID",
                        help="report on one procedure only (e.g. children-act-1989)")
    parser.add_argument("--format", choices=FORMATS, default="md",
                        help="md (default), html (with charts, works offline) or json")
    parser.add_argument("--homes", type=_homes, default=None, metavar="N",
                        help="a landlord's number of homes, for CH01 (complaints per 1,000 homes)")
    parser.add_argument("--ombudsman-references", type=Path, default=None, metavar="FILE",
                        help="the Ombudsman's own references, one a line (e.g. from its annual "
                             "letter): those matching no local case are listed")
    parser.add_argument("--definitions", action="append", type=Path, default=[], metavar="PATH",
                        help="local report-definition files or folders, used before the "
                             "bundled ones (check them with redress lint)")
    parser.add_argument("--title", default="Complaints report", help="the report's title")
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="write to FILE instead of standard output")



def _homes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of homes (a whole number, "
                                         "at least 1)")
    return value


def _fail(message: str) -> int:
    print(f"redress report: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    if args.start and args.end and args.end < args.start:
        return _fail(f"--to {args.end} is before --from {args.start}")
    try:
        records = _read_results(args.results)
    except (OSError, ValueError) as exc:  # InputTooLarge, a folder, an unreadable file
        return _fail(f"{args.results}: {_why(exc)}")
    references: tuple[str, ...] = ()
    if args.ombudsman_references is not None:
        try:
            references = read_references(read_file_bytes(args.ombudsman_references,
                                                          MAX_REFERENCES_BYTES))
        except (OSError, ValueError) as exc:  # also NotARegularFile, UnicodeDecodeError
            return _fail(f"{args.ombudsman_references}: {_why(exc)}")
    missing = [str(p) for p in args.definitions if not p.exists()]
    if missing:
        return _fail(f"{missing[0]}: no such file or folder")
    if args.output is not None and args.output.exists() and not _ours(args.output):
        return _fail(f"{args.output}: exists and was not written by redress report; "
                     "not replaced")
    options = ReportOptions(period=Period(args.start, args.end), procedure=args.procedure,
                            homes=args.homes, ombudsman_references=references,
                            title=args.title)
    try:
        report = make_report(records, options, definition_files(args.definitions))
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FINDINGS
    text = render(report, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            return _fail(f"{args.output}: cannot write ({exc.__class__.__name__})")
    return _errors_to_stderr(report)


def _read_results(name: str) -> list[dict[str, Any]]:
    """The records of a results file or standard input, read with the caps of ``report.read``."""
    if name == "-":
        return read_results(sys.stdin.buffer, "-")
    if Path(name).is_dir():
        raise IsADirectoryError(21, "is a folder, not a file")
    with open(name, "rb") as fh:  # a device or pipe is allowed: reading is bounded
        return read_results(fh, name)


def _why(exc: Exception) -> str:
    if isinstance(exc, InputTooLarge):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "cannot read (not UTF-8 text)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read ({exc.strerror})"
    return f"cannot read ({exc})"


ERRORS_SHOWN = 100  # on standard error; the report itself lists every one


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

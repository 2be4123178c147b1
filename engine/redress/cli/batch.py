"""``redress batch INPUT... [-o OUT] [--as-of DATE] [--workers N] [--resume] [--due-within N]
[--overdue] [--format jsonl|table] [--compare-policies DIR]``.

Evaluates a caseload: JSON Lines files, folders of YAML/JSON case files, CSV files (one column
per case field, e.g. ``events[0].date``) or ``-`` for JSON Lines on standard input.  Writes one
JSON Lines record per input record, in input order: the result with an ``input`` member, or an
error record (``schemas/record.schema.json``).  A bad record never stops the run.

``-o OUT`` is written so that a kill leaves no torn line; ``--resume`` finishes an interrupted
run, answering every record exactly once, after checking OUT against the inputs and options
(:mod:`redress.caseload.resume`).  An existing OUT is never overwritten without ``--resume``.
A summary goes to standard error, and a progress bar when it is a terminal.

Exit codes: 0 every record evaluated; 1 a record (or a policy) was an error; 2 usage or I/O
error, or ``--resume`` refused (OUT unchanged); 3 a record hit an internal error in Redress or
kept crashing its worker process (reported as an error record); 141 the reader of standard
output went away; 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_PIPE, EXIT_USAGE
from redress.cli.arguments import backend_option, iso_date

DUE_SOON_DAYS = 5


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "batch", help="evaluate a caseload: one JSON Lines record per case, in input order",
        description="Evaluate many cases. One JSON Lines record per input record, in input "
        "order; a summary on standard error. Exit 0 all evaluated, 1 any record in error, "
        "2 usage or I/O error or --resume refused, 3 an internal error in Redress, 141 "
        "output pipe closed.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSON Lines file, folder of YAML/JSON case files, CSV file, a single "
                        "case file, or '-' for JSON Lines on standard input")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="write here instead of standard output (never overwritten: use "
                        "--resume to continue it)")
    parser.add_argument("--as-of", type=iso_date, default=None, metavar="DATE",
                        help="evaluation date, YYYY-MM-DD (default: today)")
    parser.add_argument("--workers", type=_positive, default=1, metavar="N",
                        help="worker processes (default 1); output stays in input order")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted run into OUT with the same inputs and "
                        "options: OUT is checked first (refused, unchanged, if it does not "
                        "match), a torn last line is dropped, the remaining records answered")
    parser.add_argument("--due-within", type=_non_negative, default=None, metavar="N",
                        help="only open cases with a time limit due within N working days "
                        "(error records are always kept)")
    parser.add_argument("--overdue", action="store_true",
                        help="only open cases with a time limit passed (error records are "
                        "always kept)")
    parser.add_argument("--format", choices=("jsonl", "table", "csv"), default=None,
                        help="jsonl (default): one record per line; table: a table sorted by "
                        "next due date. With --compare-policies: table (the default) is the text "
                        "report, jsonl and csv list every change after the summary")
    parser.add_argument("--compare-policies", metavar="DIR", default=None,
                        help="what-if: compare every case under the current policies and under "
                        "DIR's files (each replacing the current file of the same name)")
    parser.add_argument("--form", choices=("full", "lean"), default="full",
                        help="full (default): every member of each result; lean: every "
                        "conclusion with citations named by id (redress citations gives the "
                        "table), without the rule trace and the explanatory text")
    parser.add_argument("--policies", action="append", default=[], metavar="PATH",
                        help="local policy/rule files or folders to add to the bundled ones")
    backend_option(parser)



def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if value < 0 or value > 10_000:
        raise argparse.ArgumentTypeError(f"{text} is out of range (0 to 10000)")
    return value


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value < 1 or value > 256:
        raise argparse.ArgumentTypeError(f"{text} is out of range (1 to 256)")
    return value


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"redress batch: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from redress.caseload.sources import check_inputs

    problems = check_inputs(args.inputs)
    if args.resume and not args.output:
        problems.append("--resume needs -o OUT (the output to continue)")
    if args.resume and (args.format == "table" or args.compare_policies):
        problems.append("--resume continues JSON Lines output only (not --format table or "
                        "--compare-policies)")
    if args.compare_policies and (args.due_within is not None or args.overdue):
        problems.append("--due-within and --overdue filter a batch, not a what-if comparison")
    if args.format == "csv" and not args.compare_policies:
        problems.append("--format csv lists a what-if's changes: it needs --compare-policies")
    if args.compare_policies and not Path(args.compare_policies).is_dir():
        problems.append(f"--compare-policies {args.compare_policies}: not a folder")
    if args.output and Path(args.output).exists() and not args.resume:
        problems.append(f"{args.output} already exists; use --resume to continue it, or "
                        "choose another name (Redress never overwrites it)")
    if problems:
        for problem in problems:
            print(f"redress batch: {problem}", file=sys.stderr)
        return EXIT_USAGE
    as_of = args.as_of or dt.date.today()
    if args.compare_policies:
        return _what_if(args, as_of)
    return _batch(args, as_of)


def _load_engine(args: argparse.Namespace) -> Any:
    from redress.errors import PolicyError
    from redress.evaluation.evaluate import Engine

    try:
        return Engine.load(args.policies, backend=args.backend)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return None


def _progress(total: int | None = None, initial: int = 0) -> Any:
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
    return tqdm(total=total, initial=initial, unit=" records", file=sys.stderr,
                disable=not sys.stderr.isatty(), dynamic_ncols=True, mininterval=0.5)


def _batch(args: argparse.Namespace, as_of: dt.date) -> int:
    from redress.caseload.digest import Tally
    from redress.caseload.raw import InputError
    from redress.caseload.resume import ResumeRefused, run_options
    from redress.caseload.sources import read_inputs

    engine = _load_engine(args)
    if engine is None:
        return EXIT_FINDINGS
    options = run_options(as_of, engine.library.digest, engine.backend, args.overdue,
                          args.due_within, args.form)
    inputs = read_inputs(args.inputs, getattr(sys.stdin, "buffer", None))
    tally = Tally(DUE_SOON_DAYS)
    try:
        point = _resume_point(args, inputs, options, tally)
        fd = _open_output(args, point)
    except (ResumeRefused, InputError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{args.output}: cannot read or write: {exc.strerror or exc}")
    if point is not None:
        print(f"redress batch: resuming {args.output}: {point.lines} lines kept, "
              f"{point.answered} records answered"
              + ("; dropped a torn last line" if point.torn else ""), file=sys.stderr)
    sink = _Sink(args, fd, options, point.last_index if point else None)
    try:
        return _evaluate(args, engine, as_of, inputs, sink, tally,
                         point.answered if point else 0)
    finally:
        if fd is not None:
            os.close(fd)


def _resume_point(args: argparse.Namespace, inputs: Iterator[Any], options: str,
                  tally: Any) -> Any:
    """With ``--resume`` and an existing output: check it against the inputs (read up to the
    last record it answers) and the options; None otherwise."""
    from redress.caseload.digest import digest
    from redress.caseload.resume import check_output

    if not (args.resume and args.output and os.path.lexists(args.output)):
        return None
    filtered = args.overdue or args.due_within is not None
    return check_output(args.output, inputs, options, filtered,
                        lambda record: tally.add(digest(record)))


def _open_output(args: argparse.Namespace, point: Any) -> int | None:
    """The output's file descriptor (None for standard output).  A torn last line is dropped
    only here, after the whole output has been checked."""
    if not args.output:
        return None
    if point is None:
        return os.open(args.output, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o644)
    fd = os.open(args.output, os.O_WRONLY | os.O_APPEND)
    if point.torn:
        os.ftruncate(fd, point.keep_bytes)
    return fd


class _Sink:
    """Where outcomes go: filtered, then written as JSON lines (with their full ``input``
    member) or kept for the table."""

    def __init__(self, args: argparse.Namespace, fd: int | None, options: str,
                 previous: int | None) -> None:
        from redress.caseload.output import LineWriter

        self.args = args
        self.writer = (LineWriter.to_fd(fd) if fd is not None
                       else LineWriter.to_stream(sys.stdout.buffer))
        self.options = options
        self.previous = previous
        self.table: list[Any] = []

    def wanted(self, d: Any) -> bool:
        if d.error is not None:
            return True  # a bad record is never filtered away
        if self.args.overdue and not d.overdue:
            return False
        return not (self.args.due_within is not None and not d.due_within(self.args.due_within))

    def add(self, outcome: Any) -> None:
        from redress.caseload.batch import with_input

        if not self.wanted(outcome.digest):
            return
        if self.args.format == "table":
            self.table.append(outcome.digest)
            return
        member = {**outcome.input, "options": self.options, "previous": self.previous}
        self.writer.write(with_input(outcome.body, member))
        self.previous = outcome.digest.index

    def close(self) -> None:
        from redress.caseload.table import render_table

        if self.args.format == "table":
            self.writer.write(render_table(self.table))
        self.writer.close()


def _evaluate(args: argparse.Namespace, engine: Any, as_of: dt.date, inputs: Iterator[Any],
              sink: _Sink, tally: Any, answered: int) -> int:
    from redress.caseload.batch import BatchSpec, BatchTask, crashed
    from redress.caseload.raw import InputError
    from redress.caseload.runner import run_ordered

    spec = BatchSpec(as_of, tuple(args.policies), args.backend, args.form)
    outcomes = run_ordered(spec, inputs, args.workers, on_crash=partial(crashed, form=args.form),
                           local=BatchTask(engine, as_of, args.form))
    bar = _progress(initial=answered)
    try:
        for outcome in outcomes:
            tally.add(outcome.digest)
            bar.update(1)
            sink.add(outcome)
        sink.close()
    except InputError as exc:
        _flush_quietly(sink.writer)
        return _fail(str(exc))
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE
    except OSError as exc:
        if not args.output:
            _quiet_stdout()
        return _fail(f"{args.output or 'standard output'}: cannot write: {exc.strerror or exc}")
    except KeyboardInterrupt:
        _flush_quietly(sink.writer)
        print("redress batch: interrupted; run again with --resume to finish", file=sys.stderr)
        return 130
    finally:
        outcomes.close()  # stops the worker processes at once if the run ended early
        bar.close()
    print(f"redress batch: {tally.render()}", file=sys.stderr)
    if tally.internal_errors:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if tally.errors else EXIT_OK


def _flush_quietly(writer: Any) -> None:
    with contextlib.suppress(OSError):
        writer.close()


def _quiet_stdout() -> None:
    # The reader went away (``| head``) or the disk is full: point standard output at /dev/null
    # so the interpreter's last flush cannot fail again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        return


def _write_what_if(args: argparse.Namespace, as_of: dt.date, replaced: list[str], report: Any,
                   moves: Any) -> int | None:
    """The summary and every change to OUT or standard output; an exit code if it failed."""
    from redress.caseload.whatif_output import write_report

    heading = {"what_if": str(args.compare_policies), "replaces": replaced,
               "as_of": as_of.isoformat()}
    title = (f"What-if: the policies in {args.compare_policies} "
             + (f"(replacing {', '.join(replaced)}) " if replaced else "(all new files) ")
             + f"against the current ones, as of {as_of.isoformat()}")
    fmt = {"jsonl": "jsonl", "csv": "csv"}.get(args.format or "", "text")
    try:
        if args.output:
            with open(args.output, "x", encoding="utf-8", newline="") as fh:
                write_report(fh, fmt, report, heading, title, moves)
        else:
            write_report(sys.stdout, fmt, report, heading, title, moves)
            sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE
    except OSError as exc:
        return _fail(f"{args.output or 'standard output'}: cannot write: {exc.strerror or exc}")
    return None


def _what_if(args: argparse.Namespace, as_of: dt.date) -> int:
    from redress.caseload.runner import run_ordered
    from redress.caseload.sources import InputError, read_inputs
    from redress.caseload.whatif import WhatIfReport, WhatIfSpec, WhatIfTask, crashed, replaced_files
    from redress.caseload.whatif_output import MoveSpool
    from redress.errors import PolicyError

    spec = WhatIfSpec(as_of, args.compare_policies, tuple(args.policies), args.backend)
    try:
        before, after = spec.engines()
    except PolicyError as exc:
        print(f"redress batch: the policies to compare are not valid:\n{exc}", file=sys.stderr)
        return EXIT_FINDINGS
    replaced = replaced_files(args.compare_policies, args.policies)
    with MoveSpool() as moves:
        report = WhatIfReport(moves)
        bar = _progress()
        try:
            stdin = getattr(sys.stdin, "buffer", None)
            for comparison in run_ordered(spec, read_inputs(args.inputs, stdin), args.workers,
                                          on_crash=crashed,
                                          local=WhatIfTask(before, after, as_of)):
                report.add(comparison)
                bar.update(1)
        except InputError as exc:
            return _fail(str(exc))
        finally:
            bar.close()
        failed = _write_what_if(args, as_of, replaced, report, moves)
        if failed is not None:
            return failed
    print(f"redress batch: compared {report.compared} of {report.records} records; "
          f"{report.changed} change, {report.errors} errors under both sets", file=sys.stderr)
    if report.internal_errors:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if report.errors else EXIT_OK

"""``redress batch INPUT... [-o OUT] [--as-of DATE] [--workers N] [--resume] [--due-within N]
[--overdue] [--format jsonl|table] [--compare-policies DIR]``.

Evaluates a caseload: JSON Lines files, folders of YAML/JSON case files, CSV files (one column
per case field, e.g. ``events[0].date``) or ``-`` for JSON Lines on standard input.  Writes one
JSON Lines record per input record, in input order: the result with an ``input`` member, or an
error record (``schemas/record.schema.json``).  A bad record never stops the run.

``-o OUT`` is written so that a kill leaves no torn line; ``--resume`` finishes an interrupted
run, answering every record exactly once.  An existing OUT is never overwritten without
``--resume``.  A summary goes to standard error, and a progress bar when it is a terminal.

Exit codes: 0 every record evaluated; 1 a record (or a policy) was an error; 2 usage or I/O
error; 3 a record hit an internal error in Redress (reported as an error record).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from redress.cli.arguments import iso_date

DUE_SOON_DAYS = 5


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "batch", help="evaluate a caseload: one JSON Lines record per case, in input order",
        description="Evaluate many cases. One JSON Lines record per input record, in input "
        "order; a summary on standard error. Exit 0 all evaluated, 1 any record in error, "
        "2 usage or I/O error, 3 an internal error in Redress.")
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
                        help="continue an interrupted run into OUT: drop a torn last line and "
                        "answer the remaining records")
    parser.add_argument("--due-within", type=_non_negative, default=None, metavar="N",
                        help="only open cases with a time limit due within N working days "
                        "(error records are always kept)")
    parser.add_argument("--overdue", action="store_true",
                        help="only open cases with a time limit passed (error records are "
                        "always kept)")
    parser.add_argument("--format", choices=("jsonl", "table"), default=None,
                        help="jsonl (default): one record per line; table: a table sorted by "
                        "next due date (with --compare-policies: the text report, the default)")
    parser.add_argument("--compare-policies", metavar="DIR", default=None,
                        help="what-if: compare every case under the current policies and under "
                        "DIR's files (each replacing the current file of the same name)")
    parser.add_argument("--form", choices=("full", "lean"), default="full",
                        help="full (default): every member of each result; lean: every "
                        "conclusion with citations named by id (redress citations gives the "
                        "table), without the rule trace and the explanatory text")
    parser.add_argument("--policies", action="append", default=[], metavar="PATH",
                        help="local policy/rule files or folders to add to the bundled ones")
    parser.add_argument("--backend", choices=("auto", "durable", "plain"), default="auto",
                        help="rule backend (default: durable-rules when installed)")



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
    from redress.caseload.batch import BatchSpec, BatchTask, crashed
    from redress.caseload.digest import Digest, Tally, digest
    from redress.caseload.output import LineWriter, OutputError, scan_output
    from redress.caseload.runner import run_ordered
    from redress.caseload.sources import InputError, RawRecord, read_inputs
    from redress.caseload.table import render_table

    engine = _load_engine(args)
    if engine is None:
        return EXIT_FINDINGS
    tally = Tally(DUE_SOON_DAYS)
    answered, last_input = 0, None
    resuming = bool(args.resume and args.output and Path(args.output).exists())
    if resuming:
        try:
            point = scan_output(args.output, lambda record: tally.add(digest(record)))
        except OutputError as exc:
            return _fail(str(exc))
        answered, last_input = point.answered, point.last_input
        if point.as_of is not None and point.as_of != as_of.isoformat():
            return _fail(f"{args.output} was evaluated as of {point.as_of}; resume it with "
                         f"--as-of {point.as_of} so that every record is evaluated on the same "
                         "date")
        print(f"redress batch: resuming {args.output}: {point.lines} lines kept, "
              f"{answered} records answered" + ("; dropped a torn last line"
                                                 if point.dropped_torn_tail else ""),
              file=sys.stderr)

    def remaining() -> Iterator[RawRecord]:
        for raw in read_inputs(args.inputs, getattr(sys.stdin, "buffer", None)):
            if raw.ref.index < answered:
                if raw.ref.index == answered - 1 and last_input is not None \
                        and (raw.ref.source, raw.ref.line) != (last_input.get("source"),
                                                               last_input.get("line")):
                    raise InputError(
                        f"{args.output} does not match these inputs: its last record came from "
                        f"{last_input.get('source')} line {last_input.get('line')}, but record "
                        f"{raw.ref.index} here is {raw.ref.source} line {raw.ref.line}")
                continue
            yield raw

    def wanted(d: Digest) -> bool:
        if d.error is not None:
            return True  # a bad record is never filtered away
        if args.overdue and not d.overdue:
            return False
        return not (args.due_within is not None and not d.due_within(args.due_within))

    spec = BatchSpec(as_of, tuple(args.policies), args.backend, args.form)
    table: list[Digest] = []
    fd: int | None = None
    try:
        if args.output:
            flags = os.O_WRONLY | os.O_APPEND | (0 if resuming else os.O_CREAT | os.O_EXCL)
            fd = os.open(args.output, flags, 0o644)
    except OSError as exc:
        return _fail(f"{args.output}: cannot write: {exc.strerror or exc}")
    writer = LineWriter.to_fd(fd) if fd is not None else LineWriter.to_stream(sys.stdout.buffer)
    bar = _progress(initial=answered)
    try:
        outcomes = run_ordered(spec, remaining(), args.workers, on_crash=crashed,
                               local=BatchTask(engine, as_of, args.form))
        for outcome in outcomes:
            tally.add(outcome.digest)
            bar.update(1)
            if not wanted(outcome.digest):
                continue
            if args.format == "table":
                table.append(outcome.digest)
            else:
                writer.write(outcome.line)
        if args.format == "table":
            writer.write(render_table(table))
        writer.close()
    except InputError as exc:
        _flush_quietly(writer)
        return _fail(str(exc))
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        if fd is None:
            _quiet_stdout()
        return _fail(f"{args.output or 'standard output'}: cannot write: {exc.strerror or exc}")
    except KeyboardInterrupt:
        _flush_quietly(writer)
        print("redress batch: interrupted; run again with --resume to finish", file=sys.stderr)
        return 130
    finally:
        bar.close()
        if fd is not None:
            os.close(fd)
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


def _what_if(args: argparse.Namespace, as_of: dt.date) -> int:
    from redress.caseload.runner import run_ordered
    from redress.caseload.sources import InputError, read_inputs
    from redress.caseload.whatif import WhatIfReport, WhatIfSpec, WhatIfTask, crashed, replaced_files
    from redress.errors import PolicyError
    from redress.evaluation.records import to_json_line

    spec = WhatIfSpec(as_of, args.compare_policies, tuple(args.policies), args.backend)
    try:
        before, after = spec.engines()
    except PolicyError as exc:
        print(f"redress batch: the policies to compare are not valid:\n{exc}", file=sys.stderr)
        return EXIT_FINDINGS
    replaced = replaced_files(args.compare_policies, args.policies)
    report = WhatIfReport()
    bar = _progress()
    try:
        stdin = getattr(sys.stdin, "buffer", None)
        for comparison in run_ordered(spec, read_inputs(args.inputs, stdin), args.workers, on_crash=crashed,
                                      local=WhatIfTask(before, after, as_of)):
            report.add(comparison)
            bar.update(1)
    except InputError as exc:
        return _fail(str(exc))
    finally:
        bar.close()
    heading = {"what_if": str(args.compare_policies), "replaces": replaced,
               "as_of": as_of.isoformat()}
    if args.format == "jsonl":
        text = to_json_line(report.to_dict(heading))
    else:
        title = (f"What-if: the policies in {args.compare_policies} "
                 + (f"(replacing {', '.join(replaced)}) " if replaced else "(all new files) ")
                 + f"against the current ones, as of {as_of.isoformat()}")
        text = report.render(title) + "\n"
    try:
        if args.output:
            with open(args.output, "x", encoding="utf-8") as fh:
                fh.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        return _fail(f"{args.output or 'standard output'}: cannot write: {exc.strerror or exc}")
    print(f"redress batch: compared {report.compared} of {report.records} records; "
          f"{report.changed} change, {report.errors} errors under both sets", file=sys.stderr)
    if report.internal_errors:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if report.errors else EXIT_OK

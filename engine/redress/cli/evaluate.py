"""``redress evaluate CASE... [--as-of DATE] [--format text|json|ics] [--form full|lean]
[--policies PATH]``.

Text output is a readable summary per case.  JSON output (``--format json``, or ``jsonl``) is
JSON Lines whatever the number of cases: one record per case, in order, written as each case
is evaluated: the result (``Result.to_dict()``) with an ``input`` member, or an error record,
exactly as ``redress batch`` writes them (``schemas/record.schema.json``); ``--form lean``
writes the lean form, whose citation ids ``redress citations`` turns into citations.  One case gives one
line holding one result object.  ICS output (``--format ics``) is one iCalendar document holding
every open deadline of the cases that evaluated (``redress.evaluation.ics``), written at the end;
problems go to standard error as with text.

A CASE is a case file (YAML or JSON), a folder (every case file in it, sorted by path), a JSON
Lines or CSV file, or ``-``: standard input holding one case, several YAML documents separated
by ``---``, a list of cases (a YAML list or a JSON array) or JSON Lines.

Exit 0 when every case evaluated, 1 when any case (or policy) was invalid — every problem is
listed — 2 on usage or I/O errors, 3 when a case hit an internal error in Redress (reported as
an error record naming the case, never a traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from redress.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, starting
from redress.cli.arguments import backend_option, iso_date
from redress.cli.output import printable, printable_line
from redress.errors import PolicyError
from redress.evaluation.explain import not_applicable_reason
from redress.evaluation.result import STATUS_LABELS, Result


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("evaluate", help="evaluate cases: procedure, stage, deadlines, "
                            "entitlements, routing and reasons",
                            description="Evaluate cases against the policies: the procedure "
                            "that applies, stage, status, deadlines in working days, entitlements "
                            "and the route to the Ombudsman, each with its citation.")
    parser.add_argument("cases", nargs="+", metavar="CASE",
                        help="case files (YAML or JSON), folders of them, JSON Lines or CSV "
                        "files; '-' reads one or more cases from standard input")
    parser.add_argument("--as-of", type=iso_date, default=None,
                        help="evaluation date, YYYY-MM-DD (default: today)")
    parser.add_argument("--format", choices=("text", "json", "jsonl", "ics"), default="text",
                        help="text (default): a readable summary per case; json or jsonl: JSON "
                        "Lines, one result or error record per case, whatever the number of "
                        "cases; ics: each open deadline as an iCalendar event, for a calendar")
    parser.add_argument("--form", choices=("full", "lean"), default="full",
                        help="with --format json: full (default) is every member of the result; "
                        "lean keeps every conclusion, names each citation by its id (the "
                        "result's citations table gives them) and leaves out the rule trace "
                        "and the explanatory text")
    parser.add_argument("--policies", action="append", default=[], metavar="PATH",
                        help="local policy/rule files or folders to add to the bundled ones")
    backend_option(parser)
    parser.add_argument("--explain", action="store_true",
                        help="print the plain-English explanation instead of the table (text "
                             "format only)")



def stdin_bytes() -> IO[bytes]:
    """Standard input as bytes (a test may have replaced it with a text stream)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer  # type: ignore[no-any-return]
    return io.BytesIO(sys.stdin.read().encode("utf-8"))


def run(args: argparse.Namespace) -> int:
    from redress.caseload.sources import InputError, check_inputs
    from redress.evaluation.evaluate import Engine

    if args.form == "lean" and args.format not in ("json", "jsonl"):
        print("redress evaluate: --form lean applies to --format json only", file=sys.stderr)
        return EXIT_USAGE
    if args.explain and args.format != "text":
        # The JSON result is the record contract; the explanation is written from its fields.
        print("redress evaluate: --explain applies to --format text only (the JSON result "
              "holds every field the explanation is written from)", file=sys.stderr)
        return EXIT_USAGE
    problems = check_inputs(args.cases)
    if problems:
        for problem in problems:
            print(f"redress evaluate: {printable_line(problem)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with starting():
            engine = Engine.load(args.policies, backend=args.backend)
    except PolicyError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return EXIT_FINDINGS
    as_of = args.as_of or dt.date.today()
    status = EXIT_OK
    for_calendar: list[Result] = []
    try:
        for record in _records(engine, args.cases, as_of):
            # Exit codes are ordered by severity: internal (3) > invalid (1) > ok (0).
            status = max(status, _show(record, args))
            if args.format == "ics" and not record.is_error:
                for_calendar.append(record.result)
        if for_calendar:
            # CRLF line ends are part of RFC 5545; stdout does not translate them on POSIX.
            from redress.evaluation.ics import results_to_ics

            sys.stdout.write(results_to_ics(for_calendar).decode("utf-8"))
            sys.stdout.flush()
    except InputError as exc:
        print(f"redress evaluate: {printable_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    # A closed pipe or a full disk is handled once, for every command, by ``redress.cli.main``.
    return status


def _records(engine: Any, names: list[str], as_of: dt.date) -> Iterator[Any]:
    from redress.caseload.parse import parse_raw
    from redress.caseload.sources import read_inputs, stdin_cases
    from redress.evaluation.records import InputRef, evaluate_record, internal_error

    index = 0
    for name in names:
        raws = stdin_cases(stdin_bytes()) if name == "-" else read_inputs([name])
        for raw in raws:
            raw = replace(raw, ref=InputRef(raw.ref.source, raw.ref.line, index))
            index += 1
            try:
                yield evaluate_record(engine, parse_raw(raw), as_of)
            except Exception as exc:  # a bug in Redress is a record, never a traceback
                yield internal_error(raw.ref, None, exc)


def _show(record: Any, args: argparse.Namespace) -> int:
    from redress.evaluation.records import ErrorRecord, one_line, to_json_line

    if args.format in ("json", "jsonl"):
        sys.stdout.write(to_json_line(record, args.form))
        sys.stdout.flush()
    elif args.format == "text" and not isinstance(record, ErrorRecord):
        print(printable(record.result.explain() if args.explain else render_text(record.result)))
        print()
        sys.stdout.flush()
    if not isinstance(record, ErrorRecord):
        return EXIT_OK
    if args.format in ("text", "ics"):
        where = record.input.source + (f":{record.input.line}" if record.input.line else "")
        print(printable_line(f"{one_line(where, 200)}: {record.message}"), file=sys.stderr)
        for problem in record.problems:
            place = record.input.source
            if problem.line is not None:
                place += f":{problem.line}" + (f":{problem.column}" if problem.column else "")
            check = f" [{problem.check}]" if problem.check else ""
            print(printable_line(f"  {one_line(place, 200)}: error: {problem.message}{check}"),
                  file=sys.stderr)
    # Folders-as-files, FIFOs and devices were refused up front (exit 2) by check_inputs.
    return EXIT_INTERNAL if record.kind == "internal_error" else EXIT_FINDINGS


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def render_text(result: Result) -> str:
    """A readable summary: procedure, stage, status, deadlines table, entitlements, routing."""
    out: list[str] = [f"Case {result.case_id} (as of {result.audit.evaluated_as_of})"]
    if result.procedure:
        proc = result.procedure
        out.append(f"Procedure:  {proc.id} — {proc.title} (version {proc.version})")
    if result.no_procedure:
        none = result.no_procedure
        out.append(f"Procedure:  none ({none.why}) — {none.reason}"
                   + (f"; goes to {none.goes_to}" if none.goes_to else ""))
    if result.routing.redirected_from:
        red = result.routing.redirected_from
        out.append(f"Redirected: from {red['procedure']} — {red['reason']}")
    out.append(f"Stage:      {result.stage}")
    out.append(f"Status:     {STATUS_LABELS.get(result.status, result.status)} ({result.status})")
    if result.status_reason:
        out.append(f"            {result.status_reason}")
    if result.deadlines:
        out.append("")
        rows = [["STAGE", "DEADLINE", "DUE", "STATE", "MET ON", "LEFT", "CITATION"]]
        for d in result.deadlines:
            left = "" if d.working_days_remaining is None else f"{d.working_days_remaining} wd"
            # A deadline that no longer applies was not "met", whatever happened later.
            met_on = d.met_on.isoformat() if d.met_on and d.state != "not_applicable" else ""
            rows.append([d.stage, d.kind, d.due.isoformat(), d.state, met_on, left,
                         d.citation.text])
        out.extend(_table(rows))
        out.append("")
        for d in result.deadlines:
            out.append(f"  {d.stage}.{d.kind}: {d.basis}")
            if d.state == "not_applicable":
                out.append(f"      not applicable: {not_applicable_reason(d)}")
            if d.note:
                out.append(f"      note: {d.note}")
    out.append("")
    if result.entitlements:
        out.append("Entitlements:")
        out.extend(f"  {e.id}: {e.title} — {e.reason} [{e.citation.text}]"
                   for e in result.entitlements)
    else:
        out.append("Entitlements: none")
    routing = result.routing
    out.append("Routing:")
    out.append(f"  handled by: {routing.handled_by or '-'}"
               + (f"; lead body: {routing.lead_body}" if routing.lead_body else "")
               + (f"; co-operating: {', '.join(routing.co_operating_bodies)}"
                  if routing.co_operating_bodies else ""))
    if routing.next_step:
        out.append(f"  next step: {routing.next_step}")
    if routing.ombudsman:
        omb = routing.ombudsman
        out.append(f"  ombudsman: {omb.body} — {'can take it now' if omb.ready else 'not yet'}: "
                   f"{omb.reason}")
    if result.flags:
        out.append("Flags:")
        for flag in result.flags:
            out.append(f"  [{flag.kind}] {flag.id}: {flag.message}")
            for reading in flag.readings:
                dates = ", ".join(f"{k}={v or '?'}" for k, v in reading.dates.items())
                out.append(f"      {'*' if reading.default else '-'} {reading.id}: "
                           f"{reading.description}" + (f" ({dates})" if dates else ""))
    if result.warnings:
        out.append("Warnings:")
        out.extend(f"  {w}" for w in result.warnings)
    out.append("Reasons:")
    out.extend(f"  {t.rule} [{t.ruleset}]: {t.description.strip()} ({t.citation.text if t.citation else ''})"
               for t in result.trace if t.applied)
    if result.audit.unused_local_policies:
        out.append("Local policies loaded but not used for this case: "
                   + ", ".join(result.audit.unused_local_policies))
    out.append(f"Audit: redress {result.audit.engine_version}, policies {result.audit.policy_set_hash[:12]}, "
               f"calendar {result.audit.calendar_data_version}, backend {result.audit.backend}")
    return "\n".join(out)

"""``redress evaluate CASE... [--as-of DATE] [--format text|json] [--policies PATH]``.

Text output is a readable summary; JSON is ``Result.to_dict()`` (one object per case, or a list
when several cases are given).  Exit 0 when every case evaluated, 1 when any case (or policy)
was invalid — every problem is listed — and 2 on usage or I/O errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from redress.errors import CaseError, PolicyError
from redress.evaluation.explain import not_applicable_reason
from redress.evaluation.result import STATUS_LABELS, Result
from redress.policy.loader import Document, parse_text


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("evaluate", help="evaluate cases: procedure, stage, deadlines, "
                            "entitlements, routing and reasons",
                            description="Evaluate cases against the policies: the procedure "
                            "that applies, stage, status, deadlines in working days, entitlements "
                            "and the route to the Ombudsman, each with its citation.")
    parser.add_argument("cases", nargs="+", metavar="CASE",
                        help="case files (YAML or JSON); '-' reads one case from standard input")
    parser.add_argument("--as-of", type=_date, default=None,
                        help="evaluation date, YYYY-MM-DD (default: today)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: a readable summary (default); json: the result object "
                             "(schemas/result.schema.json)")
    parser.add_argument("--policies", action="append", default=[], metavar="PATH",
                        help="local policy/rule files or folders to add to the bundled ones")
    parser.add_argument("--backend", choices=("auto", "durable", "plain"), default="auto",
                        help="rule backend (default: durable-rules when installed)")
    parser.add_argument("--explain", action="store_true",
                        help="print the plain-English explanation instead of the table (text "
                             "format only)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def run(args: argparse.Namespace) -> int:
    from redress.evaluation.evaluate import Engine

    if args.explain and args.format != "text":
        # The JSON result is the record contract; the explanation is written from its fields.
        print("redress evaluate: --explain applies to --format text only (the JSON result "
              "holds every field the explanation is written from)", file=sys.stderr)
        return EXIT_USAGE
    missing = [c for c in args.cases if c != "-" and not Path(c).exists()]
    if missing:
        for path in missing:
            print(f"redress evaluate: {path}: no such file", file=sys.stderr)
        return EXIT_USAGE
    try:
        engine = Engine.load(args.policies, backend=args.backend)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FINDINGS
    outputs: list[dict[str, Any]] = []
    status = EXIT_OK
    for path in args.cases:
        try:
            result = engine.evaluate(_read_stdin() if path == "-" else path, as_of=args.as_of)
        except CaseError as exc:
            status = EXIT_FINDINGS
            print(str(exc), file=sys.stderr)
            outputs.append({"case_file": path, "error": [f.render() for f in exc.findings]})
            continue
        if args.format == "json":
            outputs.append(result.to_dict())
        else:
            print(result.explain() if args.explain else render_text(result))
            print()
    if args.format == "json":
        print(json.dumps(outputs[0] if len(outputs) == 1 else outputs, indent=2,
                         ensure_ascii=False))
    return status


def _read_stdin() -> Document:
    """One case from standard input; a syntax error is a CaseError like any other."""
    doc, findings = parse_text(sys.stdin.read(), "<stdin>")
    if doc is None:
        raise CaseError(findings, "<stdin>")
    return doc


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

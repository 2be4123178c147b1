"""``redress calendar``: working-day and month arithmetic from the command line.

::

    redress calendar add 2025-04-14 25 --calendar england-and-wales
    redress calendar between 2025-04-14 2025-05-22 --calendar scotland
    redress calendar add 2025-12-22 5 --policies my-policies/ --procedure my-council-corporate
    redress calendar months 2025-03-10 12 --reading beginning-with

``add`` counts the start date as day 0 and gives the N-th working day after it; ``between``
counts the working days after A up to and including B (regimes.md §0.3), as
``WorkingDayCalendar.working_days_between`` does.  With ``--procedure ID`` (and ``--policies``
for a local policy) they count in that procedure's calendar: its nation's bank holidays plus
the closure days its policy in force on ``--on`` (default: the first date) adds, exactly as the
engine counts (``Engine.calendar_for``).  Each takes ``--format text|json``.  Bad dates, dates
outside the calendar's range, an unknown procedure or ``--calendar`` with ``--procedure`` exit
with status 2; an invalid policy set exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from redress.calendar import CALENDAR_NAMES, SkippedDay, WorkingDayCalendar, get_calendar
from redress.calendar.periods import PeriodReading, add_months
from redress.cli.arguments import iso_date
from redress.cli.output import printable_line
from redress.errors import CalendarRangeError, PolicyError
from redress.findings import did_you_mean

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

_DEFAULT_CALENDAR = "england-and-wales"


def _hyphenated(text: str) -> str:
    """argparse type: calendar and reading names are spelled with hyphens on the command line;
    the underscore spelling (as nations and counting conventions are written in YAML) is taken
    as the same name."""
    return text.replace("_", "-")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "calendar",
        help="working-day and calendar-month arithmetic",
        description="Working days (the start date is day 0) and month periods, "
        "counted as the engine counts them.",
    )
    sub = parser.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="the N-th working day after a date")
    add.add_argument("start", type=iso_date, help="start date (day 0), YYYY-MM-DD")
    add.add_argument("n", type=int, help="number of working days (negative counts backwards)")
    _calendar_option(add)

    between = sub.add_parser("between", help="working days after A up to and including B")
    between.add_argument("a", type=iso_date, help="from (not counted), YYYY-MM-DD")
    between.add_argument("b", type=iso_date, help="to (counted), YYYY-MM-DD")
    _calendar_option(between)

    months = sub.add_parser("months", help="the end of a period of N calendar months")
    months.add_argument("start", type=iso_date, help="start date, YYYY-MM-DD")
    months.add_argument("n", type=int, help="number of months (at least 1)")
    months.add_argument(
        "--reading",
        required=True,
        type=_hyphenated,
        choices=[r.value for r in PeriodReading],
        help="'after': ends on the corresponding date; "
        "'beginning-with': includes the start day, so ends the day before",
    )
    _format_option(months)


def _calendar_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calendar",
        type=_hyphenated,
        choices=CALENDAR_NAMES,
        default=None,
        help=f"nation calendar (default {_DEFAULT_CALENDAR})",
    )
    parser.add_argument("--procedure", metavar="ID", default=None,
                        help="count in this procedure's calendar: its nation's bank holidays "
                             "and the closure days of its policy (a local policy's id, with "
                             "--policies)")
    parser.add_argument("--policies", action="append", default=[], metavar="PATH",
                        help="local policy files or folders to add to the bundled ones "
                             "(with --procedure)")
    parser.add_argument("--on", type=iso_date, default=None, metavar="DATE",
                        help="with --procedure: use the policy version in force on DATE "
                             "(default: the first date given)")
    _format_option(parser)


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default) or json")


def run(args: argparse.Namespace) -> int:
    try:
        if args.calendar_command == "months":
            doc, text = _months(args.start, args.n, PeriodReading(args.reading))
        else:
            cal = _chosen_calendar(args)
            if isinstance(cal, int):
                return cal
            if args.calendar_command == "add":
                doc, text = _add(cal, args.start, args.n)
            else:
                doc, text = _between(cal, args.a, args.b)
            if args.procedure:
                doc = {"procedure": args.procedure, **doc}
    except (CalendarRangeError, ValueError) as exc:
        print(f"redress calendar: error: {printable_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(text)
    return EXIT_OK


def _chosen_calendar(args: argparse.Namespace) -> WorkingDayCalendar | int:
    """The nation's calendar, or the procedure's (closures included); an exit code on error."""
    if not args.procedure:
        if args.policies or args.on:
            return _usage("--policies and --on choose a procedure's policy: give --procedure")
        return get_calendar(args.calendar or _DEFAULT_CALENDAR)
    if args.calendar:
        return _usage("give --calendar or --procedure, not both (a procedure's policy names "
                      "its calendar)")
    from redress.evaluation.evaluate import Engine

    try:
        engine = Engine.load(args.policies, backend="plain")
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FINDINGS
    except FileNotFoundError as exc:
        return _usage(str(exc))
    first = args.start if args.calendar_command == "add" else min(args.a, args.b)
    on = args.on or first
    cal = engine.calendar_for(args.procedure, on)
    if cal is not None:
        return cal
    if engine.library.has(args.procedure):
        return _usage(f"no version of {args.procedure!r} is in force on {on.isoformat()}")
    hint = did_you_mean(args.procedure, sorted(engine.library.policies))
    return _usage(f"no procedure or policy {args.procedure!r}" + (f" ({hint})" if hint else ""))


def _usage(message: str) -> int:
    print(f"redress calendar: error: {printable_line(message)}", file=sys.stderr)
    return EXIT_USAGE


def _add(cal: WorkingDayCalendar, start: date, n: int) -> tuple[dict[str, Any], str]:
    span = cal.explain_add(start, n)
    doc = {
        "calendar": cal.name,
        "start": start.isoformat(),
        "working_days": n,
        "due": span.due.isoformat(),
        "skipped": _skipped_json(span.skipped),
        **_stamp(cal),
    }
    direction = "after" if n >= 0 else "before"
    lines = [
        span.due.isoformat(),
        f"{_working_days(n)} {direction} {_long(start)} is {_long(span.due)} "
        f"({_calendar_words(cal)}; the start date is day 0).",
        *_skipped_text(span.skipped),
        f"Calendar data: {cal.data_version}.",
    ]
    return doc, "\n".join(lines)


def _between(cal: WorkingDayCalendar, a: date, b: date) -> tuple[dict[str, Any], str]:
    count = cal.working_days_between(a, b)
    low, high = min(a, b), max(a, b)
    skipped = cal.skipped_days(low, high)  # the days the count passed over, as in (low, high]
    doc = {
        "calendar": cal.name,
        "from": a.isoformat(),
        "to": b.isoformat(),
        "working_days": count,
        "skipped": _skipped_json(skipped),
        **_stamp(cal),
    }
    span = f"after {_long(low)} up to and including {_long(high)} ({_calendar_words(cal)})"
    if b < a:
        summary = f"Minus the working days {span}: the second date is the earlier one."
    else:
        summary = f"Working days {span}."
    lines = [
        str(count),
        summary,
        *_skipped_text(skipped),
        f"Calendar data: {cal.data_version}.",
    ]
    return doc, "\n".join(lines)


def _calendar_words(cal: WorkingDayCalendar) -> str:
    """``england-and-wales calendar``, or ``england-and-wales calendar with the closure days of
    exampleshire-corporate`` for a policy's calendar (named ``base+POLICY-closures``)."""
    base, _, closures = cal.name.partition("+")
    if not closures:
        return f"{base} calendar"
    return f"{base} calendar with the closure days of {closures.removesuffix('-closures')}"


def _months(start: date, n: int, reading: PeriodReading) -> tuple[dict[str, Any], str]:
    period = add_months(start, n, reading)
    doc = {
        "start": start.isoformat(),
        "months": n,
        "reading": reading.value,
        "end": period.end.isoformat(),
        "end_of_month_rule": period.end_of_month_rule,
        "basis": period.basis,
    }
    return doc, f"{period.end.isoformat()}\n{period.basis}"


def _skipped_json(skipped: tuple[SkippedDay, ...]) -> list[dict[str, str]]:
    return [{"date": s.day.isoformat(), "reason": s.reason} for s in skipped]


def _skipped_text(skipped: tuple[SkippedDay, ...]) -> list[str]:
    if not skipped:
        return ["No bank holidays or other non-working weekdays skipped."]
    return ["Non-working weekdays skipped:", *(f"  {s}" for s in skipped)]


def _stamp(cal: WorkingDayCalendar) -> dict[str, Any]:
    first, last = cal.covered_range
    covered = [first.isoformat(), last.isoformat()]
    return {"data_version": cal.data_version, "covered_range": covered}


def _working_days(n: int) -> str:
    return "1 working day" if abs(n) == 1 else f"{abs(n)} working days"


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _long(d: date) -> str:
    # Own weekday names: strftime("%A") would follow the process locale.
    return f"{_WEEKDAYS[d.weekday()]} {d.isoformat()}"

"""A result's open deadlines as an iCalendar feed (RFC 5545), for a caseworker's own calendar.

Lives in ``evaluation`` as one more rendering of a :class:`Result`, so both ``redress evaluate
--format ics`` and the HTTP service use it without importing each other.

Each *open* deadline (state ``pending``: not yet met and not yet passed) becomes one all-day
event on its due date, including the Ombudsman time limit when it is still running.  The
description names the case, the stage, the kind, the citation and the basis.  The ``icalendar``
library does the escaping and line folding, so policy text (untrusted) cannot break the format.

The output is deterministic for a given result: the UID is built from the case id, stage and
kind (a calendar that imports the feed again updates the same events rather than adding new
ones) and DTSTAMP is the evaluation date, not the wall clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence

from icalendar import Calendar, Event

from redress.__about__ import __version__
from redress.evaluation.deadlines import PENDING, Deadline
from redress.evaluation.result import Result

MEDIA_TYPE = "text/calendar; charset=utf-8"
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def open_deadlines(result: Result) -> list[Deadline]:
    """The deadlines still running on the evaluation date, in the result's order.

    The Ombudsman time limit is usually among ``deadlines`` too; it is added from ``routing``
    only when it is not, so it never appears twice.
    """
    found = [d for d in result.deadlines if d.state == PENDING]
    omb = result.routing.ombudsman
    limit = omb.time_limit if omb is not None else None
    if limit is not None and limit.state == PENDING and limit.key not in {d.key for d in found}:
        found.append(limit)
    return found


def result_to_ics(result: Result) -> bytes:
    """The open deadlines of ``result`` as an iCalendar document (UTF-8, CRLF line ends)."""
    return results_to_ics([result])


def results_to_ics(results: Sequence[Result]) -> bytes:
    """The open deadlines of several results in one iCalendar document."""
    cal = Calendar()
    cal.add("prodid", f"-//Redress//redress {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = (f"Complaint {results[0].case_id}: deadlines" if len(results) == 1
            else "Complaint deadlines")
    cal.add("x-wr-calname", _text(name))
    for result in results:
        for deadline in open_deadlines(result):
            cal.add_component(_event(result, deadline))
    data: bytes = cal.to_ical()
    return data


def _event(result: Result, deadline: Deadline) -> Event:
    event = Event()
    event.add("uid", _uid(result.case_id, deadline))
    event.add("dtstamp", dt.datetime.combine(result.audit.evaluated_as_of, dt.time(0, 0),
                                             tzinfo=dt.UTC))
    event.add("dtstart", deadline.due)
    event.add("dtend", deadline.due + dt.timedelta(days=1))  # all-day: DTEND is exclusive
    event.add("summary", _text(f"{result.case_id}: {deadline.title} due"))
    event.add("description", _text(description(result, deadline)))
    event.add("categories", ["Complaint deadline"])
    event.add("transp", "TRANSPARENT")  # a due date, not a meeting: do not block time
    if deadline.citation.url:
        event.add("url", deadline.citation.url)
    return event


def description(result: Result, deadline: Deadline) -> str:
    """The plain-text description: case, procedure, stage, kind, citation, basis, caveats."""
    lines = [f"Case: {result.case_id}"]
    if result.procedure is not None:
        lines.append(f"Procedure: {result.procedure.title} (version {result.procedure.version})")
    lines += [f"Stage: {deadline.stage}",
              f"Kind: {deadline.kind}",
              f"Citation: {deadline.citation.text}",
              f"Basis: {deadline.basis}"]
    if deadline.provisional:
        lines.append("Provisional: this date may move when a later event is recorded.")
    if deadline.note:
        lines.append(f"Note: {deadline.note}")
    lines.append(f"As of {result.audit.evaluated_as_of.isoformat()}, redress "
                 f"{result.audit.engine_version}, policies {result.audit.policy_set_hash[:12]}.")
    return "\n".join(lines)


def _uid(case_id: str, deadline: Deadline) -> str:
    key = f"{case_id}.{deadline.stage}.{deadline.kind}"
    # The readable part drops unsafe characters; the hash keeps "A B" and "A-B" apart.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{_UID_UNSAFE.sub('-', key).strip('-')}-{digest}@redress"



def _text(value: str) -> str:
    """``value`` as UTF-8-safe text: a lone surrogate (from a JSON escape) is written as ``\\ud800``."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


__all__ = ["MEDIA_TYPE", "description", "open_deadlines", "result_to_ics", "results_to_ics"]

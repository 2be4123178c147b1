"""A result's deadlines as an iCalendar feed (RFC 5545), for a caseworker's own calendar.

Lives in ``evaluation`` as one more rendering of a :class:`Result`, so both ``redress evaluate
--format ics`` and the HTTP service use it without importing each other.

Each deadline becomes one all-day event on its due date, the Ombudsman time limit included:

* *open* (state ``pending``): ``STATUS:CONFIRMED``, ``SEQUENCE:0``;
* *overdue* (``missed`` and not met): still ``CONFIRMED``, its summary starting ``OVERDUE``,
  ``SEQUENCE:1``;
* *closed* (met, met late, or no longer applying, e.g. superseded by an extension):
  ``STATUS:CANCELLED``, ``SEQUENCE:2``.

So a calendar subscribed to the feed sees each change of state as a newer version of the same
event (same UID, higher SEQUENCE) and updates or strikes it out.  A case with no deadline at
all still gives a valid calendar: one ``VJOURNAL`` entry saying so (RFC 5545 wants at least
one component; calendars do not show journal entries).

Every text property passes through :func:`_text`: control characters (NUL, VT, a lone CR,
ESC…), lone surrogates and bidirectional overrides are written as visible escapes such as
``\\x0b``, and a line break inside a value as ``\\n``; the ``icalendar`` library then escapes
commas, semicolons and backslashes and folds long lines, so neither a case id nor policy text
can inject a property or a component.  The output is deterministic for a given result: the UID
is built from the case id, stage and kind, and DTSTAMP is the evaluation date, not the wall
clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence

from icalendar import Calendar, Event, Journal

from redress.__about__ import __version__
from redress.evaluation.deadlines import MISSED, PENDING, Deadline
from redress.evaluation.result import Result
from redress.findings import escape_controls

MEDIA_TYPE = "text/calendar; charset=utf-8"
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def all_deadlines(result: Result) -> list[Deadline]:
    """Every deadline of the result, the Ombudsman time limit added when it is not among them."""
    found = list(result.deadlines)
    omb = result.routing.ombudsman
    limit = omb.time_limit if omb is not None else None
    if limit is not None and limit.key not in {d.key for d in found}:
        found.append(limit)
    return found


def result_to_ics(result: Result) -> bytes:
    """The deadlines of ``result`` as an iCalendar document (UTF-8, CRLF line ends)."""
    return results_to_ics([result])


def results_to_ics(results: Sequence[Result]) -> bytes:
    """The deadlines of several results in one iCalendar document."""
    cal = Calendar()
    cal.add("prodid", f"-//Redress//redress {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = (f"Complaint {results[0].case_id}: deadlines" if len(results) == 1
            else "Complaint deadlines")
    cal.add("x-wr-calname", _text(name))
    for result in results:
        for deadline in all_deadlines(result):
            cal.add_component(_event(result, deadline))
    if not cal.subcomponents:
        cal.add_component(_nothing_due(results))
    data: bytes = cal.to_ical()
    return data


def _state(deadline: Deadline) -> tuple[str, int, str]:
    """STATUS, SEQUENCE and the summary's wording for a deadline's state."""
    if deadline.state == PENDING:
        return "CONFIRMED", 0, f"{deadline.title} due"
    if deadline.state == MISSED and deadline.met_on is None:
        return "CONFIRMED", 1, f"OVERDUE: {deadline.title} was due"
    if deadline.met_on is not None:
        late = " late" if deadline.state == MISSED else ""
        return "CANCELLED", 2, f"{deadline.title} met{late} on {deadline.met_on.isoformat()}"
    return "CANCELLED", 2, f"{deadline.title} no longer applies"


def _event(result: Result, deadline: Deadline) -> Event:
    status, sequence, wording = _state(deadline)
    event = Event()
    event.add("uid", _uid(result.case_id, deadline))
    event.add("dtstamp", _stamp(result))
    event.add("dtstart", deadline.due)
    event.add("dtend", deadline.due + dt.timedelta(days=1))  # all-day: DTEND is exclusive
    event.add("summary", _text(f"{result.case_id}: {wording}"))
    event.add("description", description(result, deadline))
    event.add("status", status)
    event.add("sequence", sequence)
    event.add("categories", ["Complaint deadline", *(["Overdue"] if sequence == 1 else [])])
    event.add("transp", "TRANSPARENT")  # a due date, not a meeting: do not block time
    if deadline.citation.url:
        event.add("url", _text(deadline.citation.url))
    return event


def _nothing_due(results: Sequence[Result]) -> Journal:
    first = results[0]
    entry = Journal()
    entry.add("uid", f"{_UID_UNSAFE.sub('-', first.case_id).strip('-')}-"
                     f"{_digest(first.case_id)}.none@redress")
    entry.add("dtstamp", _stamp(first))
    entry.add("summary", _text(f"Complaint {first.case_id}: no deadlines"))
    entry.add("description", _text(f"No deadline runs for this case as of "
                                   f"{first.audit.evaluated_as_of.isoformat()}."))
    return entry


def _stamp(result: Result) -> dt.datetime:
    return dt.datetime.combine(result.audit.evaluated_as_of, dt.time(0, 0), tzinfo=dt.UTC)


def open_deadlines(result: Result) -> list[Deadline]:
    """The deadlines still running on the evaluation date (state ``pending``)."""
    return [d for d in all_deadlines(result) if d.state == PENDING]


def description(result: Result, deadline: Deadline) -> str:
    """The plain-text description: case, procedure, stage, kind, citation, basis, caveats."""
    lines = [f"Case: {result.case_id}", f"State: {deadline.state}"
             + (f" (met on {deadline.met_on.isoformat()})" if deadline.met_on else "")]
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
    return "\n".join(_text(line) for line in lines)


def _uid(case_id: str, deadline: Deadline) -> str:
    key = f"{case_id}.{deadline.stage}.{deadline.kind}"
    # The readable part drops unsafe characters; the hash keeps "A B" and "A-B" apart.
    return f"{_UID_UNSAFE.sub('-', key).strip('-')}-{_digest(key)}@redress"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _text(value: str) -> str:
    """``value`` on one line with every control character, lone surrogate and bidirectional
    override written as a visible escape (``\\x0b``, ``\\ud800``, a line break as ``\\n``)."""
    return escape_controls(value).replace("\n", "\\n").replace("\t", "\\t")


__all__ = ["MEDIA_TYPE", "all_deadlines", "description", "open_deadlines", "result_to_ics",
           "results_to_ics"]

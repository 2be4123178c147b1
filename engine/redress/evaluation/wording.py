"""The words of a result: deadline bases, flag messages and reasons, from plain values.

One place for every sentence a result or an explanation carries, so that the compiled path
(which words a deadline only when a full result or an explanation is read) and the reference
path (``redress.testing.reference``, which words everything as it goes) write the same text.
Each function takes the plain values a sentence needs and returns it; nothing here decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

from redress.calendar import OFFICIAL_DATA_UNTIL, WorkingDayCalendar
from redress.calendar.counting import Count, count_period
from redress.evaluation.deadlines import basis_text
from redress.policy.model import Ambiguity, Limb, Period, TimeLimit, Window
from redress.policy.rules import Rule

DEADLINE_FLAG_TEXT = {
    "late-discretion": ("discretion", "{title} was {late}: the body has discretion to accept it"),
    "late-refused": ("warning", "{title} was {late}: the policy refuses late requests"),
    "as-soon-as-reasonably-practicable": (
        "discretion", "{title} was due {due}; the law adds 'or as soon as reasonably "
        "practicable', so a later date is not a breach by itself"),
    "end-of-month": ("ambiguity", "{title}: the corresponding date does not exist, so the period "
                                  "ends on the last day of the month ({due}); courts have not "
                                  "been consistent on this"),
    "extension-beyond-limit": ("warning", "{title}: the new date given goes beyond the latest "
                                          "permitted date {due}"),
    "longer-extension-with-reason": (
        "info", "{title}: the extension goes beyond the usual limit to {due}; the policy allows a "
        "longer extension for good reason, and a reason was given (it must be explained to the "
        "complainant)"),
    "longer-extension-no-reason": (
        "warning", "{title}: the extension goes beyond the usual limit to {due} and no reason is "
        "recorded; a longer extension needs good reason, explained to the complainant"),
    "extension-needs-agreement": ("warning", "{title}: this extension needs the complainant's "
                                             "agreement, which is not recorded"),
    "extension-after-deadline": ("warning", "{title}: the extension was given after the "
                                            "deadline {due} had passed"),
    "agreed-after-expiry": ("warning", "{title}: the longer period was agreed after the "
                                       "relevant period had expired, so it does not extend it"),
    "response-period-passed": (
        "warning", "{title}: the response period the body set or agreed ended {due} without a "
        "response; the complainant should be told why and given a new date (the relevant period "
        "of six months, or a longer one agreed, still runs)"),
    "no-extension-recorded": ("warning", "{title}: the base period passed with no extension "
                                         "recorded"),
    "provisional": ("info", "{title}: counted from the latest permitted acknowledgement date "
                            "until the acknowledgement is sent"),
}
RECEIPT_READINGS = (("as_received", "received the day it arrived"),
                    ("next_working_day", "deemed received on the next working day"))


def deadline_flag_text(code: str, title: str, due: dt.date, met_on: dt.date | None) -> str:
    """The message of a deadline's flag ``code`` (one of ``DEADLINE_FLAG_TEXT``)."""
    late = f"made on {met_on}, after {due}" if met_on else f"not made by {due}"
    return DEADLINE_FLAG_TEXT[code][1].format(title=title, due=due.isoformat(), late=late)


def forwarded_text(body: str | None, received: dt.date) -> str:
    return (f"forwarded by {body or 'another body'}: the complaint is treated as made to this "
            f"body on {received}, the day it received it")


def deemed_text(received: dt.date, after_hours: bool, deemed: dt.date) -> str:
    why = "after hours" if after_hours else "a non-working day"
    return f"received on {received} ({why}); the policy deems it received on {deemed}"


def deferral_clock_text(deferred: dt.date, resumed: dt.date) -> str:
    return (f"consideration was deferred on {deferred} and resumed on {resumed}; the regulations "
            "do not say whether the clocks restart, so deadlines are still counted from their "
            "original events")


def deferral_text(proceedings: Iterable[str], reason: str) -> str:
    return f"{', '.join(sorted(proceedings))} proceedings are under way: {reason}"


def projected_text(title: str, due: dt.date) -> str:
    return (f"{title} ({due}) falls after {OFFICIAL_DATA_UNTIL.year}, the last year of the "
            "official GOV.UK bank-holiday list; a bank holiday proclaimed later would move it")


def ambiguity_text(amb: Ambiguity) -> str:
    return f"{amb.title}: {amb.description} Default: {amb.default} ({amb.why_default})"


def receipt_day_text(after_hours: bool, received: dt.date) -> str:
    why = "after hours" if after_hours else "on a non-working day"
    return (f"The complaint arrived {why} ({received}); no regulation says when such a "
            "complaint is received. Default: the day it arrived is day 0; the other reading "
            "deems it received on the next working day.")


def rule_flag_text(rule: Rule) -> str:
    return str(rule.then.get("message", rule.description))


def overlap_text(applied: str, rival: str) -> str:
    return f"rules {applied} and {rival} both claim this case; {applied} was applied (file order)"


def not_covered_text(service: str, nation: str) -> str:
    return (f"no bundled or local procedure covers {service.replace('_', ' ')} complaints in "
            f"{nation.replace('_', ' ').title()}")


def no_version_text(procedure: str, received: dt.date) -> str:
    return f"no version of {procedure} was in force on {received}"


def no_procedure_step(goes_to: str | None) -> str:
    return (f"Handle under: {goes_to}" if goes_to
            else "Tell the complainant in writing why the procedure does not apply")


# -- the bases of deadlines --------------------------------------------------------------------


def promised_basis(new_date: dt.date | None, days: int | None, base_due: dt.date,
                   given_on: dt.date) -> str:
    """An extension's own new date (or further working days) where the policy sets none."""
    if new_date is not None:
        how = f"new date {new_date.isoformat()}"
    else:
        how = f"{days} further working days after {base_due.isoformat()}"
    return f"{how} given in the extension of {given_on.isoformat()}"


def longer_count(count: Count, new_date: dt.date, reason_given: bool,
                 given_on: dt.date) -> Count:
    """The count of a deadline moved by an extension longer than its period."""
    given = "with" if reason_given else "without"
    return replace(count, due=new_date, skipped=(),
                   basis=f"new date {new_date.isoformat()} given {given} a reason in the extension "
                         f"of {given_on.isoformat()}, beyond the usual {count.basis} ("
                         f"{count.due.isoformat()})")


def agreed_basis(agreed_on: dt.date, until: dt.date) -> str:
    return (f"longer period agreed with the complainant on {agreed_on.isoformat()}, "
            f"ending {until.isoformat()}")


def window_basis(window: Window, count: Count, label: str, other: Count | None,
                 other_label: str) -> str:
    """A window's basis, with its ``or_later`` limb (``other``, None if it has no date)."""
    basis = basis_text(count, label)
    if window.or_later is None:
        return basis
    if other is None:
        return (f"{basis}; the other limb, {window.or_later.period.describe()} after the "
                f"{other_label}, could not be counted (no date given)")
    return (f"the later of {basis} ({count.due.isoformat()}) and "
            f"{basis_text(other, other_label)} ({other.due.isoformat()})")


def limit_basis(count: Count, label: str, outer: Limb | None = None, capped: Count | None = None,
                outer_label: str = "") -> str:
    """A time limit's basis, with its outer limit (``capped``, None if it has no date)."""
    basis = basis_text(count, label)
    if outer is None:
        return basis
    if capped is None:
        return (f"{basis}; the outer limit of {outer.period.describe()} after the {outer_label} "
                "could not be counted (no date given)")
    outer_text = f"{basis_text(capped, outer_label)} ({capped.due.isoformat()})"
    if capped.due < count.due:
        return f"{basis} ({count.due.isoformat()}), capped at {outer_text}"
    return f"{basis}; the outer limit, {outer_text}, does not end earlier"


# -- recipes: the basis of a computed deadline, written from what its count started from --------


def counted_basis(cal: WorkingDayCalendar, period: Period, counting: str, anchor: dt.date,
                  label: str) -> str:
    return basis_text(count_period(cal, period, anchor, counting), label)


def longer_basis(cal: WorkingDayCalendar, period: Period, counting: str, anchor: dt.date,
                 label: str, new_date: dt.date, reason_given: bool, given_on: dt.date) -> str:
    count = count_period(cal, period, anchor, counting)
    return basis_text(longer_count(count, new_date, reason_given, given_on), label)


class _Counted(Protocol):
    @property
    def period(self) -> Period: ...
    @property
    def counting(self) -> str: ...


def _counts(cal: WorkingDayCalendar, first: _Counted, anchor: dt.date, second: _Counted | None,
            second_date: dt.date | None) -> tuple[Count, Count | None]:
    """The count of a period from its anchor, and of its other limb when both are given."""
    count = count_period(cal, first.period, anchor, first.counting)
    other = (count_period(cal, second.period, second_date, second.counting)
             if second is not None and second_date is not None else None)
    return count, other


def window_words(cal: WorkingDayCalendar, window: Window, responded: dt.date, label: str,
                 other_date: dt.date | None, other_label: str) -> str:
    count, other = _counts(cal, window, responded, window.or_later, other_date)
    return window_basis(window, count, label, other, other_label)


def limit_words(cal: WorkingDayCalendar, limit: TimeLimit, anchor: dt.date, label: str,
                outer_date: dt.date | None, outer_label: str) -> str:
    count, capped = _counts(cal, limit, anchor, limit.outer_limit, outer_date)
    return limit_basis(count, label, limit.outer_limit, capped, outer_label)

__all__ = [
    "DEADLINE_FLAG_TEXT",
    "RECEIPT_READINGS",
    "agreed_basis",
    "ambiguity_text",
    "counted_basis",
    "deadline_flag_text",
    "deemed_text",
    "deferral_clock_text",
    "deferral_text",
    "forwarded_text",
    "limit_basis",
    "limit_words",
    "longer_basis",
    "longer_count",
    "no_procedure_step",
    "no_version_text",
    "not_covered_text",
    "overlap_text",
    "projected_text",
    "promised_basis",
    "receipt_day_text",
    "rule_flag_text",
    "window_basis",
    "window_words",
]

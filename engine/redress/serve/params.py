"""Query and path parameters, checked: a wrong one is a 422 naming it.

Each endpoint names the query parameters it takes (:func:`check_query`); an unknown one
(``?asof=`` for ``as_of``), an empty one (``?as_of=``) or one given twice is refused rather
than silently ignored, one problem per parameter at fault.  Numbers and dates are ASCII digits
only (``int()`` would take ``١_0``, Arabic-Indic digits with an underscore, as 10).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection
from zoneinfo import ZoneInfo

from starlette.requests import Request

from redress.evaluation.records import Problem, one_line
from redress.evaluation.result import FORMS, Form
from redress.findings import did_you_mean
from redress.serve.problems import ServiceError, bad_parameter

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
UK_TIME = ZoneInfo("Europe/London")


def uk_today() -> dt.date:
    """Today in the United Kingdom (Europe/London), whatever the server's own time zone."""
    return dt.datetime.now(UK_TIME).date()


def check_query(request: Request, allowed: Collection[str]) -> None:
    """A 422 listing every query parameter that is unknown, empty or repeated."""
    items = request.query_params.multi_items()
    if _all_fine(items, allowed):  # the usual request: nothing to word, no counting
        return
    counts = Counter(name for name, _ in items)
    problems: list[Problem] = []
    for name, count in counts.items():
        if name not in allowed:
            hint = did_you_mean(name, sorted(allowed))
            known = f"known: {', '.join(sorted(allowed))}" if allowed else "it takes none"
            problems.append(_problem(name, f"is not a parameter of this endpoint "
                                     f"({hint or known})"))
        elif count > 1:
            problems.append(_problem(name, f"is given {count} times; give it once"))
        elif dict(items)[name] == "":
            problems.append(_problem(name, "is empty; leave it out to use the default"))
    if problems:
        first = problems[0]
        raise ServiceError(422, "invalid_parameter", f"{first.path}: {first.message}"
                           + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
                           problems)


def _all_fine(items: list[tuple[str, str]], allowed: Collection[str]) -> bool:
    """Whether every parameter is allowed, given once and not empty (``check_query`` passes)."""
    seen: set[str] = set()
    for name, value in items:
        if name not in allowed or name in seen or value == "":
            return False
        seen.add(name)
    return True


def _problem(name: str, message: str) -> Problem:
    return Problem(name, None, None, one_line(message))


def date_param(request: Request, name: str, required: bool = False) -> dt.date | None:
    """A ``YYYY-MM-DD`` parameter (``None`` when absent and not required)."""
    text = request.query_params.get(name)
    if text is None or text == "":
        if required:
            raise bad_parameter(name, "is required (YYYY-MM-DD)")
        return None
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise bad_parameter(name, f"{text!r} is not a real date (YYYY-MM-DD)") from None


def required_date(request: Request, name: str) -> dt.date:
    """A ``YYYY-MM-DD`` parameter that must be given."""
    day = date_param(request, name, required=True)
    if day is None:  # required=True refuses a missing date; this narrows the type
        raise RuntimeError("date_param returned no date for a required parameter")
    return day


def form_param(request: Request) -> Form:
    """The result form asked for with ``?form=`` (``full`` when absent): a 422 for any other
    value, matched exactly (``LEAN`` is refused rather than guessed at)."""
    text = request.query_params.get("form")
    if text is None:
        return "full"
    for form in FORMS:
        if text == form:
            return form
    raise bad_parameter("form", f"{text[:40]!r} is not a result form (full or lean)")


def int_param(request: Request, name: str, low: int, high: int) -> int:
    """A required whole number in ``low..high``, written with ASCII digits."""
    text = request.query_params.get(name)
    if text is None or text == "":
        raise bad_parameter(name, "is required (a whole number)")
    if not _INTEGER.fullmatch(text):
        raise bad_parameter(name, f"{text!r} is not a whole number (digits 0-9)")
    value = int(text)
    if not low <= value <= high:
        raise bad_parameter(name, f"{value} is outside {low}..{high}")
    return value


__all__ = ["UK_TIME", "check_query", "date_param", "form_param", "int_param", "required_date", "uk_today"]

"""Query and path parameters, checked: a wrong one is a 422 naming it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from starlette.requests import Request

from redress.serve.problems import bad_parameter

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_param(request: Request, name: str, required: bool = False) -> dt.date | None:
    text = request.query_params.get(name)
    if text is None or text == "":
        if required:
            raise bad_parameter(name, "is required (YYYY-MM-DD)")
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise bad_parameter(name, f"{text!r} is not a real date (YYYY-MM-DD)") from None


def bool_param(request: Request, name: str) -> bool:
    text = request.query_params.get(name, "false").lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise bad_parameter(name, f"{text!r} is not true or false")


def choice_param(request: Request, name: str, choices: Sequence[str], default: str) -> str:
    text = request.query_params.get(name, default)
    if text not in choices:
        raise bad_parameter(name, f"{text!r} is not one of {', '.join(choices)}")
    return text


def int_param(request: Request, name: str, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None or text == "":
        raise bad_parameter(name, "is required (a whole number)")
    try:
        value = int(text)
    except ValueError:
        raise bad_parameter(name, f"{text!r} is not a whole number") from None
    if not low <= value <= high:
        raise bad_parameter(name, f"{value} is outside {low}..{high}")
    return value


__all__ = ["bool_param", "choice_param", "date_param", "int_param"]

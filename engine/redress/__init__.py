"""Redress: rules-as-code for UK public-sector complaints procedures.

The stable public API is what ``__all__`` lists; every other module may change.  Each name is
imported from its module when it is first used (``from redress import Engine``), so that
``import redress`` costs next to nothing: a program that only reads results, or a command that
needs one corner of the package, does not load the rest (``tests/unit/test_import_cost.py``).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from redress.__about__ import __version__

if TYPE_CHECKING:
    from redress.errors import (
        CalendarRangeError,
        CaseError,
        PolicyError,
        RedressError,
        RuleExecutionError,
    )
    from redress.evaluation.records import ErrorRecord, InputRef, ResultRecord, to_json_line
    from redress.evaluation.result import Result
    from redress.findings import Finding, Severity
    from redress.report.engine import Engine

# Public name -> the module that defines it.  The public Engine adds the complaints report to
# evaluation's engine, so the report package is loaded only by a program that asks for it.
_HOMES = {
    "CalendarRangeError": "redress.errors",
    "CaseError": "redress.errors",
    "PolicyError": "redress.errors",
    "RedressError": "redress.errors",
    "RuleExecutionError": "redress.errors",
    "ErrorRecord": "redress.evaluation.records",
    "InputRef": "redress.evaluation.records",
    "ResultRecord": "redress.evaluation.records",
    "to_json_line": "redress.evaluation.records",
    "Result": "redress.evaluation.result",
    "Finding": "redress.findings",
    "Severity": "redress.findings",
    "Engine": "redress.report.engine",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'redress' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # found once: later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "CalendarRangeError",
    "CaseError",
    "Engine",
    "ErrorRecord",
    "Finding",
    "InputRef",
    "PolicyError",
    "RedressError",
    "Result",
    "ResultRecord",
    "RuleExecutionError",
    "Severity",
    "__version__",
    "to_json_line",
]

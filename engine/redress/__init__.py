"""Redress: rules-as-code for UK public-sector complaints procedures.

The stable public API is what ``__all__`` lists; every other module may change.  ``Engine`` is
imported when it is first used (``from redress import Engine``), so that ``import redress``
stays cheap for a program that only reads results.
"""

from typing import TYPE_CHECKING, Any

from redress.__about__ import __version__
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

if TYPE_CHECKING:
    from redress.report.engine import Engine


def __getattr__(name: str) -> Any:
    # The public Engine adds the complaints report to evaluation's engine; the report package
    # is loaded only by a program that asks for the engine.
    if name == "Engine":
        from redress.report.engine import Engine

        return Engine
    raise AttributeError(f"module 'redress' has no attribute {name!r}")


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

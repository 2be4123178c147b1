"""Redress: rules-as-code for UK public-sector complaints procedures.

The stable public API is what ``__all__`` lists; every other module may change.
"""

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
from redress.report.engine import Engine

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

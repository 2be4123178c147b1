"""Exceptions raised by Redress.

::

    RedressError
     ├── PolicyError          a policy or rule file is invalid; carries every Finding
     ├── CaseError            a case is invalid; carries every Finding (path into the case)
     ├── CalendarRangeError   a date outside the calendar's covered years
     └── RuleExecutionError   a rule action failed inside the rule backend; names the rule

User mistakes are collected as findings first; an exception is raised only when a step cannot
go on, and then it carries *all* the findings, never just the first.
"""

from __future__ import annotations

from collections.abc import Iterable

from redress.findings import Finding


class RedressError(Exception):
    """Root of every exception Redress raises on purpose."""


class _FindingsError(RedressError):
    kind = "input"

    def __init__(self, findings: Iterable[Finding], source: str | None = None) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        self.source = source
        lines = [f.render() for f in self.findings]
        head = f"invalid {self.kind}" + (f" {source}" if source else "")
        super().__init__(f"{head}: {len(lines)} problem(s)\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[type[_FindingsError], tuple[tuple[Finding, ...], str | None]]:
        # Rebuilt from its findings, so that it can cross a process boundary (a pool's worker).
        return type(self), (self.findings, self.source)


class PolicyError(_FindingsError):
    """A policy or rule file failed validation."""

    kind = "policy"


class CaseError(_FindingsError):
    """A case failed validation."""

    kind = "case"


class CalendarRangeError(RedressError, ValueError):
    """A date falls outside the years a working-day calendar covers."""


class RuleExecutionError(RedressError):
    """A rule's action raised inside the rule backend."""

    def __init__(self, rule_id: str, cause: BaseException) -> None:
        self.rule_id = rule_id
        self.cause = cause
        super().__init__(f"rule {rule_id!r} failed: {cause!r}")

    def __reduce__(self) -> tuple[type[RuleExecutionError], tuple[str, BaseException]]:
        return type(self), (self.rule_id, self.cause)


__all__ = ["CalendarRangeError", "CaseError", "PolicyError", "RedressError", "RuleExecutionError"]

"""A work budget for the checks whose cost grows faster than the file.

Most checks walk a policy once, so their cost is bounded by the loader's size cap.  A few search:
``never-true`` and ``routing-gap`` solve each condition, ``routing-overlap`` solves pairs of
rules, and one condition with many ``any`` groups has many branches to try.  Each such check gets
its own :class:`WorkBudget` of *steps*, each about a microsecond of work (a test taken in costs
five, a branch of the search ten, a pair of rules considered one).  When a check spends its
budget it stops, and :func:`redress.policy.checks.run_checks` reports a ``work-budget`` error at
the rule it had reached, so a hostile or runaway file costs seconds, never hours, and a check that
did not finish is never mistaken for a clean one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from redress.findings import Finding, Path
from redress.policy.loader import Document

# The bundled policies and rules need under 1 % of this per check (checked by
# tests/security/test_lint_budget.py); about one to two seconds of CPU per check.
DEFAULT_WORK_BUDGET = 1_000_000
MAX_WORK_BUDGET = 10**12  # what `redress lint --work-budget` accepts: a whole number, not infinity


class WorkBudgetSpent(Exception):
    """Raised inside a check when its budget is spent; :func:`run_checks` turns it into a finding."""


@dataclass
class WorkBudget:
    """Steps left for one check, and where in which document it is working (for the finding).

    One budget belongs to one run of one check: it is created by ``run_checks`` and never shared.
    """

    limit: int = DEFAULT_WORK_BUDGET
    spent: int = 0
    where: tuple[Document, Path] | None = field(default=None, repr=False)

    def spend(self, steps: int = 1) -> None:
        """Count ``steps`` of work; raise :class:`WorkBudgetSpent` past the limit."""
        self.spent += steps
        if self.spent > self.limit:
            raise WorkBudgetSpent

    def working_on(self, document: Document, path: Path) -> None:
        """Remember the value being checked, so that running out can be reported there."""
        self.where = (document, path)

    def finding(self, check_id: str) -> Finding:
        """The ``work-budget`` error for ``check_id``, at the value it had reached."""
        finding = Finding(
            "work-budget",
            f"the '{check_id}' check stopped after {self.limit:,} steps of work, before it "
            "finished, so its results are incomplete",
            hint="simplify the rule conditions here (fewer 'any' groups, fewer rules at one "
                 "priority), or raise the budget with 'redress lint --work-budget STEPS'")
        if self.where is None:
            return finding
        document, path = self.where
        return document.locate(Finding(finding.check_id, finding.message, path,
                                       hint=finding.hint))


__all__ = ["DEFAULT_WORK_BUDGET", "MAX_WORK_BUDGET", "WorkBudget", "WorkBudgetSpent"]

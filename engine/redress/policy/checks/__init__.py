"""Semantic checks over a loaded policy set.

``CHECKS`` maps a check id to a generator function taking the
:class:`~redress.policy.policyset.LoadedPolicies` and yielding located findings.  Some functions report
under more than one id (``conditions`` passes on the ids of ``redress.policy.conditions``:
``unknown-fact``, ``impossible-value``, ``operator-type``, ``condition-shape``,
``condition-value``); :data:`CHECK_IDS` lists every id any check can report.

Checks look only at schema-valid policies and rule files, so they can trust shapes; they report
each problem at the file and line that wrote the value (for ``extends`` and ``versions``, the
overlay that wrote it).  Adding a check is one function and one row here.

A check that searches (its work can grow faster than the files) takes a
:class:`~redress.policy.checks.budget.WorkBudget` and spends it; the others walk the files once
and are listed through :func:`walk_only`.  Each check run gets a budget of its own, and one that
runs out is stopped and reported as a ``work-budget`` error where it had got to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from redress.findings import Finding
from redress.policy.checks import deadlines, files, logic, reach, references, stages, versions
from redress.policy.checks.budget import DEFAULT_WORK_BUDGET, WorkBudget, WorkBudgetSpent
from redress.policy.policyset import LoadedPolicies

Check = Callable[[LoadedPolicies, WorkBudget], Iterator[Finding]]


def walk_only(check: Callable[[LoadedPolicies], Iterator[Finding]]) -> Check:
    """A check whose work is bounded by the size of the files: it needs no budget."""
    def run(loaded: LoadedPolicies, budget: WorkBudget) -> Iterator[Finding]:
        return check(loaded)
    return run


CHECKS: Mapping[str, Check] = {
    "duplicate-id": walk_only(references.duplicate_ids),
    "unknown-stage": walk_only(references.unknown_stages),
    "unknown-entitlement": walk_only(references.unknown_entitlements),
    "unknown-source": walk_only(references.unknown_sources),
    "unknown-procedure": walk_only(references.unknown_procedures),
    "unknown-reading": walk_only(references.unknown_readings),
    "unknown-anchor": walk_only(deadlines.unknown_anchors),
    "anchor-event": walk_only(deadlines.anchor_events),
    "unknown-calendar": walk_only(deadlines.unknown_calendars),
    "no-calendar": walk_only(deadlines.missing_calendars),
    "extension-shorter": walk_only(deadlines.extension_shorter),  # also extension-without-base
    "period-too-long": walk_only(deadlines.periods_too_long),
    "stage-order": walk_only(stages.stage_order),
    "unreachable-stage": walk_only(stages.unreachable_stages),
    "stage-no-way-out": walk_only(stages.stages_without_way_out),
    "version-dates": walk_only(versions.version_dates),
    "version-overlap": walk_only(versions.version_overlaps),
    "version-gap": walk_only(versions.version_gaps),
    "conditions": walk_only(logic.condition_problems),
    "never-true": logic.never_true,
    "routing-overlap": logic.routing_overlaps,
    "routing-gap": logic.routing_gaps,
    "missing-schema-comment": walk_only(files.schema_comments),
    "unreachable-policy": walk_only(reach.unreachable_policies),
}

# Ids reported by the loader and the schema step, then by the checks above.
LOADER_IDS = ("yaml-syntax", "yaml-duplicate-key", "yaml-alias", "yaml-merge-key", "yaml-tag",
              "yaml-key-type", "yaml-too-deep", "yaml-number", "file-too-large", "file-unreadable",
              "schema", "duplicate-id", "unknown-extends", "extends-cycle", "too-many-variants")
CONDITION_IDS = ("unknown-fact", "impossible-value", "operator-type", "condition-shape",
                 "condition-value", "condition-too-deep")
CHECK_IDS = (*LOADER_IDS, *(k for k in CHECKS if k != "conditions"), "extension-without-base",
             *CONDITION_IDS, "work-budget")


def run_checks(loaded: LoadedPolicies, only: Iterable[str] | None = None,
               work_budget: int = DEFAULT_WORK_BUDGET) -> list[Finding]:
    """Every finding of the checks in ``only`` (default: all), each reported once.

    Each check may spend ``work_budget`` steps; one that runs out keeps what it found so far and
    adds a ``work-budget`` error.
    """
    chosen = CHECKS if only is None else {k: CHECKS[k] for k in only}
    seen: dict[tuple[object, ...], Finding] = {}
    for check_id, check in chosen.items():
        for finding in _within_budget(check_id, check, loaded, WorkBudget(work_budget)):
            seen.setdefault((finding.check_id, finding.file, finding.pos, finding.message),
                            finding)
    return list(seen.values())


def _within_budget(check_id: str, check: Check, loaded: LoadedPolicies,
                   budget: WorkBudget) -> Iterator[Finding]:
    try:
        yield from check(loaded, budget)
    except WorkBudgetSpent:
        yield budget.finding(check_id)


__all__ = ["CHECKS", "CHECK_IDS", "Check", "run_checks", "walk_only"]

"""Semantic checks over a loaded policy set.

``CHECKS`` maps a check id to a generator function taking the
:class:`~redress.policy.policyset.LoadedPolicies` and yielding located findings.  Some functions report
under more than one id (``conditions`` passes on the ids of ``redress.policy.conditions``:
``unknown-fact``, ``impossible-value``, ``operator-type``, ``condition-shape``,
``condition-value``); :data:`CHECK_IDS` lists every id any check can report.

Checks look only at schema-valid policies and rule files, so they can trust shapes; they report
each problem at the file and line that wrote the value (for ``extends`` and ``versions``, the
overlay that wrote it).  Adding a check is one function and one row here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from redress.findings import Finding
from redress.policy.checks import deadlines, files, logic, reach, references, stages, versions
from redress.policy.policyset import LoadedPolicies

Check = Callable[[LoadedPolicies], Iterator[Finding]]

CHECKS: Mapping[str, Check] = {
    "duplicate-id": references.duplicate_ids,
    "unknown-stage": references.unknown_stages,
    "unknown-entitlement": references.unknown_entitlements,
    "unknown-source": references.unknown_sources,
    "unknown-procedure": references.unknown_procedures,
    "unknown-reading": references.unknown_readings,
    "unknown-anchor": deadlines.unknown_anchors,
    "anchor-event": deadlines.anchor_events,
    "unknown-calendar": deadlines.unknown_calendars,
    "no-calendar": deadlines.missing_calendars,
    "extension-shorter": deadlines.extension_shorter,  # also extension-without-base
    "period-too-long": deadlines.periods_too_long,
    "stage-order": stages.stage_order,
    "unreachable-stage": stages.unreachable_stages,
    "stage-no-way-out": stages.stages_without_way_out,
    "version-dates": versions.version_dates,
    "version-overlap": versions.version_overlaps,
    "version-gap": versions.version_gaps,
    "conditions": logic.condition_problems,
    "never-true": logic.never_true,
    "routing-overlap": logic.routing_overlaps,
    "routing-gap": logic.routing_gaps,
    "missing-schema-comment": files.schema_comments,
    "unreachable-policy": reach.unreachable_policies,
}

# Ids reported by the loader and the schema step, then by the checks above.
LOADER_IDS = ("yaml-syntax", "yaml-duplicate-key", "yaml-alias", "yaml-merge-key", "yaml-tag",
              "yaml-key-type", "yaml-too-deep", "yaml-number", "file-too-large", "file-unreadable",
              "schema", "duplicate-id", "unknown-extends", "extends-cycle")
CONDITION_IDS = ("unknown-fact", "impossible-value", "operator-type", "condition-shape",
                 "condition-value")
CHECK_IDS = (*LOADER_IDS, *(k for k in CHECKS if k != "conditions"), "extension-without-base",
             *CONDITION_IDS)


def run_checks(loaded: LoadedPolicies, only: Iterable[str] | None = None) -> list[Finding]:
    """Every finding of the checks in ``only`` (default: all), each reported once."""
    chosen = CHECKS if only is None else {k: CHECKS[k] for k in only}
    seen: dict[tuple[object, ...], Finding] = {}
    for check in chosen.values():
        for finding in check(loaded):
            seen.setdefault((finding.check_id, finding.file, finding.pos, finding.message),
                            finding)
    return list(seen.values())


__all__ = ["CHECKS", "CHECK_IDS", "Check", "run_checks"]

"""The shape of a procedure: stages in order, each reachable, each with a way on.

A case enters at the first stage and moves on only through ``next``; the last local stage is
the only one without ``next`` (after it the case goes to the Ombudsman).
"""

from __future__ import annotations

from collections.abc import Iterator

from redress.findings import Finding
from redress.policy.checks._util import mapping, stages, variants
from redress.policy.policyset import LoadedPolicies

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth")


def stage_order(loaded: LoadedPolicies) -> Iterator[Finding]:
    """Stages must be named ``stage1``, ``stage2``, … in the order they are written."""
    for resolved in variants(loaded):
        for i, stage_id, _ in stages(resolved.data):
            expected = f"stage{i + 1}"
            if stage_id != expected:
                position = ORDINALS[i] if i < len(ORDINALS) else f"number {i + 1}"
                yield resolved.locate(Finding(
                    "stage-order",
                    f"stage '{stage_id}' is written {position}, so it must be called "
                    f"'{expected}' (stages are stage1, stage2, … in order)",
                    ("stages", stage_id)))


def unreachable_stages(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A stage that no chain of ``next`` from the first stage reaches."""
    for resolved in variants(loaded):
        order = [stage_id for _, stage_id, _ in stages(resolved.data)]
        if not order:
            continue
        reached = {order[0]}
        current: str | None = order[0]
        while current is not None:
            nxt = mapping(mapping(mapping(resolved.data["stages"]).get(current)).get("next"))
            target = nxt.get("stage")
            current = target if isinstance(target, str) and target not in reached \
                and target in order else None
            if current is not None:
                reached.add(current)
        for stage_id in order:
            if stage_id not in reached:
                yield resolved.locate(Finding(
                    "unreachable-stage",
                    f"stage '{stage_id}' can never be reached: no stage before it goes next to "
                    "it", ("stages", stage_id)))


def stages_without_way_out(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A stage other than the last without ``next``, or whose ``next`` goes back or to itself."""
    for resolved in variants(loaded):
        order = [stage_id for _, stage_id, _ in stages(resolved.data)]
        for i, stage_id, stage in stages(resolved.data):
            target = mapping(stage.get("next")).get("stage")
            if target is None and i < len(order) - 1:
                yield resolved.locate(Finding(
                    "stage-no-way-out",
                    f"stage '{stage_id}' has no next stage, but '{order[i + 1]}' follows it "
                    "(only the last stage may leave out next)", ("stages", stage_id)))
            elif target == stage_id:
                yield resolved.locate(Finding(
                    "stage-no-way-out", f"stage '{stage_id}' goes next to itself",
                    ("stages", stage_id, "next", "stage")))
            elif isinstance(target, str) and target in order[:i]:
                yield resolved.locate(Finding(
                    "stage-no-way-out",
                    f"stage '{stage_id}' goes next back to the earlier stage '{target}', so a "
                    "case could go round for ever", ("stages", stage_id, "next", "stage")))

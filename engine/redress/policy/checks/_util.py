"""Small helpers shared by the check modules: walking merged policies and rule files."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from redress.findings import Finding, Path
from redress.policy.policyset import LoadedPolicies, Resolved, SourceFile


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one (checks never trust shapes blindly)."""
    return value if isinstance(value, Mapping) else {}


def variants(loaded: LoadedPolicies) -> Iterator[Resolved]:
    """Every schema-valid policy's versions, and each version under each reading."""
    for policy in loaded.valid_policies():
        yield from policy.variants()


def all_variants(loaded: LoadedPolicies) -> Iterator[Resolved]:
    """Like :func:`variants` but including policies with schema errors: what a reference may
    point at (so one broken policy does not make every reference to it look wrong)."""
    for policy in loaded.policies.values():
        yield from policy.variants()


def stage_ids(data: Mapping[str, Any]) -> list[str]:
    return list(mapping(data.get("stages")))


def stages(data: Mapping[str, Any]) -> Iterator[tuple[int, str, Mapping[str, Any]]]:
    """``(index, stage id, stage)`` in the order written."""
    for i, (stage_id, stage) in enumerate(mapping(data.get("stages")).items()):
        yield i, str(stage_id), mapping(stage)


def deadlines(stage: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for kind, deadline in mapping(stage.get("deadlines")).items():
        yield str(kind), mapping(deadline)


def rules_of(source: SourceFile) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """``(index, rule)`` for each rule of a rule file."""
    rules = mapping(source.data).get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, Mapping):
            yield i, rule


def in_file(source: SourceFile, finding: Finding) -> Finding:
    """A finding about a rule file, located in it."""
    return source.document.locate(finding)


def walk(node: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every ``(path, value)`` of a merged policy, skipping the partial texts (``versions`` and
    readings' ``overrides``), which are checked once merged."""
    yield path, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            if (key == "versions" and not path) or key == "overrides":
                continue
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, i))


def periods(data: Mapping[str, Any]) -> Iterator[tuple[Path, Mapping[str, Any], str]]:
    """Every element with a ``period`` (deadline, window, time limit) and the words for it."""
    for _, stage_id, stage in stages(data):
        for kind, deadline in deadlines(stage):
            yield ("stages", stage_id, "deadlines", kind), deadline, \
                f"stage '{stage_id}' deadline '{kind}'"
        window = mapping(mapping(stage.get("next")).get("window"))
        if window:
            yield ("stages", stage_id, "next", "window"), window, f"stage '{stage_id}' window"
    if mapping(data.get("time_limit")):
        yield ("time_limit",), mapping(data.get("time_limit")), "the time limit"
    ombudsman_limit = mapping(mapping(data.get("ombudsman")).get("time_limit"))
    if ombudsman_limit:
        yield ("ombudsman", "time_limit"), ombudsman_limit, "the Ombudsman time limit"

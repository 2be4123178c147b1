"""References between ids: duplicate ids, and names that point at nothing.

Every reference is checked against what the policy set actually defines, with a
"did you mean …?" hint for near misses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from redress.findings import Finding, Path, did_you_mean
from redress.policy.checks._util import (
    all_variants,
    in_file,
    mapping,
    rules_of,
    stage_ids,
    stages,
    variants,
    walk,
)
from redress.policy.loader import Document
from redress.policy.policyset import LoadedPolicies, place


def duplicate_ids(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A rule id used twice across the rule files, or a version id used twice in a policy.

    (A policy id used twice is reported by the loader, which must choose one.)
    """
    first: dict[str, tuple[Document, Path]] = {}
    for source in loaded.valid_rule_files():
        for i, rule in rules_of(source):
            rule_id = str(rule.get("id"))
            if rule_id in first:
                where = place(*first[rule_id], source.document)
                yield in_file(source, Finding(
                    "duplicate-id", f"rule id '{rule_id}' is already used {where}",
                    ("rules", i, "id")))
            else:
                first[rule_id] = (source.document, ("rules", i, "id"))
    for policy in loaded.valid_policies():
        seen: set[str] = set()
        for i, entry in enumerate(policy.version_entries):
            version_id = str(entry.get("id"))
            if version_id in seen:
                yield policy.base.locate(Finding(
                    "duplicate-id",
                    f"version id '{version_id}' is used twice in policy '{policy.id}'",
                    ("versions", i, "id")))
            seen.add(version_id)


def unknown_stages(loaded: LoadedPolicies) -> Iterator[Finding]:
    """``next.stage`` and entitlement ``stages`` naming a stage the policy does not have;
    an entitlements rule's ``stage`` that no policy defining the entitlement has."""
    for resolved in variants(loaded):
        data = resolved.data
        known = stage_ids(data)
        for _, stage_id, stage in stages(data):
            target = mapping(stage.get("next")).get("stage")
            if isinstance(target, str) and target not in known:
                yield resolved.locate(Finding(
                    "unknown-stage",
                    f"stage '{stage_id}' goes next to '{target}', which policy "
                    f"'{resolved.policy_id}' does not have",
                    ("stages", stage_id, "next", "stage"),
                    hint=did_you_mean(target, [k for k in known if k != stage_id])))
        for ent_id, entitlement in mapping(data.get("entitlements")).items():
            listed = mapping(entitlement).get("stages")
            for i, stage_id in enumerate(listed if isinstance(listed, list) else []):
                if stage_id not in known:
                    yield resolved.locate(Finding(
                        "unknown-stage",
                        f"entitlement '{ent_id}' names stage '{stage_id}', which policy "
                        f"'{resolved.policy_id}' does not have", ("entitlements", ent_id, "stages", i),
                        hint=did_you_mean(str(stage_id), known)))
    yield from _rule_stages(loaded)


def _rule_stages(loaded: LoadedPolicies) -> Iterator[Finding]:
    stages_by_entitlement = _entitlement_stages(loaded)
    for source in loaded.valid_rule_files():
        if source.data.get("ruleset") != "entitlements":
            continue
        for i, rule in rules_of(source):
            then = mapping(rule.get("then"))
            stage_id, ent_id = then.get("stage"), then.get("entitlement")
            known = stages_by_entitlement.get(str(ent_id))
            if isinstance(stage_id, str) and known is not None and stage_id not in known:
                yield in_file(source, Finding(
                    "unknown-stage",
                    f"rule '{rule.get('id')}' gives '{ent_id}' at stage '{stage_id}', but no "
                    f"policy defining '{ent_id}' has that stage", ("rules", i, "then", "stage"),
                    hint=did_you_mean(stage_id, sorted(known))))


def _entitlement_stages(loaded: LoadedPolicies) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for resolved in all_variants(loaded):
        for ent_id in mapping(resolved.data.get("entitlements")):
            out.setdefault(str(ent_id), set()).update(stage_ids(resolved.data))
    return out


def unknown_entitlements(loaded: LoadedPolicies) -> Iterator[Finding]:
    """An entitlements rule concluding an entitlement that no policy defines."""
    defined = sorted(_entitlement_stages(loaded))
    known = set(defined)
    for source in loaded.valid_rule_files():
        if source.data.get("ruleset") != "entitlements":
            continue
        for i, rule in rules_of(source):
            ent_id = mapping(rule.get("then")).get("entitlement")
            if isinstance(ent_id, str) and ent_id not in known:
                yield in_file(source, Finding(
                    "unknown-entitlement",
                    f"rule '{rule.get('id')}' concludes entitlement '{ent_id}', which no policy "
                    "defines", ("rules", i, "then", "entitlement"),
                    hint=did_you_mean(ent_id, defined)))


def unknown_sources(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A citation naming a source that is not in its file's ``sources``."""
    for resolved in variants(loaded):
        sources = list(mapping(resolved.data.get("sources")))
        for path, value in walk(resolved.data):
            if path and path[-1] == "citation":
                yield from (resolved.locate(f) for f in _citation(value, sources, path))
    for source in loaded.valid_rule_files():
        names = list(mapping(source.data.get("sources")))
        for i, rule in rules_of(source):
            path = ("rules", i, "citation")
            yield from (in_file(source, f) for f in _citation(rule.get("citation"), names, path))


def _citation(citation: Any, sources: list[str], path: tuple[str | int, ...]) -> Iterator[Finding]:
    name = mapping(citation).get("source")
    if isinstance(name, str) and name not in sources:
        yield Finding("unknown-source", f"citation names unknown source '{name}'",
                      (*path, "source"), hint=did_you_mean(name, sources))


def unknown_procedures(loaded: LoadedPolicies) -> Iterator[Finding]:
    """An exclusion's ``goes_to`` or a routing rule's ``procedure`` naming no policy.

    Routing to a template is allowed: the engine then prefers a local policy extending it.
    """
    for resolved in variants(loaded):
        for excl_id, exclusion in mapping(resolved.data.get("exclusions")).items():
            target = mapping(exclusion).get("goes_to")
            if isinstance(target, str):
                finding = _procedure(loaded, target, f"exclusion '{excl_id}' goes to",
                                     ("exclusions", excl_id, "goes_to"))
                if finding is not None:
                    yield resolved.locate(finding)
    for source in loaded.valid_rule_files():
        if source.data.get("ruleset") != "routing":
            continue
        for i, rule in rules_of(source):
            target = mapping(rule.get("then")).get("procedure")
            if isinstance(target, str):
                finding = _procedure(loaded, target, f"rule '{rule.get('id')}' routes to",
                                     ("rules", i, "then", "procedure"))
                if finding is not None:
                    yield in_file(source, finding)


def _procedure(loaded: LoadedPolicies, target: str, subject: str,
               path: tuple[str | int, ...]) -> Finding | None:
    if target in loaded.policy_ids:
        return None
    return Finding("unknown-procedure", f"{subject} unknown procedure '{target}'", path,
                   hint=did_you_mean(target, sorted(loaded.policy_ids)))


def unknown_readings(loaded: LoadedPolicies) -> Iterator[Finding]:
    """An ambiguity whose ``default`` is not one of its readings: a policy's ``ambiguities``
    entry, or a flag rule's conclusion (``then: {flag, readings, default}``)."""
    yield from _flag_readings(loaded)
    for resolved in variants(loaded):
        for amb_id, ambiguity in mapping(resolved.data.get("ambiguities")).items():
            default = mapping(ambiguity).get("default")
            readings = list(mapping(mapping(ambiguity).get("readings")))
            if isinstance(default, str) and default not in readings:
                yield resolved.locate(Finding(
                    "unknown-reading",
                    f"ambiguity '{amb_id}' defaults to '{default}', which is not one of its "
                    f"readings ({', '.join(readings)})", ("ambiguities", amb_id, "default"),
                    hint=did_you_mean(default, readings)))



def _flag_readings(loaded: LoadedPolicies) -> Iterator[Finding]:
    # The schema makes readings and default come together but cannot tie one to the other.
    for source in loaded.valid_rule_files():
        for i, rule in rules_of(source):
            then = mapping(rule.get("then"))
            default, readings = then.get("default"), list(mapping(then.get("readings")))
            if isinstance(default, str) and readings and default not in readings:
                yield in_file(source, Finding(
                    "unknown-reading",
                    f"rule '{rule.get('id')}' flags '{then.get('flag')}' with default "
                    f"'{default}', which is not one of its readings ({', '.join(readings)})",
                    ("rules", i, "then", "default"), hint=did_you_mean(default, readings)))

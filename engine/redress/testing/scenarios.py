"""Loading scenario files and comparing a result with a scenario's expectations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redress.errors import CaseError, RedressError
from redress.evaluation.evaluate import Engine
from redress.evaluation.result import Result
from redress.findings import Finding, SourcePos
from redress.policy.loader import Document, read_document

EXPECT_KEYS = ("procedure", "no_procedure", "stage", "status", "deadlines", "entitlements",
               "routing", "flags", "error")
SCENARIO_KEYS = ("name", "tags", "as_of", "case", "expect", "note")


@dataclass(frozen=True)
class Scenario:
    file: str
    index: int
    name: str
    tags: tuple[str, ...]
    as_of: dt.date
    case: Mapping[str, Any]
    expect: Mapping[str, Any]
    pos: SourcePos | None
    document: Document
    policies: tuple[Path, ...] = ()  # local policy files/folders the file asks to load
    note: str | None = None          # how the expected dates were worked out by hand

    @property
    def where(self) -> str:
        line = f":{self.pos.line}" if self.pos else ""
        return f"{self.file}{line}"

    def case_document(self) -> Document:
        """The case with positions mapped into the scenario file (errors name the real line)."""
        prefix = ("scenarios", self.index, "case")
        positions = {key[len(prefix):]: pos for key, pos in self.document.positions.items()
                     if key[:len(prefix)] == prefix}
        return Document(self.file, self.case, positions)


@dataclass(frozen=True)
class Mismatch:
    what: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.what}: expected {self.expected!r}, got {self.actual!r}"


@dataclass(frozen=True)
class Outcome:
    scenario: Scenario
    mismatches: tuple[Mismatch, ...]
    result: Result | None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return not self.mismatches and self.error is None


def scenario_files(paths: Sequence[str | Path]) -> list[Path]:
    """Every ``*.scenarios.yaml`` under the given files or folders, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(path.rglob("*.scenarios.yaml")))
        else:
            found.append(path)
    return found


def load_scenario_file(path: str | Path) -> tuple[list[Scenario], list[Finding]]:
    """The scenarios of one file, or findings that say what is wrong with it (with lines)."""
    doc, findings = read_document(path)
    if doc is None:
        return [], findings
    data = doc.data
    if not isinstance(data, Mapping) or not isinstance(data.get("scenarios"), list):
        return [], [doc.locate(Finding("scenario-file", "a scenario file needs a 'scenarios' list"))]
    policies, problems = _local_policies(Path(path), data.get("policies"))
    findings.extend(doc.locate(p) for p in problems)
    scenarios: list[Scenario] = []
    for i, raw in enumerate(data["scenarios"]):
        problems = _scenario_problems(raw, i)
        if problems:
            findings.extend(doc.locate(p) for p in problems)
            continue
        scenarios.append(Scenario(
            file=str(path), index=i, name=str(raw["name"]), tags=tuple(raw.get("tags") or ()),
            as_of=dt.date.fromisoformat(raw["as_of"]), case=raw["case"],
            expect=raw.get("expect") or {}, pos=doc.pos(("scenarios", i)), document=doc,
            policies=policies, note=str(raw["note"]) if raw.get("note") else None))
    return scenarios, findings


def _local_policies(file: Path, raw: Any) -> tuple[tuple[Path, ...], list[Finding]]:
    """``policies:`` — local policy files or folders, relative to the scenario file."""
    if raw is None:
        return (), []
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        return (), [Finding("scenario-file", "'policies' must be a list of paths", ("policies",))]
    paths = tuple((file.parent / p).resolve() for p in raw)
    missing = [Finding("scenario-file", f"policies[{i}]: no such file or folder {raw[i]!r}",
                       ("policies", i)) for i, p in enumerate(paths) if not p.exists()]
    return (() if missing else paths), missing


def _scenario_problems(raw: Any, i: int) -> list[Finding]:
    at = ("scenarios", i)
    if not isinstance(raw, Mapping):
        return [Finding("scenario-shape", f"scenarios[{i}] must be a mapping", at)]
    problems = [Finding("scenario-shape", f"scenarios[{i}]: unknown key {k!r}", (*at, k))
                for k in raw if k not in SCENARIO_KEYS]
    for key in ("name", "as_of", "case"):
        if key not in raw:
            problems.append(Finding("scenario-shape", f"scenarios[{i}]: missing {key!r}", at))
    try:
        dt.date.fromisoformat(str(raw.get("as_of", "")))
    except ValueError:
        problems.append(Finding("scenario-shape",
                                f"scenarios[{i}].as_of: {raw.get('as_of')!r} is not a date",
                                (*at, "as_of")))
    if "note" in raw and not isinstance(raw["note"], str):
        problems.append(Finding("scenario-shape", f"scenarios[{i}].note must be text",
                                (*at, "note")))
    expect = raw.get("expect") or {}
    if not isinstance(expect, Mapping):
        problems.append(Finding("scenario-shape", f"scenarios[{i}].expect must be a mapping",
                                (*at, "expect")))
    else:
        problems.extend(Finding("scenario-shape", f"scenarios[{i}].expect: unknown key {k!r}",
                                (*at, "expect", k)) for k in expect if k not in EXPECT_KEYS)
    return problems


def run_scenario(engine: Engine, scenario: Scenario) -> Outcome:
    """Evaluate the scenario's case and compare with its expectations."""
    try:
        result = engine.evaluate(scenario.case_document(), as_of=scenario.as_of)
    except CaseError as exc:
        expected_error = scenario.expect.get("error")
        text = "\n".join(f.render() for f in exc.findings)
        if expected_error and str(expected_error) in text:
            return Outcome(scenario, (), None)
        return Outcome(scenario, (), None, error=f"invalid case:\n{text}")
    except RedressError as exc:
        return Outcome(scenario, (), None, error=str(exc))
    return Outcome(scenario, tuple(check_scenario(result, scenario.expect)), result)


def check_scenario(result: Result, expect: Mapping[str, Any]) -> list[Mismatch]:
    """Every way the result differs from the (partial) expectation."""
    actual = result.to_dict()
    out: list[Mismatch] = []
    if "error" in expect:
        out.append(Mismatch("error", expect["error"], "the case was valid"))
    if "procedure" in expect:
        got = actual["procedure"]["id"] if actual["procedure"] else None
        if got != expect["procedure"]:
            out.append(Mismatch("procedure", expect["procedure"], got))
    if "no_procedure" in expect:
        out.extend(_subset("no_procedure", expect["no_procedure"], actual["no_procedure"]))
    for key in ("stage", "status"):
        if key in expect and actual[key] != expect[key]:
            out.append(Mismatch(key, expect[key], actual[key]))
    for wanted in expect.get("deadlines") or ():
        out.extend(_deadline(wanted, actual["deadlines"]))
    if "entitlements" in expect:
        got_ids = sorted(e["id"] for e in actual["entitlements"])
        if got_ids != sorted(expect["entitlements"] or ()):
            out.append(Mismatch("entitlements", sorted(expect["entitlements"] or ()), got_ids))
    if "routing" in expect:
        out.extend(_routing(expect["routing"], actual["routing"]))
    for flag in expect.get("flags") or ():
        if not any(f["id"] == flag or f["id"].startswith(f"{flag}:") or f["id"].startswith(flag)
                   for f in actual["flags"]):
            out.append(Mismatch("flags", flag, [f["id"] for f in actual["flags"]]))
    return out


def _subset(what: str, expected: Any, actual: Any) -> list[Mismatch]:
    if not isinstance(expected, Mapping):
        return [] if expected == actual else [Mismatch(what, expected, actual)]
    if not isinstance(actual, Mapping):
        return [Mismatch(what, expected, actual)]
    return [Mismatch(f"{what}.{k}", v, actual.get(k)) for k, v in expected.items()
            if _norm(actual.get(k)) != _norm(v)]


def _norm(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _deadline(wanted: Mapping[str, Any], deadlines: Iterable[Mapping[str, Any]]) -> list[Mismatch]:
    stage, kind = wanted.get("stage"), wanted.get("kind")
    found = [d for d in deadlines if d["stage"] == stage and d["kind"] == kind]
    label = f"deadline {stage}.{kind}"
    if not found:
        if wanted.get("absent"):
            return []
        return [Mismatch(label, "present", "absent")]
    if wanted.get("absent"):
        return [Mismatch(label, "absent", found[0]["due"])]
    got = found[0]
    out = []
    for key, value in wanted.items():
        if key in ("stage", "kind", "absent"):
            continue
        have = got.get(key) if key != "anchor" else got["anchor"]
        if key == "flags":
            missing = [f for f in value if f not in got["flags"]]
            if missing:
                out.append(Mismatch(f"{label}.flags", value, got["flags"]))
        elif _norm(have) != _norm(value):
            out.append(Mismatch(f"{label}.{key}", value, have))
    return out


def _routing(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Mismatch]:
    omb = actual.get("ombudsman") or {}
    flat = {**actual, "ombudsman": omb.get("body"), "ready": omb.get("ready")}
    out = []
    for key, value in expected.items():
        have = flat.get(key)
        if isinstance(value, list) and isinstance(have, list):
            ok = sorted(value) == sorted(have)
        else:
            ok = _norm(have) == _norm(value)
        if not ok:
            out.append(Mismatch(f"routing.{key}", value, have))
    return out

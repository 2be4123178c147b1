"""pytest plugin: collect ``*.scenarios.yaml`` files as tests, one item per scenario.

Each scenario runs through BOTH rule backends when durable-rules is installed and fails on any
difference between them (the plain-Python evaluator is the oracle), then on any mismatch with
its expectations.  A scenario file that cannot be read or has malformed scenarios becomes one
failing item that quotes the file and line — never a crashed run.

Enable with ``pytest_plugins = ["redress.testing.plugin"]`` in a ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from redress.evaluation.backends import durable_available
from redress.evaluation.evaluate import Engine
from redress.findings import Finding
from redress.testing.scenarios import Scenario, load_scenario_file, run_scenario

_ENGINES = pytest.StashKey[dict[tuple[str, tuple[Path, ...]], Engine]]()


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(".scenarios.yaml"):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def _engine(config: pytest.Config, backend: str, policies: tuple[Path, ...] = ()) -> Engine:
    engines = config.stash.setdefault(_ENGINES, {})
    key = (backend, policies)
    if key not in engines:
        engines[key] = Engine.load(policies, backend=backend)
    return engines[key]


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        scenarios, findings = load_scenario_file(self.path)
        if findings:
            yield BrokenScenarioFile.from_parent(self, name="<invalid scenario file>",
                                                 findings=findings)
        for scenario in scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)


class BrokenScenarioFile(pytest.Item):
    def __init__(self, *, findings: list[Finding], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.findings = findings

    def runtest(self) -> None:
        raise ScenarioFailure("\n".join(f.render() for f in self.findings))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "invalid scenario file"


class ScenarioFailure(Exception):
    """A scenario did not give what it expected (or the backends disagreed)."""


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        for tag in scenario.tags:
            marker = tag.replace("-", "_")
            # Scenario tags become markers (pytest -m easter); registered here for --strict-markers.
            self.config.addinivalue_line("markers", f"{marker}: scenario tag {tag}")
            self.add_marker(marker)

    def runtest(self) -> None:
        local = self.scenario.policies
        outcome = run_scenario(_engine(self.config, "plain", local), self.scenario)
        problems: list[str] = []
        if durable_available():
            durable = run_scenario(_engine(self.config, "durable", local), self.scenario)
            plain_dict = _comparable(outcome)
            durable_dict = _comparable(durable)
            if plain_dict != durable_dict:
                problems.append("durable-rules and the plain evaluator disagree:\n"
                                f"  plain:   {plain_dict}\n  durable: {durable_dict}")
        if outcome.error:
            problems.append(outcome.error)
        problems.extend(str(m) for m in outcome.mismatches)
        if problems:
            raise ScenarioFailure("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            return f"{self.scenario.where}: scenario {self.scenario.name!r} failed:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        line = self.scenario.pos.line - 1 if self.scenario.pos else 0
        return self.path, line, f"scenario: {self.scenario.name}"


def _comparable(outcome: Any) -> Any:
    if outcome.result is None:
        return outcome.error
    data = outcome.result.to_dict()
    data["audit"].pop("backend", None)
    return data


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scenario: a YAML scenario test")

"""CI holds the bundled policies at 100% provision coverage of deadlines and entitlements.

Runs ``redress test --coverage`` over every bundled scenario file (and the example local
policy's scenarios), exactly as an officer would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.cli import main

ROOT = Path(__file__).parents[2]


def test_bundled_scenarios_cover_every_deadline_and_entitlement(
        capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["test", "-q", "--coverage", "--fail-under", "100",
                   str(ROOT / "tests" / "scenarios")])
    out = capsys.readouterr().out
    assert "deadlines and entitlements: 100.0%" in out, out
    assert status == 0, out


def test_the_example_local_policy_scenarios_pass(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["test", str(ROOT / "examples" / "exampleshire-corporate.scenarios.yaml")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "3 passed, 0 failed" in out

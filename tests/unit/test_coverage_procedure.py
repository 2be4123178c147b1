"""``redress test --coverage --procedure ID``: an unknown id is an error, and a local policy's
own provisions are measured (not an empty 0/0 reported as 100%)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.cli import main

REPO = Path(__file__).resolve().parent.parent.parent
SCENARIOS = "examples/exampleshire-corporate.scenarios.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_an_unknown_procedure_is_a_usage_error_with_a_suggestion(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["test", SCENARIOS, "-q", "--backend", "plain", "--coverage",
                 "--procedure", "council-corprate"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--procedure council-corprate: no such procedure (did you mean 'council-corporate'?)" \
        in err


def test_a_local_policy_id_measures_that_policy_s_deadlines(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["test", SCENARIOS, "-q", "--backend", "plain", "--coverage",
          "--procedure", "exampleshire-corporate", "--fail-under", "0"])
    out = capsys.readouterr().out
    done, total = next(line.split()[1] for line in out.splitlines()
                       if line.strip().startswith("deadlines ")).split("/")
    assert int(total) > 0 and 0 < int(done) <= int(total)


def _not_exercised_rules(out: str) -> list[str]:
    return [line.split("rules: ", 1)[1] for line in out.splitlines()
            if line.strip().startswith("not exercised: rule")]


def test_only_the_rules_that_can_fire_for_the_procedure_are_measured(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: every rule of every procedure (77 of them) was listed as not exercised.
    main(["test", SCENARIOS, "-q", "--backend", "plain", "--coverage",
          "--procedure", "exampleshire-corporate", "--fail-under", "0"])
    missing = _not_exercised_rules(capsys.readouterr().out)
    assert "status-in-progress" in missing  # a status rule any procedure can reach
    assert "ombudsman-corporate-complete" in missing  # the corporate route to the LGSCO
    others = [r for r in missing if r.startswith(("route-children", "route-adult", "wales-",
                                                  "nipso", "spso", "ombudsman-self-funded"))]
    assert others == []
    assert len(missing) < 25


def test_a_bundled_procedure_s_scenarios_cover_its_own_rules(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["test", "tests/scenarios/children-act-1989.scenarios.yaml", "-q", "--backend",
                 "plain", "--coverage", "--procedure", "children-act-1989"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert all(not r.startswith(("route-council", "wales-", "nipso")) for r in
               _not_exercised_rules(out))

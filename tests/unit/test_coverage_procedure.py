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

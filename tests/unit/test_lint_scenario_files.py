"""``redress lint`` on a scenario file, and the one-line summary it prints on success."""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.cli import main

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_a_bundled_scenario_file_lints_clean_as_a_scenario_file(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lint", "tests/scenarios/council-corporate.scenarios.yaml"])
    out, err = capsys.readouterr()
    assert (code, out) == (0, "")
    assert "checked 1 scenario file: no problems found" in err


def test_a_broken_scenario_file_is_reported_at_its_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.scenarios.yaml"
    path.write_text(
        "scenarios:\n"
        "  - name: late response\n"
        "    as_of: 2025-01-31\n"
        "    case:\n"
        "      id: A-1\n"
        "      nation: england\n"
        "      received: 2025-02-30\n"
        "      events: []\n"
        "  - name: meant to be refused\n"
        "    as_of: 2025-01-31\n"
        "    case: {id: A-2}\n"
        "    expect: {error: nation}\n", encoding="utf-8")
    code = main(["lint", str(path)])
    out, _ = capsys.readouterr()
    assert code == 1
    assert f"{path}:7:7: error: received: '2025-02-30' is not a real date" in out
    assert ":11:" not in out  # a case the scenario expects to be refused is not a problem
    assert "missing 'bodies' in the policy" not in out


def test_lint_says_what_it_checked_when_all_is_well(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lint", "examples/local-policies"])
    out, err = capsys.readouterr()
    assert (code, out) == (0, "")
    assert err.startswith("redress lint: checked ")
    assert "policy and rule files against" in err and err.rstrip().endswith("no problems found")


def test_the_summary_counts_errors_and_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "tests/lint/schema"])
    _, err = capsys.readouterr()
    assert err.rstrip().endswith(": 1 error, 0 warnings")


def test_json_output_has_no_summary(capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "examples/local-policies", "--format", "json"])
    out, err = capsys.readouterr()
    assert (out, err) == ("[]\n", "")

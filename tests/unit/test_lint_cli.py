"""``redress lint``: output formats, exit codes, select/ignore and the bundled files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redress.cli import main
from redress.policy.lint import Decision, LintRecord, decide, display_name, exit_code, lint

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "lint"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_the_bundled_policies_and_rules_lint_without_errors(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([], capsys)
    assert ": error: " not in out
    assert code == 0


def test_the_example_local_policy_lints_cleanly_over_the_bundled_ones(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["examples/local-policies"], capsys)
    assert (code, out) == (0, "")


def test_an_error_finding_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["tests/lint/schema"], capsys)
    assert code == 1
    assert out.startswith("tests/lint/schema/bad.yaml:16:7: error: unknown key 'respnd'")


def test_warnings_alone_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["tests/lint/missing-schema-comment"], capsys)
    assert code == 0
    assert ": warning: " in out


def test_a_path_that_does_not_exist_exits_2_with_a_message(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["no/such/folder"], capsys)
    assert (code, out) == (2, "")
    assert "no such file or folder: no/such/folder" in err


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--format", "xml"], capsys)[0] == 2


def test_json_output_lists_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--format", "json", "tests/lint/schema"], capsys)
    assert code == 1
    assert json.loads(out) == [{
        "file": "tests/lint/schema/bad.yaml", "line": 16, "col": 7, "severity": "error",
        "check_id": "schema",
        "message": "unknown key 'respnd' in stage 'stage1' deadlines",
        "hint": "did you mean 'respond'?"}]


def test_json_output_is_an_empty_list_when_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--format", "json", "examples/local-policies"], capsys)
    assert (code, json.loads(out)) == (0, [])


def test_github_output_is_a_workflow_annotation(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["--format", "github", "tests/lint/schema"], capsys)
    assert out == ("::error file=tests/lint/schema/bad.yaml,line=16,col=7,"
                   "title=redress lint [schema]::unknown key 'respnd' in stage 'stage1' "
                   "deadlines (did you mean 'respond'?)\n")


def test_github_output_escapes_what_the_workflow_syntax_reserves(
        capsys: pytest.CaptureFixture[str]) -> None:
    from redress.cli.lint import format_github

    record = LintRecord("a,b:c.yaml", 1, 2, "schema", "warning", "50% done\nnext")
    assert format_github([record]) == (
        "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=redress lint [schema]::"
        "50%25 done%0Anext\n")


def test_ignore_drops_findings_by_check_id_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--ignore", "sche", "tests/lint/schema"], capsys)
    assert (code, out) == (0, "")


def test_select_keeps_only_findings_with_a_chosen_prefix(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--select", "unreachable-st", "tests/lint/unknown-stage--from-a-version"],
                       capsys)
    assert code == 1
    assert [line.rsplit(" ", 1)[-1] for line in out.splitlines()] == ["[unreachable-stage]"]


@pytest.mark.parametrize(("check_id", "select", "ignore", "decision"), [
    ("schema", [], [], Decision.SELECTED),
    ("schema", [], ["sch"], Decision.IGNORED),
    ("unknown-stage", ["unknown"], [], Decision.SELECTED),
    ("never-true", ["unknown"], [], Decision.IGNORED),
    ("unknown-stage", ["unknown"], ["unknown-stage"], Decision.IGNORED),
    ("unknown-stage", ["unknown-stage"], ["unknown"], Decision.SELECTED),
])
def test_the_longest_matching_prefix_decides(check_id: str, select: list[str],
                                             ignore: list[str], decision: Decision) -> None:
    assert decide(check_id, select, ignore) is decision


def test_records_are_sorted_by_file_line_and_column() -> None:
    records = lint(["tests/lint/never-true", "tests/lint/anchor-event"],
                   ignore=["unreachable-policy"])
    assert records == sorted(records, key=lambda r: (r.file, r.line, r.col))
    assert len(records) == 5


def test_file_names_are_shown_relative_to_the_working_folder(tmp_path: Path) -> None:
    assert display_name(str(REPO / "policies" / "x.yaml"), REPO) == "policies/x.yaml"
    assert display_name(str(tmp_path / "x.yaml"), REPO) == (tmp_path / "x.yaml").as_posix()


def test_an_unreadable_file_is_an_io_error() -> None:
    record = LintRecord("x.yaml", 1, 1, "file-unreadable", "error", "cannot read file")
    assert exit_code([record]) == 2


def test_a_local_policy_outside_the_repository_is_checked_over_the_bundled_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local = tmp_path / "my-council.yaml"
    local.write_text(
        "# yaml-language-server: $schema=https://redress.example/schemas/policy.schema.json\n"
        "id: my-council\nkind: local\nextends: council-corporate\norganisations: [my-council]\n"
        "stages:\n  stage1:\n    deadlines:\n      respond: {period: {working_days: 0}}\n")
    code, out, _ = run([str(local)], capsys)
    assert code == 1
    assert out == (f"{local.as_posix()}:9:26: error: stage 'stage1' deadline 'respond' period "
                   "working_days must be at least 1, not 0 [schema]\n")

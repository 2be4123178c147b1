"""Lint's work is bounded (issue 19 item 4): the searching checks spend a work budget and stop
with a finding when it runs out, routing rules are paired only when they could meet, conditions
nest at most MAX_CONDITION_DEPTH levels, and neither lint nor loading can hit a RecursionError.

Budgets and depths are made small here; nothing is timed.  The hostile files come from
``hostile_rules``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_rules import disjoint_by_age, disjoint_inside_any, nested_not, pinned_apart, wide_all

from redress import Engine
from redress.cli import main
from redress.errors import PolicyError
from redress.findings import MAX_HINT_CHOICES, did_you_mean
from redress.policy import conditions, policyset
from redress.policy.checks import CHECKS, run_checks
from redress.policy.checks.budget import DEFAULT_WORK_BUDGET, WorkBudget
from redress.policy.checks.logic import _candidate_pairs, parsed_rules
from redress.policy.library import load_library
from redress.policy.lint import DocumentNameError, LintRecord, lint, lint_text
from redress.policy.policyset import load_policy_set

SEARCHING = ("never-true", "routing-overlap", "routing-gap")


def _folder(tmp_path: Path, text: str, name: str = "routing-local.yaml",
            folder_name: str = "local") -> Path:
    folder = tmp_path / folder_name
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _lint(folder: Path, tmp_path: Path, **options: int) -> list[LintRecord]:
    # The generated files' schema comments point at nothing; that warning is not the point here.
    return lint([folder], ignore=("missing-schema-comment",), cwd=tmp_path, **options)


def _ids(records: list[object]) -> list[str]:
    return [r.check_id for r in records]  # type: ignore[attr-defined]


def test_an_all_of_1500_tests_lints_and_loads_without_recursion_error(tmp_path: Path) -> None:
    folder = _folder(tmp_path, wide_all(1500))
    assert _ids(_lint(folder, tmp_path)) == []
    engine = Engine.load([folder], backend="plain")
    assert any(r.id == "hostile-0" for r in engine.library.rules)


def test_rules_that_never_meet_are_not_reported_as_overlapping_whatever_their_any_groups(
        tmp_path: Path) -> None:
    # Before: each pair gave up after 20,000 steps and was reported as a (false) overlap.
    folder = _folder(tmp_path, disjoint_by_age(8))
    assert _ids(_lint(folder, tmp_path)) == []


def test_a_check_that_spends_its_budget_stops_with_a_finding_at_the_rule_it_reached(
        tmp_path: Path) -> None:
    text = disjoint_inside_any(12)
    folder = _folder(tmp_path, text)
    records = _lint(folder, tmp_path, work_budget=20_000)
    [stopped] = [r for r in records if r.check_id == "work-budget"]
    assert stopped.severity == "error" and "'routing-overlap' check stopped" in stopped.message
    assert stopped.file == "local/routing-local.yaml"
    assert text.splitlines()[stopped.line - 1].strip() == "when:"
    assert "--work-budget" in (stopped.hint or "")


def test_the_loader_refuses_a_set_whose_checks_ran_out_of_budget(tmp_path: Path) -> None:
    folder = _folder(tmp_path, disjoint_inside_any(12))
    with pytest.raises(PolicyError) as caught:
        load_library([folder], work_budget=20_000)
    assert "work-budget" in {f.check_id for f in caught.value.findings}


def test_routing_rules_pinned_to_different_values_are_never_paired(tmp_path: Path) -> None:
    folder = _folder(tmp_path, pinned_apart(200))
    loaded, _ = load_policy_set([folder])
    local = [r for r in parsed_rules(loaded, "routing") if r.id.startswith("hostile-")]
    assert len(local) == 200
    assert list(_candidate_pairs(local, WorkBudget(10**6))) == []
    # All 19,900 pairs would need more than this budget; the buckets need a few thousand steps.
    assert _ids(_lint(folder, tmp_path, work_budget=15_000)) == []


def test_the_bundled_set_needs_under_one_percent_of_the_default_budget() -> None:
    loaded, _ = load_policy_set()
    findings = run_checks(loaded, only=SEARCHING, work_budget=DEFAULT_WORK_BUDGET // 100)
    assert "work-budget" not in {f.check_id for f in findings}
    assert set(SEARCHING) <= set(CHECKS)


def test_conditions_nested_past_the_limit_are_refused_by_lint_and_by_the_loader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conditions, "MAX_CONDITION_DEPTH", 4)
    text = nested_not(3)  # all > not > not > not > test: five levels
    folder = _folder(tmp_path, text)
    [record] = _lint(folder, tmp_path)
    assert record.check_id == "condition-too-deep" and record.severity == "error"
    line = text.splitlines()[record.line - 1]
    assert line[record.col - 1:] == "not: {fact: complaint.made_orally, equals: true}}}}"
    with pytest.raises(PolicyError) as caught:
        Engine.load([folder], backend="plain")
    assert [f.check_id for f in caught.value.findings] == ["condition-too-deep"]
    monkeypatch.setattr(conditions, "MAX_CONDITION_DEPTH", 5)
    assert _ids(_lint(_folder(tmp_path, nested_not(3), folder_name="again"), tmp_path)) == []


def _many_versions(count: int) -> str:
    lines = ["id: many", "title: Many", "kind: local", "extends: council-corporate",
             "organisations: [x]", "versions:"]
    lines += [f"  - {{id: v{i}, effective_from: {2000 + i}-01-01, effective_to: "
              f"{2000 + i}-12-31, summary: s}}" for i in range(count)]
    return "\n".join(lines) + "\n"


def test_a_policy_with_too_many_versions_and_readings_is_refused_before_merging_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, _many_versions(policyset.MAX_VARIANTS + 1), "many.yaml")
    [record] = _lint(folder, tmp_path)
    assert record.check_id == "too-many-variants" and record.line == 6
    with pytest.raises(PolicyError):
        Engine.load([folder], backend="plain")
    merges: list[int] = []
    real = policyset.deep_merge
    monkeypatch.setattr(policyset, "deep_merge", lambda *a: merges.append(1) or real(*a))
    load_policy_set([folder])
    refused = len(merges)
    merges.clear()
    load_policy_set([_folder(tmp_path, _many_versions(3), "few.yaml", "few")])
    assert refused < len(merges) + 10  # before: every one of the 257 versions was merged


def test_a_near_miss_is_searched_only_in_a_short_list() -> None:
    assert did_you_mean("source-1x", [f"source-{i}" for i in range(10)]) == \
        "did you mean 'source-1'?"
    many = [f"source-{i}" for i in range(MAX_HINT_CHOICES + 1)]
    assert did_you_mean("source-1x", many) is None  # before: quadratic over a hostile file


def test_lint_text_checks_a_named_document_within_a_budget() -> None:
    records = lint_text(disjoint_inside_any(12), "routing-local.yaml", work_budget=20_000,
                        ignore=("missing-schema-comment",))
    assert "work-budget" in _ids(records)
    assert {r.file for r in records} == {"routing-local.yaml"}


@pytest.mark.parametrize("name", ["x.yaml\n", "../x.yaml", "a/b.yaml", "x.txt", ".yaml", "",
                                  "x.yaml\x00", "é.yaml"])
def test_lint_text_refuses_a_name_that_is_not_a_plain_yaml_file_name(name: str) -> None:
    with pytest.raises(DocumentNameError):
        lint_text("id: x\n", name)


@pytest.mark.parametrize("steps", ["0", "-5", "ten", "١٠", "1e6"])
def test_the_work_budget_option_takes_only_a_positive_whole_number(
        steps: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--work-budget", steps]) == 2
    assert "is not a whole number of steps" in capsys.readouterr().err

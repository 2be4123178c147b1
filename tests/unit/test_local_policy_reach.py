"""A copied policy is never silently ignored: an unrenamed copy names the bundled policy and
suggests ``extends``; a renamed copy nothing reaches is a lint warning (see
tests/lint/unreachable-policy*); a result lists the local policies it did not use; and a
checkout's own ``policies/X.yaml`` lints clean even when Redress was installed from a wheel."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from redress import Engine
from redress.policy.lint import lint
from redress.resources import data_dir

REPO = Path(__file__).resolve().parent.parent.parent
BUNDLED = data_dir("policies") / "council-corporate.yaml"
CASE = REPO / "examples" / "EX-2025-0042.yaml"


def test_an_unrenamed_copy_names_the_bundled_policy_and_suggests_extends(tmp_path: Path) -> None:
    shutil.copy(BUNDLED, tmp_path / "council-corporate.yaml")
    [dup] = [r for r in lint([tmp_path], cwd=tmp_path) if r.check_id == "duplicate-id"]
    assert dup.message.startswith("policy id 'council-corporate' is the id of the bundled "
                                  f"policy ({BUNDLED.resolve()}:")
    assert dup.hint is not None and "extends: council-corporate" in dup.hint


def test_a_checkout_s_own_policy_file_lints_clean_over_a_separately_installed_package(
        tmp_path: Path) -> None:
    # A second checkout stands in for the one a wheel was built from: its policies/ is not the
    # installed package's data folder, as after a non-editable install.
    (tmp_path / "policies").mkdir()
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(BUNDLED, tmp_path / "policies" / BUNDLED.name)
    assert lint([tmp_path / "policies" / BUNDLED.name], cwd=tmp_path) == []


def test_a_copy_outside_a_checkout_is_not_taken_for_the_bundled_source(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    shutil.copy(BUNDLED, tmp_path / "policies" / BUNDLED.name)
    assert "duplicate-id" in {r.check_id for r in lint([tmp_path / "policies"], cwd=tmp_path)}


def test_a_council_project_laid_out_like_a_checkout_is_not_taken_for_one(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "my-council-policies"\n')
    shutil.copy(BUNDLED, tmp_path / "policies" / BUNDLED.name)
    assert "duplicate-id" in {r.check_id for r in lint([tmp_path / "policies"], cwd=tmp_path)}


def test_the_result_lists_local_policies_it_did_not_use(tmp_path: Path) -> None:
    copy = BUNDLED.read_text(encoding="utf-8").replace("\nid: council-corporate\n",
                                                       "\nid: my-council-corporate\n")
    (tmp_path / "mine.yaml").write_text(copy, encoding="utf-8")
    engine = Engine.load([tmp_path, REPO / "examples" / "local-policies"], backend="plain")
    result = engine.evaluate(CASE, as_of=dt.date(2025, 5, 1))
    assert result.audit.unused_local_policies == ("exampleshire-corporate",
                                                  "my-council-corporate")
    assert result.to_dict()["audit"]["unused_local_policies"] == list(
        result.audit.unused_local_policies)


def test_a_local_policy_the_case_used_is_not_listed() -> None:
    engine = Engine.load([REPO / "examples" / "local-policies"], backend="plain")
    case = {"id": "EXS-X", "received": "2025-06-02", "nation": "england",
            "service": "council_corporate", "complainant": {"role": "service_user"},
            "organisations": [{"id": "exampleshire", "kind": "local_authority"}],
            "events": []}
    result = engine.evaluate(case, as_of=dt.date(2025, 6, 3))
    assert result.procedure is not None and result.procedure.id == "exampleshire-corporate"
    assert result.audit.unused_local_policies == ()


def test_bundled_policies_alone_list_nothing() -> None:
    result = Engine.load(backend="plain").evaluate(CASE, as_of=dt.date(2025, 5, 1))
    assert result.audit.unused_local_policies == ()

"""The policy-set loader: discovery, extends, versions, readings, and where values came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.policy.policyset import discover, load_policy_set
from redress.resources import data_dir

HEADER = "# yaml-language-server: $schema=../schemas/policy.schema.json\n"
BASE = HEADER + """\
id: base-policy
title: A base policy
kind: procedure
nation: england
calendar: england-and-wales
bodies: [local_authority]
services: [council_corporate]
sources:
  code: {title: A code, short: Code}
stages:
  stage1:
    title: Local resolution
    citation: {source: code, provision: para 1}
    deadlines:
      respond:
        period: {working_days: 10}
        from: received
        met_by: responded
        citation: {source: code, provision: para 2}
ambiguities:
  start:
    title: When stage 1 starts
    description: Receipt or acknowledgement.
    default: received
    readings:
      received: {description: From receipt.}
      acknowledged:
        description: From acknowledgement.
        overrides: {stages: {stage1: {deadlines: {respond: {from: acknowledged}}}}}
    citation: {source: code, provision: para 3}
versions:
  - {id: new, effective_from: 2021-01-01, summary: Now.}
  - id: old
    effective_from: 2020-01-01
    effective_to: 2020-12-31
    summary: Before.
    changes:
      stages: {stage1: {deadlines: {respond: {period: {working_days: 15}}}}}
"""
LOCAL = HEADER + """\
id: local-policy
kind: local
extends: base-policy
organisations: [my-council]
stages:
  stage1:
    title: Our local resolution
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "local.yaml").write_text(LOCAL)
    return tmp_path


def test_the_bundled_set_loads_without_errors() -> None:
    loaded, findings = load_policy_set()
    assert [f.render() for f in findings if f.is_error] == []
    assert "children-act-1989" in loaded.policies
    assert loaded.catalog.get("nation") is not None
    assert {f.kind for f in loaded.files} == {"policy", "rules", "facts"}


def test_a_local_policy_inherits_what_it_does_not_write(folder: Path) -> None:
    loaded, findings = load_policy_set([folder], include_bundled=False)
    assert findings == []
    local = loaded.policies["local-policy"]
    assert (local.family, local.extends, local.chain) == ("base-policy", "base-policy",
                                                          ("base-policy", "local-policy"))
    stage = local.base.data["stages"]["stage1"]
    assert stage["title"] == "Our local resolution"
    assert stage["deadlines"]["respond"]["period"] == {"working_days": 10}


def test_a_version_is_the_top_level_text_with_its_changes(folder: Path) -> None:
    loaded, _ = load_policy_set([folder], include_bundled=False)
    old = loaded.resolve("local-policy", "old")
    new = loaded.resolve("local-policy", "new")
    assert old is not None and new is not None
    assert old.data["stages"]["stage1"]["deadlines"]["respond"]["period"] == {"working_days": 15}
    assert new.data["stages"]["stage1"]["deadlines"]["respond"]["period"] == {"working_days": 10}


def test_a_reading_is_the_version_with_its_overrides(folder: Path) -> None:
    loaded, _ = load_policy_set([folder], include_bundled=False)
    reading = loaded.resolve("base-policy", "new", "acknowledged")
    assert reading is not None
    assert reading.data["stages"]["stage1"]["deadlines"]["respond"]["from"] == "acknowledged"
    assert [(v.version_id, v.reading) for v in loaded.policies["base-policy"].variants()] == [
        ("new", None), ("new", "acknowledged"), ("old", None), ("old", "acknowledged")]


@pytest.mark.parametrize(("version", "path", "file", "line"), [
    ("new", ("stages", "stage1", "title"), "local.yaml", 8),
    ("new", ("stages", "stage1", "citation"), "base.yaml", 14),
    ("old", ("stages", "stage1", "deadlines", "respond", "period"), "base.yaml", 39),
    ("new", ("stages", "stage1", "deadlines", "respond", "period"), "base.yaml", 17),
])
def test_each_merged_value_is_traced_to_the_file_and_line_that_wrote_it(
        folder: Path, version: str, path: tuple[str, ...], file: str, line: int) -> None:
    loaded, _ = load_policy_set([folder], include_bundled=False)
    resolved = loaded.resolve("local-policy", version)
    assert resolved is not None
    document, where = resolved.origin(path)
    pos = document.pos(where)
    assert (Path(document.file).name, pos.line if pos else None) == (file, line)


def test_a_value_removed_with_null_is_no_longer_inherited(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "local.yaml").write_text(LOCAL + "ambiguities: null\n")
    loaded, findings = load_policy_set([tmp_path], include_bundled=False)
    assert findings == []
    assert "ambiguities" not in loaded.policies["local-policy"].base.data


def test_a_duplicate_policy_id_keeps_the_first_file(folder: Path) -> None:
    (folder / "zz-copy.yaml").write_text(BASE.replace("title: A base policy", "title: Copy"))
    loaded, findings = load_policy_set([folder], include_bundled=False)
    assert [(f.check_id, f.message) for f in findings] == [
        ("duplicate-id", "policy id 'base-policy' is already used in base.yaml:2")]
    assert loaded.policies["base-policy"].base.data["title"] == "A base policy"


def test_a_missing_base_policy_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(LOCAL.replace("extends: base-policy",
                                                       "extends: children-act-1898"))
    loaded, findings = load_policy_set([tmp_path])
    assert [(f.check_id, f.hint) for f in findings] == [
        ("unknown-extends", "did you mean 'children-act-1989'?")]
    assert "local-policy" not in loaded.policies
    assert "local-policy" in loaded.policy_ids


def test_policies_that_extend_each_other_are_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEADER + "id: pa\nkind: local\nextends: pb\n")
    (tmp_path / "b.yaml").write_text(HEADER + "id: pb\nkind: local\nextends: pa\n")
    (tmp_path / "c.yaml").write_text(HEADER + "id: pc\nkind: local\nextends: pa\n")
    loaded, findings = load_policy_set([tmp_path], include_bundled=False)
    assert sorted(f.message for f in findings) == [
        "policy 'pa' extends itself: pa → pb → pa", "policy 'pb' extends itself: pb → pa → pb"]
    assert loaded.policies == {}


def test_a_path_that_does_not_exist_is_a_finding_not_an_exception(tmp_path: Path) -> None:
    _, findings = load_policy_set([tmp_path / "missing"], include_bundled=False)
    assert [f.check_id for f in findings] == ["file-unreadable"]


def test_a_file_given_again_is_read_once() -> None:
    bundled, _ = discover()
    again, _ = discover([data_dir("policies"), data_dir("rules") / "routing.yaml"])
    assert again == bundled


def test_a_rule_file_and_the_catalogue_are_recognised(tmp_path: Path) -> None:
    (tmp_path / "facts.yaml").write_text("facts:\n  nation: {type: text, values: [england], "
                                         "description: The nation.}\n")
    (tmp_path / "routing.yaml").write_text(
        "ruleset: routing\ndescription: d\nrules:\n  - id: r\n    description: d\n"
        "    when: {fact: nation, equals: england}\n    then: {no_procedure: {why: other_body}}\n")
    loaded, findings = load_policy_set([tmp_path], include_bundled=False)
    assert findings == []
    assert [f.kind for f in loaded.files] == ["facts", "rules"]
    assert loaded.catalog.names() == ["nation"]

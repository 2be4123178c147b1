"""``redress schema --write DIR`` gives policies a schema path that does not move, and lint's
schema-comment hint points there (never into the installed package)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from redress.cli import main
from redress.policy.lint import lint
from redress.resources import data_dir

REPO = Path(__file__).resolve().parent.parent.parent


def test_it_writes_every_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--write", str(tmp_path / "schemas")]) == 0
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted(p.name for p in data_dir("schemas").glob("*.schema.json"))
    policy = json.loads((tmp_path / "schemas" / "policy.schema.json").read_text())
    assert policy["$id"] == "policy.schema.json"
    assert "$schema=<path from the policy to schemas>/policy.schema.json" in capsys.readouterr().out


def test_it_replaces_its_own_earlier_copy(tmp_path: Path) -> None:
    old = tmp_path / "policy.schema.json"
    mine = json.loads((data_dir("schemas") / "policy.schema.json").read_text())
    old.write_text(json.dumps({"$id": mine["$id"], "title": "older"}))
    assert main(["schema", "--write", str(tmp_path)]) == 0
    assert json.loads(old.read_text()) == mine


def test_it_never_overwrites_a_file_it_did_not_write(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    theirs = tmp_path / "case.schema.json"
    theirs.write_text("{\"title\": \"someone else's\"}")
    assert main(["schema", "--write", str(tmp_path)]) == 2
    assert theirs.read_text() == "{\"title\": \"someone else's\"}"
    assert not (tmp_path / "policy.schema.json").exists()
    assert "is not a Redress schema; not overwriting it" in capsys.readouterr().err


def _schema_hint(folder: Path) -> str:
    [record] = [r for r in lint([folder], cwd=folder) if r.check_id == "missing-schema-comment"]
    assert record.hint is not None
    return record.hint


def test_lint_suggests_writing_the_schemas_when_none_are_near(tmp_path: Path) -> None:
    text = (REPO / "examples/local-policies/exampleshire-corporate.yaml").read_text()
    (tmp_path / "mine.yaml").write_text(text.split("\n", 1)[1])  # no schema comment
    hint = _schema_hint(tmp_path)
    assert f"run 'redress schema --write {tmp_path.resolve()}/schemas'" in hint
    assert "$schema=schemas/policy.schema.json" in hint
    assert "site-packages" not in hint


def test_lint_points_at_schemas_written_next_to_the_policies(tmp_path: Path) -> None:
    shutil.copytree(data_dir("schemas"), tmp_path / "schemas")
    (tmp_path / "local").mkdir()
    text = (REPO / "examples/local-policies/exampleshire-corporate.yaml").read_text()
    (tmp_path / "local" / "mine.yaml").write_text(text.split("\n", 1)[1])
    assert _schema_hint(tmp_path / "local") == (
        "start the file with '# yaml-language-server: $schema=../schemas/policy.schema.json'")


def test_it_replaces_a_copy_written_before_the_ids_became_relative(tmp_path: Path) -> None:
    old = tmp_path / "policy.schema.json"
    old.write_text(json.dumps({"$id": "https://redress.example/schemas/policy.schema.json"}))
    assert main(["schema", "--write", str(tmp_path)]) == 0
    assert json.loads(old.read_text())["$id"] == "policy.schema.json"


def test_it_never_writes_through_a_planted_dangling_link(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 19 item 10: a dangling link to a file outside DIR was followed and the file created.
    out, outside = tmp_path / "schemas", tmp_path / "outside" / "planted.json"
    out.mkdir()
    outside.parent.mkdir()
    (out / "case.schema.json").symlink_to(outside)
    assert main(["schema", "--write", str(out)]) == 2
    assert not outside.exists()
    assert f"{out / 'case.schema.json'} is a symbolic link; not writing through it" in \
        capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["case.schema.json"]


def test_it_never_overwrites_an_earlier_copy_of_its_own_through_a_link(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "schemas", tmp_path / "elsewhere.json"
    out.mkdir()
    mine = json.loads((data_dir("schemas") / "policy.schema.json").read_text())
    elsewhere.write_text(json.dumps({"$id": mine["$id"], "title": "older"}))
    (out / "policy.schema.json").symlink_to(elsewhere)
    assert main(["schema", "--write", str(out)]) == 2
    assert json.loads(elsewhere.read_text())["title"] == "older"


def test_a_link_planted_after_the_check_is_still_not_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from redress.cli import schema

    out, outside = tmp_path / "schemas", tmp_path / "outside.json"
    out.mkdir()
    outside.write_text("{}")
    (out / "case.schema.json").symlink_to(outside)
    monkeypatch.setattr(schema, "_refusal", lambda target, text: None)  # the race is lost
    assert main(["schema", "--write", str(out)]) == 2
    assert outside.read_text() == "{}"
    assert "is a symbolic link; not writing through it" in capsys.readouterr().err

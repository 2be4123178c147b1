"""Policy and lint folders: links out of the folder are not followed, and discovery never reads
more than a few KB of a file before checking its size (issue 10, items 5 and 6)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from redress.cli import main
from redress.policy.lint import lint
from redress.policy.policyset import discover


def test_a_link_out_of_the_folder_is_reported_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "outside.yaml"
    secret.write_text("id: the-secret-line\n", encoding="utf-8")
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(secret)
    files, skipped = discover([folder], include_bundled=False)
    assert files == []
    assert [(f.check_id, f.severity.value) for f in skipped] == [("file-unreadable", "warning")]
    records = lint([folder], cwd=tmp_path)
    assert [r.message for r in records] == ["not followed: a symbolic link out of the folder "
                                            f"{folder}"]
    assert all("the-secret-line" not in r.message for r in records)


def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    (folder / "real").mkdir(parents=True)
    (folder / "real" / "p.yaml").write_text("id: p\n", encoding="utf-8")
    (folder / "alias.yaml").symlink_to(folder / "real" / "p.yaml")
    files, skipped = discover([folder], include_bundled=False)
    assert files == [(folder / "real" / "p.yaml").resolve()] and skipped == []


def test_a_huge_one_line_file_is_not_read_whole_during_discovery(tmp_path: Path) -> None:
    (tmp_path / "huge.yaml").write_bytes(b"#" + b"x" * (20 * 1024 * 1024))
    tracemalloc.start()
    try:
        discover([tmp_path], include_bundled=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # before: the whole 20 MB line (40+ MB as text)


def test_linting_a_huge_file_reports_its_size(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "huge.yaml").write_bytes(b"#" + b"x" * (3 * 1024 * 1024))
    assert main(["lint", "--no-bundled", str(tmp_path)]) in (1, 2)
    assert "[file-too-large]" in capsys.readouterr().out


def test_the_flowcharts_run_mermaid_in_strict_mode() -> None:
    script = Path(__file__).resolve().parents[2] / "docs" / "assets" / "javascripts" / "flowcharts.js"
    assert 'securityLevel: "strict"' in script.read_text(encoding="utf-8")


def test_a_link_out_of_the_folder_is_named_as_the_link_never_by_its_target(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 19 item 10: the warning named the target (private/payroll-2025.yaml) when it lay
    # under the current folder.
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "payroll-2025.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "link.yaml").symlink_to("../private/payroll-2025.yaml")
    monkeypatch.chdir(tmp_path)
    [record] = lint(["policies"])
    assert (record.file, record.check_id) == ("policies/link.yaml", "file-unreadable")
    assert "payroll" not in repr(record)

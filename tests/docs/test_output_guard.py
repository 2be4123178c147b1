"""``redress docs build`` never deletes what Redress did not create (issue 10, item 1).

Every run here happens in a temporary copy of the repository, so a regression deletes the copy,
not the checkout.  A refusal is exit 2 with one line saying why, and leaves every file in place.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from redress.cli import main
from redress.docs.site import BUILD_MARKER

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tracked files of the repository (what a fresh clone holds)."""
    root = tmp_path_factory.mktemp("clone")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / rel)
    return root


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("args", "why"), [
    (["--out", "."], "is or holds the sources"),
    (["--out", "docs"], "is or holds the sources"),
    (["--out", "docs/guide"], "inside the hand-written pages"),
    (["--out", ".."], "is or holds the sources"),
    (["--out", "site", "--markdown", "docs"], "is or holds the sources"),
    (["--out", "site", "--markdown", "."], "is or holds the sources"),
    (["--out", "policies"], "not empty and was not made by `redress docs build`"),
    (["--out", "examples/local-policies", "--policies", "examples/local-policies"],
     "is or holds the sources"),
    (["--out", "README.md"], "is a file, not a folder"),
])
def test_an_unsafe_output_folder_is_refused_and_nothing_is_deleted(
        checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], why: str) -> None:
    monkeypatch.chdir(checkout)
    before = _files(checkout.parent)
    assert main(["docs", "build", *args]) == 2
    err = capsys.readouterr().err
    assert why in err and err.count("\n") == 1
    assert _files(checkout.parent) == before


def test_a_non_empty_folder_without_the_marker_is_refused(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    keep = tmp_path / "mine" / "notes.txt"
    keep.parent.mkdir()
    keep.write_text("not Redress's", encoding="utf-8")
    assert main(["docs", "build", "--out", str(keep.parent)]) == 2
    assert BUILD_MARKER in capsys.readouterr().err
    assert keep.read_text(encoding="utf-8") == "not Redress's"


def test_out_and_markdown_must_differ(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "build", "--out", str(tmp_path / "a"), "--markdown",
                 str(tmp_path / "a")]) == 2
    assert "different folders" in capsys.readouterr().err


@pytest.mark.slow
def test_a_previous_build_is_marked_and_may_be_replaced(checkout: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(checkout)
    assert main(["docs", "build", "--out", "built", "--markdown", "built-md"]) == 0
    for folder in ("built", "built-md"):
        assert (checkout / folder / BUILD_MARKER).is_file()
    (checkout / "built" / "stale.html").write_text("old", encoding="utf-8")
    assert main(["docs", "build", "--out", "built", "--markdown", "built-md"]) == 0
    assert not (checkout / "built" / "stale.html").exists()
    assert (checkout / "built" / "index.html").is_file()


def test_a_failed_build_leaves_a_folder_the_next_build_may_replace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from redress.docs import site

    def half_way(config: Path, cwd: Path) -> None:
        (tmp_path / "out" / "partial.html").write_text("half", encoding="utf-8")
        raise site.SiteError("mkdocs build --strict failed")

    monkeypatch.setattr(site, "_mkdocs", half_way)
    assert main(["docs", "build", "--out", str(tmp_path / "out")]) == 1
    assert (tmp_path / "out" / BUILD_MARKER).is_file()
    monkeypatch.setattr(site, "_mkdocs", lambda config, cwd: None)
    assert main(["docs", "build", "--out", str(tmp_path / "out")]) == 0

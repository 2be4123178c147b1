"""``redress docs build`` end to end: mkdocs --strict builds a page per bundled procedure."""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.cli import main
from redress.policy.library import load_library

pytestmark = pytest.mark.slow


def test_docs_build_writes_a_page_per_bundled_procedure(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out, markdown = tmp_path / "site", tmp_path / "markdown"
    assert main(["docs", "build", "--out", str(out), "--markdown", str(markdown)]) == 0
    assert "procedures" in capsys.readouterr().out
    for policy_id in load_library().policies:
        page = out / "procedures" / f"{policy_id}.html"  # page.html: it opens from disk too
        assert page.is_file(), f"no page for {policy_id}"
        assert 'class="redress-flowchart"' in page.read_text(encoding="utf-8")
        assert (markdown / "procedures" / f"{policy_id}.md").is_file()
    for guide in ("getting-started", "case-format", "result-format", "cli", "api",
                  "policy-language", "editor", "scenarios"):
        assert (out / "guide" / f"{guide}.html").is_file(), guide
    assert (out / "assets" / "javascripts" / "vendor" / "mermaid.min.js").is_file()
    # Search from disk: the index as a script, and the worker shim shipped, not fetched.
    assert (out / "search" / "search_index.js").is_file()
    assert (out / "assets" / "javascripts" / "vendor" / "iframe-worker-shim.js").is_file()


def test_local_policies_get_pages_too(tmp_path: Path) -> None:
    local = Path(__file__).resolve().parents[2] / "examples" / "local-policies"
    assert main(["docs", "build", "--out", str(tmp_path), "--policies", str(local)]) == 0
    assert (tmp_path / "procedures" / "exampleshire-corporate.html").is_file()


def test_a_source_folder_without_mkdocs_yml_is_a_usage_error(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "build", "--out", str(tmp_path / "site"), "--source", str(tmp_path)]) == 2
    assert "mkdocs.yml" in capsys.readouterr().err

"""The scenario guide's complete example is a real scenario file: it lints clean and passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from redress.cli import main

REPO = Path(__file__).resolve().parent.parent.parent
GUIDE = REPO / "docs" / "guide" / "scenarios.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    path = tmp_path / "council-example.scenarios.yaml"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def test_the_guide_s_example_passes(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(example), "--backend", "plain"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("2 passed, 0 failed")


def test_the_guide_s_example_lints_clean(example: Path) -> None:
    assert main(["lint", str(example)]) == 0


def test_the_guide_is_in_the_site_navigation() -> None:
    assert "guide/scenarios.md" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")

"""Sites built once per test session and shared by the docs tests that read built HTML: the
bundled policies' site (its generated Markdown kept too) and the site of a policy folder full
of script-injection payloads (``hostile/``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.cli import main

HOSTILE = Path(__file__).resolve().parent / "hostile"


def _build(factory: pytest.TempPathFactory, name: str, *args: str) -> tuple[Path, Path]:
    root = factory.mktemp(name)
    html, markdown = root / "site", root / "markdown"
    assert main(["docs", "build", "--out", str(html), "--markdown", str(markdown), *args]) == 0
    return html, markdown


@pytest.fixture(scope="session")
def _bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _build(tmp_path_factory, "site")


@pytest.fixture(scope="session")
def built_site(_bundled: tuple[Path, Path]) -> Path:
    """The site of the bundled policies."""
    return _bundled[0]


@pytest.fixture(scope="session")
def built_markdown(_bundled: tuple[Path, Path]) -> Path:
    """The Markdown that site was built from (generated pages over a copy of docs/)."""
    return _bundled[1]


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with ``--policies hostile/``."""
    return _build(tmp_path_factory, "hostile-site", "--policies", str(HOSTILE))[0]

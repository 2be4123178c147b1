"""Session fixtures of the caseload tests: one generated caseload and one full batch run over
it, shared by every test that compares against them."""

from __future__ import annotations

from pathlib import Path

import pytest
from caseloads import AS_OF, RECORDS, write_caseload

from redress.cli import main


@pytest.fixture(scope="session")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    path = tmp_path_factory.mktemp("caseload") / "cases.jsonl"
    return path, write_caseload(path, RECORDS)


@pytest.fixture(scope="session")
def full_run(caseload: tuple[Path, list[int]],
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "out.jsonl"
    assert main(["batch", str(caseload[0]), "-o", str(out), "--as-of", AS_OF]) == 1
    return out

"""Each folder under ``tests/lint/`` shows one lint check at work.

A folder holds a small broken policy or rule file (``bad.yaml``, sometimes a base and a local
policy) and ``expected.txt``, the exact output of ``redress lint <folder>`` run from the
repository root.  A folder is named after its check id, optionally followed by ``--`` and what
the variant shows.  ``MAX_BYTES``, when present, lowers the loader's size limit for the run;
``args.txt``, when present, holds extra ``redress lint`` options (e.g. ``--no-bundled`` for a
fixture that brings its own small fact catalogue and so does not change as the bundled policies
grow).  A fixture's policy stands alone, so no routing rule reaches it: the
``unreachable-policy`` warning is left out of every folder but its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.cli import main
from redress.policy import loader
from redress.policy.checks import CHECK_IDS

HERE = Path(__file__).parent
REPO = HERE.parent.parent
FIXTURES = sorted(p for p in HERE.iterdir() if (p / "expected.txt").is_file())
# Ids that the schema always reports first, so lint can never show them.
UNREACHABLE_IDS = {"condition-shape", "file-unreadable"}


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_lint_prints_exactly_the_expected_findings(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    limit = folder / "MAX_BYTES"
    if limit.exists():
        monkeypatch.setattr(loader, "MAX_BYTES", int(limit.read_text()))
    expected = (folder / "expected.txt").read_text(encoding="utf-8")
    options = (folder / "args.txt").read_text().split() if (folder / "args.txt").exists() else []
    if not folder.name.startswith("unreachable-policy"):
        options.append("--ignore=unreachable-policy")

    code = main(["lint", *options, folder.relative_to(REPO).as_posix()])

    assert capsys.readouterr().out == expected
    assert code == (1 if ": error: " in expected else 0)


def test_every_check_id_has_a_fixture_folder() -> None:
    shown = {p.name.split("--")[0] for p in FIXTURES}
    assert set(CHECK_IDS) - UNREACHABLE_IDS - shown == set()


def test_every_fixture_folder_is_named_after_a_check_id() -> None:
    assert {p.name.split("--")[0] for p in FIXTURES} - set(CHECK_IDS) == set()

"""The lint endpoint's work runs in a process that is really stopped at the time limit
(issue 19 item 4, the service side), and its answers name no folder of the server."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest

from redress.serve.lint_pool import LintPool
from redress.serve.problems import ServiceError

ROOT = Path(__file__).parents[2]


def _lint_workers() -> set[int]:
    mine = str(os.getpid())
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if f"\nPPid:\t{mine}\n" in text and b"redress.serve.lint_pool" in cmdline:
            found.add(int(status.parent.name))
    return found


def test_a_lint_over_the_time_limit_is_a_503_and_its_process_is_killed() -> None:
    pool = LintPool(1, 0.01)  # no lint finishes in 10 ms
    document = (ROOT / "policies" / "council-corporate.yaml").read_text(encoding="utf-8")
    try:
        with pytest.raises(ServiceError) as raised:
            anyio.run(pool.lint, document, "council-corporate.yaml")
        assert raised.value.status == 503 and raised.value.kind == "time_limit"
        assert _lint_workers() == set()  # killed, not left to finish in the background
    finally:
        pool.close()


def test_lint_answers_name_no_server_folder() -> None:
    pool = LintPool(1, 120)
    # The bundled policy's own id: the finding names the bundled file it clashes with.
    document = (ROOT / "policies" / "council-corporate.yaml").read_text(encoding="utf-8")
    try:
        findings = anyio.run(pool.lint, document, "mine.yaml")
        again = anyio.run(pool.lint, "id: [unclosed\n", "other.yaml")  # the same worker
    finally:
        pool.close()
    assert _lint_workers() == set()
    text = repr(findings) + repr(again)
    assert findings and "policies/council-corporate.yaml" in text
    for folder in (str(ROOT), "/tmp", "/work", "redress-lint-", "site-packages"):
        assert folder not in text
    assert {f["file"] for f in findings} == {"mine.yaml"} and again[0]["file"] == "other.yaml"

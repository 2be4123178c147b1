"""What a cold start loads: ``import redress`` and a warm ``redress evaluate`` of one case must
not pull in the modules they do not use.

Each check runs in a fresh interpreter and reads ``sys.modules`` (no timing): a module named
here costs every start of the command line its import time, so one that creeps back in (a
top-level import in the wrong module) fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"

# Needed only to validate policies (a policy set the cache does not hold), to build calendars
# afresh, or by other commands; never by evaluating against a cached policy set.  (``shutil``,
# with ``bz2`` and ``lzma``, came with argparse's help formatter: ``cli.HelpFormatter``.)
HEAVY = ("jsonschema", "referencing", "jsonschema_specifications", "rfc3986_validator",
         "holidays", "dateutil", "numpy", "importlib.resources", "tomllib", "tempfile",
         "redress.report", "redress.policy.schema", "redress.policy.policyset",
         "redress.policy.lint", "redress.policy.checks", "shutil", "bz2", "lzma",
         # Only for a CSV input, for wording a near miss or an internal error.
         "csv", "redress.caseload.csv_rows", "redress.caseload.csv_cases", "difflib", "traceback")

EVALUATE = f"""
import contextlib, io, json, sys
from redress.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["evaluate", {str(EXAMPLE)!r}, "--as-of", "2025-06-01"])
print(json.dumps([code, sorted(sys.modules)]))
"""


def _modules(code: str, cache: Path) -> tuple[list[str], int]:
    env = {**os.environ, "REDRESS_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env, cwd=ROOT)
    status, modules = json.loads(out.stdout.splitlines()[-1])
    return modules, status


def _heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules for heavy in HEAVY if m == heavy or m.startswith(heavy + "."))


def test_import_redress_loads_only_the_package_itself(tmp_path: Path) -> None:
    code = "import json, sys; b = set(sys.modules); import redress; " \
           "print(json.dumps([0, sorted(set(sys.modules) - b)]))"
    modules, _ = _modules(code, tmp_path)
    assert [m for m in modules if m.startswith("redress")] == ["redress", "redress.__about__"]
    assert not _heavy(modules)
    for name in ("yaml", "msgspec", "orjson", "dataclasses"):
        assert name not in modules


def test_public_names_still_load_on_first_use() -> None:
    import redress

    assert redress.Result.__name__ == "Result"
    assert issubclass(redress.CaseError, redress.RedressError)
    assert set(redress.__all__) <= set(dir(redress))
    with pytest.raises(AttributeError):
        _ = redress.NoSuchName  # type: ignore[attr-defined]


def test_a_warm_evaluate_loads_no_validator_report_or_calendar_builder(tmp_path: Path) -> None:
    _modules(EVALUATE, tmp_path)  # the first run fills the policy-set cache
    modules, status = _modules(EVALUATE, tmp_path)
    assert status == 0
    assert "redress.evaluation.evaluate" in modules  # it did evaluate
    assert not _heavy(modules)


def test_without_a_cache_the_policies_are_validated(tmp_path: Path) -> None:
    # The other side of the test above: the validator is what a cache miss runs.
    modules, status = _modules(EVALUATE, tmp_path)
    assert status == 0
    assert "jsonschema" in modules and "redress.policy.policyset" in modules

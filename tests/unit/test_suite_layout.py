"""The test suite runs in any order and any subset of its folders.

pytest imports each folder's ``conftest.py`` as a module named ``conftest`` and puts test folders
on ``sys.path`` by their basename ("prepend" import mode), so ``from conftest import X`` finds
whichever folder's conftest came last, and two helper modules of one name shadow each other.
Shared test data goes in a helper module with a name of its own (``planned_year``,
``serve_harness``).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).parents[1]


def python_files() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if "node_modules" not in p.parts]


def test_no_test_module_imports_a_conftest() -> None:
    importing = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if "conftest" in names:
                importing.append(str(path.relative_to(TESTS)))
    assert importing == []


def test_every_test_and_helper_module_has_a_name_of_its_own() -> None:
    names = Counter(p.name for p in python_files()
                    if p.name not in ("conftest.py", "__init__.py"))
    assert [name for name, count in names.items() if count > 1] == []

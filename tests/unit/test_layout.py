"""The package is grouped by pipeline step, and imports flow one way (docs/guide/architecture.md).

cli → (docs, serve, report, caseload, testing) → evaluation → policy → calendar → top-level
modules (errors, findings, resources, __about__) → ``frozen_dataclass``.  A package may import
its own modules and any package in a lower layer, never one in its own layer or above (``docs``
may read scenario files through ``testing``, the one sideways import allowed).  Imports inside
functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import redress

PACKAGE = Path(redress.__file__).parent

LAYERS: dict[str, int] = {
    "frozen_dataclass": -1,  # a class decorator for every layer, itself importing none
    "__about__": 0, "findings": 0, "resources": 0,
    "errors": 1,  # exceptions carry findings
    "calendar": 2,
    "policy": 3,
    "evaluation": 4,
    "caseload": 5, "docs": 5, "report": 5, "serve": 5, "testing": 5,
    "cli": 6,
}
# docs reads scenario files through testing, and documents the public façade itself.
SIDEWAYS_ALLOWED = {("docs", "testing"), ("docs", "(redress)")}


def _unit(module: str) -> str | None:
    """The top-level unit of ``redress.X.Y`` (``X``), or None for the ``redress`` façade."""
    parts = module.split(".")
    if parts[0] != "redress":
        return None
    return parts[1] if len(parts) > 1 else "(redress)"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "redress":
                found.extend((node.lineno, f"redress.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, node.module))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_pipeline_packages_exist() -> None:
    for name in ("calendar", "policy", "evaluation", "caseload", "report", "serve", "docs",
                 "cli", "testing"):
        assert (PACKAGE / name / "__init__.py").is_file(), name


def test_no_module_is_left_loose_at_the_top() -> None:
    loose = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", *LAYERS}
    assert not loose, f"put these in the package of their pipeline step: {sorted(loose)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_down_the_pipeline(path: Path) -> None:
    rel = path.relative_to(PACKAGE)
    source = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    if source == "__init__":
        return  # the public façade re-exports from every layer
    source_layer = LAYERS[source]
    wrong = []
    for line, module in _imports(path):
        target = _unit(module)
        if target is None or target == source or (source, target) in SIDEWAYS_ALLOWED:
            continue
        if (target == "(redress)" and (source, target) not in SIDEWAYS_ALLOWED) \
                or target == "__init__":
            wrong.append(f"{rel}:{line} imports the redress façade; import the module itself")
            continue
        if target not in LAYERS:
            continue  # a submodule of the façade such as redress.__about__ handled above
        if LAYERS[target] >= source_layer and (source, target) not in SIDEWAYS_ALLOWED:
            wrong.append(f"{rel}:{line} ({source}) imports {module} ({target}), which is not "
                         "below it in the pipeline")
    assert not wrong, "\n".join(wrong)


def test_the_layering_test_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from redress.cli import main\n", encoding="utf-8")
    assert (2, "redress.cli") in _imports(bad)

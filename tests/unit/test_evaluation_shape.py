"""The shape of ``evaluation/``: small pure functions over plain values (issue 24).

No function over 40 lines, no class over 150, and no import circle between its modules, not
even one made only for type annotations (``if TYPE_CHECKING:`` imports count).  Generated code
is not in the package's files, so it is not measured here; the generators are.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import redress

EVALUATION = Path(redress.__file__).parent / "evaluation"
MAX_FUNCTION = 40
MAX_CLASS = 150


def _modules() -> list[Path]:
    return sorted(p for p in EVALUATION.rglob("*.py") if "__pycache__" not in p.parts)


def _span(node: ast.AST) -> int:
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return int(node.end_lineno or node.lineno) - start + 1


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(EVALUATION)))
def test_functions_and_classes_are_small(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    too_long = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _span(node) > MAX_FUNCTION:
            too_long.append(f"function {node.name}: {_span(node)} lines")
        if isinstance(node, ast.ClassDef) and _span(node) > MAX_CLASS:
            too_long.append(f"class {node.name}: {_span(node)} lines")
    assert too_long == []


def _module_name(path: Path) -> str:
    rel = path.relative_to(EVALUATION.parent.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_import_circle_inside_evaluation() -> None:
    names = {_module_name(p): p for p in _modules()}
    graph = {name: {m for m in _imports(path) if m in names and m != name}
             for name, path in names.items()}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    circles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []

"""The package layout: stages import only downward, and no function grows past about 60 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "digecon"
# core below inputs below estimation below outputs; api and cli tie them together on top
LEVEL = {"core": 0, "inputs": 1, "estimation": 2, "outputs": 3, "api": 4, "cli": 4, "__init__": 4}
MAX_FUNCTION_LINES = 60
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def stage(path: Path) -> str:
    part = path.relative_to(PACKAGE).parts[0]
    return part.removesuffix(".py")


def imported_stages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "digecon" and len(parts) > 1 and parts[1] in LEVEL:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_only_go_downward(path: Path) -> None:
    own = stage(path)
    if own not in LEVEL:
        return
    upward = {s for s in imported_stages(path) if LEVEL[s] > LEVEL[own]}
    assert not upward, f"{path.name} ({own}) imports from a later stage: {sorted(upward)}"


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body after its docstring (a numpy docstring is documentation, not length)."""
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return node.end_lineno - body[0].lineno + 1


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_function_over_sixty_lines(path: Path) -> None:
    functions = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.FunctionDef)]
    long = [f"{n.name} ({body_lines(n)} lines)" for n in functions if body_lines(n) > MAX_FUNCTION_LINES]
    assert not long, f"split into named steps: {', '.join(long)}"


def test_every_source_module_has_its_test_module() -> None:
    tests = {p.stem.removeprefix("test_") for p in (PACKAGE.parents[1] / "tests").glob("test_*.py")}
    modules = {p.stem for p in MODULES if not p.stem.startswith("_") and p.parent.name != "methods"}
    assert sorted(modules - tests) == []

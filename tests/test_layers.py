"""The engine never depends on the front ends (one-way data flow)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1] / "briefs"
FORBIDDEN = ("bot", "telegram")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_engine_never_imports_front_ends() -> None:
    offenders = {
        str(path.relative_to(ENGINE.parent)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] in FORBIDDEN
        )
        for path in sorted(ENGINE.rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("package", ["briefs", "bot"])
def test_modules_stay_small(package: str) -> None:
    # The guide: a module past ~400 lines wants splitting.
    root = ENGINE.parent / package
    sizes = {
        str(p.relative_to(ENGINE.parent)): len(p.read_text(encoding="utf-8").splitlines())
        for p in root.rglob("*.py")
    }
    assert len(sizes) > 1  # the package is where we look
    assert {k: n for k, n in sizes.items() if n > 400} == {}

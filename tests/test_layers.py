"""The layering of ``briefs/`` and ``bot/`` (docs/architecture.md), kept honest.

- The engine never depends on the front ends (one-way data flow).
- No import cycles between modules (imports under ``if TYPE_CHECKING:`` aside).
- Only ``briefs/store/`` speaks SQL: nothing else imports a database driver,
  executes statements, holds SQL text or reaches for the store's connection.
- The engine's top level stays small: stages live in their subpackages.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "briefs"
FRONT_ENDS = ("bot", "telegram")
STAGES = (
    "brief", "digest", "eval", "export", "library", "readers", "render", "search", "sources",
    "store",
)
DRIVERS = ("aiosqlite", "sqlite3", "asyncpg", "psycopg")
SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|PRAGMA)\b"
)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(root: Path, packages: tuple[str, ...] = ("briefs", "bot")) -> dict[str, Path]:
    return {
        _module_name(p, root): p
        for package in packages
        for p in sorted((root / package).rglob("*.py"))
    }


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The import nodes under ``if TYPE_CHECKING:``: not imports at run time."""
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(ast.walk(child))
    return skipped


def _runtime_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The known modules ``path`` imports at run time (lazy imports in functions count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            # ``from briefs import readers`` imports the module briefs.readers.
            found.update(f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in known)
    return {m for m in found if m in known and m != name}


def import_graph(root: Path, packages: tuple[str, ...] = ("briefs", "bot")) -> dict[str, set[str]]:
    sources = _sources(root, packages)
    known = set(sources)
    return {name: _runtime_imports(path, name, known) for name, path in sources.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _engine_files() -> Iterator[Path]:
    yield from sorted(ENGINE.rglob("*.py"))


def _outside_store() -> Iterator[Path]:
    for package in ("briefs", "bot"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if not path.is_relative_to(ENGINE / "store"):
                yield path


def test_engine_never_imports_front_ends() -> None:
    graph = import_graph(ROOT, ("briefs", "bot"))
    offenders = {
        name: sorted(m for m in imported if m.split(".")[0] in FRONT_ENDS)
        for name, imported in graph.items()
        if name.startswith("briefs")
    }
    # Third-party ``telegram`` is not in the graph: look at the raw imports too.
    for path in _engine_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad = [n for n in names if n.split(".")[0] in FRONT_ENDS]
            if bad:
                offenders.setdefault(_module_name(path, ROOT), []).extend(bad)
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycles() -> None:
    assert cycles(import_graph(ROOT)) == []


def test_the_cycle_finder_finds_cycles(tmp_path: Path) -> None:
    # The test above is only worth something if a cycle would show up.
    pkg = tmp_path / "briefs"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from briefs import b\n")
    (pkg / "b.py").write_text("def f():\n    from briefs.sub import c\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("import briefs.a\n")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from briefs import e\n"
    )
    (pkg / "e.py").write_text("from . import d\n")
    graph = import_graph(tmp_path, ("briefs",))
    # ``from . import d`` runs the package's __init__ too; TYPE_CHECKING imports do not run.
    assert graph["briefs.e"] == {"briefs", "briefs.d"} and graph["briefs.d"] == set()
    assert cycles(graph) == [["briefs.a", "briefs.b", "briefs.sub.c"]]


def test_only_the_store_speaks_sql() -> None:
    offenders: dict[str, list[str]] = {}
    for path in _outside_store():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                    node.module or ""]
                found += [f"imports {n}" for n in names if n.split(".")[0] in DRIVERS]
            elif isinstance(node, ast.Attribute):
                if node.attr in ("execute", "executemany", "executescript"):
                    found.append(f"line {node.lineno}: .{node.attr}")
                elif node.attr == "db" and ast.unparse(node.value).endswith("store"):
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SQL.match(node.value)
            ):
                found.append(f"line {node.lineno}: SQL {node.value[:30]!r}")
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


# What each engine package may import (besides itself and the top-level modules
# errors, transcript, passages, tokenize and their helpers): the table in docs/architecture.md.
ALLOWED = {
    "readers": set(),
    "store": set(),
    "render": set(),
    "brief": {"store"},
    "search": {"store"},
    "library": {"readers", "brief", "search", "store"},
    "digest": {"render", "store"},
    "sources": {"library", "readers", "store"},
    "eval": {"readers", "brief", "search", "library", "store"},
    "export": {"library", "brief", "search", "render"},
}


def test_each_package_imports_only_the_stages_below_it() -> None:
    shared = {"errors", "transcript", "passages", "tokenize", "_stopwords", "_values", "_repeats",
              "links"}
    found: dict[str, set[str]] = {}
    for name, imported in import_graph(ROOT, ("briefs",)).items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] in shared:
            continue
        for target in imported:
            other = target.split(".")[1] if "." in target else ""
            if other and other != parts[1] and other not in shared:
                found.setdefault(parts[1], set()).add(other)
    excess = {p: sorted(found.get(p, set()) - allowed) for p, allowed in ALLOWED.items()}
    assert {p: v for p, v in excess.items() if v} == {}
    assert set(found) <= set(ALLOWED)


def test_the_engine_top_level_holds_only_the_shared_modules() -> None:
    modules = sorted(p.stem for p in ENGINE.glob("*.py"))
    assert len(modules) <= 12, modules
    prefixes = tuple(f"_{stage}" for stage in (*STAGES, "llm", "feed", "inbox", "index"))
    assert [m for m in modules if m.startswith(prefixes)] == []
    packages = sorted(p.parent.name for p in ENGINE.glob("*/__init__.py"))
    assert packages == sorted(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_has_a_public_face(stage: str) -> None:
    init = ENGINE / stage / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"briefs/{stage}/__init__.py says what it produces"
    declared = [
        n for n in tree.body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
    ]
    assert len(declared) == 1


def test_front_ends_use_the_engine_public_faces() -> None:
    graph = import_graph(ROOT)
    private = {
        name: sorted(m for m in imported if m.startswith("briefs") and "._" in m)
        for name, imported in graph.items()
        if name.startswith("bot")
    }
    assert {k: v for k, v in private.items() if v} == {}


@pytest.mark.parametrize("package", ["briefs", "bot"])
def test_modules_stay_small(package: str) -> None:
    # The guide: a module past ~400 lines wants splitting.
    root = ROOT / package
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in root.rglob("*.py")
    }
    assert len(sizes) > 1  # the package is where we look
    assert {k: n for k, n in sizes.items() if n > 400} == {}

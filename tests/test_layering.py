"""The dependency arrow points one way: nothing outside `attendance_desk/ui/` touches Qt."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import attendance_desk

PACKAGE = Path(attendance_desk.__file__).parent
QT_MODULES = ("PySide6", "shiboken6")
#: Modules that run something when imported (the entry point, Alembic's environment).
NOT_IMPORTABLE = ("attendance_desk.__main__", "attendance_desk.migrations")


def non_ui_sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def qt_imports(path: Path) -> list[str]:
    """Every `import PySide6...` or `from shiboken6 import ...` in a file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [n for n in names if n.split(".")[0] in QT_MODULES]
    return found


def test_no_qt_import_outside_ui():
    """No source file outside attendance_desk/ui/ imports PySide6 or shiboken6."""
    sources = non_ui_sources()
    assert len(sources) > 10
    offenders = {str(p.relative_to(PACKAGE)): qt_imports(p) for p in sources if qt_imports(p)}
    assert offenders == {}


def test_importing_every_service_module_loads_no_qt():
    """Importing every non-UI module, in a fresh interpreter, leaves PySide6 unloaded."""
    modules = [
        name for name in map(module_name, non_ui_sources()) if not name.startswith(NOT_IMPORTABLE)
    ]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{QT_MODULES!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert "attendance_desk.pupils.directory" in modules


#: The entry point, the only module outside `ui/` that may open the window.
ENTRY_POINTS = ("cli", "__main__")
#: Where the order of the areas is written down for people (and checked here).
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"


def area_of(module: str) -> str:
    """`attendance_desk.register.marks` -> `register`; a top-level module is its own area."""
    return module.split(".")[1]


def imported_modules(path: Path) -> list[str]:
    """Every `attendance_desk.*` module a file imports, at any depth (lazy imports count)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return [name for name in found if name.startswith("attendance_desk.")]


def area_imports() -> dict[tuple[str, str], set[str]]:
    """(importer area, imported area) -> the importing files, for every source outside ui/."""
    edges: dict[tuple[str, str], set[str]] = {}
    for path in non_ui_sources():
        mine = area_of(module_name(path)) if path.parent != PACKAGE else path.stem
        if mine == "migrations":
            continue
        for name in imported_modules(path):
            theirs = area_of(name)
            if theirs != mine:
                edges.setdefault((mine, theirs), set()).add(str(path.relative_to(PACKAGE)))
    return edges


def cycle_in(edges: set[tuple[str, str]]) -> list[str]:
    """One circle of imports among the areas, or [] when there is none."""
    graph: dict[str, set[str]] = {}
    for importer, imported in edges:
        graph.setdefault(importer, set()).add(imported)
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return []
        for nxt in sorted(graph.get(node, ())):
            if found := visit(nxt, [*path, node]):
                return found
        done.add(node)
        return []

    for start in sorted(graph):
        if found := visit(start, []):
            return found
    return []


def test_nothing_below_ui_imports_ui_but_the_entry_point():
    """Only the entry point (cli.py) opens the window; no service or area imports ui/."""
    offenders = {
        key: files
        for key, files in area_imports().items()
        if key[1] == "ui" and key[0] not in ENTRY_POINTS
    }
    assert offenders == {}


def test_areas_import_each_other_in_no_circle():
    """The areas below ui/ form no circle of imports once the named upward imports are set
    aside, and each of those is still there (a mended one leaves the list)."""
    edges = {key for key in area_imports() if key[1] != "ui"}
    assert cycle_in(edges) == []


def documented_order() -> dict[str, int]:
    """Each area's level in the order docs/architecture.md states, lowest first ("a → b";
    areas named together, "a, b", share a level)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index("lowest first")
    order = text[start : text.index("`ui`", start) + len("`ui`")].split("\n\n", 1)[1]
    return {
        name: level
        for level, group in enumerate(order.split("→"))
        for name in re.findall(r"`([a-z_]+)`", group)
    }


def test_every_import_between_areas_points_down_the_documented_order():
    """Each area imports only areas below it in docs/architecture.md's order (the entry
    point opening the window aside), so the page a newcomer reads is the rule the code
    keeps, and every area is on it."""
    levels = documented_order()
    edges = area_imports()
    areas = {area for edge in edges for area in edge} - {"__main__"}
    assert areas - set(levels) == set()
    upward = {
        edge: sorted(files)
        for edge, files in edges.items()
        if edge[0] != "__main__"
        and edge not in {(entry, "ui") for entry in ENTRY_POINTS}
        and levels[edge[1]] >= levels[edge[0]]
    }
    assert upward == {}


def test_cycle_in_finds_a_circle():
    """The circle finder sees a three-area circle and passes a chain."""
    assert cycle_in({("a", "b"), ("b", "c"), ("c", "a")}) == ["a", "b", "c", "a"]
    assert cycle_in({("a", "b"), ("b", "c")}) == []


UI = PACKAGE / "ui"
#: Names that build a query (from sqlalchemy): only ui/operations/ and the services use them.
QUERY_BUILDERS = {"select", "update", "delete", "insert", "func", "and_", "or_", "case", "text"}
#: Screens that still open sessions themselves, to be moved onto ui/operations/ one by one;
#: the list only shrinks (a converted screen must leave it).
STILL_OPENING_SESSIONS: set[str] = set()


def database_work(path: Path) -> list[str]:
    """Where a file opens a session (`with factory()`, `with transaction(...)`, `with
    Session(...)`) or imports a query builder from SQLAlchemy."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call):
                    func = call.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if name.endswith("factory") or name in {"transaction", "begin", "Session"}:
                        found.append(f"line {node.lineno}: with {name}()")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [f"imports {a.name}" for a in node.names if a.name in QUERY_BUILDERS]
    return found


def test_screens_leave_the_database_to_operations():
    """Outside ui/operations/, no screen opens a session or builds a query (save the named
    screens still to convert), and every named screen still does (the list only shrinks)."""
    doing = {
        str(p.relative_to(UI)): database_work(p)
        for p in sorted(UI.rglob("*.py"))
        if "operations" not in p.relative_to(UI).parts and database_work(p)
    }
    assert {
        name: found for name, found in doing.items() if name not in STILL_OPENING_SESSIONS
    } == {}
    assert STILL_OPENING_SESSIONS - set(doing) == set()


def test_database_work_sees_a_session_and_a_query(tmp_path: Path):
    """The detector finds `with self._factory()`, `with transaction(...)` and `select`."""
    sample = tmp_path / "screen.py"
    sample.write_text(
        "from sqlalchemy import select\n"
        "def f(self):\n"
        "    with self._factory() as s:\n"
        "        pass\n"
        "    with transaction(self._factory) as s:\n"
        "        pass\n",
        encoding="utf-8",
    )
    assert database_work(sample) == [
        "imports select",
        "line 3: with _factory()",
        "line 5: with transaction()",
    ]

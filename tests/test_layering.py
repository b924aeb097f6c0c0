"""The dependency arrow points one way: nothing outside `attendance_desk/ui/` touches Qt."""

from __future__ import annotations

import ast
import json
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

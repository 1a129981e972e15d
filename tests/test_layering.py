"""The import layers: the core (visitplanner/) never imports Qt nor ui/; visitplanner/edits
never imports Qt. Checked twice: statically (every import statement, including the lazy ones
inside functions) and by importing every core module in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def imported_packages(path: Path) -> set[str]:
    """The top-level packages that the module at ``path`` imports anywhere in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def forbidden_imports(folder: Path, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    """{module path: the forbidden packages it imports} over every .py file under ``folder``."""
    bad: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        hits = sorted(imported_packages(path) & set(forbidden))
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    return bad


def test_the_import_scan_sees_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from ui.shell.app import main\n    import PySide6.QtCore\n")
    assert imported_packages(module) == {"ui", "PySide6"}


def test_core_never_imports_ui_or_qt() -> None:
    assert forbidden_imports(ROOT / "visitplanner", ("ui", *QT)) == {}


def test_edits_never_import_qt() -> None:
    edits = ROOT / "visitplanner" / "edits"
    if not edits.is_dir():
        pytest.skip("visitplanner/edits/ does not exist yet")
    assert forbidden_imports(edits, QT) == {}


def test_core_modules_do_not_load_qt_or_ui() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "visitplanner").rglob("*.py")
        if p.name != "__main__.py"
    )
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        f"if m.split('.')[0] in {(*QT, 'ui')!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(result.stdout) == []


def test_start_up_does_not_import_heavy_libraries() -> None:
    """The CLI and the main window import ortools, reportlab... only when they are used."""
    script = (
        "import sys, json\n"
        "import visitplanner.cli, ui.shell.main_window\n"
        "visitplanner.cli.build_parser()\n"
        "heavy = ('ortools', 'reportlab', 'icalendar', 'vobject', 'pypdfium2')\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert json.loads(result.stdout) == []


# -- no module over 600 lines -------------------------------------------------------------

MAX_MODULE_LINES = 600


def long_modules(root: Path = ROOT) -> dict[str, int]:
    """{path: line count} of the .py files of visitplanner/ and ui/ over the limit."""
    found: dict[str, int] = {}
    for folder in ("visitplanner", "ui"):
        for path in sorted((root / folder).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_MODULE_LINES:
                found[path.relative_to(root).as_posix()] = lines
    return found


def test_no_module_is_over_600_lines() -> None:
    assert long_modules() == {}


def test_the_line_count_sees_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "visitplanner").mkdir()
    (tmp_path / "ui").mkdir()
    (tmp_path / "visitplanner" / "big.py").write_text("x = 1\n" * 601, encoding="utf-8")
    (tmp_path / "ui" / "small.py").write_text("x = 1\n" * 600, encoding="utf-8")
    assert long_modules(tmp_path) == {"visitplanner/big.py": 601}


# -- ui/: the shell composes the areas; the areas import the shell and the core, not each other

UI_AREAS = ("schedule", "map", "directory", "itinerary")


def ui_imports(path: Path) -> dict[str, bool]:
    """{ui sub-package imported: whether only for type checking} for the module at ``path``
    (``ui.schedule.model`` counts as ``schedule``; lazy imports inside functions count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            type_only.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found: dict[str, bool] = {}
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ui" and len(parts) > 1 and parts[1] in (*UI_AREAS, "shell"):
                only = id(node) in type_only
                found[parts[1]] = found.get(parts[1], True) and only
    return found


def ui_layer_violations(root: Path = ROOT) -> list[str]:
    """An area (ui/schedule, ui/map, ...) imports ui.shell and itself only; in the shell,
    only main_window.py (the composition root) builds the areas; another shell module may
    name an area's type for type checking only (the context names the schedule model)."""
    bad: list[str] = []
    for path in sorted((root / "ui").rglob("*.py")):
        relative = path.relative_to(root)
        if len(relative.parts) < 3:
            continue  # ui/__init__.py
        package = relative.parts[1]
        for imported, type_only in ui_imports(path).items():
            area_crossing = package in UI_AREAS and imported not in ("shell", package)
            shell_crossing = (
                package == "shell"
                and imported in UI_AREAS
                and path.name != "main_window.py"
                and not type_only
            )
            if area_crossing or shell_crossing:
                bad.append(f"{relative.as_posix()} imports ui.{imported}")
    return bad


def test_ui_areas_import_the_shell_and_the_core_not_each_other() -> None:
    assert ui_layer_violations() == []


def test_the_ui_layer_scan_sees_a_crossing(tmp_path: Path) -> None:
    for folder in ("ui/map", "ui/shell", "ui/schedule"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "ui" / "map" / "view.py").write_text(
        "from ui.shell.context import AppContext\nfrom ui.map import actions\n"
        "def f():\n    from ui.schedule.timeline import DayTimeline\n",
        encoding="utf-8",
    )
    (tmp_path / "ui" / "shell" / "context.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ui.schedule import model\n",
        encoding="utf-8",
    )
    (tmp_path / "ui" / "shell" / "tasks.py").write_text(
        "import ui.directory.panel\n", encoding="utf-8"
    )
    (tmp_path / "ui" / "shell" / "main_window.py").write_text(
        "from ui.map.view import MapView\n", encoding="utf-8"
    )
    assert ui_layer_violations(tmp_path) == [
        "ui/map/view.py imports ui.schedule",
        "ui/shell/tasks.py imports ui.directory",
    ]

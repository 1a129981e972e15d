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

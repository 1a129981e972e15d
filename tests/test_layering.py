"""The core never imports Qt: import every module of visitplanner/ in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_modules_do_not_load_qt() -> None:
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
        "if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(result.stdout) == []


def test_start_up_does_not_import_heavy_libraries() -> None:
    """The CLI and the main window import ortools, reportlab... only when they are used."""
    script = (
        "import sys, json\n"
        "import visitplanner.cli, ui.main_window\n"
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

"""Bad library files: a clear message in the app and on the command line, file untouched.

Each case is a file that must not be opened for editing; the app shows a message box,
``visitplanner trips --db FILE`` prints one line and exits 2, and afterwards the file is
byte-for-byte what it was, with no -wal or -shm beside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from visitplanner.library.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent


def _text(path: Path, demo: Path) -> None:
    path.write_text("Agenda de la mission, Montréal\nlundi 9 h : rencontre\n", encoding="utf-8")


def _empty(path: Path, demo: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path, demo: Path) -> None:
    data = demo.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _header_only(path: Path, demo: Path) -> None:
    path.write_bytes(demo.read_bytes()[:60])


def _newer(path: Path, demo: Path) -> None:
    shutil.copyfile(demo, path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()  # a library in WAL mode, as a newer version would leave it


def _other_sqlite(path: Path, demo: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
    db.execute("INSERT INTO invoice (total) VALUES (12.5)")
    db.commit()
    db.close()


def _other_sqlite_wal(path: Path, demo: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, name TEXT)")
    db.commit()
    db.close()


def _garbage_after_header(path: Path, demo: Path) -> None:
    data = bytearray(demo.read_bytes())
    data[100:] = bytes((i * 37) % 251 for i in range(len(data) - 100))
    path.write_bytes(bytes(data))


CASES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "text file": (_text, "not a Visit Planner library"),
    "empty file": (_empty, "empty"),
    "truncated library": (_truncated, "damaged"),
    "header only": (_header_only, "damaged"),
    "newer version": (_newer, "newer version"),
    "other SQLite database": (_other_sqlite, "not a Visit Planner library"),
    "other SQLite database in WAL mode": (_other_sqlite_wal, "not a Visit Planner library"),
    "damaged pages": (_garbage_after_header, "damaged"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def _cli(path: Path, tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        LANGUAGE="en",
    )
    return subprocess.run(
        [sys.executable, "-m", "visitplanner", *(command or ("trips",)), "--db", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _assert_clear_cli_failure(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert words.lower() in lines[0].lower(), lines[0]


def _app_message(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, str]:
    """What ui.shell.app.open_startup_library returns for ``path``, and the box it showed."""
    from PySide6.QtWidgets import QMessageBox

    from ui.shell import app as app_module

    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0  # closed without choosing another file

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    result = app_module.open_startup_library(path)
    assert len(shown) == 1, shown
    return result, shown[0]


@contextmanager
def _unchanged(path: Path) -> Iterator[None]:
    before, names = _digest(path), _siblings(path)
    mode = path.stat().st_mode
    yield
    assert _digest(path) == before, "the file was modified"
    assert path.stat().st_mode == mode
    assert _siblings(path) == names, "files were left beside the library"


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_gives_a_message_and_stays_untouched(
    case: str, demo_path: Path, tmp_path: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, words = CASES[case]
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "mission.visitplanner"
    make(path, demo_path)
    with _unchanged(path):
        _assert_clear_cli_failure(_cli(path, tmp_path), words)
        result, message = _app_message(path, monkeypatch)
        assert result is None
        assert words.lower() in message.lower()
        assert str(path) in message


def test_read_only_library_is_read_but_never_changed(
    demo_path: Path, tmp_path: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "mission.visitplanner"
    shutil.copyfile(demo_path, path)
    path.chmod(0o400)
    with _unchanged(path):
        listed = _cli(path, tmp_path)  # reading commands work on a read-only file
        assert listed.returncode == 0 and "Mission" in listed.stdout, listed.stderr
        _assert_clear_cli_failure(
            _cli(
                path,
                tmp_path,
                "trip",
                "new",
                "--name",
                "X",
                "--from",
                "2024-01-01",
                "--to",
                "2024-01-02",
            ),
            "read-only",
        )
        result, message = _app_message(path, monkeypatch)  # the app edits: it refuses
        assert result is None
        assert "read-only" in message


HOLDER = textwrap.dedent(
    """
    import sys
    from visitplanner.library import Library
    lib = Library.open(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.read()
    lib.close()
    """
)


def test_library_open_in_another_running_copy(
    demo_path: Path, tmp_path: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(demo_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with _unchanged(demo_path):
            # Reading goes on beside the app (WAL); writing says the app holds the file.
            assert _cli(demo_path, tmp_path).returncode == 0
            writing = _cli(demo_path, tmp_path, "trip", "delete", "--trip", "1")
            _assert_clear_cli_failure(writing, "The Visit Planner app holds the library")
            result, message = _app_message(demo_path, monkeypatch)
            assert result is None
            assert "another running copy" in message
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    assert holder.returncode == 0


@pytest.mark.parametrize("case", ["newer version", "damaged pages", "text file"])
def test_open_library_menu_keeps_the_current_library(
    case: str, demo_path: Path, tmp_path: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from ui.shell.main_window import MainWindow
    from visitplanner.library import Library

    make, words = CASES[case]
    folder = tmp_path / "files"
    folder.mkdir()
    bad = folder / "other.visitplanner"
    make(bad, demo_path)
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text)
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window = MainWindow(Library.open(demo_path))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    with _unchanged(bad):
        window.open_library_action.trigger()
    assert len(warnings) == 1 and words.lower() in warnings[0].lower()
    assert window.library.path == demo_path  # still working on the library it had
    assert window.trip_combo.count() == 2

"""Trip files are untrusted input (issue 11, item 3).

Each crafted file starts as a real export (``export_trip``) altered with sqlite3 directly.
Through the command line (``import trip FILE --db LIB``) each gets exit 2 and one sentence
within 10 s, and the library is left exactly as it was. A file still open in another copy
is read with its write-ahead log; a file another running copy holds is refused; no
temporary copy is left behind; the window reads the file off its thread.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_helper import run
from pytestqt.qtbot import QtBot

from visitplanner.exchange.tripfile import export_trip
from visitplanner.exchange.tripfile_reader import TEMP_PREFIX, read_trip_file
from visitplanner.library import Library, trips

TABLES = ("trip", "meeting", "delegate", "place", "organization", "contact", "meeting_window")


@pytest.fixture(scope="module")
def exported(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Trip 1 of the demo (38 meetings) as written by File > Export Trip."""
    folder = tmp_path_factory.mktemp("export")
    shutil.copyfile(_demo_template, folder / "demo.visitplanner")
    out = folder / "trip.visitplanner"
    with Library.open(folder / "demo.visitplanner") as lib:
        export_trip(lib, "1", out)
    return out


@pytest.fixture
def trip_file(exported: Path, tmp_path: Path) -> Path:
    target = tmp_path / "colleague's trip #1?.visitplanner"  # URI syntax in the name
    shutil.copyfile(exported, target)
    return target


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder imports use, watched by the test."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _fingerprint(db: Path) -> list[object]:
    """Every row count and AUTOINCREMENT counter of the library, read with plain sqlite3."""
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        counts = [connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]
        sequences = connection.execute("SELECT * FROM sqlite_sequence ORDER BY name").fetchall()
    finally:
        connection.close()
    return [*counts, *sequences]


def _craft(path: Path, *statements: str | tuple[str, tuple[object, ...]]) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA ignore_check_constraints = ON")  # foreign keys are off
        for statement in statements:
            if isinstance(statement, tuple):
                connection.execute(*statement)
            else:
                connection.execute(statement)
    finally:
        connection.close()


def _many_meetings(n: int) -> str:
    return (
        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < "
        f"{n}) INSERT INTO meeting (trip_id, title) SELECT 1, 'Rencontre ' || i FROM k"
    )


# name -> (statements that make the file hostile, words the sentence must hold)
CRAFTED: dict[str, tuple[list[str | tuple[str, tuple[object, ...]]], list[str]]] = {
    "years 1 to 9999": (
        ["UPDATE trip SET first_day = '0001-01-01', last_day = '9999-12-31'"],
        ["Trip 1 of the trip file is refused", "61 days at most"],
    ),
    "200-day trip": (
        ["UPDATE trip SET last_day = date(first_day, '+199 days')"],
        ["Trip 1", "61 days at most"],
    ),
    "status maybe": (
        ["UPDATE meeting SET status = 'maybe' WHERE id = 12"],
        ["Meeting 12 of the trip file has an unknown status “maybe”."],
    ),
    "bad kind": (
        ["UPDATE meeting SET kind = 'party' WHERE id = 3"],
        ["Meeting 3 of the trip file has an unknown kind “party”."],
    ),
    "bad region": (
        ["UPDATE trip SET region = 'atlantis'"],
        ["Trip 1 of the trip file has an unknown region “atlantis”."],
    ),
    "bad mode": (
        ["UPDATE meeting SET mode = 'teleport' WHERE id = 5"],
        ["Meeting 5 of the trip file has an unknown travel mode “teleport”."],
    ),
    "bad organization kind": (
        ["UPDATE organization SET kind = 'cartel' WHERE id = 4"],
        ["Organization 4", "unknown kind “cartel”"],
    ),
    "impossible start": (
        ["UPDATE meeting SET start = '2023-06-06T25:99' WHERE id = 7"],
        ["Meeting 7 of the trip file has an impossible start “2023-06-06T25:99”."],
    ),
    "impossible day hours": (
        ["UPDATE trip SET day_start = '25:99'"],
        ["Trip 1", "impossible start of the day “25:99”"],
    ),
    "day ends before it starts": (
        ["UPDATE trip SET day_start = '18:00', day_end = '08:00'"],
        ["Trip 1", "the day must end after it starts"],
    ),
    "window ends before it starts": (
        ["UPDATE meeting_window SET \"end\" = '2023-06-07T08:00' WHERE id = 1"],
        ["Availability window 1", "ends before it starts"],
    ),
    "meeting outside the trip's days": (
        ["UPDATE meeting SET start = '2023-09-01T10:00' WHERE id = 9"],
        ["Meeting 9", "outside the trip's days"],
    ),
    "duration out of bounds": (
        ["UPDATE meeting SET duration_minutes = 100000000 WHERE id = 2"],
        ["Meeting 2", "between 5 minutes and 24 hours"],
    ),
    "text where a number goes": (
        ["UPDATE meeting SET priority = 'high' WHERE id = 2"],
        ["Meeting 2", "“priority”", "not a number"],
    ),
    "missing column": (
        ["ALTER TABLE meeting DROP COLUMN notes"],
        ["is not a trip file written by Visit Planner (missing the column “notes”"],
    ),
    "missing table": (
        ["DROP TABLE meeting_host"],
        ["is not a trip file written by Visit Planner (missing the table “meeting_host”)."],
    ),
    "a view instead of a table": (
        [
            "DROP TABLE meeting_host",
            "CREATE VIEW meeting_host(meeting_id, contact_id) AS "
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k) SELECT i, i FROM k",
        ],
        ["missing the table “meeting_host”"],
    ),
    "user_version 0": (
        ["PRAGMA user_version = 0"],
        ["is not a trip file written by Visit Planner (it has no format version)."],
    ),
    "newer user_version": (
        ["PRAGMA user_version = 99"],
        ["written by a newer version of Visit Planner"],
    ),
    "wrong application_id": (
        ["PRAGMA application_id = 1234"],
        ["is not a trip file written by Visit Planner."],
    ),
    "10 MB text field": (
        [("UPDATE meeting SET notes = ? WHERE id = 4", ("x" * 10_000_000,))],
        ["Meeting 4", "“notes” longer than 20000 characters"],
    ),
    "10 MB blob in a number column": (
        ["UPDATE meeting SET duration_minutes = zeroblob(10000000) WHERE id = 4"],
        ["Meeting 4", "“duration”", "not a number"],
    ),
    "too many meetings": (
        [_many_meetings(6000)],
        ["has 6038 rows in its table “meeting”; a trip file has 5000 at most."],
    ),
    "a host who is not in the file": (
        [
            "UPDATE meeting_host SET contact_id = 999 WHERE meeting_id = "
            "(SELECT min(meeting_id) FROM meeting_host)"
        ],
        ["A host of meeting", "refers to contact 999, which is not in the file."],
    ),
    "control characters in a name": (
        ["UPDATE contact SET family_name = 'Côté' || char(27) || '[2J' WHERE id = 2"],
        ["Contact 2", "control characters in its “family_name”"],
    ),
    "two trips": (
        [
            "INSERT INTO trip (name, first_day, last_day, timezone) SELECT name || ' bis', "
            "first_day, last_day, timezone FROM trip"
        ],
        ["is a library with 2 trips, not a trip file."],
    ),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_crafted_trip_file_gets_one_sentence_and_changes_nothing(
    case: str, trip_file: Path, demo_path: Path, temp_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statements, expected = CRAFTED[case]
    _craft(trip_file, *statements)
    before = _fingerprint(demo_path)
    started = time.monotonic()
    code, out, err = run(capsys, "import", "trip", str(trip_file), "--db", str(demo_path))
    elapsed = time.monotonic() - started
    assert code == 2, (out, err)
    message = err.strip()
    assert "Traceback" not in err and len(message.splitlines()) == 1, err
    for words in expected:
        assert words in message
    assert elapsed < 10
    assert _fingerprint(demo_path) == before
    assert list(temp_root.iterdir()) == []  # the copy went with the refusal


def test_the_untouched_export_imports(
    trip_file: Path, demo_path: Path, temp_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control case: the same file, not crafted, goes in (so each case above can fail)."""
    before = _fingerprint(demo_path)
    code, out, err = run(capsys, "import", "trip", str(trip_file), "--db", str(demo_path))
    assert code == 0, err
    assert "38 meetings" in out
    assert _fingerprint(demo_path)[1] == before[1] + 38
    assert list(temp_root.iterdir()) == []
    beside = [p.name for p in trip_file.parent.iterdir() if p.name.startswith(trip_file.name)]
    assert beside == [trip_file.name]  # reading left no -wal or -shm beside the file


def test_not_a_database_a_folder_and_a_fifo_get_a_sentence_at_once(
    tmp_path: Path, demo_path: Path, temp_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.visitplanner"
    junk.write_bytes(os.urandom(5000))
    fifo = tmp_path / "pipe.visitplanner"
    os.mkfifo(fifo)
    for path, words in (
        (junk, "is not a trip file written by Visit Planner."),
        (tmp_path, "is a folder, not a trip file."),
        (fifo, "is not a regular file"),
        (tmp_path / "nowhere.visitplanner", "does not exist."),
    ):
        started = time.monotonic()
        code, _out, err = run(capsys, "import", "trip", str(path), "--db", str(demo_path))
        assert code == 2 and words in err and "Traceback" not in err, err
        assert time.monotonic() - started < 10
    assert list(temp_root.iterdir()) == []


def test_the_library_itself_is_not_imported_into_itself(
    demo_path: Path, temp_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _fingerprint(demo_path)
    code, _out, err = run(capsys, "import", "trip", str(demo_path), "--db", str(demo_path))
    assert code == 2
    assert err.strip().endswith(
        ": demo.visitplanner is the library itself; choose a trip file to import."
    )
    assert _fingerprint(demo_path) == before


# -- one rule for trip new, the trip dialog and the import -------------------------------


@pytest.mark.parametrize(("last", "accepted"), [("2025-08-15", True), ("2025-08-16", False)])
def test_trip_new_takes_61_days_at_most(
    last: str, accepted: bool, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        capsys,
        "trip",
        "new",
        "--db",
        str(demo_path),
        "--name",
        "Long",
        "--from",
        "2025-06-16",
        "--to",
        last,
    )
    if accepted:
        assert code == 0, err
    else:
        assert code == 2 and err.strip().endswith(": A trip lasts 61 days at most.")


def test_the_trip_dialog_takes_61_days_at_most(qtbot: QtBot, window: object) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDialog

    from ui.schedule.trip_dialog import TripDialog

    dialog = TripDialog(window, window.library, None)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Long mission")
    dialog.first_day.setDate(QDate(2025, 6, 16))
    dialog.last_day.setDate(QDate(2025, 8, 16))  # 62 days: the dialog allowed 90
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "A trip lasts 61 days at most."
    dialog.last_day.setDate(QDate(2025, 8, 15))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


# -- a file still open elsewhere ----------------------------------------------------------


@pytest.fixture
def open_elsewhere(trip_file: Path) -> Iterator[sqlite3.Connection]:
    """Another program writing the trip file: 20 more meetings, all still in its WAL."""
    connection = sqlite3.connect(trip_file, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("BEGIN")
    connection.execute(
        "INSERT INTO meeting (trip_id, title, start) SELECT 1, 'Late addition ' || id, "
        "'2023-06-08T15:00' FROM meeting ORDER BY id LIMIT 20"
    )
    connection.execute("COMMIT")
    yield connection
    connection.close()


def test_a_file_open_in_another_program_imports_all_its_meetings(
    open_elsewhere: sqlite3.Connection,
    trip_file: Path,
    demo_path: Path,
    temp_root: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wal = trip_file.with_name(trip_file.name + "-wal")
    assert wal.stat().st_size > 0  # the 20 rows are in the WAL, not in the file itself
    file_only = sqlite3.connect(f"{trip_file.as_uri()}?immutable=1", uri=True)
    assert file_only.execute("SELECT count(*) FROM meeting").fetchone()[0] == 38
    file_only.close()
    code, out, err = run(capsys, "import", "trip", str(trip_file), "--db", str(demo_path), "--json")
    assert code == 0, err
    result = json.loads(out[out.index("{") :])
    assert result["meetings"] == 58
    with Library.open(demo_path) as lib:
        assert len(trips.meetings(lib, result["trip_id"])) == 58
    assert wal.exists()  # the other program's files are left as they were
    assert open_elsewhere.execute("SELECT count(*) FROM meeting").fetchone()[0] == 58


def test_a_file_another_running_copy_holds_is_refused(
    trip_file: Path, demo_path: Path, temp_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            "f = open(sys.argv[1], 'rb')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
            str(trip_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = _fingerprint(demo_path)
        code, _out, err = run(capsys, "import", "trip", str(trip_file), "--db", str(demo_path))
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert code == 2
    assert err.strip().endswith(
        "is open in another running copy of Visit Planner; close it there first."
    )
    assert _fingerprint(demo_path) == before
    assert list(temp_root.iterdir()) == []


# -- temporary copies ---------------------------------------------------------------------


def test_no_copy_is_left_and_stale_copies_of_killed_imports_are_removed(
    trip_file: Path, temp_root: Path
) -> None:
    stale = temp_root / f"{TEMP_PREFIX}killed"
    stale.mkdir()
    (stale / "trip.visitplanner").write_bytes(b"\0" * 1_000_000)
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    running = temp_root / f"{TEMP_PREFIX}running"  # another import, still at work
    running.mkdir()
    lock = os.open(running / ".import-lock", os.O_WRONLY | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    os.utime(running, (two_hours_ago, two_hours_ago))
    young = temp_root / f"{TEMP_PREFIX}young"  # just made by another import
    young.mkdir()
    other = temp_root / "someone-else-old"
    other.mkdir()
    os.utime(other, (two_hours_ago, two_hours_ago))
    try:
        content = read_trip_file(trip_file)
        assert len(content.meetings) == 38
        assert sorted(p.name for p in temp_root.iterdir()) == sorted(
            [running.name, young.name, other.name]
        )
    finally:
        os.close(lock)


def test_a_killed_import_leaves_a_copy_the_next_import_removes(
    trip_file: Path, temp_root: Path
) -> None:
    """SIGKILL in the middle of the copy: the folder stays, the next import cleans it."""
    script = (
        "import sys, tempfile, os, signal\n"
        "tempfile.tempdir = sys.argv[2]\n"
        "from visitplanner.exchange import tripfile_reader as r\n"
        "def die(*a):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "r.read_trip_file(__import__('pathlib').Path(sys.argv[1]), die)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(trip_file), str(temp_root)],
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    left = list(temp_root.iterdir())
    assert len(left) == 1 and left[0].name.startswith(TEMP_PREFIX)
    old = time.time() - 7200
    os.utime(left[0], (old, old))
    read_trip_file(trip_file)
    assert list(temp_root.iterdir()) == []


# -- the window ---------------------------------------------------------------------------


def _import_from_menu(window: object, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.directory_panel.import_trip_action.trigger()  # type: ignore[attr-defined]


def test_the_window_reads_the_trip_file_off_its_thread_and_stays_responsive(
    qtbot: QtBot, window: object, trip_file: Path, monkeypatch: pytest.MonkeyPatch, temp_root: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from visitplanner.exchange import tripfile_reader

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(str(a[2])))
    gui_ticked = threading.Event()
    threads: list[threading.Thread] = []

    def slow_read(path: Path, progress: Callable[[float, str], None]) -> object:
        threads.append(threading.current_thread())
        # Finishes only once the GUI thread has run a timer: it must not be blocked.
        assert gui_ticked.wait(10), "the GUI thread was blocked while the file was read"
        return read_trip_file(path, progress)

    monkeypatch.setattr(tripfile_reader, "read_trip_file", slow_read)
    before = window.trip_combo.count()  # type: ignore[attr-defined]
    _import_from_menu(window, trip_file, monkeypatch)
    QTimer.singleShot(50, gui_ticked.set)
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    assert threads and threads[0] is not threading.main_thread()
    assert "Imported" in shown[-1] and "38 meetings" in shown[-1]
    assert window.trip_combo.count() == before + 1  # type: ignore[attr-defined]
    window.undo_stack.undo()  # type: ignore[attr-defined]
    assert window.trip_combo.count() == before  # type: ignore[attr-defined]
    window.undo_stack.redo()  # type: ignore[attr-defined]
    assert window.trip_combo.count() == before + 1  # type: ignore[attr-defined]


def test_the_window_shows_the_sentence_for_a_crafted_file(
    qtbot: QtBot, window: object, trip_file: Path, monkeypatch: pytest.MonkeyPatch, temp_root: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    _craft(trip_file, "UPDATE meeting SET status = 'maybe' WHERE id = 12")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(str(a[2])))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: warnings.append("info"))
    before = window.trip_combo.count()  # type: ignore[attr-defined]
    undo_steps = window.undo_stack.count()  # type: ignore[attr-defined]
    _import_from_menu(window, trip_file, monkeypatch)
    qtbot.waitUntil(lambda: bool(warnings), timeout=15_000)
    assert warnings == ["Meeting 12 of the trip file has an unknown status “maybe”."]
    assert window.trip_combo.count() == before  # type: ignore[attr-defined]
    assert window.undo_stack.count() == undo_steps  # type: ignore[attr-defined]


def test_a_read_finishing_after_file_open_is_dropped(
    qtbot: QtBot,
    window: object,
    trip_file: Path,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    temp_root: Path,
) -> None:
    from visitplanner.exchange import tripfile_reader

    release = threading.Event()
    finished = threading.Event()

    def slow_read(path: Path, progress: Callable[[float, str], None]) -> object:
        release.wait(10)
        try:
            return read_trip_file(path, progress)
        finally:
            finished.set()

    monkeypatch.setattr(tripfile_reader, "read_trip_file", slow_read)
    _import_from_menu(window, trip_file, monkeypatch)
    other = tmp_path / "other.visitplanner"
    shutil.copyfile(demo_path, other)
    window._open_path(other)  # type: ignore[attr-defined]
    count = window.trip_combo.count()  # type: ignore[attr-defined]
    release.set()
    qtbot.waitUntil(finished.is_set, timeout=10_000)
    qtbot.wait(200)  # let the result arrive on the GUI thread
    assert window.trip_combo.count() == count  # type: ignore[attr-defined]
    assert window.undo_stack.count() == 0  # type: ignore[attr-defined]

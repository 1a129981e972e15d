"""Nothing a user does loses the library (issue 11: data safety).

- An export aimed at the library, its side files, a backup, the tile cache or any other
  library is refused with a sentence, exit 2, and the library is untouched.
- SQLite decides what is damaged: a library killed while it checkpoints its write-ahead log
  opens with every committed row; a read-only folder, a full disk and a lock held by another
  program each get their own sentence (never "damaged"), and reading works read-only.
- A stale ``-wal`` left by a killed session never reaches a new library of the same name.
- Every failure on the command line is one sentence and exit 2, without personal data.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helper import run

from visitplanner.library import Library

ROOT = Path(__file__).resolve().parent.parent


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trip_count(path: Path) -> int:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM trip").fetchone()[0])
    finally:
        db.close()


# -- exports never touch a library ------------------------------------------------------

EXPORTS = {
    "contacts": ["export", "contacts"],
    "csv": ["export", "contacts", "--format", "csv"],
    "ics": ["export", "ics", "--trip", "1"],
    "pdf": ["export", "pdf", "--trip", "1"],
    "trip": ["export", "trip", "--trip", "1"],
}


@pytest.mark.parametrize("kind", sorted(EXPORTS))
@pytest.mark.parametrize("target", ["library", "wal", "shm", "backup", "tiles", "other"])
def test_an_export_never_replaces_a_library(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path, kind: str, target: str
) -> None:
    other = tmp_path / "colleague.visitplanner"
    shutil.copyfile(demo_path, other)
    backup = demo_path.with_name(demo_path.name + ".v1.bak")
    shutil.copyfile(demo_path, backup)
    tiles = demo_path.with_name("demo.tiles.mbtiles")
    from visitplanner.geo.tiles import MBTiles

    MBTiles(tiles).close()
    # A -wal and -shm as a running copy leaves them.
    keeper = sqlite3.connect(demo_path)
    keeper.execute("PRAGMA journal_mode = WAL")
    keeper.execute("UPDATE trip SET notes = notes || ' ' WHERE id = 1")
    keeper.commit()
    paths = {
        "library": demo_path,
        "wal": demo_path.with_name(demo_path.name + "-wal"),
        "shm": demo_path.with_name(demo_path.name + "-shm"),
        "backup": backup,
        "tiles": tiles,
        "other": other,
    }
    out = paths[target]
    assert out.exists()
    before = {name: _digest(p) for name, p in paths.items() if name in ("backup", "tiles", "other")}
    code, stdout, err = run(capsys, *EXPORTS[kind], "--db", str(demo_path), "--out", str(out))
    keeper.close()
    assert code == 2, (stdout, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "never replaces" in err or "would damage that database" in err, err
    after = {name: _digest(p) for name, p in paths.items() if name in ("backup", "tiles", "other")}
    for name in ("backup", "tiles", "other"):
        assert after[name] == before[name], name
    assert _trip_count(demo_path) == 2
    with Library.open(demo_path) as lib:
        assert lib.integrity_ok()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_trip_file_may_be_replaced_by_a_new_export_but_not_the_open_library(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    from visitplanner.exchange.tripfile import export_trip

    out = tmp_path / "boston.visitplanner"
    with Library.open(demo_path) as lib:
        export_trip(lib, "1", out)
        export_trip(lib, "1", out, overwrite=True)  # the Save dialog asked first
        assert _trip_count(out) == 1
    with Library.open(out) as trip_file:
        from visitplanner.errors import InputError

        with pytest.raises(InputError, match="library you are working in"):
            export_trip(trip_file, "1", out, overwrite=True)
    assert _trip_count(out) == 1


def test_exports_refuse_devices_and_folders(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.ics"
    os.mkfifo(fifo)
    for out, words in ((fifo, "not a regular file"), (tmp_path, "is a folder")):
        code, _out, err = run(
            capsys, "export", "ics", "--trip", "1", "--db", str(demo_path), "--out", str(out)
        )
        assert code == 2 and words in err, err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_exports_follow_the_users_umask(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path, umask: int
) -> None:
    old = os.umask(umask)
    try:
        out = tmp_path / "contacts.vcf"
        code, _out, err = run(
            capsys, "export", "contacts", "--db", str(demo_path), "--out", str(out)
        )
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCARD")


# -- SQLite decides what is damaged -----------------------------------------------------

_CHECKPOINTER = textwrap.dedent(
    """
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("PRAGMA synchronous = NORMAL")
    n = 0
    while True:
        db.execute("BEGIN IMMEDIATE")
        for _ in range(200):
            n += 1
            db.execute(
                "INSERT INTO organization (name, kind, notes) VALUES (?, 'biotech', ?)",
                (f"Kill test {n}", "x" * 3000),
            )
        db.execute("COMMIT")
        print(n, flush=True)  # committed: a checkpoint starts now
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    """
)


def _header_says_longer(path: Path) -> bool:
    """True while a checkpoint has written the new header (page count) but not yet the
    pages at the end of the file: the moment a kill leaves a file that looks truncated."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(header) < 100:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return size < page_size * int.from_bytes(header[28:32], "big")


def test_a_kill_during_checkpoint_never_condemns_an_intact_library(
    demo_path: Path, tmp_path: Path
) -> None:
    """50 SIGKILLs while SQLite copies the log into the file, most at the moment the file
    looks truncated: every time the library opens, passes its integrity check, and holds
    every row whose commit was reported."""
    script = tmp_path / "checkpointer.py"
    script.write_text(_CHECKPOINTER, encoding="utf-8")
    rng = random.Random(11)
    targeted = 0
    for _ in range(50):
        child = subprocess.Popen(
            [sys.executable, str(script), str(demo_path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        first = int(child.stdout.readline())  # one transaction committed; checkpoints begin
        deadline = time.monotonic() + rng.uniform(0.005, 0.5)
        while time.monotonic() < deadline:
            if _header_says_longer(demo_path):
                targeted += 1
                break
        child.send_signal(signal.SIGKILL)
        child.wait()
        committed = first
        for line in child.stdout.read().split():
            committed = int(line)
        child.stdout.close()
        with Library.open(demo_path) as lib:
            assert lib.integrity_ok()
            count = lib.query_one("SELECT count(*) FROM organization WHERE name LIKE 'Kill test %'")
            assert count is not None and count[0] >= committed
            lib.db.execute("DELETE FROM organization WHERE name LIKE 'Kill test %'")
    print(f"{targeted} of 50 kills landed while the header was ahead of the file")


def test_a_library_whose_header_lags_its_log_is_opened(demo_path: Path) -> None:
    """The state a kill during a checkpoint leaves: the file's header says more pages than
    the file has, the log holds them. SQLite replays it; nothing is called damaged."""
    db = sqlite3.connect(demo_path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("BEGIN")
    for n in range(300):
        db.execute(
            "INSERT INTO organization (name, kind, notes) VALUES (?, 'biotech', ?)",
            (f"Grown {n}", "y" * 4000),
        )
    db.execute("COMMIT")
    # Copy the state mid-way: the log complete, the main file still the short old one but
    # with the new header (page count) written, as a checkpoint writes page 1 early.
    wal = demo_path.with_name(demo_path.name + "-wal").read_bytes()
    snapshot = demo_path.read_bytes()
    db.execute("PRAGMA wal_checkpoint(FULL)")
    header = demo_path.read_bytes()[:100]
    db.close()
    broken = demo_path.with_name("killed.visitplanner")
    broken.write_bytes(header + snapshot[100:])
    broken.with_name(broken.name + "-wal").write_bytes(wal)
    assert broken.stat().st_size < int.from_bytes(header[28:32], "big") * int.from_bytes(
        header[16:18], "big"
    )
    with Library.open(broken) as lib:
        assert lib.integrity_ok()
        row = lib.query_one("SELECT count(*) FROM organization WHERE name LIKE 'Grown %'")
        assert row is not None and row[0] == 300


def test_a_stale_wal_never_reaches_a_new_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mission.visitplanner"
    code, _out, err = run(capsys, "demo", "--db", str(path))
    assert code == 0, err
    # A session killed with changes in its log, then the library deleted by hand.
    script = textwrap.dedent(
        f"""
        import os, sqlite3
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("BEGIN")
        db.execute("DELETE FROM meeting")
        db.execute("UPDATE trip SET name = 'Stale ' || id")
        db.execute("COMMIT")
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    path.unlink()
    code, out, err = run(capsys, "demo", "--db", str(path))
    assert code == 0, err
    code, out, err = run(capsys, "trips", "--db", str(path), "--json")
    assert code == 0, err
    assert "Stale" not in out and '"meetings": 0' not in out
    with Library.open(path) as lib:
        assert lib.integrity_ok()


def test_real_damage_is_called_damaged(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page * 2, min(len(data), page * 6)):
        data[offset] = 0x5A
    demo_path.write_bytes(bytes(data))
    before = _digest(demo_path)
    code, _out, err = run(capsys, "trips", "--db", str(demo_path))
    assert code == 2 and "is damaged" in err and "Traceback" not in err, err
    assert _digest(demo_path) == before


def _without_root_powers(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user to whom permissions apply (root minus its override powers)."""
    command = [sys.executable, "-m", "visitplanner", *argv]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot apply")
        drop = "-dac_override,-dac_read_search,-fowner"
        command = [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    env = {**os.environ, "LANGUAGE": "en"}
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_a_library_in_a_read_only_folder_is_read_not_condemned(demo_path: Path) -> None:
    folder = demo_path.parent
    demo_path.chmod(0o444)
    folder.chmod(0o555)
    try:
        listed = _without_root_powers(["trips", "--db", str(demo_path), "--json"])
        changed = _without_root_powers(
            ["trip", "new", "--db", str(demo_path), "--name", "X", "--region", "boston",
             "--from", "2025-06-02", "--to", "2025-06-04"]
        )  # fmt: skip
    finally:
        folder.chmod(0o755)
        demo_path.chmod(0o600)
    assert listed.returncode == 0, listed.stderr
    assert '"meetings"' in listed.stdout
    assert changed.returncode == 2
    assert "damaged" not in changed.stderr and "Traceback" not in changed.stderr
    assert "read-only" in changed.stderr or "cannot be written" in changed.stderr
    assert not [p for p in folder.iterdir() if p.name.endswith(("-wal", "-shm"))]


def test_a_lock_held_by_another_program_is_a_sentence(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    other = sqlite3.connect(demo_path, isolation_level=None)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("BEGIN EXCLUSIVE")
    try:
        code, _out, err = run(
            capsys, "trip", "new", "--db", str(demo_path), "--name", "Locked out",
            "--region", "boston", "--from", "2025-06-02", "--to", "2025-06-04",
        )  # fmt: skip
        listed, out, _err = run(capsys, "trips", "--db", str(demo_path))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2 and "locked by another program" in err and "Traceback" not in err, err
    assert listed == 0 and "Boston" in out  # reading goes on beside the writer


def test_a_full_disk_is_one_sentence_and_nothing_half_written(demo_library: Library) -> None:
    from visitplanner.errors import DiskFullError
    from visitplanner.library import directory
    from visitplanner.model import Organization, OrgKind

    before = len(directory.organizations(demo_library))
    pages = demo_library.query_one("PRAGMA page_count")
    assert pages is not None
    demo_library.db.execute(f"PRAGMA max_page_count = {pages[0]}")  # no room to grow
    with pytest.raises(DiskFullError, match="is full") as raised, demo_library.write():
        for n in range(400):
            directory.add_organization(
                demo_library, Organization(name=f"Full {n}", kind=OrgKind.BIOTECH, notes="z" * 4000)
            )
    assert "rollback" not in str(raised.value)
    assert not demo_library.db.in_transaction
    assert len(directory.organizations(demo_library)) == before


def test_a_fifo_as_the_library_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.visitplanner"
    os.mkfifo(fifo)
    started = time.monotonic()
    code, _out, err = run(capsys, "trips", "--db", str(fifo))
    assert code == 2 and "not a regular file" in err, err
    assert time.monotonic() - started < 5


# -- one error boundary -----------------------------------------------------------------


def test_a_huge_trip_number_is_no_trip(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    for ref in ("99999999999999999999999", "²"):
        code, _out, err = run(capsys, "plan", "--db", str(demo_path), "--trip", ref)
        assert code == 2 and "There is no trip" in err and "Traceback" not in err, err


def test_a_bug_is_one_sentence_without_personal_data(
    capsys: pytest.CaptureFixture[str], demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from visitplanner.library import trips

    def broken(*_args: object) -> object:
        raise KeyError("marie.tremblay@example.com +1 514-555-0199")

    monkeypatch.setattr(trips, "trip_summaries", broken)
    code, _out, err = run(capsys, "trips", "--db", str(demo_path))
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unexpected problem (KeyError in tests/" in err or "KeyError" in err
    assert "example.com" not in err and "555" not in err
    monkeypatch.setenv("VISITPLANNER_DEBUG", "1")
    code, _out, err = run(capsys, "trips", "--db", str(demo_path))
    assert code == 2 and "Traceback" in err  # the details, for a report
    assert "example.com" not in err and "555-0199" not in err


def test_control_characters_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    db = sqlite3.connect(demo_path)
    db.execute("UPDATE trip SET name = 'Mission \x1b]0;pwned\x07\x1b[2J Boston' WHERE id = 1")
    db.commit()
    db.close()
    code, out, err = run(capsys, "trips", "--db", str(demo_path))
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "Mission" in out and "Boston" in out
    code, out, _err = run(capsys, "trips", "--db", str(demo_path), "--json")
    assert "\\u001b" in out  # JSON keeps the data, escaped


def test_a_damaged_tile_cache_counts_as_no_cache(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    from visitplanner.geo.tiles import MBTiles

    cache = demo_path.with_name("demo.tiles.mbtiles")
    cache.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    out = tmp_path / "master.pdf"
    code, _out, err = run(
        capsys, "export", "pdf", "--trip", "1", "--db", str(demo_path), "--out", str(out)
    )
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    tiles = MBTiles(cache)
    assert tiles.get(12, 1238, 1514) is None and tiles.damaged
    tiles.put(12, 1238, 1514, b"\x89PNG")
    assert tiles.count() == 0
    tiles.close()
    tiles.close()  # closing twice (the window's close) is harmless


# -- the window: the same boundary ------------------------------------------------------


def test_the_window_tells_a_locked_library_and_a_bug_without_personal_data(
    window: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A slot that meets another program's lock shows the sentence; a bug's details hold no
    email address or phone number, on screen or on stderr."""
    from PySide6.QtWidgets import QMessageBox

    from ui.shell import app as app_module

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.text(), box.detailedText())) or 0
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append((a[2], "")))
    holder = sqlite3.connect(window.library.path)  # type: ignore[attr-defined]
    holder.execute("BEGIN EXCLUSIVE")
    try:
        other = sqlite3.connect(window.library.path, timeout=0)  # type: ignore[attr-defined]
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            app_module._report_uncaught(type(error), error, error.__traceback__)
        other.close()
    finally:
        holder.rollback()
        holder.close()
    try:
        raise ValueError("bad phone +1 514-555-0199 for claire.roy@example.org")
    except ValueError as error:
        app_module._report_uncaught(ValueError, error, error.__traceback__)
    assert "locked by another program" in shown[0][0] and shown[0][1] == ""
    assert "demo.visitplanner" in shown[0][0]
    assert "Something went wrong" in shown[1][0] and "ValueError" in shown[1][1]
    err = capsys.readouterr().err
    for text in (shown[1][1], err):
        assert "example.org" not in text and "555-0199" not in text


def test_the_map_survives_a_damaged_tile_cache(qtbot: object, demo_path: Path) -> None:
    """A damaged cache beside the library: the map paints (no tile), exporting uses no
    tile, and closing the window does not crash."""
    from ui.shell.app import make_application
    from ui.shell.main_window import MainWindow

    cache = demo_path.with_name("demo.tiles.mbtiles")
    cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    make_application()
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    store = win.map_view.tile_cache()
    assert store is not None
    win.map_view.canvas.repaint()
    qtbot.wait(50)  # type: ignore[attr-defined]
    assert store.damaged and store.get(3, 2, 2) is None
    win.close()


# -- found by a hostile review ----------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path, demo_path: Path) -> Iterator[Path]:
    """A 600 KB disk holding a copy of the demo library, then filled to the last byte."""
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {done.stderr.decode().strip()}")
    try:
        shutil.copyfile(demo_path, mount / "full.visitplanner")
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        os.close(fd)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_still_reads_and_an_export_names_its_own_file(
    capsys: pytest.CaptureFixture[str], full_disk: Path
) -> None:
    library = full_disk / "full.visitplanner"
    code, out, err = run(capsys, "trips", "--db", str(library))
    assert code == 0 and "Boston" in out, err
    code, _out, err = run(
        capsys, "trip", "new", "--db", str(library), "--name", "More",
        "--from", "2025-06-02", "--to", "2025-06-04",
    )  # fmt: skip
    assert code == 2 and "is full" in err and "input/output" not in err, err
    out_file = full_disk / "boston.visitplanner"
    code, _out, err = run(
        capsys, "export", "trip", "--db", str(library), "--trip", "1", "--out", str(out_file)
    )
    assert code == 2 and "is full" in err and str(out_file) in err and ".part" not in err, err
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "full.visitplanner"]


def test_a_trip_file_being_written_by_another_program_is_refused_in_seconds(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    trip_file = tmp_path / "boston.trip"
    code, _out, err = run(
        capsys, "export", "trip", "--db", str(demo_path), "--trip", "1", "--out", str(trip_file)
    )
    assert code == 0, err
    writer = sqlite3.connect(trip_file, isolation_level=None)
    writer.execute("PRAGMA journal_mode = DELETE")
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE trip SET name = 'Half written'")
    started = time.monotonic()
    try:
        code, _out, err = run(capsys, "import", "trip", str(trip_file), "--db", str(demo_path))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert code == 2 and "being written by another program" in err, err
    assert time.monotonic() - started < 8
    assert _trip_count(demo_path) == 2


def test_export_trip_never_replaces_a_library_of_ones_own_or_one_in_use(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    """A library with a single trip and a directory of its own is not a trip file; nor is a
    trip file open in a running copy of Visit Planner."""
    from visitplanner.errors import InputError
    from visitplanner.exchange.tripfile import export_trip
    from visitplanner.library import directory, trips
    from visitplanner.model import Contact

    own = tmp_path / "mine.visitplanner"
    with Library.open(demo_path) as lib:
        export_trip(lib, "1", own)
    with Library.open(own) as mine:
        directory.add_contact(mine, Contact(given_name="Anaïs", family_name="Gagnon"))
    before = _digest(own)
    in_use = tmp_path / "in-use.visitplanner"
    with Library.open(demo_path) as lib:
        export_trip(lib, "1", in_use)
        with pytest.raises(InputError, match="never replaces"):
            export_trip(lib, "2", own, overwrite=True)
        with Library.open(in_use), pytest.raises(InputError, match="never replaces"):
            export_trip(lib, "2", in_use, overwrite=True)
        export_trip(lib, "2", in_use, overwrite=True)  # closed again: a trip file, replaced
    assert _digest(own) == before
    with Library.open(in_use) as trip_file:
        assert [t.id for t in trips.trips(trip_file)] == [1]


def test_a_killed_exports_leftovers_are_cleaned_by_the_next_export(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "contacts.vcf"
    stale = tmp_path / ".contacts.vcf.0badf00d.part"
    stale.write_text("half a file with people in it", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".contacts.vcf.c0ffee00.part"  # an export running right now
    fresh.write_text("in progress", encoding="utf-8")
    code, _out, err = run(capsys, "export", "contacts", "--db", str(demo_path), "--out", str(out))
    assert code == 0, err
    assert not stale.exists() and fresh.exists()


# -- found by a code review -------------------------------------------------------------


def test_a_trip_file_replaced_loses_its_old_log_and_keeps_private(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    """An old trip file's -wal (left by a killed session) never reaches the new file that
    replaces it; a trip file is readable by its owner only, and a replaced file keeps its
    permissions."""
    from visitplanner.exchange.tripfile import export_trip

    out = tmp_path / "X.trip"
    with Library.open(demo_path) as lib:
        export_trip(lib, "1", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not out.with_name("X.trip-wal").exists()
    script = textwrap.dedent(
        f"""
        import os, sqlite3
        db = sqlite3.connect({str(out)!r}, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("UPDATE trip SET name = 'Killed session'")
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    assert out.with_name("X.trip-wal").stat().st_size > 0
    with Library.open(demo_path) as lib:
        export_trip(lib, "2", out, overwrite=True)
    code, stdout, err = run(capsys, "trips", "--db", str(out), "--json")
    assert code == 0, err
    assert "Killed session" not in stdout and "Montréal" in stdout
    with Library.open(out) as trip_file:
        assert trip_file.integrity_ok()


def test_a_message_about_the_temporary_file_names_the_target_whatever_its_name(
    tmp_path: Path,
) -> None:
    from visitplanner.errors import InputError
    from visitplanner.outputs import atomic_output

    target = tmp_path / "Q1\\2024 \\g<x>.ics"
    with pytest.raises(InputError) as raised, atomic_output(target) as temporary:
        raise InputError(f"Cannot write {temporary}: disk full.")
    assert str(raised.value) == f"Cannot write {target}: disk full."


def test_leftover_cleaning_touches_only_our_leftovers(tmp_path: Path) -> None:
    from visitplanner.outputs import remove_stale_partials

    target = tmp_path / "report.pdf"
    ours = tmp_path / ".report.pdf.0123abcd.part"
    theirs = tmp_path / ".report.pdf.old.partial"
    for path in (ours, theirs):
        path.write_text("x")
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    remove_stale_partials(target)
    assert not ours.exists() and theirs.exists()


def test_json_keeps_bidirectional_marks_escaped_not_replaced(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    name = "Visite \u2067مرحبا\u2069 Boston"
    db = sqlite3.connect(demo_path)
    db.execute("UPDATE trip SET name = ? WHERE id = 1", (name,))
    db.commit()
    db.close()
    code, out, err = run(capsys, "trips", "--db", str(demo_path), "--json")
    assert code == 0, err
    assert "\\u2067" in out and "\ufffd" not in out
    assert json.loads(out)[0]["name"] == name


def test_records_an_older_version_let_in_can_still_be_edited(demo_library: Library) -> None:
    """The rules check what an edit changes: a 70-day trip can be renamed, a meeting whose
    notes hold a form feed can be moved; a new over-long trip is still refused."""
    import dataclasses
    import datetime as dt

    from visitplanner.errors import InputError
    from visitplanner.library import trips

    demo_library.db.execute("UPDATE trip SET last_day = '2023-08-13' WHERE id = 1")
    demo_library.db.execute(
        "UPDATE meeting SET notes = 'page\fbreak' WHERE id = (SELECT min(id) FROM meeting "
        "WHERE trip_id = 1 AND start IS NOT NULL)"
    )
    trip = trips.get_trip(demo_library, 1)
    trips.update_trip(demo_library, dataclasses.replace(trip, name="BIO 2023 (long stay)"))
    meeting = next(m for m in trips.meetings(demo_library, 1) if "\f" in m.notes)
    assert meeting.start is not None
    moved = dataclasses.replace(meeting, start=meeting.start + dt.timedelta(minutes=30))
    trips.update_meeting(demo_library, moved)
    with pytest.raises(InputError, match="control characters"):
        trips.update_meeting(demo_library, dataclasses.replace(moved, title="New\ftitle"))
    with pytest.raises(InputError, match="61 days"):
        trips.update_trip(
            demo_library,
            dataclasses.replace(trips.get_trip(demo_library, 1), last_day=dt.date(2023, 9, 1)),
        )


def test_a_file_the_system_refuses_is_a_library_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No permission (or a stale network mount) while opening: a LibraryError every caller
    shows (the window's start-up, File > Open, the command line), never an OSError."""
    from visitplanner.errors import LibraryError
    from visitplanner.library import database

    path = tmp_path / "mine.visitplanner"
    Library.open(path, create=True).close()

    def refused(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(database.os, "open", refused)
    with pytest.raises(LibraryError, match=r"Permission denied: .*mine\.visitplanner"):
        Library.open(path)

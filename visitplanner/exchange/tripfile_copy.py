"""A trip file copied safely: a regular file, not being written, copied with its WAL.

:func:`copy_locked` takes a shared ``flock`` on the file (a running copy of Visit Planner
holds an exclusive one: it is refused with a sentence) and copies it with SQLite's backup API
from a read-only connection, so rows still in its write-ahead log come along. Copies live in
temporary folders named ``visitplanner-trip-…``; :func:`remove_stale_copies` removes those
left by an import that was killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

from visitplanner.errors import InputError
from visitplanner.i18n import _

Progress = Callable[[float, str], None]


TEMP_PREFIX = "visitplanner-trip-"
# A live import locks its folder within microseconds of making it: an unlocked folder older
# than this belongs to an import that was killed.
STALE_AFTER_SECONDS = 60
BUSY_TIMEOUT_SECONDS = 3.0
MAX_TRIP_FILE_BYTES = 256 * 1024 * 1024
LOCK_NAME = ".import-lock"
COPY_NAME = "trip.visitplanner"
_SIDE_FILES = ("-wal", "-shm")


@contextlib.contextmanager
def private_copy(path: Path, report: Progress) -> Iterator[Path]:
    """A copy of the trip file ``path`` in a temporary folder of ours, removed afterwards.

    Refuses anything but a regular file before opening it (a pipe or a device would block).
    While the copy is in use, its folder's lock tells :func:`remove_stale_copies` to keep it.
    """
    check_regular_file(path)
    remove_stale_copies()
    root = Path(tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=root) as folder:
        lock_fd = os.open(Path(folder) / LOCK_NAME, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX)  # a live import: cleaners leave it alone
            copy = Path(folder) / COPY_NAME
            copy_locked(path, copy, report)
            yield copy
        finally:
            os.close(lock_fd)


def check_regular_file(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(_("{path} does not exist.").format(path=path)) from None
    except OSError as error:
        raise InputError(
            _("{path} cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(_("{path} is a folder, not a trip file.").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            _("{path} is not a regular file (a device or a pipe); choose a trip file.").format(
                path=path
            )
        )
    size = info.st_size
    with contextlib.suppress(OSError):
        size += path.with_name(path.name + "-wal").stat().st_size
    if size > MAX_TRIP_FILE_BYTES:
        raise InputError(
            _("{name} is {size} MB; a trip file is {limit} MB at most.").format(
                name=path.name, size=size // 2**20, limit=MAX_TRIP_FILE_BYTES // 2**20
            )
        )


def remove_stale_copies(root: Path | None = None) -> int:
    """Remove the temporary folders of imports that were killed; returns how many.

    A folder is stale when it is ours, older than :data:`STALE_AFTER_SECONDS` and no live
    import holds its lock.
    """
    root = root or Path(tempfile.gettempdir())
    removed = 0
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            continue
        if now - info.st_mtime < STALE_AFTER_SECONDS or _in_use(Path(entry.path)):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed += not os.path.exists(entry.path)
    return removed


def _in_use(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def copy_locked(path: Path, copy: Path, report: Progress) -> None:
    """Copy ``path`` to ``copy`` with SQLite's backup API under a shared lock."""
    name = path.name
    try:
        # O_NONBLOCK: had the file become a pipe since the check, opening must not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise InputError(
            _("{path} cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(
                _("{path} is not a regular file (a device or a pipe); choose a trip file.").format(
                    path=path
                )
            )
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                _(
                    "{name} is open in another running copy of Visit Planner; close it there first."
                ).format(name=name)
            ) from None
        with _leaving_no_side_files(path):
            _backup(path, copy, report)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _leaving_no_side_files(path: Path) -> Iterator[None]:
    """A read-only connection to a WAL file makes -wal and -shm beside it: remove ours."""
    made = [
        side for side in (path.with_name(path.name + s) for s in _SIDE_FILES) if not side.exists()
    ]
    try:
        yield
    finally:
        for side in made:
            with contextlib.suppress(OSError):
                if side.name.endswith("-shm") or side.stat().st_size == 0:
                    side.unlink()


def _backup(path: Path, copy: Path, report: Progress) -> None:
    name = path.name
    os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))

    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS

    def step(status: int, remaining: int, total: int) -> None:
        # SQLite's backup retries for ever while another program holds the file's lock;
        # the progress call is where it can be told to stop.
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            if time.monotonic() > deadline:
                raise InputError(
                    _(
                        "{name} is being written by another program; try again when it is done."
                    ).format(name=name)
                )
            return
        report(0.5 * (total - remaining) / max(total, 1), _("Copying {name}…").format(name=name))

    source: sqlite3.Connection | None = None
    target: sqlite3.Connection | None = None
    try:
        # as_uri() percent-encodes "#", "?" and "%", which SQLite would read as URI syntax.
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        source.execute("PRAGMA busy_timeout = 3000")
        target = sqlite3.connect(copy)
        source.backup(target, pages=1024, progress=step)
        # The copy keeps no WAL of its own, so it can be read as an immutable file.
        target.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as error:
        raise_for(error, name)
    finally:
        for connection in (target, source):
            if connection is not None:
                connection.close()


def raise_for(error: sqlite3.Error, name: str) -> NoReturn:
    code = getattr(error, "sqlite_errorname", "")
    if code == "SQLITE_FULL":
        raise InputError(
            _("There is not enough room in the temporary folder to read {name}.").format(name=name)
        ) from None
    if code in ("SQLITE_NOTADB",):
        raise InputError(
            _("{name} is not a trip file written by Visit Planner.").format(name=name)
        ) from None
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        raise InputError(
            _("{name} is being written by another program; try again when it is done.").format(
                name=name
            )
        ) from None
    # SQLite's own words ("database disk image is malformed") say nothing more to a reader.
    raise InputError(_("{name} is damaged and cannot be imported.").format(name=name)) from None

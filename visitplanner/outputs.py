"""Writing the files a user exports: whole or not at all, and never over a library.

Every export (contacts, calendars, itineraries, trip files) goes through
:func:`atomic_output`: the file is built under a temporary name in the target's folder,
flushed to disk (``fsync``), given the permissions the user's umask asks for, and renamed
over the target only when complete. Before anything is written, :func:`check_output_target`
refuses a target that would destroy data: any SQLite database (a Visit Planner library, its
backups, a trip file, a tile cache), the side files of one (``-wal``, ``-shm``,
``-journal``), a folder, or something that is not a regular file (a device, a FIFO).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.i18n import _
from visitplanner.library.database import SIDE_FILES, SQLITE_MAGIC


def is_sqlite_file(path: Path) -> bool:
    """True when ``path`` is a regular file that starts like an SQLite database."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def check_output_target(
    target: Path, *, replace_trip_file: bool = False, protect: Path | None = None
) -> None:
    """Raise :class:`InputError` when writing ``target`` could destroy data.

    ``replace_trip_file``: an existing trip file (a library holding exactly one trip) may be
    replaced; the user confirmed it in the Save dialog. No other library ever is, and never
    ``protect`` (the open library).
    """
    name = target.name
    if protect is not None and _same_file(target, protect):
        raise InputError(
            _(
                "{path} is the library you are working in; an export never replaces it. "
                "Choose another file name."
            ).format(path=target)
        )
    for suffix in SIDE_FILES:
        if name.endswith(suffix) and is_sqlite_file(target.with_name(name[: -len(suffix)])):
            raise InputError(
                _(
                    "{path} belongs to the database {base}; writing it would damage that "
                    "database. Choose another file name."
                ).format(path=target, base=target.with_name(name[: -len(suffix)]).name)
            )
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise InputError(
            _("Cannot write {path}: {reason}").format(path=target, reason=error.strerror or error)
        ) from error
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            _("{path} is a folder; give the name of a file to write.").format(path=target)
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            _("{path} is not a regular file (a device or a pipe); choose a file to write.").format(
                path=target
            )
        )
    if is_sqlite_file(target):
        if replace_trip_file and _is_trip_file(target):
            return
        raise InputError(
            _(
                "{path} is a Visit Planner library or another database; an export never "
                "replaces one. Choose another file name."
            ).format(path=target)
        )


def check_writable(
    target: Path, *, replace_trip_file: bool = False, protect: Path | None = None
) -> None:
    """What :func:`atomic_output` checks before it writes (the target may be written, its
    folder exists), for a caller that has something to say first only when the write can
    happen (``export pdf`` warns about the trip's problems)."""
    target = Path(os.path.abspath(target))
    check_output_target(target, replace_trip_file=replace_trip_file, protect=protect)
    if not target.parent.is_dir():
        raise InputError(
            _("Cannot write {path}: the folder {folder} does not exist.").format(
                path=target, folder=target.parent
            )
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(os.path.abspath(a)) == Path(os.path.abspath(b))


def _is_trip_file(path: Path) -> bool:
    """What export trip writes, and nothing more: a Visit Planner library holding one trip
    whose contacts are all hosts of its meetings, not open in a running copy of Visit
    Planner. A library of one's own with a single trip has a directory of its own."""
    import fcntl
    import sqlite3

    from visitplanner.library.schema import APPLICATION_ID

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # a running copy holds LOCK_EX
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            trips = connection.execute("SELECT count(*) FROM trip").fetchone()[0]
            others = connection.execute(
                "SELECT count(*) FROM contact WHERE id NOT IN (SELECT contact_id FROM meeting_host)"
            ).fetchone()[0]
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return False
    finally:
        os.close(fd)
    return bool(app_id == APPLICATION_ID and trips == 1 and others == 0)


def user_file_mode() -> int:
    """The permissions a new file gets under the user's umask (0o666 & ~umask)."""
    umask = _read_umask()
    return 0o666 & ~umask


def _read_umask() -> int:
    # /proc tells it without changing it (os.umask would, for a moment, for every thread).
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o077)
    os.umask(current)
    return current


@contextlib.contextmanager
def atomic_output(
    target: Path,
    *,
    replace_trip_file: bool = False,
    protect: Path | None = None,
    private: bool = False,
) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder to write; on success it becomes ``target``.

    The temporary path does not exist yet: the caller creates it (open it, or hand it to a
    library that writes files by name). On success the file is fsynced, given the user's
    umask permissions and renamed over ``target`` (then the folder is fsynced); on any error
    it is removed and ``target`` is left as it was. OS errors become an :class:`InputError`
    naming the file and the reason (disk full, read-only folder, no permission). A file
    replaced keeps its permissions; ``private`` (a trip file: personal data) makes a new one
    readable by its owner only.
    """
    target = Path(os.path.abspath(target))
    check_writable(target, replace_trip_file=replace_trip_file, protect=protect)
    remove_stale_partials(target)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        yield temporary
        if not temporary.exists():
            raise InputError(_("Nothing was written to {path}.").format(path=target))
        fd = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temporary, _mode_for(target, private))
        # Checked again just before the rename: the target may have appeared meanwhile.
        check_output_target(target, replace_trip_file=replace_trip_file, protect=protect)
        with _replacing_database(target):
            os.replace(temporary, target)
        _fsync_folder(target.parent)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        _remove_partial_files(temporary)
        if isinstance(error, VisitPlannerError) and temporary.name in str(error):
            # A sentence about the temporary file is about the file the user asked for
            # (a library being created names its ".NAME.creating" first).
            message = str(error)
            creating = temporary.with_name(f".{temporary.name}.creating")
            for written in (str(creating), str(temporary)):
                message = message.replace(written, str(target))
            raise type(error)(message) from error
        if isinstance(error, OSError):
            raise InputError(
                _("Cannot write {path}: {reason}").format(
                    path=target, reason=error.strerror or error
                )
            ) from error
        raise


def _remove_partial_files(temporary: Path) -> None:
    """What a writer may have left beside the temporary file (a library being created makes
    ``.NAME.creating`` and SQLite's -wal and -shm)."""
    for leftover in temporary.parent.glob(f"*{glob.escape(temporary.name)}*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def remove_stale_partials(target: Path, older_than: float = 600.0) -> None:
    """Remove what a killed export to ``target`` left in its folder (``.NAME.xxxxxxxx.part``
    and a library's ``..NAME.xxxxxxxx.part.creating`` with its side files), once old enough
    that no export still running can own it. Nothing else is ever matched."""
    now = time.time()
    ours = re.compile(
        r"\.{0,1}\." + re.escape(target.name) + r"\.[0-9a-f]{8}\.part(\.creating)?"
        r"(-wal|-shm|-journal)?"
    )
    for leftover in target.parent.glob(f"*{glob.escape(target.name)}.*.part*"):
        with contextlib.suppress(OSError):
            if (
                ours.fullmatch(leftover.name)
                and leftover.is_file()
                and now - leftover.lstat().st_mtime > older_than
            ):
                leftover.unlink()


def _mode_for(target: Path, private: bool) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)  # a file replaced keeps its permissions
    except OSError:
        return 0o600 if private else user_file_mode()


@contextlib.contextmanager
def _replacing_database(target: Path) -> Iterator[None]:
    """Around replacing a trip file: no running copy may hold it (``flock``), and its old
    -wal and -shm go with it (SQLite would apply an old log to the new file)."""
    import fcntl

    if not is_sqlite_file(target):
        yield
        return
    fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                _(
                    "{path} is open in a running copy of Visit Planner; close it there or "
                    "choose another file name."
                ).format(path=target)
            ) from None
        for suffix in SIDE_FILES:
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        yield
    finally:
        os.close(fd)


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all (see :func:`atomic_output`)."""
    with atomic_output(target) as temporary, temporary.open("xb") as fh:
        fh.write(data)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

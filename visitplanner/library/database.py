"""Opening, creating and writing a library file.

A library is one SQLite file. Opening it checks, without writing anything, that it is a
library this version understands; only then is it opened for writing (WAL, foreign keys)
and, when older, migrated after a backup copy is taken with SQLite's backup API.
A running copy of the application holds an exclusive advisory lock (``flock``) on the
file so a second copy gets a clear message instead of a fight over the data.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from visitplanner.errors import (
    DamagedLibraryError,
    DiskFullError,
    LibraryError,
    LibraryInUseError,
    LibraryLockedError,
    NewerLibraryError,
    NotALibraryError,
    NotFoundError,
    ReadOnlyLibraryError,
    StorageIOError,
)
from visitplanner.i18n import _
from visitplanner.library.events import ChangeSet, Listener
from visitplanner.library.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")  # what SQLite keeps beside a database


class Library:
    """An open library file: a connection, a lock and the change listeners.

    Edit functions live in the modules of this package and take the library as their
    first argument; each wraps its statements in :meth:`write`.
    """

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        lock_fd: int | None,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.db = connection
        self.read_only = read_only
        self._lock_fd = lock_fd
        self._created_side_files: list[Path] = []
        self._listeners: list[Listener] = []
        self._depth = 0
        self._pending = ChangeSet()

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, create: bool = False, exclusive: bool = True
    ) -> Library:
        """Open (or with ``create`` make) the library at ``path``.

        ``exclusive`` takes the running-copy lock; command-line reads take a shared one.
        Raises a :class:`LibraryError` with a sentence for the user; the file is then
        left exactly as it was. The system's refusals (no permission, a stale network
        mount) are such sentences too, for every caller.
        """
        path = Path(path).expanduser()
        try:
            return cls._open(path, create, exclusive)
        except OSError as error:
            from visitplanner.boundary import os_error_message

            raise LibraryError(os_error_message(error)) from error

    @classmethod
    def _open(cls, path: Path, create: bool, exclusive: bool) -> Library:
        if not path.exists():
            if not create:
                raise LibraryError(_("The library {path} does not exist.").format(path=path))
            return cls._create(path)
        if path.is_dir():
            raise NotALibraryError(
                _("{path} is a folder, not a Visit Planner library.").format(path=path)
            )
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the open forever
            raise NotALibraryError(
                _("{path} is not a regular file (a device or a pipe), not a library.").format(
                    path=path
                )
            )
        lock_fd = _lock(path, exclusive)
        # No lock for a reader: the app holds the file; WAL lets a reader in beside it.
        beside_the_app = lock_fd is None
        # SQLite makes -wal and -shm files even to read; a file we refuse keeps no trace.
        new_side_files = [
            side
            for side in (path.with_name(path.name + s) for s in SIDE_FILES)
            if not side.exists()
        ]
        connection: sqlite3.Connection | None = None
        try:
            version = _inspect(path)
            if _read_only(path) or beside_the_app:
                if exclusive or version < SCHEMA_VERSION:
                    raise ReadOnlyLibraryError(
                        _(
                            "The library {path} is read-only; it cannot be opened for editing."
                        ).format(path=path)
                    )
                # Reading (the command line's trips, check, plan...) works on a read-only file.
                connection = _connect_read_only(path)
                library = cls(path, connection, lock_fd, read_only=True)
                library._created_side_files = new_side_files
                return library
            try:
                connection = _connect(path)
            except (DiskFullError, StorageIOError):
                if exclusive or version < SCHEMA_VERSION:
                    raise
                # A full disk cannot take the -shm index a writer needs; reading goes on.
                connection = _connect_read_only(path)
                library = cls(path, connection, lock_fd, read_only=True)
                library._created_side_files = new_side_files
                return library
            library = cls(path, connection, lock_fd)
            if version < SCHEMA_VERSION:
                library._migrate(version)
        except BaseException:
            if connection is not None:
                connection.close()
            if lock_fd is not None:
                os.close(lock_fd)
            for side in new_side_files:
                with contextlib.suppress(OSError):
                    if side.stat().st_size == 0 or side.name.endswith("-shm"):
                        side.unlink()
            raise
        return library

    @classmethod
    def _create(cls, path: Path) -> Library:
        """Build the new library beside ``path`` and move it in place when complete, so an
        interrupted creation never leaves a half-made file under the real name."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.creating")
        for leftover in (partial, *(partial.with_name(partial.name + s) for s in SIDE_FILES)):
            leftover.unlink(missing_ok=True)
        # Created readable by its owner only: it holds personal data.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        connection = _connect(partial)
        try:
            cls(partial, connection, None)._migrate(0)
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        if path.exists():
            partial.unlink()
            raise LibraryError(_("{path} already exists.").format(path=path))
        # A -wal or -shm without its library is left by a killed session of an earlier file
        # of that name; SQLite would apply it to the new library and damage it.
        for stale in (path.with_name(path.name + s) for s in SIDE_FILES):
            stale.unlink(missing_ok=True)
        os.replace(partial, path)
        return cls.open(path)

    @classmethod
    def in_memory(cls) -> Library:
        """A throwaway library, for tests and previews."""
        connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        _configure(connection, wal=False)
        library = cls(Path(":memory:"), connection, None)
        library._migrate(0)
        return library

    def close(self) -> None:
        if self.db is not None:
            if not self.read_only:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("PRAGMA optimize")
            self.db.close()
        for side in self._created_side_files:  # reading leaves no trace beside the file
            with contextlib.suppress(OSError):
                side.unlink()
        self._created_side_files = []
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations -----------------------------------------------------------------------

    def _migrate(self, version: int) -> None:
        if version > 0:
            self.backup(self.path.with_name(f"{self.path.name}.v{version}.bak"))
        # A migration may rebuild a table (drop, then rename a copy): with foreign keys on,
        # the drop would clear every reference to its rows, and a rename would rewrite the
        # views and triggers that name it. Both pragmas only change outside a transaction.
        self.db.execute("PRAGMA foreign_keys = OFF")
        self.db.execute("PRAGMA legacy_alter_table = ON")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for step in MIGRATIONS[version:]:
                for statement in _split_sql(step):
                    self.db.execute(statement)
            broken = self.db.execute("PRAGMA foreign_key_check").fetchone()
            if broken is not None:
                raise sqlite3.IntegrityError(f"foreign key check failed in {broken[0]}")
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self.db.execute("PRAGMA legacy_alter_table = OFF")
            self.db.execute("PRAGMA foreign_keys = ON")

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already (it does on a full
        disk); a failure here must not hide the error that caused it."""
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def backup(self, target: Path) -> None:
        """Copy the library to ``target`` with SQLite's online backup API (mode 0600)."""
        if not target.exists():
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
        copy = sqlite3.connect(target)
        try:
            self.db.backup(copy)
        finally:
            copy.close()

    # -- writing --------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    @contextlib.contextmanager
    def write(self) -> Iterator[ChangeSet]:
        """One transaction; yields the ChangeSet to describe what it changed.

        Nested writes join the outermost one, which commits once and then emits one
        change event, so an import or an accepted arrangement is all-or-nothing.
        """
        if self.read_only:
            raise ReadOnlyLibraryError(
                _("The library {path} is read-only; it cannot be changed.").format(path=self.path)
            )
        if self._depth == 0:
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise storage_error(error, self.path) from error
            self._pending = ChangeSet()
        self._depth += 1
        try:
            yield self._pending
        except BaseException as error:
            self._depth -= 1
            if self._depth == 0:
                self._rollback()
                self._pending = ChangeSet()
            if isinstance(error, sqlite3.OperationalError) and _is_storage_error(error):
                raise storage_error(error, self.path) from error
            if isinstance(error, sqlite3.IntegrityError) and "FOREIGN KEY" in str(error):
                # A record the change refers to was deleted meanwhile (or never was).
                raise NotFoundError(
                    _("A record this change refers to does not exist; nothing was changed.")
                ) from error
            raise
        self._depth -= 1
        if self._depth == 0:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error as error:
                self._rollback()
                self._pending = ChangeSet()
                raise storage_error(error, self.path) from error
            changes, self._pending = self._pending, ChangeSet()
            if changes:
                self._emit(changes)

    def _emit(self, changes: ChangeSet) -> None:
        for listener in list(self._listeners):
            listener(changes)

    # -- reading --------------------------------------------------------------------------

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return list(self.db.execute(sql, params))

    def query_one(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute(sql, params).fetchone()
        return row

    def integrity_ok(self) -> bool:
        row = self.db.execute("PRAGMA integrity_check").fetchone()
        return bool(row and row[0] == "ok")


def _split_sql(script: str) -> list[str]:
    """Statements of a schema script, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _configure(connection: sqlite3.Connection, *, wal: bool = True) -> None:
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 3000")
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that writes nothing beside the file.

    In a folder that cannot be written SQLite cannot make the ``-shm`` index it needs to
    read a library in WAL mode; when no ``-wal`` holds changes, the file alone is the whole
    library and is opened as immutable.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        try:
            connection = sqlite3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False
            )
            _configure(connection, wal=False)
            connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.OperationalError as error:
            if _error_name(error) not in _CANNOT_MAKE_SHM or _wal_has_changes(path):
                raise
            connection = sqlite3.connect(
                uri + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False
            )
            _configure(connection, wal=False)
            connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.Error as error:
        if _error_name(error) in _CANNOT_MAKE_SHM:
            raise ReadOnlyLibraryError(
                _(
                    "The library {path} has changes not yet merged into it (in {wal}), and "
                    "its folder cannot be written, so they cannot be read. Copy both files "
                    "to a folder you can write to and open the copy."
                ).format(path=path, wal=path.name + "-wal")
            ) from error
        raise storage_error(error, path) from error
    return connection


def _connect(path: Path) -> sqlite3.Connection:
    connection: sqlite3.Connection | None = None
    try:
        # isolation_level=None: transactions are explicit, in Library.write().
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        _configure(connection)
    except sqlite3.Error as error:
        if connection is not None:
            connection.close()
        raise storage_error(error, path) from error
    return connection


_CANNOT_MAKE_SHM = {
    "SQLITE_READONLY_DIRECTORY",
    "SQLITE_READONLY_CANTINIT",
    "SQLITE_READONLY_CANTLOCK",
    "SQLITE_CANTOPEN",
    "SQLITE_READONLY",
    "SQLITE_IOERR_SHMSIZE",
    "SQLITE_IOERR_SHMOPEN",
    "SQLITE_IOERR_SHMMAP",
}
_STORAGE_CODES: tuple[str, ...] = ("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED")
_STORAGE_CODES += ("SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")


def _error_name(error: sqlite3.Error) -> str:
    return str(getattr(error, "sqlite_errorname", "") or "")


def _is_storage_error(error: sqlite3.Error) -> bool:
    return _error_name(error).startswith(_STORAGE_CODES)


def _wal_has_changes(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def _disk_full(path: Path) -> bool:
    """True when the disk holding ``path`` has (almost) no room left: SQLite reports a full
    disk as an I/O error when it cannot even make its -shm index."""
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < 1024 * 1024


def storage_error(error: sqlite3.Error, path: Path) -> LibraryError:
    """The sentence for what SQLite reported about the library at ``path``.

    SQLite decides what is damaged; a full disk, a read-only folder, a lock held by another
    program and an I/O error each get their own sentence and what to do about it.
    """
    name = _error_name(error)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return DamagedLibraryError(
            _(
                "The library {path} is damaged ({reason}). Open a backup copy instead; "
                "a .bak file beside the library is one."
            ).format(path=path, reason=error)
        )
    if name.startswith("SQLITE_FULL") or (name.startswith("SQLITE_IOERR") and _disk_full(path)):
        return DiskFullError(
            _(
                "The disk holding {path} is full; the last change was not saved. Free some "
                "space and try again."
            ).format(path=path)
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return LibraryLockedError(
            _(
                "The library {path} is locked by another program (a database browser, a "
                "backup or sync tool); nothing was changed. Close that program and try again."
            ).format(path=path)
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM")):
        return ReadOnlyLibraryError(
            _(
                "The library {path} or its folder cannot be written; nothing was changed. "
                "Copy the library to a folder you can write to, or ask for write permission."
            ).format(path=path)
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return LibraryError(
            _(
                "The library {path} cannot be opened: its folder cannot be read or written "
                "({reason})."
            ).format(path=path, reason=error)
        )
    if name.startswith("SQLITE_IOERR"):
        return StorageIOError(
            _(
                "The disk reported an input/output error while using {path}; the last change "
                "may not have been saved. Check the disk or network drive, then try again."
            ).format(path=path)
        )
    return LibraryError(
        _("The library {path} cannot be used ({reason}).").format(path=path, reason=error)
    )


def _read_only(path: Path) -> bool:
    """True when the file or its folder cannot be written, or its mode allows no writing
    (which ``os.access`` does not tell for root)."""
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return True
    return not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _lock(path: Path, exclusive: bool) -> int | None:
    """The running-copy lock (``exclusive``) or a reader's shared one; None for a reader
    when a running copy holds the file (it then reads beside it, read-only)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        if not exclusive:
            return None
        raise LibraryInUseError(
            _(
                "The library {path} is open in another running copy of Visit Planner. "
                "Close it there first."
            ).format(path=path)
        ) from None
    return fd


def _inspect(path: Path) -> int:
    """Schema version of the library at ``path``, checked without writing to it.

    SQLite decides what is damaged: the file is opened read-only (the write-ahead log
    replayed, as after a crash), its ids read and ``PRAGMA quick_check`` run. The file's
    own header is never judged by hand: after a kill during a checkpoint it may look
    truncated while the log still holds the missing pages.
    """
    size = path.stat().st_size
    if size == 0:
        raise NotALibraryError(
            _("{path} is empty: it is not a Visit Planner library.").format(path=path)
        )
    with path.open("rb") as fh:
        magic = fh.read(len(SQLITE_MAGIC))
    if magic != SQLITE_MAGIC:
        raise NotALibraryError(_("{path} is not a Visit Planner library.").format(path=path))
    probe = _connect_read_only(path)
    try:
        application_id = probe.execute("PRAGMA application_id").fetchone()[0]
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        if application_id == APPLICATION_ID:
            problems = [row[0] for row in probe.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise DamagedLibraryError(
                    _(
                        "The library {path} is damaged ({reason}). Open a backup copy "
                        "instead; a .bak file beside the library is one."
                    ).format(path=path, reason="; ".join(map(str, problems)))
                )
    except sqlite3.Error as error:
        raise storage_error(error, path) from error
    finally:
        probe.close()
    if application_id != APPLICATION_ID:
        raise NotALibraryError(
            _("{path} is a database, but not a Visit Planner library.").format(path=path)
        )
    if version > SCHEMA_VERSION:
        raise NewerLibraryError(
            _(
                "The library {path} was made by a newer version of Visit Planner. "
                "Update the application to open it."
            ).format(path=path)
        )
    return int(version)

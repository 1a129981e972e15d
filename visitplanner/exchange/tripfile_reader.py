"""Reading a trip file as untrusted input: copied safely, read narrowly, checked row by row.

A trip file comes from someone else and may be damaged, crafted, or still open in another
copy of Visit Planner. :func:`read_trip_file`

1. refuses anything but a regular file before opening it (a pipe or a device would block);
2. takes a shared ``flock`` on it (a running copy holds an exclusive one: it is refused
   with a sentence) and copies it with SQLite's backup API from a read-only connection, so
   rows still in its write-ahead log come along;
3. reads the copy through its own read-only connection (never ``Library.open``: no
   migration runs on it), only the tables and columns it expects, with every value cut
   at a bound in SQL so a 10 MB field costs nothing;
4. checks every row with :mod:`visitplanner.rules`, the rules of ``trip new`` and the
   editors, and reports the first bad row in one sentence.

Steps 1-2 live in :mod:`visitplanner.exchange.tripfile_copy`, step 4 in
:mod:`visitplanner.exchange.tripfile_rows`; this module reads the copy's header and tables.
The copy lives in a temporary folder named ``visitplanner-trip-…``; folders left by an
import that was killed are removed by the next import. Nothing here touches a library:
the GUI runs it off its thread and merges the result on its own.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from visitplanner import rules
from visitplanner.errors import InputError
from visitplanner.exchange.tripfile_columns import EXPECTED, optional_columns
from visitplanner.exchange.tripfile_copy import (
    TEMP_PREFIX,
    Progress,
    private_copy,
    raise_for,
    remove_stale_copies,
)
from visitplanner.exchange.tripfile_rows import RowReader, TripFile
from visitplanner.i18n import _
from visitplanner.library.schema import APPLICATION_ID, SCHEMA_VERSION

__all__ = ["TEMP_PREFIX", "Progress", "TripFile", "read_trip_file", "remove_stale_copies"]


def read_trip_file(path: Path, progress: Progress | None = None) -> TripFile:
    """Copy, read and check the trip file ``path``; an InputError names its first problem."""
    report: Progress = progress or (lambda fraction, text: None)
    path = Path(path).expanduser()
    with private_copy(path, report) as copy:
        report(0.5, _("Checking {name}…").format(name=path.name))
        return _read_copy(copy, path.name, report)


# -- the copy: only the tables and columns we expect -----------------------------------


def _read_copy(copy: Path, name: str, report: Progress) -> TripFile:
    db: sqlite3.Connection | None = None
    try:
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro&immutable=1", uri=True)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA cell_size_check = ON")
        db.execute("PRAGMA mmap_size = 0")
        version = _check_header(db, name)
        problem = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if problem != "ok":
            raise InputError(
                _("{name} is damaged and cannot be imported ({reason}).").format(
                    name=name, reason=problem
                )
            )
        absent = _check_tables(db, name, version)
        return RowReader(db, name, report, absent).read()
    except sqlite3.DatabaseError as error:
        raise_for(error, name)
    finally:
        if db is not None:
            db.close()


def _check_header(db: sqlite3.Connection, name: str) -> int:
    """The file's format version, once it is known to be one this version reads."""
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if application_id != APPLICATION_ID:
        raise InputError(_("{name} is not a trip file written by Visit Planner.").format(name=name))
    if version == 0:
        raise InputError(
            _(
                "{name} is not a trip file written by Visit Planner (it has no format version)."
            ).format(name=name)
        )
    if version > SCHEMA_VERSION:
        raise InputError(
            _(
                "{name} was written by a newer version of Visit Planner; "
                "update the application to import it."
            ).format(name=name)
        )
    # An older format lacks only what later versions added (tripfile_columns.ADDED_IN): it
    # is read with those empty.
    return int(version)


def _check_tables(db: sqlite3.Connection, name: str, version: int) -> dict[str, set[str]]:
    """table -> the columns an older file lacks (all of them: the table is absent)."""
    optional = optional_columns(version)
    lacking: dict[str, set[str]] = {}
    for table, columns in EXPECTED.items():
        row = db.execute(
            "SELECT type FROM sqlite_schema WHERE name = ? COLLATE NOCASE", (table,)
        ).fetchone()
        if row is None and set(columns) <= optional.get(table, set()):
            lacking[table] = set(columns)
            continue
        if row is None or row[0] != "table":  # a view could run anything
            missing = _("the table “{table}”").format(table=table)
        else:
            present = {r[1] for r in db.execute("SELECT * FROM pragma_table_info(?)", (table,))}
            absent = [c for c in columns if c not in present]
            allowed = [c for c in absent if c in optional.get(table, set())]
            if allowed:
                lacking[table] = set(allowed)
            absent = [c for c in absent if c not in allowed]
            if not absent:
                continue
            missing = _("the column “{column}” of the table “{table}”").format(
                column=absent[0], table=table
            )
        raise InputError(
            _("{name} is not a trip file written by Visit Planner (missing {what}).").format(
                name=name, what=missing
            )
        )
    for table, limit in rules.MAX_TRIP_FILE_RECORDS.items():
        if lacking.get(table) == set(EXPECTED[table]):
            continue
        count = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if table == "trip" and count != 1:
            raise InputError(
                _("{path} is a library with {count} trips, not a trip file.").format(
                    path=name, count=count
                )
            )
        if count > limit:
            raise InputError(
                _(
                    "{name} has {count} rows in its table “{table}”; "
                    "a trip file has {limit} at most."
                ).format(name=name, count=count, table=table, limit=limit)
            )
    return lacking

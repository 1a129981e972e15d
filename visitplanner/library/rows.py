"""Insert and update one row: the SQL every edit function of the library shares.

``table`` and ``columns`` are the calling module's constants, never text from a user;
values always travel as parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

from visitplanner.library.database import Library


def insert_row(
    lib: Library,
    table: str,
    columns: Sequence[str],
    values: Sequence[object],
    row_id: int | None = None,
) -> int:
    """Insert one row; returns its id. ``row_id`` puts a deleted row back under its own id."""
    if row_id is not None:
        columns, values = ("id", *columns), (row_id, *values)
    placeholders = ", ".join("?" * len(columns))
    cursor = lib.db.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", tuple(values)
    )
    return int(cursor.lastrowid or 0)


def update_row(
    lib: Library, table: str, columns: Sequence[str], values: Sequence[object], row_id: int
) -> int:
    """Set every column of row ``row_id``; returns how many rows changed (0 or 1)."""
    assignments = ", ".join(f"{c} = ?" for c in columns)
    cursor = lib.db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*values, row_id))
    return cursor.rowcount


def stored_row(lib: Library, table: str, record_id: int) -> dict[str, object] | None:
    """The record's row as stored, column -> value (None: there is none), one query: an
    update checks only what it changes."""
    row = lib.query_one(f"SELECT * FROM {table} WHERE id = ?", (record_id,))
    return dict(row) if row is not None else None

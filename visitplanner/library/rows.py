"""Insert and update one row: the SQL every edit function of the library shares.

``table`` and ``columns`` are the calling module's constants, never text from a user;
values always travel as parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from visitplanner.errors import NotFoundError
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


R = TypeVar("R")


def stored(get: Callable[[Library, int], R], lib: Library, record_id: int) -> R | None:
    """The record as stored (None: there is none): an update checks only what it changes."""
    try:
        return get(lib, record_id)
    except NotFoundError:
        return None

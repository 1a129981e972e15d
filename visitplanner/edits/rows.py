"""Row images: what an operation changed, as the rows before and after, keyed by their ids.

Every operation of :mod:`visitplanner.edits` runs its work through :func:`record`, which
reads the rows the work may touch before and after it, in the same transaction. The
difference is an exact inverse, :class:`SetRows`: it puts each row back as it was, under
its own id (ids are AUTOINCREMENT, never given to another row), links included. The
inverse of a ``SetRows`` is a ``SetRows``, so undo and redo never remap an id.

A ``SetRows`` first checks that every row it changes is still as the step left it; a row
changed or deleted since by someone else makes it refuse (:class:`ChangedElsewhereError`)
instead of overwriting that change or losing it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from visitplanner.edits.base import Operation
from visitplanner.errors import ChangedElsewhereError
from visitplanner.i18n import _
from visitplanner.library import ChangeSet, Library

T = TypeVar("T")

Key = tuple[str, tuple[object, ...]]  # (table, primary key values)
Row = tuple[object, ...]  # every column, in the table's order
Root = tuple[str, int]  # (table, id) of a record

# Parents before children: the order rows are inserted in (deleted in the reverse).
TABLES = (
    "place",
    "organization",
    "organization_tag",
    "contact",
    "trip",
    "delegate",
    "stay",
    "busy",
    "meeting",
    "meeting_window",
    "meeting_delegate",
    "meeting_host",
)
PRIMARY_KEYS: Mapping[str, tuple[str, ...]] = {
    "organization_tag": ("organization_id", "tag"),
    "meeting_delegate": ("meeting_id", "delegate_id"),
    "meeting_host": ("meeting_id", "contact_id"),
}
# Rows that are part of a record (its tags, windows, attendees and hosts): read with it.
PARTS = frozenset({"organization_tag", "meeting_window", "meeting_delegate", "meeting_host"})
# Which record a row belongs to: (entity, column holding the record's id).
OWNER: Mapping[str, tuple[str, str]] = {
    "organization_tag": ("organization", "organization_id"),
    "meeting_window": ("meeting", "meeting_id"),
    "meeting_delegate": ("meeting", "meeting_id"),
    "meeting_host": ("meeting", "meeting_id"),
}
CASCADE, SET_NULL = "CASCADE", "SET NULL"
# (child table, column, parent table, on delete): the schema's foreign keys; a test
# checks this list against the schema so that a new reference cannot be forgotten.
LINKS = (
    ("organization", "place_id", "place", SET_NULL),
    ("trip", "base_place_id", "place", SET_NULL),
    ("meeting", "place_id", "place", SET_NULL),
    ("meeting", "to_place_id", "place", SET_NULL),
    ("stay", "place_id", "place", SET_NULL),
    ("busy", "place_id", "place", SET_NULL),
    ("stay", "trip_id", "trip", CASCADE),
    ("stay", "delegate_id", "delegate", CASCADE),
    ("busy", "delegate_id", "delegate", CASCADE),
    ("organization_tag", "organization_id", "organization", CASCADE),
    ("contact", "organization_id", "organization", SET_NULL),
    ("meeting", "organization_id", "organization", SET_NULL),
    ("delegate", "trip_id", "trip", CASCADE),
    ("meeting", "trip_id", "trip", CASCADE),
    ("meeting_window", "meeting_id", "meeting", CASCADE),
    ("meeting_delegate", "meeting_id", "meeting", CASCADE),
    ("meeting_delegate", "delegate_id", "delegate", CASCADE),
    ("meeting_host", "meeting_id", "meeting", CASCADE),
    ("meeting_host", "contact_id", "contact", CASCADE),
)

_columns: dict[str, tuple[str, ...]] = {}


def columns(lib: Library, table: str) -> tuple[str, ...]:
    if table not in _columns:
        _columns[table] = tuple(r["name"] for r in lib.query(f"PRAGMA table_info({table})"))
    return _columns[table]


def _key(table: str, row: sqlite3.Row) -> Key:
    return table, tuple(row[c] for c in PRIMARY_KEYS.get(table, ("id",)))


def _json(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def capture(lib: Library, roots: Iterable[Root], *, deep: bool = False) -> dict[Key, Row]:
    """The rows of the records ``roots`` with their parts.

    ``deep`` (what deleting them would change): also every row a delete cascades to, and
    the rows whose reference to them a delete sets to NULL.
    """
    out: dict[Key, Row] = {}
    todo: list[tuple[str, str, list[int], bool]] = []
    by_table: dict[str, list[int]] = {}
    for table, record_id in roots:
        by_table.setdefault(table, []).append(record_id)
    todo += [(table, "id", ids, True) for table, ids in by_table.items()]
    while todo:
        table, column, ids, follow = todo.pop()
        rows = lib.query(
            f"SELECT * FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))",
            (_json(ids),),
        )
        found: list[int] = []
        for row in rows:
            key = _key(table, row)
            if key not in out:
                out[key] = tuple(row)
                if table not in PRIMARY_KEYS:
                    found.append(row["id"])
        if not found or not follow:
            continue
        for child, fk, parent, action in LINKS:
            if parent != table:
                continue
            if action == CASCADE and (deep or child in PARTS):
                todo.append((child, fk, found, True))
            elif action == SET_NULL and deep:
                todo.append((child, fk, found, False))
    return out


def read(lib: Library, keys: Iterable[Key]) -> dict[Key, Row | None]:
    """The current row of each key (None: no such row)."""
    out: dict[Key, Row | None] = {}
    for table, pk in keys:
        names = PRIMARY_KEYS.get(table, ("id",))
        where = " AND ".join(f"{n} = ?" for n in names)
        row = lib.query_one(f"SELECT * FROM {table} WHERE {where}", pk)
        out[(table, pk)] = tuple(row) if row is not None else None
    return out


def _sequences(lib: Library) -> dict[str, int]:
    return {r["name"]: r["seq"] for r in lib.query("SELECT name, seq FROM sqlite_sequence")}


def _created(lib: Library, before: Mapping[str, int]) -> list[Root]:
    """Rows added since ``before`` (ids are AUTOINCREMENT: a new row has a higher id)."""
    out: list[Root] = []
    for table, seq in _sequences(lib).items():
        if table in TABLES and seq > before.get(table, 0):
            rows = lib.query(f"SELECT id FROM {table} WHERE id > ?", (before.get(table, 0),))
            out += [(table, r[0]) for r in rows]
    return out


@dataclass(frozen=True)
class Applied:
    """What applying an operation did: its exact inverse, the change set it committed
    (entity -> ids), the records it created (entity -> ids) and what its work returned."""

    inverse: SetRows | Batch
    changes: ChangeSet
    created: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    detail: object = None

    def created_id(self, entity: str) -> int:
        """The id of the (first) record of ``entity`` this step created."""
        return self.created[entity][0]


@dataclass(frozen=True)
class SetRows:
    """Set each row from the image it has now (``was``; None: absent) to ``wanted``
    (None: deleted). The inverse of every operation, and its own inverse's kind."""

    rows: tuple[tuple[Key, Row | None, Row | None], ...] = ()

    def apply(self, lib: Library) -> Applied:
        with lib.write() as changes:
            keys = [key for key, _was, _wanted in self.rows]
            now = read(lib, keys)
            if any(now[key] != was for key, was, _wanted in self.rows):
                raise ChangedElsewhereError(_changed_elsewhere())
            gone = [(k[0], int(str(k[1][0]))) for k, _w, wanted in self.rows if wanted is None]
            gone = [(table, i) for table, i in gone if table not in PRIMARY_KEYS]
            if set(capture(lib, gone, deep=True)) - set(keys):
                raise ChangedElsewhereError(_changed_elsewhere())  # new links: not ours
            order = {table: i for i, table in enumerate(TABLES)}
            try:
                for key, _was, wanted in sorted(self.rows, key=lambda r: -order[r[0][0]]):
                    if wanted is None:
                        _delete(lib, key)
                for key, was, wanted in sorted(self.rows, key=lambda r: order[r[0][0]]):
                    if wanted is not None:
                        _put(lib, key[0], wanted, insert=was is None)
            except sqlite3.IntegrityError:
                raise ChangedElsewhereError(_changed_elsewhere()) from None
            describe(lib, changes, self.rows)
        created: dict[str, list[int]] = {}
        for (table, pk), was, wanted in self.rows:
            if was is None and wanted is not None and table not in OWNER:
                created.setdefault(table, []).append(int(str(pk[0])))
        return Applied(
            SetRows(tuple((key, wanted, was) for key, was, wanted in self.rows)),
            changes,
            {entity: tuple(sorted(ids)) for entity, ids in created.items()},
        )


def _changed_elsewhere() -> str:
    return _("What this step changes was changed or deleted elsewhere since.")


def _delete(lib: Library, key: Key) -> None:
    table, pk = key
    names = PRIMARY_KEYS.get(table, ("id",))
    lib.db.execute(f"DELETE FROM {table} WHERE " + " AND ".join(f"{n} = ?" for n in names), pk)


def _put(lib: Library, table: str, row: Row, *, insert: bool) -> None:
    names = columns(lib, table)
    quoted = [f'"{n}"' for n in names]
    if insert:
        marks = ", ".join("?" * len(names))
        lib.db.execute(f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({marks})", row)
    else:
        sets = ", ".join(f"{q} = ?" for q in quoted)
        lib.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*row, row[0]))


def describe(
    lib: Library, changes: ChangeSet, rows: Iterable[tuple[Key, Row | None, Row | None]]
) -> None:
    """Name in ``changes`` every record whose rows are among ``rows`` (trips of meetings
    and delegates included)."""
    rows = list(rows)
    trip_of: dict[int, int] = {}
    touched: dict[str, set[int]] = {}
    for (table, _pk), was, wanted in rows:
        image = wanted if wanted is not None else was
        assert image is not None
        entity, column = OWNER.get(table, (table, "id"))
        record_id = int(str(image[columns(lib, table).index(column)]))
        touched.setdefault(entity, set()).add(record_id)
        if table == "busy":
            delegate_id = image[columns(lib, table).index("delegate_id")]
            busy_trip = _trip_of_delegate(lib, delegate_id, rows)
            changes.add("busy", record_id, busy_trip)
        if table in ("meeting", "delegate", "stay"):
            trip_id = int(str(image[columns(lib, table).index("trip_id")]))
            if table == "meeting":
                trip_of[record_id] = trip_id
            changes.add(table, record_id, trip_id)
    for meeting_id in touched.get("meeting", set()) - trip_of.keys():
        row = lib.query_one("SELECT trip_id FROM meeting WHERE id = ?", (meeting_id,))
        changes.add("meeting", meeting_id, row[0] if row is not None else None)
    for entity in ("place", "organization", "contact"):
        if entity in touched:
            changes.add(entity, touched[entity])
    for trip_id in sorted(touched.get("trip", set())):
        changes.add("trip", trip_id, trip_id)


def _trip_of_delegate(
    lib: Library, delegate_id: object, rows: Iterable[tuple[Key, Row | None, Row | None]]
) -> int | None:
    """The trip of a delegate, from the rows of this step (a deleted delegate) or the library."""
    for (table, pk), was, wanted in rows:
        image = wanted if wanted is not None else was
        if table == "delegate" and pk == (delegate_id,) and image is not None:
            return int(str(image[columns(lib, "delegate").index("trip_id")]))
    row = lib.query_one("SELECT trip_id FROM delegate WHERE id = ?", (delegate_id,))
    return int(row[0]) if row is not None else None


def record(
    lib: Library,
    work: Callable[[], T],
    *,
    edits: Iterable[Root] = (),
    deletes: Iterable[Root] = (),
) -> Applied:
    """Run ``work`` in one transaction and return what it did with its exact inverse.

    ``edits`` are the records ``work`` may change, ``deletes`` those it may delete; the
    records it creates are found by their new ids.
    """
    edits, deletes = list(edits), list(deletes)
    with lib.write() as changes:
        sequences = _sequences(lib)
        before = capture(lib, edits) | capture(lib, deletes, deep=True)
        value = work()
        created = _created(lib, sequences)
        after = {k: v for k, v in read(lib, before).items() if v is not None}
        after |= capture(lib, edits) | capture(lib, created)
        rows = tuple(
            (key, after.get(key), before.get(key))
            for key in sorted(before.keys() | after.keys(), key=repr)
            if before.get(key) != after.get(key)
        )
        describe(lib, changes, [(k, wanted, now) for k, now, wanted in rows])
    made: dict[str, list[int]] = {}
    for table, record_id in created:
        if table not in OWNER:
            made.setdefault(table, []).append(record_id)
    return Applied(
        SetRows(rows),
        changes,
        {entity: tuple(sorted(ids)) for entity, ids in made.items()},
        value,
    )


@dataclass(frozen=True)
class Batch:
    """Several operations as one step and one transaction; undone in reverse order."""

    operations: tuple[Operation, ...]

    def apply(self, lib: Library) -> Applied:
        inverses: list[Operation] = []
        created: dict[str, tuple[int, ...]] = {}
        with lib.write() as changes:
            for operation in self.operations:
                applied = operation.apply(lib)
                inverses.append(applied.inverse)
                for entity, ids in applied.created.items():
                    created[entity] = created.get(entity, ()) + ids
        return Applied(Batch(tuple(reversed(inverses))), changes, created)

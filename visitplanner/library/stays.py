"""A trip's stays (nights -> hotel) and its delegates' busy blocks: reads and edits.

Each is a record of its own (``stay``, ``busy`` tables, schema version 3) with add, update,
get and delete, so the generic edits (``edits.Add``/``Update``/``Delete``) and their exact
inverses work on them; ``replace_stays`` and ``replace_busy`` set a whole list at once (what
the trip and delegates dialogs save, one undoable step through ``edits.SetStays`` /
``edits.SetBusy``). Every write checks its values with ``rules.check_stay`` /
``rules.check_busy`` against the trip's days.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterable

from visitplanner import rules
from visitplanner.errors import InputError, NotFoundError
from visitplanner.i18n import _
from visitplanner.library.database import Library
from visitplanner.library.rows import insert_row, stored_row, update_row
from visitplanner.library.trips import from_text, get_delegate, get_trip, to_text
from visitplanner.model import BusyBlock, Stay

# -- stays --------------------------------------------------------------------------------

_STAY_COLUMNS = ("trip_id", "delegate_id", "first_night", "last_night", "place_id")


def stay_from_row(row: sqlite3.Row) -> Stay:
    return Stay(
        trip_id=row["trip_id"],
        first_night=dt.date.fromisoformat(row["first_night"]),
        last_night=dt.date.fromisoformat(row["last_night"]),
        place_id=row["place_id"],
        delegate_id=row["delegate_id"],
        id=row["id"],
    )


def _stay_values(
    lib: Library, stay: Stay, before: dict[str, object] | None = None
) -> tuple[object, ...]:
    trip = get_trip(lib, stay.trip_id)
    if stay.delegate_id is not None and get_delegate(lib, stay.delegate_id).trip_id != trip.id:
        raise InputError(_("A delegate's stay belongs to the delegate's own trip."))
    nights = (stay.first_night.isoformat(), stay.last_night.isoformat())
    if before is None or (before["first_night"], before["last_night"]) != nights:
        rules.check_stay(trip.first_day, trip.last_day, stay.first_night, stay.last_night)
    return (stay.trip_id, stay.delegate_id, *nights, stay.place_id)


def add_stay(lib: Library, stay: Stay) -> int:
    values = _stay_values(lib, stay)
    with lib.write() as changes:
        stay_id = insert_row(lib, "stay", _STAY_COLUMNS, values)
        changes.add("stay", stay_id, stay.trip_id)
    return stay_id


def update_stay(lib: Library, stay: Stay) -> None:
    if stay.id is None:
        raise ValueError("update_stay needs a stored stay")
    values = _stay_values(lib, stay, stored_row(lib, "stay", stay.id))
    with lib.write() as changes:
        if update_row(lib, "stay", _STAY_COLUMNS, values, stay.id) == 0:
            raise NotFoundError(_("There is no stay with id {id}.").format(id=stay.id))
        changes.add("stay", stay.id, stay.trip_id)


def delete_stay(lib: Library, stay_id: int) -> None:
    row = lib.query_one("SELECT trip_id FROM stay WHERE id = ?", (stay_id,))
    if row is None:
        return
    with lib.write() as changes:
        lib.db.execute("DELETE FROM stay WHERE id = ?", (stay_id,))
        changes.add("stay", stay_id, row["trip_id"])


def get_stay(lib: Library, stay_id: int) -> Stay:
    row = lib.query_one("SELECT * FROM stay WHERE id = ?", (stay_id,))
    if row is None:
        raise NotFoundError(_("There is no stay with id {id}.").format(id=stay_id))
    return stay_from_row(row)


def stays(lib: Library, trip_id: int) -> list[Stay]:
    """Every stay of the trip, the delegation's and the delegates' own, by first night."""
    rows = lib.query(
        "SELECT * FROM stay WHERE trip_id = ? ORDER BY delegate_id IS NOT NULL, delegate_id, "
        "first_night, id",
        (trip_id,),
    )
    return [stay_from_row(r) for r in rows]


def stay_ids(lib: Library, trip_id: int, delegate_id: int | None) -> list[int]:
    """The ids of the delegation's stays (``delegate_id`` None) or of one delegate's own."""
    rows = lib.query(
        "SELECT id FROM stay WHERE trip_id = ? AND delegate_id IS ?", (trip_id, delegate_id)
    )
    return [r["id"] for r in rows]


def _check_no_overlap(items: list[Stay]) -> None:
    ordered = sorted(items, key=lambda s: s.first_night)
    for before, after in itertools.pairwise(ordered):
        if after.first_night <= before.last_night:
            raise InputError(
                _("Two stays share the night of {night}; give each night one hotel.").format(
                    night=after.first_night.isoformat()
                )
            )


def replace_stays(lib: Library, trip_id: int, delegate_id: int | None, new: Iterable[Stay]) -> None:
    """Make ``new`` the delegation's stays (``delegate_id`` None) or one delegate's own:
    the others are deleted, these added (their ``trip_id``/``delegate_id`` are set here).
    Two stays of the same list may not share a night."""
    items = [Stay(trip_id, s.first_night, s.last_night, s.place_id, delegate_id) for s in new]
    _check_no_overlap(items)
    with lib.write():
        for stay_id in stay_ids(lib, trip_id, delegate_id):
            delete_stay(lib, stay_id)
        for stay in items:
            add_stay(lib, stay)


# -- busy blocks --------------------------------------------------------------------------

_BUSY_COLUMNS = ("delegate_id", "start", '"end"', "title", "place_id")


def busy_from_row(row: sqlite3.Row) -> BusyBlock:
    start, end = from_text(row["start"]), from_text(row["end"])
    assert start is not None and end is not None
    return BusyBlock(
        delegate_id=row["delegate_id"],
        start=start,
        end=end,
        title=row["title"],
        place_id=row["place_id"],
        id=row["id"],
    )


def _busy_values(
    lib: Library, block: BusyBlock, before: dict[str, object] | None = None
) -> tuple[int, tuple[object, ...]]:
    """The trip id of the block's delegate and the row's values."""
    delegate = get_delegate(lib, block.delegate_id)
    rules.check_record_text(block, before)
    start, end = to_text(block.start), to_text(block.end)
    if before is None or (before["start"], before["end"]) != (start, end):
        trip = get_trip(lib, delegate.trip_id)
        rules.check_busy(trip.first_day, trip.last_day, block.start, block.end)
    return delegate.trip_id, (block.delegate_id, start, end, block.title.strip(), block.place_id)


def add_busy(lib: Library, block: BusyBlock) -> int:
    trip_id, values = _busy_values(lib, block)
    with lib.write() as changes:
        busy_id = insert_row(lib, "busy", _BUSY_COLUMNS, values)
        changes.add("busy", busy_id, trip_id)
    return busy_id


def update_busy(lib: Library, block: BusyBlock) -> None:
    if block.id is None:
        raise ValueError("update_busy needs a stored busy block")
    trip_id, values = _busy_values(lib, block, stored_row(lib, "busy", block.id))
    with lib.write() as changes:
        if update_row(lib, "busy", _BUSY_COLUMNS, values, block.id) == 0:
            raise NotFoundError(_("There is no busy time with id {id}.").format(id=block.id))
        changes.add("busy", block.id, trip_id)


def delete_busy(lib: Library, busy_id: int) -> None:
    row = lib.query_one(
        "SELECT d.trip_id FROM busy b JOIN delegate d ON d.id = b.delegate_id WHERE b.id = ?",
        (busy_id,),
    )
    if row is None:
        return
    with lib.write() as changes:
        lib.db.execute("DELETE FROM busy WHERE id = ?", (busy_id,))
        changes.add("busy", busy_id, row["trip_id"])


def get_busy(lib: Library, busy_id: int) -> BusyBlock:
    row = lib.query_one("SELECT * FROM busy WHERE id = ?", (busy_id,))
    if row is None:
        raise NotFoundError(_("There is no busy time with id {id}.").format(id=busy_id))
    return busy_from_row(row)


def busy_blocks(lib: Library, trip_id: int) -> list[BusyBlock]:
    """Every busy block of the trip's delegates, in time order."""
    rows = lib.query(
        "SELECT b.* FROM busy b JOIN delegate d ON d.id = b.delegate_id "
        "WHERE d.trip_id = ? ORDER BY b.start, b.id",
        (trip_id,),
    )
    return [busy_from_row(r) for r in rows]


def busy_ids(lib: Library, delegate_id: int) -> list[int]:
    return [r["id"] for r in lib.query("SELECT id FROM busy WHERE delegate_id = ?", (delegate_id,))]


def replace_busy(lib: Library, delegate_id: int, new: Iterable[BusyBlock]) -> None:
    """Make ``new`` the delegate's busy blocks (their ``delegate_id`` is set here)."""
    items = [BusyBlock(delegate_id, b.start, b.end, b.title, b.place_id) for b in new]
    get_delegate(lib, delegate_id)
    with lib.write():
        for busy_id in busy_ids(lib, delegate_id):
            delete_busy(lib, busy_id)
        for block in items:
            add_busy(lib, block)

"""Add, update, delete and merge any record: trips, delegates, meetings, contacts,
organizations and places. Deleting restores under the record's own id with its links."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from visitplanner.edits.rows import Applied, record
from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.library import Library, directory, stays, trips
from visitplanner.model import (
    BusyBlock,
    Contact,
    Delegate,
    Meeting,
    Organization,
    OrgKind,
    Place,
    Precision,
    Stay,
    Trip,
)

Record = Place | Organization | Contact | Trip | Delegate | Meeting | Stay | BusyBlock


@dataclass(frozen=True)
class _Kind:
    table: str
    add: Callable[[Library, Any], int]
    update: Callable[[Library, Any], None]
    get: Callable[[Library, int], Any]
    delete: Callable[[Library, int], None]


KINDS: dict[type, _Kind] = {
    Place: _Kind(
        "place",
        directory.add_place,
        directory.update_place,
        directory.get_place,
        directory.delete_place,
    ),
    Organization: _Kind(
        "organization",
        directory.add_organization,
        directory.update_organization,
        directory.get_organization,
        directory.delete_organization,
    ),
    Contact: _Kind(
        "contact",
        directory.add_contact,
        directory.update_contact,
        directory.get_contact,
        directory.delete_contact,
    ),
    Trip: _Kind("trip", trips.add_trip, trips.update_trip, trips.get_trip, trips.delete_trip),
    Delegate: _Kind(
        "delegate",
        trips.add_delegate,
        trips.update_delegate,
        trips.get_delegate,
        trips.delete_delegate,
    ),
    Meeting: _Kind(
        "meeting",
        trips.add_meeting,
        trips.update_meeting,
        trips.get_meeting,
        trips.delete_meeting,
    ),
    Stay: _Kind("stay", stays.add_stay, stays.update_stay, stays.get_stay, stays.delete_stay),
    BusyBlock: _Kind("busy", stays.add_busy, stays.update_busy, stays.get_busy, stays.delete_busy),
}
_BY_TABLE = {kind.table: kind for kind in KINDS.values()}


def _kind(entity: str) -> _Kind:
    try:
        return _BY_TABLE[entity]
    except KeyError:
        raise ValueError(f"unknown record kind {entity!r}") from None


@dataclass(frozen=True)
class Add:
    """Add ``record`` (its id is ignored); ``Applied.created`` holds the new id."""

    record: Record

    def __post_init__(self) -> None:
        object.__setattr__(self, "record", copy.deepcopy(self.record))

    def apply(self, lib: Library) -> Applied:
        kind = KINDS[type(self.record)]
        fresh = dataclasses.replace(self.record, id=None)
        return record(lib, lambda: kind.add(lib, fresh))


@dataclass(frozen=True)
class Update:
    """Store every field of ``record`` (found by its id)."""

    record: Record

    def __post_init__(self) -> None:
        object.__setattr__(self, "record", copy.deepcopy(self.record))

    def apply(self, lib: Library) -> Applied:
        kind = KINDS[type(self.record)]
        if self.record.id is None:
            raise ValueError("Update needs a stored record")
        return record(
            lib, lambda: kind.update(lib, self.record), edits=[(kind.table, self.record.id)]
        )


@dataclass(frozen=True)
class Delete:
    """Delete the ``entity`` record ``record_id`` ("trip", "meeting", "contact"...): the
    inverse puts it back under its id, with what a delete cascades to (a trip's meetings)
    and the references a delete clears (meetings at a deleted place)."""

    entity: str
    record_id: int

    def apply(self, lib: Library) -> Applied:
        kind = _kind(self.entity)
        kind.get(lib, self.record_id)  # NotFoundError when it is gone
        return record(
            lib, lambda: kind.delete(lib, self.record_id), deletes=[(kind.table, self.record_id)]
        )


@dataclass(frozen=True)
class AtNewPlace:
    """Add ``record`` (id None) or store it (id set) with ``place``, a place found by
    geocoding, added to the directory as its place: one step, undone together. ``record`` is
    a meeting (its place; ``to_place``: a transfer's arrival), an organization (its place) or a
    trip (its hotel)."""

    record: Meeting | Organization | Trip
    place: Place | None
    # A transfer's arrival place found by geocoding (a meeting only): added the same way.
    to_place: Place | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "record", copy.deepcopy(self.record))

    def apply(self, lib: Library) -> Applied:
        kind = KINDS[type(self.record)]

        def work() -> None:
            stored = copy.deepcopy(self.record)
            if self.place is not None:
                place_id = directory.add_place(lib, dataclasses.replace(self.place, id=None))
                if isinstance(stored, Trip):
                    stored.base_place_id = place_id
                else:
                    stored.place_id = place_id
            if self.to_place is not None and isinstance(stored, Meeting):
                to_place = dataclasses.replace(self.to_place, id=None)
                stored.to_place_id = directory.add_place(lib, to_place)
            if stored.id is None:
                kind.add(lib, stored)
            else:
                kind.update(lib, stored)

        mine = [(kind.table, self.record.id)] if self.record.id is not None else []
        return record(lib, work, edits=mine)


@dataclass(frozen=True)
class MovePlace:
    """Put a place where the user dropped its pin (precision "manual", source "map")."""

    place_id: int
    lat: float
    lon: float

    def apply(self, lib: Library) -> Applied:
        with lib.write():
            place = directory.get_place(lib, self.place_id)
            moved = dataclasses.replace(
                place, lat=self.lat, lon=self.lon, precision=Precision.MANUAL, source="map"
            )
            return Update(moved).apply(lib)


def _filled(keep: object, drop: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """Values of ``drop`` for the fields ``keep`` leaves empty."""
    return {f: getattr(drop, f) for f in fields if not getattr(keep, f) and getattr(drop, f)}


def _notes(keep: str, drop: str) -> str:
    return f"{keep}\n{drop}".strip() if drop and drop not in keep else keep


@dataclass(frozen=True)
class Merge:
    """Fold the ``entity`` record ``drop_id`` into ``keep_id`` ("contact", "organization"
    or "place"): empty fields of the kept one are filled from the other, every meeting,
    contact, organization or trip that referred to the dropped one moves over, and the
    dropped one is deleted (the inverse brings it back, under its id)."""

    entity: str
    keep_id: int
    drop_id: int

    def apply(self, lib: Library) -> Applied:
        if self.entity not in ("contact", "organization", "place"):
            raise ValueError(f"cannot merge {self.entity!r}")
        if self.keep_id == self.drop_id:
            raise InputError(_("Choose two different records to merge."))
        return record(
            lib,
            getattr(self, f"_{self.entity}")(lib),
            edits=[(self.entity, self.keep_id)],
            deletes=[(self.entity, self.drop_id)],
        )

    def _move(self, lib: Library, table: str, column: str) -> None:
        lib.db.execute(
            f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (self.keep_id, self.drop_id)
        )

    def _contact(self, lib: Library) -> Callable[[], None]:
        keep = directory.get_contact(lib, self.keep_id)
        drop = directory.get_contact(lib, self.drop_id)
        fields = ("title", "organization_id", "email", "phone", "mobile", "language")
        merged = dataclasses.replace(keep, **_filled(keep, drop, fields))
        merged.notes = _notes(keep.notes, drop.notes)

        def work() -> None:
            lib.db.execute(
                "INSERT OR IGNORE INTO meeting_host (meeting_id, contact_id) "
                "SELECT meeting_id, ? FROM meeting_host WHERE contact_id = ?",
                (self.keep_id, self.drop_id),
            )
            directory.delete_contact(lib, self.drop_id)
            directory.update_contact(lib, merged)

        return work

    def _organization(self, lib: Library) -> Callable[[], None]:
        keep = directory.get_organization(lib, self.keep_id)
        drop = directory.get_organization(lib, self.drop_id)
        merged = dataclasses.replace(
            keep, **_filled(keep, drop, ("website", "phone", "email", "place_id"))
        )
        merged.tags = sorted(set(keep.tags) | set(drop.tags))
        if keep.kind is OrgKind.OTHER:
            merged.kind = drop.kind
        merged.notes = _notes(keep.notes, drop.notes)

        def work() -> None:
            self._move(lib, "contact", "organization_id")
            self._move(lib, "meeting", "organization_id")
            directory.delete_organization(lib, self.drop_id)
            directory.update_organization(lib, merged)

        return work

    def _place(self, lib: Library) -> Callable[[], None]:
        keep = directory.get_place(lib, self.keep_id)
        drop = directory.get_place(lib, self.drop_id)
        fields = ("name", "street", "city", "region", "postal_code", "country")
        merged = dataclasses.replace(keep, **_filled(keep, drop, fields))
        if keep.lat is None and drop.lat is not None:
            merged.lat, merged.lon = drop.lat, drop.lon
            merged.precision, merged.source = drop.precision, drop.source

        def work() -> None:
            self._move(lib, "organization", "place_id")
            self._move(lib, "trip", "base_place_id")
            self._move(lib, "meeting", "place_id")
            self._move(lib, "meeting", "to_place_id")
            self._move(lib, "stay", "place_id")
            self._move(lib, "busy", "place_id")
            directory.delete_place(lib, self.drop_id)
            directory.update_place(lib, merged)

        return work

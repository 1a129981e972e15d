"""A mission's stays and busy blocks as one step each: what the trip dialog (the
delegation's nights -> hotels) and the delegates dialog (a delegate's own hotel nights and
busy blocks) save. Single stays and busy blocks are records too: ``Add``, ``Update`` and
``Delete`` of :mod:`visitplanner.edits.records` work on them."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from visitplanner.edits.rows import Applied, record
from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.library import Library, directory, stays, trips
from visitplanner.model import BusyBlock, Delegate, Place, Stay


def _with_new_places(
    lib: Library, items: tuple[Stay, ...], places: tuple[Place | None, ...]
) -> list[Stay]:
    """``items`` with each new hotel (``places[i]``, found by geocoding) added to the
    directory and set as that stay's hotel."""
    out = [copy.deepcopy(s) for s in items]
    for stay, place in zip(out, places, strict=False):
        if place is not None:
            stay.place_id = directory.add_place(lib, copy.deepcopy(place))
    return out


@dataclass(frozen=True)
class SetStays:
    """Make ``stays`` the delegation's stays (``delegate_id`` None) or one delegate's own
    hotel nights; the inverse puts the previous ones back under their ids."""

    trip_id: int
    delegate_id: int | None
    stays: tuple[Stay, ...]
    # Hotels found by geocoding, not in the directory yet, aligned with ``stays``: each is
    # added in the same step and becomes that stay's hotel.
    new_places: tuple[Place | None, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "stays", tuple(copy.deepcopy(s) for s in self.stays))

    def apply(self, lib: Library) -> Applied:
        trips.get_trip(lib, self.trip_id)  # NotFoundError when it is gone
        if self.delegate_id is not None:
            trips.get_delegate(lib, self.delegate_id)
        mine = [("stay", i) for i in stays.stay_ids(lib, self.trip_id, self.delegate_id)]

        def work() -> None:
            items = _with_new_places(lib, self.stays, self.new_places)
            stays.replace_stays(lib, self.trip_id, self.delegate_id, items)

        return record(lib, work, edits=mine)


@dataclass(frozen=True)
class SaveDelegate:
    """Add (id None) or store a delegate with, when given, their busy blocks and their own
    hotel nights (``None``: leave those as they are): what the delegate dialog saves, one
    step. ``Applied.created`` names a new delegate."""

    delegate: Delegate
    busy: tuple[BusyBlock, ...] | None = None
    stays: tuple[Stay, ...] | None = None
    new_places: tuple[Place | None, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "delegate", copy.deepcopy(self.delegate))

    def apply(self, lib: Library) -> Applied:
        d = self.delegate
        mine: list[tuple[str, int]] = []
        if d.id is not None:
            trips.get_delegate(lib, d.id)
            mine = [("delegate", d.id)]
            mine += [("busy", i) for i in stays.busy_ids(lib, d.id)]
            mine += [("stay", i) for i in stays.stay_ids(lib, d.trip_id, d.id)]
        if self.stays is not None and any(s.delegate_id not in (None, d.id) for s in self.stays):
            raise InputError(_("A delegate's stay belongs to the delegate's own trip."))

        def work() -> int:
            if d.id is None:
                delegate_id = trips.add_delegate(lib, d)
            else:
                trips.update_delegate(lib, d)
                delegate_id = d.id
            if self.busy is not None:
                stays.replace_busy(lib, delegate_id, self.busy)
            if self.stays is not None:
                items = _with_new_places(lib, self.stays, self.new_places)
                stays.replace_stays(lib, d.trip_id, delegate_id, items)
            return delegate_id

        return record(lib, work, edits=mine)


@dataclass(frozen=True)
class SetBusy:
    """Make ``blocks`` the delegate's busy blocks."""

    delegate_id: int
    blocks: tuple[BusyBlock, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(copy.deepcopy(b) for b in self.blocks))

    def apply(self, lib: Library) -> Applied:
        trips.get_delegate(lib, self.delegate_id)
        mine = [("busy", i) for i in stays.busy_ids(lib, self.delegate_id)]
        return record(
            lib, lambda: stays.replace_busy(lib, self.delegate_id, self.blocks), edits=mine
        )

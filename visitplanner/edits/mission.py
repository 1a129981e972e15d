"""A mission's stays and busy blocks as one step each: what the trip dialog (the
delegation's nights -> hotels) and the delegates dialog (a delegate's own hotel nights and
busy blocks) save. Single stays and busy blocks are records too: ``Add``, ``Update`` and
``Delete`` of :mod:`visitplanner.edits.records` work on them."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from visitplanner.edits.rows import Applied, record
from visitplanner.library import Library, stays, trips
from visitplanner.model import BusyBlock, Stay


@dataclass(frozen=True)
class SetStays:
    """Make ``stays`` the delegation's stays (``delegate_id`` None) or one delegate's own
    hotel nights; the inverse puts the previous ones back under their ids."""

    trip_id: int
    delegate_id: int | None
    stays: tuple[Stay, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "stays", tuple(copy.deepcopy(s) for s in self.stays))

    def apply(self, lib: Library) -> Applied:
        trips.get_trip(lib, self.trip_id)  # NotFoundError when it is gone
        if self.delegate_id is not None:
            trips.get_delegate(lib, self.delegate_id)
        mine = [("stay", i) for i in stays.stay_ids(lib, self.trip_id, self.delegate_id)]
        return record(
            lib,
            lambda: stays.replace_stays(lib, self.trip_id, self.delegate_id, self.stays),
            edits=mine,
        )


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

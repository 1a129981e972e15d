"""Imports as operations: what they created is named in ``Applied.created`` (contacts,
organizations, places, trips, delegates, meetings) and their inverse deletes exactly that."""

from __future__ import annotations

from dataclasses import dataclass

from visitplanner.edits.rows import Applied, record
from visitplanner.exchange.contact_import import ImportReport, apply_import
from visitplanner.exchange.delegates_import import DelegateImport
from visitplanner.exchange.meetings_csv import MeetingImport
from visitplanner.exchange.tripfile import merge_trip
from visitplanner.exchange.tripfile_reader import TripFile
from visitplanner.library import Library, trips


@dataclass(frozen=True)
class ImportContacts:
    """Add the contacts of a checked contact file (and the organizations and places they
    need). ``Applied.detail`` is the number of contacts imported."""

    report: ImportReport

    def apply(self, lib: Library) -> Applied:
        return record(lib, lambda: apply_import(lib, self.report))


@dataclass(frozen=True)
class ImportMeetings:
    """Add the meetings of a previewed spreadsheet to its trip (and the delegates,
    organizations and places they name that the library lacks). ``Applied.detail`` is the
    list of new meeting ids."""

    preview: MeetingImport

    def apply(self, lib: Library) -> Applied:
        from visitplanner.exchange.meetings_csv import apply

        return record(lib, lambda: apply(lib, self.preview))


@dataclass(frozen=True)
class ImportTrip:
    """Merge a trip file already read and checked (``read_trip_file``) into the library.
    ``Applied.detail`` is the :class:`~visitplanner.exchange.tripfile.TripImport`."""

    content: TripFile

    def apply(self, lib: Library) -> Applied:
        return record(lib, lambda: merge_trip(lib, self.content))


@dataclass(frozen=True)
class ImportDelegates:
    """Add and update the delegates of a previewed registration file, with their busy
    blocks and hotel nights, as one step (the hotels the library lacked are added).
    ``Applied.detail`` is the delegates' ids in file order."""

    preview: DelegateImport

    def apply(self, lib: Library) -> Applied:
        from visitplanner.exchange.delegates_import import apply
        from visitplanner.library import stays

        mine: list[tuple[str, int]] = []
        for row in self.preview.rows:
            delegate_id = row.delegate.id
            if delegate_id is None:
                continue
            trips.get_delegate(lib, delegate_id)  # NotFoundError: deleted since the preview
            mine.append(("delegate", delegate_id))
            mine += [("busy", i) for i in stays.busy_ids(lib, delegate_id)]
            mine += [("stay", i) for i in stays.stay_ids(lib, self.preview.trip_id, delegate_id)]
        return record(lib, lambda: apply(lib, self.preview), edits=mine)

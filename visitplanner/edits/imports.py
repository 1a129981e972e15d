"""Imports as operations: what they created is named in ``Applied.created`` (contacts,
organizations, places, trips, delegates, meetings) and their inverse deletes exactly that."""

from __future__ import annotations

from dataclasses import dataclass

from visitplanner.edits.rows import Applied, record
from visitplanner.exchange.contact_import import ImportReport, apply_import
from visitplanner.exchange.meetings_csv import MeetingImport
from visitplanner.exchange.tripfile import merge_trip
from visitplanner.exchange.tripfile_reader import TripFile
from visitplanner.library import Library


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

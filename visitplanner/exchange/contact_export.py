"""Exporting the directory's contacts: vCard 3.0 or CSV (UTF-8 with BOM, formulas defused)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from visitplanner.errors import InputError
from visitplanner.exchange import vcard
from visitplanner.i18n import _
from visitplanner.library import Library, directory, trips
from visitplanner.model import Contact

# Outlook's own headers: Outlook, Google and this app's import all read them back.
CSV_HEADERS = (
    "First Name",
    "Last Name",
    "Company",
    "Job Title",
    "E-mail Address",
    "Business Phone",
    "Mobile Phone",
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Web Page",
    "Language",
    "Notes",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def contacts_to_export(lib: Library, trip_ref: str | None = None) -> list[Contact]:
    """Every contact, or those of one trip: its meetings' hosts and their organizations' people."""
    people = directory.contacts(lib)
    if trip_ref is None:
        return list(people.values())
    trip = trips.resolve_trip(lib, trip_ref)
    assert trip.id is not None
    meetings = trips.meetings(lib, trip.id)
    hosts = {h for m in meetings for h in m.host_ids}
    orgs = {m.organization_id for m in meetings if m.organization_id is not None}
    return [c for c in people.values() if c.id in hosts or c.organization_id in orgs]


def contacts_csv_text(lib: Library, people: list[Contact]) -> str:
    organizations = directory.organizations(lib)
    places = directory.places(lib)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for c in people:
        org = organizations.get(c.organization_id or -1)
        place = places.get(org.place_id or -1) if org else None
        row = [
            c.given_name,
            c.family_name,
            org.name if org else "",
            c.title,
            c.email,
            c.phone,
            c.mobile,
            place.street if place else "",
            place.city if place else "",
            place.region if place else "",
            place.postal_code if place else "",
            place.country if place else "",
            org.website if org else "",
            c.language,
            c.notes,
        ]
        writer.writerow([neutralize(cell) for cell in row])
    return out.getvalue()


def export_contacts(lib: Library, out: Path, fmt: str = "vcf", trip_ref: str | None = None) -> int:
    """Write the contacts to ``out`` as ``fmt`` ("vcf" or "csv"); returns how many."""
    people = contacts_to_export(lib, trip_ref)
    if fmt == "csv":
        data = contacts_csv_text(lib, people).encode("utf-8-sig")
    elif fmt == "vcf":
        text = vcard.write_vcards(people, directory.organizations(lib), directory.places(lib))
        data = text.encode("utf-8")
    else:
        raise InputError(_("Unknown format {format}: use vcf or csv.").format(format=fmt))
    write_file(out, data)
    return len(people)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all, never over a library."""
    from visitplanner.outputs import write_bytes

    write_bytes(path, data)

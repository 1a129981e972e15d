"""Exporting the directory's contacts in files other programs read back.

- ``vcard``: vCard 3.0 (RFC 2426) or, when asked, 4.0 (RFC 6350), built with vobject: UTF-8
  without CHARSET parameters (neither version has one), CRLF line ends, lines folded at 75
  octets (not characters), never inside a UTF-8 character.
- ``csv-google`` and ``csv-outlook``: the headers Google Contacts' and Outlook's importers
  read, UTF-8 (with a BOM for Outlook). Phone numbers are written as they are: those
  importers keep a formula guard's "'" as part of the number. Any other cell that starts
  with =, +, - or @ is still defused.
- ``csv-excel``: Outlook's headers for a spreadsheet, UTF-8 with a BOM, every cell that a
  spreadsheet would run as a formula defused (OWASP CSV injection), phone numbers included.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.library import Library, directory, trips
from visitplanner.model import Contact, Organization, Place

FORMATS = ("vcard", "csv-google", "csv-outlook", "csv-excel")
_ALIASES = {"vcf": "vcard", "csv": "csv-excel"}  # the names of earlier versions
VCARD_VERSIONS = ("3.0", "4.0")

# Outlook's own headers: Outlook, Excel users and this app's import all read them back.
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
# Google Contacts' own export layout (the importer reads these names).
GOOGLE_HEADERS = (
    "First Name",
    "Last Name",
    "Organization Name",
    "Organization Title",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Phone 2 - Label",
    "Phone 2 - Value",
    "Address 1 - Label",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Website 1 - Label",
    "Website 1 - Value",
    "Custom Field 1 - Label",
    "Custom Field 1 - Value",
    "Notes",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A phone number as the directory stores it ("+1 514-555-0142 ext. 204", "(514) 555-0100",
# "+1 514-555-0120 poste 123"):
# a spreadsheet may take it for a sum, an address book never does.
_PHONE = re.compile(
    r"^\+?[0-9(][0-9 ().\-/]*(?:[ ,]*(?:ext\.?|x|poste|p\.|#) ?[0-9]{1,6})?$", re.IGNORECASE
)
VCARD_LINE_OCTETS = 75


def neutralize(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _phone_cell(cell: str) -> str:
    """A phone number as it is (importers keep a "'" in the number); anything else that
    only pretends to be one is defused."""
    return cell if _PHONE.match(cell) else neutralize(cell)


def format_for(name: str | None, out: Path) -> str:
    """The export format named ``name`` (earlier names "vcf" and "csv" too), or the one the
    file name ``out`` suggests."""
    if name is None:
        return "csv-excel" if out.suffix.lower() == ".csv" else "vcard"
    fmt = _ALIASES.get(name, name)
    if fmt not in FORMATS:
        raise InputError(
            _("Unknown format {format}: use {formats}.").format(
                format=name, formats=", ".join(FORMATS)
            )
        )
    return fmt


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


# -- CSV --------------------------------------------------------------------------------------


def _outlook_row(c: Contact, org: Organization | None, place: Place | None) -> list[str]:
    return [
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


def _google_row(c: Contact, org: Organization | None, place: Place | None) -> list[str]:
    website = org.website if org else ""
    has_address = place is not None and bool(place.address())
    return [
        c.given_name,
        c.family_name,
        org.name if org else "",
        c.title,
        "Work" if c.email else "",
        c.email,
        "Work" if c.phone else "",
        c.phone,
        "Mobile" if c.mobile else "",
        c.mobile,
        "Work" if has_address else "",
        place.street if place else "",
        place.city if place else "",
        place.region if place else "",
        place.postal_code if place else "",
        place.country if place else "",
        "Work" if website else "",
        website,
        "Language" if c.language else "",
        c.language,
        c.notes,
    ]


_PHONE_HEADERS = frozenset({"Business Phone", "Mobile Phone", "Phone 1 - Value", "Phone 2 - Value"})


def contacts_csv_text(lib: Library, people: list[Contact], fmt: str = "csv-excel") -> str:
    """The CSV text of ``people`` in the layout of ``fmt`` (csv-google, csv-outlook or
    csv-excel)."""
    organizations = directory.organizations(lib)
    places = directory.places(lib)
    headers = GOOGLE_HEADERS if fmt == "csv-google" else CSV_HEADERS
    row_of = _google_row if fmt == "csv-google" else _outlook_row
    guards: list[Callable[[str], str]] = [
        _phone_cell if fmt != "csv-excel" and header in _PHONE_HEADERS else neutralize
        for header in headers
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for c in people:
        org = organizations.get(c.organization_id or -1)
        place = places.get(org.place_id or -1) if org else None
        row = row_of(c, org, place)
        writer.writerow([guard(cell) for guard, cell in zip(guards, row, strict=True)])
    return out.getvalue()


# -- vCard ------------------------------------------------------------------------------------


def fold_line(line: str, octets: int = VCARD_LINE_OCTETS) -> str:
    """``line`` folded (CRLF and a space) so that no line is longer than ``octets`` octets
    of UTF-8, never inside a character (RFC 2426 section 2.6, RFC 6350 section 3.2)."""
    if len(line.encode("utf-8")) <= octets:
        return line
    pieces: list[str] = []
    start = size = 0
    limit = octets
    for index, char in enumerate(line):
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(line[start:index])
            start, size, limit = index, 0, octets - 1  # the space starts the next line
        size += width
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def _vcard(
    person: Contact,
    org: Organization | None,
    place: Place | None,
    version: str,
) -> str:
    import vobject

    v4 = version == "4.0"

    def types(*names: str) -> list[str]:
        return [n.lower() for n in names]

    card = vobject.vCard()
    card.add("version").value = version
    card.add("n").value = vobject.vcard.Name(family=person.family_name, given=person.given_name)
    card.add("fn").value = person.full_name or (org.name if org else "") or "?"
    if org is not None:
        card.add("org").value = [org.name]
    if person.title:
        card.add("title").value = person.title
    if person.email:
        email = card.add("email")
        email.value = person.email
        email.type_param = types("INTERNET", "WORK") if not v4 else types("WORK")
    for number, kind in ((person.phone, types("WORK", "VOICE")), (person.mobile, types("CELL"))):
        if number:
            tel = card.add("tel")
            tel.value = number
            tel.type_param = kind
    if place is not None and place.address():
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=place.street,
            city=place.city,
            region=place.region,
            code=place.postal_code,
            country=place.country,
        )
        adr.type_param = types("WORK")
    if org is not None and org.website:
        card.add("url").value = org.website
    if person.language:
        card.add("lang" if v4 else "x-language").value = person.language
    if person.notes:
        card.add("note").value = person.notes
    if person.id is not None:
        uid = f"visitplanner-contact-{person.id}"
        # 4.0's UID is a URI: the same name, as a UUID of its own
        card.add("uid").value = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uid)}" if v4 else uid
    text: str = card.serialize(lineLength=10**9)  # folded below, by octets
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def vcard_text(
    people: Iterable[Contact],
    organizations: dict[int, Organization],
    places: dict[int, Place],
    version: str = "3.0",
) -> str:
    """vCard ``version`` text (CRLF line ends, lines folded at 75 octets) for ``people``."""
    if version not in VCARD_VERSIONS:
        raise InputError(
            _("Unknown vCard version {version}: use 3.0 or 4.0.").format(version=version)
        )
    out: list[str] = []
    for person in people:
        org = organizations.get(person.organization_id or -1)
        place = places.get(org.place_id or -1) if org is not None else None
        out.append(_vcard(person, org, place, version))
    return "".join(out)


def export_contacts(
    lib: Library,
    out: Path,
    fmt: str = "vcard",
    trip_ref: str | None = None,
    *,
    vcard_version: str = "3.0",
) -> int:
    """Write the contacts to ``out`` as ``fmt`` (see :data:`FORMATS`); returns how many."""
    fmt = format_for(fmt, out)
    people = contacts_to_export(lib, trip_ref)
    if fmt == "vcard":
        text = vcard_text(
            people, directory.organizations(lib), directory.places(lib), vcard_version
        )
        data = text.encode("utf-8")
    elif fmt == "csv-google":  # Google's own export has no BOM
        data = contacts_csv_text(lib, people, fmt).encode("utf-8")
    else:
        data = contacts_csv_text(lib, people, fmt).encode("utf-8-sig")
    write_file(out, data)
    return len(people)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all, never over a library."""
    from visitplanner.outputs import write_bytes

    write_bytes(path, data)

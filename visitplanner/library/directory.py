"""The directory: places, organizations and contacts; reads, edits and search."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from visitplanner import rules
from visitplanner.errors import InputError, NotFoundError
from visitplanner.i18n import _
from visitplanner.library.database import Library
from visitplanner.library.rows import insert_row, stored_row, update_row
from visitplanner.model import Contact, Organization, OrgKind, Place, Precision
from visitplanner.names import strip_accents

# -- places -------------------------------------------------------------------------------

_PLACE_COLUMNS = (
    "name",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "lat",
    "lon",
    "precision",
    "source",
)


def place_from_row(row: sqlite3.Row) -> Place:
    return Place(
        name=row["name"],
        street=row["street"],
        city=row["city"],
        region=row["region"],
        postal_code=row["postal_code"],
        country=row["country"],
        lat=row["lat"],
        lon=row["lon"],
        precision=Precision(row["precision"]) if row["precision"] else None,
        source=row["source"],
        id=row["id"],
    )


def _place_values(place: Place, before: dict[str, object] | None = None) -> tuple[object, ...]:
    rules.check_record_text(place, before)
    if (place.lat is None) != (place.lon is None):
        raise InputError(_("A place needs both a latitude and a longitude, or neither."))
    if place.lat is not None and not -90 <= place.lat <= 90:
        raise InputError(_("A latitude is between -90 and 90 degrees."))
    if place.lon is not None and not -180 <= place.lon <= 180:
        raise InputError(_("A longitude is between -180 and 180 degrees."))
    return (
        place.name,
        place.street,
        place.city,
        place.region,
        place.postal_code,
        place.country,
        place.lat,
        place.lon,
        place.precision.value if place.precision else None,
        place.source,
    )


def add_place(lib: Library, place: Place) -> int:
    with lib.write() as changes:
        place_id = insert_row(lib, "place", _PLACE_COLUMNS, _place_values(place))
        changes.add("place", place_id)
    return place_id


def update_place(lib: Library, place: Place) -> None:
    if place.id is None:
        raise ValueError("update_place needs a stored place")
    with lib.write() as changes:
        values = _place_values(place, stored_row(lib, "place", place.id))
        if update_row(lib, "place", _PLACE_COLUMNS, values, place.id) == 0:
            raise NotFoundError(_("There is no place with id {id}.").format(id=place.id))
        changes.add("place", place.id)


def delete_place(lib: Library, place_id: int) -> None:
    """Delete a place; organizations, trips and meetings there keep no place."""
    with lib.write() as changes:
        rows = lib.query("SELECT id FROM meeting WHERE place_id = ?", (place_id,))
        meetings = [r[0] for r in rows]
        lib.db.execute("DELETE FROM place WHERE id = ?", (place_id,))
        changes.add("place", place_id)
        changes.add("meeting", meetings)


def get_place(lib: Library, place_id: int) -> Place:
    row = lib.query_one("SELECT * FROM place WHERE id = ?", (place_id,))
    if row is None:
        raise NotFoundError(_("There is no place with id {id}.").format(id=place_id))
    return place_from_row(row)


def places(lib: Library, ids: list[int] | None = None) -> dict[int, Place]:
    if ids is None:
        rows = lib.query("SELECT * FROM place")
    else:
        rows = lib.query(
            "SELECT * FROM place WHERE id IN (SELECT value FROM json_each(?))",
            (_json_ids(ids),),
        )
    return {row["id"]: place_from_row(row) for row in rows}


# -- organizations -------------------------------------------------------------------------

_ORG_COLUMNS = ("name", "kind", "website", "phone", "email", "notes", "place_id", "cancelled")


def organization_from_row(row: sqlite3.Row, tags: list[str] | None = None) -> Organization:
    return Organization(
        name=row["name"],
        kind=OrgKind(row["kind"]),
        website=row["website"],
        phone=row["phone"],
        email=row["email"],
        notes=row["notes"],
        place_id=row["place_id"],
        cancelled=bool(row["cancelled"]),
        tags=tags or [],
        id=row["id"],
    )


def _org_values(org: Organization, before: dict[str, object] | None = None) -> tuple[object, ...]:
    rules.check_record_text(org, before)
    if not org.name.strip():
        raise InputError(_("An organization needs a name."))
    return (
        org.name.strip(),
        org.kind.value,
        org.website,
        org.phone,
        org.email,
        org.notes,
        org.place_id,
        int(org.cancelled),
    )


def add_organization(lib: Library, org: Organization) -> int:
    with lib.write() as changes:
        org_id = insert_row(lib, "organization", _ORG_COLUMNS, _org_values(org))
        _set_tags(lib, org_id, org.tags)
        changes.add("organization", org_id)
    return org_id


def update_organization(lib: Library, org: Organization) -> None:
    if org.id is None:
        raise ValueError("update_organization needs a stored organization")
    with lib.write() as changes:
        values = _org_values(org, stored_row(lib, "organization", org.id))
        if update_row(lib, "organization", _ORG_COLUMNS, values, org.id) == 0:
            raise NotFoundError(_("There is no organization with id {id}.").format(id=org.id))
        _set_tags(lib, org.id, org.tags)
        changes.add("organization", org.id)


def _set_tags(lib: Library, org_id: int, tags: list[str]) -> None:
    lib.db.execute("DELETE FROM organization_tag WHERE organization_id = ?", (org_id,))
    clean = sorted({t.strip() for t in tags if t.strip()})
    lib.db.executemany("INSERT INTO organization_tag VALUES (?, ?)", [(org_id, t) for t in clean])


def delete_organization(lib: Library, org_id: int) -> None:
    with lib.write() as changes:
        rows = lib.query("SELECT id FROM contact WHERE organization_id = ?", (org_id,))
        contacts = [r[0] for r in rows]
        meetings = meetings_with_organization(lib, org_id)
        lib.db.execute("DELETE FROM organization WHERE id = ?", (org_id,))
        changes.add("organization", org_id)
        changes.add("contact", contacts)
        changes.add("meeting", meetings)


def get_organization(lib: Library, org_id: int) -> Organization:
    row = lib.query_one("SELECT * FROM organization WHERE id = ?", (org_id,))
    if row is None:
        raise NotFoundError(_("There is no organization with id {id}.").format(id=org_id))
    tags = [
        r["tag"]
        for r in lib.query(
            "SELECT tag FROM organization_tag WHERE organization_id = ? ORDER BY tag", (org_id,)
        )
    ]
    return organization_from_row(row, tags)


def organizations(lib: Library, ids: list[int] | None = None) -> dict[int, Organization]:
    if ids is None:
        rows = lib.query("SELECT * FROM organization ORDER BY name COLLATE NOCASE")
        tag_rows = lib.query("SELECT organization_id, tag FROM organization_tag")
    else:
        rows = lib.query(
            "SELECT * FROM organization WHERE id IN (SELECT value FROM json_each(?))",
            (_json_ids(ids),),
        )
        tag_rows = lib.query(
            "SELECT organization_id, tag FROM organization_tag "
            "WHERE organization_id IN (SELECT value FROM json_each(?))",
            (_json_ids(ids),),
        )
    tags: dict[int, list[str]] = {}
    for r in tag_rows:
        tags.setdefault(r["organization_id"], []).append(r["tag"])
    return {row["id"]: organization_from_row(row, sorted(tags.get(row["id"], []))) for row in rows}


# -- contacts ----------------------------------------------------------------------------

_CONTACT_COLUMNS = (
    "given_name",
    "family_name",
    "title",
    "organization_id",
    "email",
    "phone",
    "mobile",
    "language",
    "notes",
)


def contact_from_row(row: sqlite3.Row) -> Contact:
    return Contact(
        given_name=row["given_name"],
        family_name=row["family_name"],
        title=row["title"],
        organization_id=row["organization_id"],
        email=row["email"],
        phone=row["phone"],
        mobile=row["mobile"],
        language=row["language"],
        notes=row["notes"],
        id=row["id"],
    )


def _contact_values(c: Contact, before: dict[str, object] | None = None) -> tuple[object, ...]:
    rules.check_record_text(c, before)
    if not (c.given_name + c.family_name).strip():
        raise InputError(_("A contact needs a given name or a family name."))
    if c.language not in ("", "en", "fr"):
        raise InputError(_("A contact's language is English or French."))
    return (
        c.given_name.strip(),
        c.family_name.strip(),
        c.title,
        c.organization_id,
        c.email.strip(),
        c.phone,
        c.mobile,
        c.language,
        c.notes,
    )


def add_contact(lib: Library, contact: Contact) -> int:
    with lib.write() as changes:
        contact_id = insert_row(lib, "contact", _CONTACT_COLUMNS, _contact_values(contact))
        changes.add("contact", contact_id)
    return contact_id


def update_contact(lib: Library, contact: Contact) -> None:
    if contact.id is None:
        raise ValueError("update_contact needs a stored contact")
    with lib.write() as changes:
        values = _contact_values(contact, stored_row(lib, "contact", contact.id))
        if update_row(lib, "contact", _CONTACT_COLUMNS, values, contact.id) == 0:
            raise NotFoundError(_("There is no contact with id {id}.").format(id=contact.id))
        changes.add("contact", contact.id)


def delete_contact(lib: Library, contact_id: int) -> None:
    with lib.write() as changes:
        hosted = meetings_hosted_by(lib, contact_id)
        lib.db.execute("DELETE FROM contact WHERE id = ?", (contact_id,))
        changes.add("contact", contact_id)
        changes.add("meeting", hosted)


def meetings_hosted_by(lib: Library, contact_id: int) -> list[int]:
    """Ids of the meetings ``contact_id`` hosts."""
    rows = lib.query("SELECT meeting_id FROM meeting_host WHERE contact_id = ?", (contact_id,))
    return sorted(r[0] for r in rows)


def meetings_with_organization(lib: Library, org_id: int) -> list[int]:
    """Ids of the meetings with organization ``org_id``."""
    rows = lib.query("SELECT id FROM meeting WHERE organization_id = ?", (org_id,))
    return sorted(r[0] for r in rows)


def get_contact(lib: Library, contact_id: int) -> Contact:
    row = lib.query_one("SELECT * FROM contact WHERE id = ?", (contact_id,))
    if row is None:
        raise NotFoundError(_("There is no contact with id {id}.").format(id=contact_id))
    return contact_from_row(row)


def contacts(lib: Library, ids: list[int] | None = None) -> dict[int, Contact]:
    if ids is None:
        rows = lib.query("SELECT * FROM contact ORDER BY family_name, given_name")
    else:
        rows = lib.query(
            "SELECT * FROM contact WHERE id IN (SELECT value FROM json_each(?))",
            (_json_ids(ids),),
        )
    return {row["id"]: contact_from_row(row) for row in rows}


# -- listing, for the directory table -----------------------------------------------------

Entry = tuple[str, int]  # ("contact" | "organization", id)


@dataclass(frozen=True)
class DirectoryRow:
    """What the directory table shows of one entry."""

    name: str
    organization: str
    title: str  # a contact's title; empty for an organization (its kind says what it is)
    kind: OrgKind | None  # an organization's kind; None for a contact
    email: str
    phone: str
    city: str
    precision: Precision | None = None  # of the organization's place; None without one


def listing(lib: Library, kind: str | None = None) -> list[Entry]:
    """Every organization (by name), then every contact (by family name)."""
    entries: list[Entry] = []
    if kind in (None, "organization"):
        entries += [
            ("organization", r[0])
            for r in lib.db.execute("SELECT id FROM organization ORDER BY name COLLATE NOCASE")
        ]
    if kind in (None, "contact"):
        entries += [
            ("contact", r[0])
            for r in lib.db.execute(
                "SELECT id FROM contact ORDER BY family_name COLLATE NOCASE, given_name"
            )
        ]
    return entries


_CONTACT_ROWS = """
SELECT c.id, c.given_name || ' ' || c.family_name AS name, coalesce(o.name, '') AS org,
       c.title, c.email, c.phone, coalesce(p.city, '') AS city, p.precision
FROM contact c LEFT JOIN organization o ON o.id = c.organization_id
LEFT JOIN place p ON p.id = o.place_id
WHERE c.id IN (SELECT value FROM json_each(?))
"""
_ORG_ROWS = """
SELECT o.id, o.name, o.kind, o.email, o.phone, coalesce(p.city, '') AS city, p.precision
FROM organization o LEFT JOIN place p ON p.id = o.place_id
WHERE o.id IN (SELECT value FROM json_each(?))
"""


def directory_rows(lib: Library, entries: list[Entry]) -> dict[Entry, DirectoryRow]:
    """The table rows of these entries, in two queries whatever their number."""
    out: dict[Entry, DirectoryRow] = {}
    contact_ids = [i for k, i in entries if k == "contact"]
    org_ids = [i for k, i in entries if k == "organization"]
    if contact_ids:
        for r in lib.db.execute(_CONTACT_ROWS, (_json_ids(contact_ids),)):
            out[("contact", r["id"])] = DirectoryRow(
                r["name"].strip(),
                r["org"],
                r["title"],
                None,
                r["email"],
                r["phone"],
                r["city"],
                _precision(r["precision"]),
            )
    if org_ids:
        for r in lib.db.execute(_ORG_ROWS, (_json_ids(org_ids),)):
            out[("organization", r["id"])] = DirectoryRow(
                r["name"],
                "",
                "",
                OrgKind(r["kind"]),
                r["email"],
                r["phone"],
                r["city"],
                _precision(r["precision"]),
            )
    return out


def _precision(value: str | None) -> Precision | None:
    """A place row's precision, None for none (or one this version does not know)."""
    try:
        return Precision(value) if value else None
    except ValueError:
        return None


# -- search ------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)
# A search is what a person types: a few words. A paste of a page (thousands of words, or
# one endless word) would make FTS5 intersect thousands of prefix lists: only the first
# words count, each cut to a length no name reaches.
MAX_SEARCH_WORDS = 8
MAX_WORD_LENGTH = 40
_MAX_SEARCH_TEXT = 2000


def search_words(text: str) -> list[str]:
    """The words of ``text`` a search uses: at most :data:`MAX_SEARCH_WORDS`, each at most
    :data:`MAX_WORD_LENGTH` characters, without repeats nor words that only start another
    one ("mon montréal" is "montréal": every entry matching the longer word matches both)."""
    words: list[str] = []
    folded: list[str] = []
    for match in _TOKEN.finditer(text, 0, _MAX_SEARCH_TEXT):
        word = match.group()[:MAX_WORD_LENGTH]
        key = _folded(word)
        if any(other.startswith(key) for other in folded):
            continue
        kept = [i for i, other in enumerate(folded) if not key.startswith(other)]
        words = [words[i] for i in kept] + [word]
        folded = [folded[i] for i in kept] + [key]
        if len(words) >= MAX_SEARCH_WORDS:
            break
    return words


def _folded(word: str) -> str:
    """``word`` as FTS5's tokenizer compares it: without case or accents."""
    return strip_accents(word.casefold())


def _quoted(words: list[str]) -> str | None:
    """An FTS5 query matching every word as a prefix, or None if no word. User text never
    reaches FTS5's query syntax: each word is quoted."""
    return " ".join(f'"{w}"*' for w in words) if words else None


def search(
    lib: Library, text: str, kind: str | None = None, limit: int = 500
) -> list[tuple[str, int]]:
    """(kind, id) of directory entries matching ``text``, best first.

    Accent- and case-insensitive ("montreal" finds "Montréal", "cote" finds "Côté").
    """
    words = search_words(text)
    query = _quoted(words)
    if query is None:
        return []
    # rowid encodes kind and id (2*id contacts, 2*id+1 organizations): reading it alone
    # skips the FTS content table. Ranking every match of a one-letter prefix (most of
    # the directory) takes longer than a frame, so the first keystroke lists in id order.
    order = "" if len(words) == 1 and len(words[0]) <= 1 else " ORDER BY rank"
    parity = {None: "", "contact": " AND rowid % 2 = 0", "organization": " AND rowid % 2 = 1"}
    where = parity.get(kind, " AND 0")  # constant SQL fragments only; values are parameters
    rows = lib.db.execute(
        f"SELECT rowid FROM directory_fts WHERE directory_fts MATCH ?{where}{order} LIMIT ?",
        (query, limit),
    )
    return [("organization" if r[0] % 2 else "contact", r[0] // 2) for r in rows]


def _json_ids(ids: list[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"

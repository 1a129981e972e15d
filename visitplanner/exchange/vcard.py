"""vCard 2.1, 3.0 and 4.0 in (through vobject), vCard 3.0 out.

vobject parses each card; this module only prepares the text for it: the file is split
into cards so one damaged card does not lose the others, and quoted-printable soft line
breaks of vCard 2.1 (which vobject does not join) are joined. Values whose declared
charset was wrong (UTF-8 bytes labelled ISO-8859-1, as some phones write) are repaired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from visitplanner.errors import InputError
from visitplanner.exchange.records import ContactRecord, RowNote
from visitplanner.exchange.text import repair, shown
from visitplanner.i18n import _
from visitplanner.model import Contact, Organization, Place

# Twice the largest directory the app is measured with (20,000 contacts), and each card is
# parsed by vobject, about 50 µs each: a file of more cards is refused, not read for minutes.
MAX_CARDS = 40_000
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
_QP = re.compile(r"^[^:]*ENCODING=QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)
# Properties holding binary data (base64, sometimes megabytes): dropped before vobject
# parses them (it keeps several decoded copies of each).
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
# The start of a property line ("TEL;TYPE=CELL:", "item1.EMAIL:", "END:VCARD"); base64 and
# folded lines never look like one (base64 has no ";" or ":", folded lines start with a blank).
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?[\w-]+[;:]")
# Longest value (after joining its lines) and card handed to vobject; notes are cut at
# 20,000 characters on import anyway (contact_import.MAX_NOTES).
MAX_PROPERTY = 128 * 1024
MAX_CARD = 1024 * 1024
_VERSION = re.compile(r"^VERSION:\s*([0-9.]+)", re.IGNORECASE | re.MULTILINE)


def looks_like_vcard(text: str) -> bool:
    return bool(re.match(r"\s*BEGIN:VCARD", text[:2000], re.IGNORECASE))


def split_cards(text: str) -> tuple[list[tuple[int, str, bool]], list[RowNote]]:
    """(first line, text, complete) of each card, and notes about what was left out.

    Work and memory stay proportional to the file: quoted-printable soft line breaks are
    joined in one go, binary properties (photos...) are dropped, and a value longer than
    :data:`MAX_PROPERTY` characters or a card longer than :data:`MAX_CARD` is cut, with a
    note, before vobject (which needs about 150 times a value's size) sees it.
    """
    cards: list[tuple[int, str, bool]] = []
    notes: list[RowNote] = []
    current: list[str] | None = None
    start = 0
    card_size = 0  # characters of the current card kept so far
    property_size = 0  # characters of the current property, its folded lines included
    card_cut = property_cut = False
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        index += 1
        if current is None:
            if _BEGIN.match(line.strip()):
                current, start, card_size, card_cut = [line.strip()], number, 0, False
            continue
        if _BEGIN.match(line.strip()):  # a card that never ended
            cards.append((start, "\r\n".join([*current, "END:VCARD"]), False))
            current, start, card_size, card_cut = [line.strip()], number, 0, False
            continue
        if not line.strip():  # blank lines are not part of any card
            continue
        if _BINARY.match(line):  # a photo, logo, sound or key: never used, costly to parse
            while index < len(lines) and not _PROPERTY.match(lines[index]):
                index += 1  # its folded or base64 lines (vCard 2.1 does not indent them)
            continue
        if line[:1] in (" ", "\t"):  # a folded line: the property before it goes on
            property_size += len(line)
            if property_size > MAX_PROPERTY:
                if not property_cut:
                    notes.append(_cut_note(number, current[-1] if current else ""))
                    property_cut = True
                continue
        else:
            property_cut = False
            if _QP.match(line):
                line, cut = _join_soft_lines(line, lines, index)
                index = cut.next_index
                if cut.length > MAX_PROPERTY:
                    notes.append(_cut_note(number, line, cut.length))
                line = _true_charset(line)
            elif len(line) > MAX_PROPERTY:
                notes.append(_cut_note(number, line, len(line)))
                line = line[:MAX_PROPERTY].rstrip("\\")
            property_size = len(line)
        if _END.match(line.strip()):
            current.append(line)
            cards.append((start, "\r\n".join(current) + "\r\n", True))
            current = None
            continue
        card_size += len(line)
        if card_size > MAX_CARD:
            if not card_cut:
                notes.append(
                    RowNote(
                        start,
                        _(
                            "This card is longer than {limit} characters: the rest of it "
                            "was not read."
                        ).format(limit=MAX_CARD),
                    )
                )
                card_cut = True
            continue
        current.append(line)
    if current is not None:
        cards.append((start, "\r\n".join([*current, "END:VCARD"]) + "\r\n", False))
    return cards, notes


@dataclass(frozen=True)
class _Joined:
    next_index: int  # the line after the value
    length: int  # the value's length before it was cut


def _join_soft_lines(line: str, lines: list[str], index: int) -> tuple[str, _Joined]:
    """A quoted-printable value and its soft line breaks ("=" at the end) as one line, cut
    to :data:`MAX_PROPERTY` characters; joined once (adding each line to the whole grows
    with the square of the value's length)."""
    pieces = [line]
    length = len(line)
    last = line
    while last.endswith("=") and index < len(lines):
        last = lines[index]
        index += 1
        length += len(last) - 1
        if length <= MAX_PROPERTY:
            pieces.append(last)
    joined = "".join(piece[:-1] for piece in pieces[:-1]) + pieces[-1]
    if length > MAX_PROPERTY and joined.endswith("=") and len(pieces) > 1:
        joined = joined[:-1]  # the soft break of the last line kept
    return joined, _Joined(index, length)


def _cut_note(line: int, text: str, length: int | None = None) -> RowNote:
    name = _PROPERTY.match(text)
    label = shown(name.group().rstrip(";:"), 40) if name else "?"
    if length is None:
        return RowNote(
            line,
            _(
                "The {property} value is longer than {limit} characters: the rest was not read."
            ).format(property=label, limit=MAX_PROPERTY),
        )
    return RowNote(
        line,
        _(
            "The {property} value is {count} characters long: only the first {limit} were read."
        ).format(property=label, count=length, limit=MAX_PROPERTY),
    )


def _true_charset(line: str) -> str:
    """The quoted-printable ``line`` with the CHARSET its bytes are really in.

    Phones write UTF-8 labelled ISO-8859-1 and Latin-1 labelled UTF-8; the bytes decide:
    valid UTF-8 is UTF-8, anything else is Windows-1252.
    """
    import quopri

    head, _colon, value = line.partition(":")
    raw = quopri.decodestring(value.encode("ascii", errors="replace"))
    try:
        raw.decode("utf-8")
        charset = "UTF-8"
    except UnicodeDecodeError:
        charset = "WINDOWS-1252"
    params = [p for p in head.split(";") if not p.upper().startswith("CHARSET=")]
    return ";".join([*params, f"CHARSET={charset}"]) + ":" + value


def file_version(text: str) -> str:
    match = _VERSION.search(text)
    version = match.group(1) if match else "3.0"
    return version if version in ("2.1", "3.0", "4.0") else "3.0"


def read_vcards(text: str) -> tuple[list[ContactRecord], list[RowNote], list[RowNote]]:
    """(records, warnings, rejected) of a vCard file's text."""
    import logging

    import vobject

    # vobject logs each line it skips; the report already tells the user what matters.
    logging.getLogger("vobject").setLevel(logging.CRITICAL)
    records: list[ContactRecord] = []
    warnings: list[RowNote] = []
    rejected: list[RowNote] = []
    cards, notes = split_cards(text)
    if len(cards) > MAX_CARDS:
        raise InputError(
            _(
                "This file holds {count} contact cards; Visit Planner reads at most {limit} at "
                "a time. Split the file and import each part."
            ).format(count=len(cards), limit=MAX_CARDS)
        )
    warnings += notes
    for line, card_text, complete in cards:
        try:
            card = vobject.readOne(card_text, ignoreUnreadable=True)
            record = _record(card, line)
        except Exception as error:  # vobject raises many kinds on damaged input
            rejected.append(
                RowNote(line, _("This card could not be read ({reason}).").format(reason=error))
            )
            continue
        if not complete:
            warnings.append(
                RowNote(line, _("The file ends (or the next card starts) inside this card."))
            )
        records.append(record)
    return records, warnings, rejected


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if v)
    return repair(str(value or "").replace("\r\n", "\n").strip())


def _types(child: Any) -> set[str]:
    types: set[str] = set()
    for key, values in child.params.items():
        if key.upper() == "TYPE":
            for value in values:
                types |= {t.strip().upper() for t in str(value).split(",")}
        elif not values:
            types.add(key.upper())
    types |= {str(t).upper() for t in getattr(child, "singletonparams", [])}
    return types


def _children(card: Any, name: str) -> list[Any]:
    return [c for c in card.getChildren() if c.name.upper() == name]


def _record(card: Any, line: int) -> ContactRecord:
    record = ContactRecord(line=line)
    names = _children(card, "N")
    if names:
        value = names[0].value
        if hasattr(value, "family"):
            record.family_name = _text(value.family)
            record.given_name = " ".join(
                p for p in (_text(value.given), _text(value.additional)) if p
            )
        else:
            parts = str(value).split(";")
            record.family_name = _text(parts[0])
            record.given_name = _text(parts[1]) if len(parts) > 1 else ""
    orgs = _children(card, "ORG")
    if orgs:
        value = orgs[0].value
        record.organization = _text(value[0] if isinstance(value, list) and value else value)
    show_as = _children(card, "X-ABSHOWAS")
    kinds = _children(card, "KIND")
    if (show_as and _text(show_as[0].value).upper() == "COMPANY") or (
        kinds and _text(kinds[0].value).lower() == "org"
    ):
        record.is_organization = True
        if not record.organization:
            record.organization = (
                _text(_children(card, "FN")[0].value) if _children(card, "FN") else ""
            )
    if not record.given_name and not record.family_name and not record.is_organization:
        full = _children(card, "FN")
        if full:
            given, _space, family = _text(full[0].value).rpartition(" ")
            record.given_name, record.family_name = given, family
    for name, attr in (("TITLE", "title"), ("NOTE", "notes")):
        found = _children(card, name)
        if found:
            setattr(record, attr, _text(found[0].value))
    emails = _ordered(_children(card, "EMAIL"))
    if emails:
        record.email = _text(emails[0].value)
        record.extra += [_text(e.value) for e in emails[1:]]
    labels = _apple_labels(card)
    for tel in _ordered(_children(card, "TEL")):
        number = _text(tel.value)
        if number.lower().startswith("tel:"):
            number = number[4:]
        label = labels.get((getattr(tel, "group", None) or "").upper(), "")
        mobile = {"CELL", "MOBILE", "IPHONE"} & _types(tel) or label in ("mobile", "iphone")
        if mobile and not record.mobile:
            record.mobile = number
        elif not record.phone:
            record.phone = number
        else:
            record.extra.append(number)
    urls = _children(card, "URL")
    if urls:
        record.website = _text(urls[0].value)
    langs = _children(card, "LANG") or _children(card, "X-LANGUAGE")
    if langs:
        record.language = _text(langs[0].value)
    addresses = _ordered(_children(card, "ADR"), prefer="WORK")
    if addresses:
        record.address = _place(addresses[0].value)
    return record


def _apple_labels(card: Any) -> dict[str, str]:
    """Apple's and Google's custom labels by group: item2.X-ABLabel:_$!<Mobile>!$_ names
    what item2.TEL is ("mobile", "iphone", "lab"...)."""
    labels: dict[str, str] = {}
    for child in _children(card, "X-ABLABEL"):
        group = (getattr(child, "group", None) or "").upper()
        text = _text(child.value).removeprefix("_$!<").removesuffix(">!$_")
        if group:
            labels[group] = text.casefold()
    return labels


def _ordered(children: list[Any], prefer: str = "PREF") -> list[Any]:
    """Children with the preferred (or work) one first."""

    def rank(child: Any) -> int:
        types = _types(child)
        pref = child.params.get("PREF")
        return 0 if prefer in types or "PREF" in types or pref else 1

    return sorted(children, key=rank)


def _place(value: Any) -> Place | None:
    if hasattr(value, "street"):
        place = Place(
            street=_text(value.street),
            city=_text(value.city),
            region=_text(value.region),
            postal_code=_text(value.code),
            country=_text(value.country),
        )
    else:
        parts = [*str(value).split(";"), "", "", "", "", "", "", ""]
        place = Place(
            street=_text(parts[2]),
            city=_text(parts[3]),
            region=_text(parts[4]),
            postal_code=_text(parts[5]),
            country=_text(parts[6]),
        )
    return place if place.address() else None


# -- writing ------------------------------------------------------------------------------

_TEXT_PROPERTIES = frozenset({"N", "FN", "ORG", "TITLE", "NOTE", "ADR", "X-LANGUAGE"})


def write_vcards(
    people: Iterable[Contact],
    organizations: dict[int, Organization],
    places: dict[int, Place],
) -> str:
    """vCard 3.0 text (CRLF line ends, folded lines) for ``people``."""
    import vobject

    out: list[str] = []
    for person in people:
        card = vobject.vCard()
        card.add("n").value = vobject.vcard.Name(family=person.family_name, given=person.given_name)
        card.add("fn").value = person.full_name
        org = organizations.get(person.organization_id or -1)
        if org is not None:
            card.add("org").value = [org.name]
        if person.title:
            card.add("title").value = person.title
        if person.email:
            email = card.add("email")
            email.value = person.email
            email.type_param = ["INTERNET", "WORK"]
        for number, kind in ((person.phone, ["WORK", "VOICE"]), (person.mobile, ["CELL"])):
            if number:
                tel = card.add("tel")
                tel.value = number
                tel.type_param = kind
        place = places.get(org.place_id or -1) if org is not None else None
        if place is not None and place.address():
            adr = card.add("adr")
            adr.value = vobject.vcard.Address(
                street=place.street,
                city=place.city,
                region=place.region,
                code=place.postal_code,
                country=place.country,
            )
            adr.type_param = ["WORK"]
        if org is not None and org.website:
            card.add("url").value = org.website
        if person.language:
            card.add("x-language").value = person.language
        if person.notes:
            card.add("note").value = person.notes
        if person.id is not None:
            card.add("uid").value = f"visitplanner-contact-{person.id}"
        for child in card.getChildren():
            # Outlook reads a .vcf as Windows-1252 unless a property says otherwise.
            if child.name in _TEXT_PROPERTIES and not str(child.value).isascii():
                child.charset_param = "UTF-8"
        out.append(card.serialize())
    return "".join(out)

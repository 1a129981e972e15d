"""vCard 2.1, 3.0 and 4.0 in (through vobject), vCard 3.0 out.

vobject parses each card; this module prepares the text for it: the file is split into
cards so one damaged card does not lose the others, lines before the first card are skipped
with a warning, quoted-printable soft line breaks of vCard 2.1 (which vobject does not join)
are joined, and what the app never reads but vobject trips on is removed first: binary
values (photos, sounds, keys, logos, in every version's layout), ``ENCODING=7BIT/8BIT``
(KDE), ``PROFILE:VCard`` (Lotus Notes) and charset labels on text already decoded. Values
whose declared charset was wrong (UTF-8 bytes labelled ISO-8859-1, as some phones write)
are repaired. A card vobject still cannot parse is read line by line for the person's
fields (:func:`read_by_lines`); only a card with no name, email or phone is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from visitplanner.errors import InputError
from visitplanner.exchange.records import ContactRecord, RowNote
from visitplanner.exchange.text import shown
from visitplanner.exchange.vcard_fields import (
    READ,
    Value,
    address_of,
    fill,
    organization_name,
    plain,
    read_by_lines,
    text_value,
)
from visitplanner.i18n import _

# Twice the largest directory the app is measured with (20,000 contacts), and each card is
# parsed by vobject, about 50 µs each: a file of more cards is refused, not read for minutes.
MAX_CARDS = 40_000
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
# "ENCODING=QUOTED-PRINTABLE" (2.1 and 3.0 writers) or the bare 2.1 "QUOTED-PRINTABLE".
_QP = re.compile(r"^[^:]*[;=]QUOTED-PRINTABLE[;:]", re.IGNORECASE)
# Properties holding binary data (base64, sometimes megabytes): dropped before vobject
# parses them (it keeps several decoded copies of each).
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
# Any other property whose value is base64 (an X-property with a picture...).
_BASE64 = re.compile(r"^[^:]*;(?:ENCODING=)?(?:BASE64|B)[;:]", re.IGNORECASE)
# A line vobject refuses for its own sake and the app never needs.
_PROFILE = re.compile(r"^PROFILE[;:]", re.IGNORECASE)
# ENCODING=7BIT or 8BIT says "plain text" (KDE); vobject would base64-decode the value.
_PLAIN = re.compile(r";ENCODING=(?:7BIT|8BIT)(?=;|$)", re.IGNORECASE)
_CHARSET = re.compile(r";CHARSET=[^;:]*(?=;|$)", re.IGNORECASE)
# The start of a property line ("TEL;TYPE=CELL:", "item1.EMAIL:", "END:VCARD"); base64 and
# folded lines never look like one (base64 has no ";" or ":", folded lines start with a blank).
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?[\w-]+[;:]")
# Longest value (after joining its lines) and card handed to vobject; notes are cut at
# 20,000 characters on import anyway (contact_import.MAX_NOTES).
MAX_PROPERTY = 128 * 1024
MAX_CARD = 1024 * 1024
_VERSION = re.compile(r"^VERSION:\s*([0-9.]+)", re.IGNORECASE | re.MULTILINE)


_ANY_BEGIN = re.compile(r"^[ \t]*BEGIN:VCARD[ \t]*$", re.IGNORECASE | re.MULTILINE)


_ANY_END = re.compile(r"^[ \t]*END:VCARD[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A VERSION line outside any card starts a card whose BEGIN line was lost.
_ORPHAN_VERSION = re.compile(r"^VERSION:\s*[234]\.[01]\s*$", re.IGNORECASE)


def holds_vcards(text: str) -> bool:
    """Whether ``text`` is a vCard file: a BEGIN:VCARD line in its first 64 KiB, whatever
    comes before it (a mail header, a note, a stray line from an export), or a card whose
    BEGIN line was lost (a VERSION line, then END:VCARD)."""
    head = text[: 64 * 1024]
    if _ANY_BEGIN.search(head):
        return True
    return bool(_ANY_END.search(head)) and any(
        _ORPHAN_VERSION.match(line) for line in head.splitlines()
    )


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
    outside: list[int] = []  # first and last line of text outside any card, not yet noted
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        index += 1
        if current is None:
            if _BEGIN.match(line.strip()):
                notes += _outside_note(outside)
                current, start, card_size, card_cut = [line.strip()], number, 0, False
            elif _ORPHAN_VERSION.match(line.strip()):
                notes += _outside_note(outside)
                notes.append(
                    RowNote(
                        number,
                        _(
                            "This card has no BEGIN:VCARD line: it was read from its VERSION "
                            "line to END:VCARD."
                        ),
                    )
                )
                current, start, card_size, card_cut = ["BEGIN:VCARD"], number, 0, False
                current.append(line.strip())
            elif line.strip():
                outside[1:] = [number] if outside else [number, number]
            continue
        if _BEGIN.match(line.strip()):  # a card that never ended
            cards.append((start, "\r\n".join([*current, "END:VCARD"]), False))
            current, start, card_size, card_cut = [line.strip()], number, 0, False
            continue
        if not line.strip():  # blank lines are not part of any card
            continue
        if _BINARY.match(line) or (_BASE64.match(line) and _name(line) not in READ):
            # a photo, logo, sound, key or other binary value: never used, costly to parse
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
            if _PROFILE.match(line):  # Lotus Notes: vobject refuses a second profile
                continue
            head, colon, value = line.partition(":")
            line = _PLAIN.sub("", head) + colon + value
            if _QP.match(line):
                line, cut = _join_soft_lines(line, lines, index)
                index = cut.next_index
                if cut.length > MAX_PROPERTY:
                    notes.append(_cut_note(number, line, cut.length))
                line = _true_charset(line)
            else:
                # the file is already text: a charset label can only mislead vobject
                head, colon, value = line.partition(":")
                line = _CHARSET.sub("", head) + colon + value
                if len(line) > MAX_PROPERTY:
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
    notes += _outside_note(outside)
    return cards, notes


def _name(line: str) -> str:
    """The property name of a line ("item1.EMAIL;TYPE=WORK:..." -> "EMAIL")."""
    return re.split(r"[;:]", line, maxsplit=1)[0].rpartition(".")[2].strip().upper()


def _outside_note(outside: list[int]) -> list[RowNote]:
    """The note for lines of text found outside any card (and forgets them)."""
    if not outside:
        return []
    first, last = outside
    outside.clear()
    if first == last:
        reason = _("Line {line} is not part of any card: it was skipped.").format(line=first)
    else:
        reason = _("Lines {first} to {last} are not part of any card: they were skipped.").format(
            first=first, last=last
        )
    return [RowNote(first, reason)]


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
    valid UTF-8 is UTF-8, then the declared charset if it exists and fits the bytes
    (Shift-JIS...), anything else is Windows-1252.
    """
    import codecs
    import quopri

    head, _colon, value = line.partition(":")
    raw = quopri.decodestring(value.encode("ascii", errors="replace"))
    declared = [p[8:] for p in head.split(";") if p.upper().startswith("CHARSET=")]
    charset = "WINDOWS-1252"
    for candidate in ("UTF-8", *declared[:1]):
        try:
            codecs.lookup(candidate)
            raw.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
        charset = candidate
        break
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
    for name in ("vobject", "vobject.base"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
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
        except Exception:  # vobject raises many kinds on damaged input
            record = read_by_lines(card_text, line)
            warnings.append(
                RowNote(
                    line,
                    _(
                        "This card is damaged: its name, emails, phones and address were read "
                        "line by line, the rest was left out."
                    ),
                )
            )
        if not complete:
            warnings.append(
                RowNote(line, _("The file ends (or the next card starts) inside this card."))
            )
        if named_after_what_it_has(record, warnings, card=True):
            records.append(record)
        else:
            rejected.append(
                RowNote(
                    line, _("This card has no name, email or phone: there is nothing to import.")
                )
            )
    return records, warnings, rejected


def named_after_what_it_has(record: ContactRecord, warnings: list[RowNote], card: bool) -> bool:
    """Whether ``record`` (a card, or a ``card=False`` spreadsheet row) can be imported, naming
    it after what it has when it has no name: one with only an organization is the
    organization's; one with only an email or a phone is named after it, with a warning."""
    if record.name.strip():
        return True
    if record.organization.strip():
        record.is_organization = True
        return True
    stand_in = record.email or record.phone or record.mobile
    if not stand_in:
        return False
    if record.is_organization:
        record.organization = stand_in
    else:
        record.family_name = stand_in
    if card:
        text = _("This card has no name: it is imported under “{value}”; add the name later.")
    else:
        text = _("This row has no name: it is imported under “{value}”; add the name later.")
    warnings.append(RowNote(record.line, text.format(value=stand_in)))
    return True


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
            record.family_name = text_value(value.family)
            record.given_name = " ".join(
                p for p in (text_value(value.given), text_value(value.additional)) if p
            )
        else:
            parts = str(value).split(";")
            record.family_name = text_value(parts[0])
            record.given_name = text_value(parts[1]) if len(parts) > 1 else ""
    orgs = _children(card, "ORG")
    if orgs:
        record.organization = organization_name(orgs[0].value)
    full = _children(card, "FN")
    full_name = text_value(full[0].value) if full else ""
    show_as = _children(card, "X-ABSHOWAS")
    kinds = _children(card, "KIND")
    company = (show_as and text_value(show_as[0].value).upper() == "COMPANY") or (
        kinds and text_value(kinds[0].value).lower() == "org"
    )
    for name, attr in (("TITLE", "title"), ("NOTE", "notes")):
        found = _children(card, name)
        if found:
            setattr(record, attr, text_value(found[0].value))
    labels = _apple_labels(card)

    def values(name: str) -> list[Value]:
        return [
            Value(plain(c.value), _types(c), (getattr(c, "group", None) or "").upper())
            for c in _children(card, name)
            if c.params.get("PREF") is None
        ] + [
            Value(plain(c.value), _types(c) | {"PREF"}, (getattr(c, "group", None) or "").upper())
            for c in _children(card, name)
            if c.params.get("PREF") is not None
        ]

    urls = _children(card, "URL")
    langs = _children(card, "LANG") or _children(card, "X-LANGUAGE")
    addresses = _ordered(_children(card, "ADR"), prefer="WORK")
    fill(
        record,
        full_name=full_name,
        company=bool(company),
        emails=values("EMAIL"),
        phones=values("TEL"),
        labels=labels,
        website=plain(urls[0].value) if urls else "",
    )
    if langs:
        record.language = text_value(langs[0].value)
    if addresses:
        record.address = address_of(addresses[0].value)
    return record


def _apple_labels(card: Any) -> dict[str, str]:
    """Apple's and Google's custom labels by group: item2.X-ABLabel:_$!<Mobile>!$_ names
    what item2.TEL is ("mobile", "iphone", "lab"...)."""
    labels: dict[str, str] = {}
    for child in _children(card, "X-ABLABEL"):
        group = (getattr(child, "group", None) or "").upper()
        text = text_value(child.value).removeprefix("_$!<").removesuffix(">!$_")
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

"""A person's fields from a vCard's properties, whoever parsed them.

Values come without vCard escapes (a URL's ``http\\://``, an email's ``\\;``), an
organization keeps the commas in its name, empty values are ignored, and the main email and
phone are the preferred ones, then work ones, then the first that is not a fax or a pager;
the others are kept for the notes. :func:`read_by_lines` reads a card vobject cannot parse
property by property, so that a damaged card still brings its person in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from visitplanner.exchange.records import ContactRecord
from visitplanner.exchange.text import repair
from visitplanner.model import Place

# The properties a card's person is read from (by vobject, or line by line).
READ = frozenset({"FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "URL", "NOTE", "KIND"})


def text_value(value: Any) -> str:
    """A parsed value as one trimmed text (list components joined), mojibake repaired."""
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if v)
    return repair(str(value or "").replace("\r\n", "\n").strip())


# vCard escapes (RFC 6350 3.4, RFC 2426 4): vobject undoes them in text values only, a URL
# or an email keeps "http\://" (Apple, Gmail).
_ESCAPE = re.compile(r"\\([\\;,:nN])")


def unescape(value: str) -> str:
    """``value`` without vCard escapes: ``\\,`` ``\\;`` ``\\:`` ``\\\\`` and ``\\n``."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def plain(value: Any) -> str:
    """A single value (URL, email, phone) as text without escapes."""
    return unescape(text_value(value))


def organization_name(value: Any) -> str:
    """The organization's name: its first component, commas inside it kept ("Company, The":
    vobject splits an unescaped comma into a list)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    return text_value(value)


@dataclass
class Value:
    """A property's value and types, read by vobject or line by line."""

    value: str
    types: set[str]
    group: str = ""


# Phones that are not a person's line: never the main phone when another number exists.
NOT_VOICE = {"FAX", "PAGER", "MODEM", "BBS", "ISDN", "TEXTPHONE"}


def rank(value: Value) -> int:
    """0 for the preferred value, 1 for a work one, 2 for any other, 3 for fax and pager."""
    types = value.types
    if "PREF" in types:
        return 0
    if types & NOT_VOICE:
        return 3
    return 1 if "WORK" in types else 2


def fill(
    record: ContactRecord,
    *,
    full_name: str,
    company: bool,
    emails: list[Value],
    phones: list[Value],
    labels: dict[str, str],
    website: str,
) -> None:
    """The name, main email and phones of ``record`` from a card's values: PREF first, then
    WORK, then the first that is not a fax or pager; the others go to the notes."""
    if company:
        record.is_organization = True
        if not record.organization:
            record.organization = full_name
    if not record.given_name and not record.family_name and not record.is_organization:
        given, _space, family = full_name.rpartition(" ")
        record.given_name, record.family_name = given, family
    found = sorted((e for e in emails if e.value), key=rank)
    found_values = [e.value.removeprefix("mailto:") for e in found]
    if found_values:
        record.email = found_values[0]
        record.extra += found_values[1:]
    numbers = []
    for tel in sorted((t for t in phones if t.value), key=rank):
        number = tel.value.removeprefix("tel:").removeprefix("TEL:")
        label = labels.get(tel.group, "")
        mobile = {"CELL", "MOBILE", "IPHONE"} & tel.types or label in ("mobile", "iphone")
        numbers.append((number, bool(mobile), bool(tel.types & NOT_VOICE)))
    record.mobile = next((number for number, mobile, _other in numbers if mobile), "")
    for number, _mobile, other in numbers:
        if number == record.mobile:
            continue
        if not record.phone and not other:
            record.phone = number
        else:
            record.extra.append(number)
    if website:
        record.website = website


_LINE = re.compile(r"^(?:([\w-]+)\.)?([\w-]+)((?:;[^:]*)?):(.*)$")


def read_by_lines(card_text: str, line: int) -> ContactRecord:
    """The person's fields of a card vobject could not parse, read property by property
    (folded lines joined): FN, N, ORG, TITLE, EMAIL, TEL, ADR, URL and NOTE."""
    record = ContactRecord(line=line)
    unfolded = re.sub(r"\r?\n[ \t]", "", card_text)
    found: dict[str, list[Value]] = {}
    for raw in unfolded.splitlines():
        match = _LINE.match(raw)
        if not match:
            continue
        group, name, params, value = match.groups()
        name = name.upper()
        if name not in READ:
            continue
        types: set[str] = set()
        for param in params.split(";")[1:]:
            key, _equals, listed = param.partition("=")
            if key.upper() == "TYPE" or not _equals:
                types |= {t.strip().upper() for t in (listed or key).split(",") if t.strip()}
            elif key.upper() == "PREF":
                types.add("PREF")
        if "QUOTED-PRINTABLE" in params.upper():
            value = _quoted_printable(value)
        found.setdefault(name, []).append(Value(value.strip(), types, (group or "").upper()))

    def first(name: str) -> str:
        return found[name][0].value if found.get(name) else ""

    parts = [unescape(p) for p in re.split(r"(?<!\\);", first("N"))]
    record.family_name = text_value(parts[0]) if parts else ""
    record.given_name = " ".join(text_value(p) for p in parts[1:3] if text_value(p))
    org = re.split(r"(?<!\\);", first("ORG"))[0]
    record.organization = text_value(unescape(org))
    record.title = text_value(unescape(first("TITLE")))
    record.notes = text_value(unescape(first("NOTE")))
    for values in found.values():
        for value in values:
            value.value = unescape(value.value)
    fill(
        record,
        full_name=text_value(unescape(first("FN"))),
        company=first("KIND").lower() == "org",
        emails=found.get("EMAIL", []),
        phones=found.get("TEL", []),
        labels={},
        website=first("URL"),
    )
    addresses = sorted(found.get("ADR", []), key=lambda a: "WORK" not in a.types)
    if addresses:
        record.address = address_of(addresses[0].value)
    return record


def _quoted_printable(value: str) -> str:
    import quopri

    raw = quopri.decodestring(value.encode("ascii", errors="replace"))
    for charset in ("utf-8", "cp1252"):
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def address_of(value: Any) -> Place | None:
    if hasattr(value, "street"):
        place = Place(
            street=text_value(value.street),
            city=text_value(value.city),
            region=text_value(value.region),
            postal_code=text_value(value.code),
            country=text_value(value.country),
        )
    else:
        parts = [*str(value).split(";"), "", "", "", "", "", "", ""]
        place = Place(
            street=text_value(parts[2]),
            city=text_value(parts[3]),
            region=text_value(parts[4]),
            postal_code=text_value(parts[5]),
            country=text_value(parts[6]),
        )
    return place if place.address() else None

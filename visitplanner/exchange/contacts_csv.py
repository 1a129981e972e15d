"""Contacts from CSV files: Google Contacts, Outlook, Excel (French locale too).

The delimiter and the layout are detected from the header row; each known header maps
to a field and the mapping can be changed (the import preview lets the user do it).
Google's multi-values ("a@x.com ::: b@y.com") keep the first value and move the others
to the notes; quoted fields may span lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from visitplanner.errors import InputError
from visitplanner.exchange import sheets
from visitplanner.exchange.records import ContactRecord, RowNote
from visitplanner.exchange.text import repair
from visitplanner.i18n import _
from visitplanner.model import Place
from visitplanner.names import fold

# Folded header -> field, first match wins per field (Outlook's "Title" is "Mr."/"Ms.",
# so "job title" comes first). Folded = accents, case and punctuation removed.
_HEADER_FIELDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "given_name",
        ("first name", "given name", "prenom", "firstname", "first", "given"),
    ),
    (
        "family_name",
        ("last name", "family name", "surname", "nom de famille", "nom", "lastname", "last"),
    ),
    ("full_name", ("name", "full name", "display name", "nom complet", "contact")),
    (
        "organization",
        (
            "organization name",
            "organization 1 name",
            "company",
            "company name",
            "account name",
            "organization",
            "organisation",
            "entreprise",
            "societe",
            "compagnie",
            "employeur",
        ),
    ),
    (
        "title",
        (
            "job title",
            "organization title",
            "organization 1 title",
            "fonction",
            "poste",
            "position",
            "titre",
            "title",
        ),
    ),
    (
        "email",
        (
            "e mail 1 value",
            "e mail address",
            "email address",
            "email",
            "e mail",
            "courriel",
            "adresse courriel",
            "courriel 1",
            "adresse electronique",
            "adresse de messagerie",
            "email 1",
            "mail",
        ),
    ),
    (
        "phone",
        (
            "phone 1 value",
            "business phone",
            "primary phone",
            "phone",
            "telephone",
            "telephone bureau",
            "tel bureau",
            "phone number",
            "tel",
            "work phone",
        ),
    ),
    (
        "mobile",
        (
            "mobile phone",
            "mobile phone number",
            "mobile",
            "cell",
            "cellulaire",
            "portable",
            "cell phone",
            "tel mobile",
            "telephone mobile",
        ),
    ),
    ("language", ("language", "langue", "preferred language", "langue preferee")),
    ("notes", ("notes", "note", "commentaires", "remarques")),
    (
        "website",
        ("website 1 value", "web page", "website", "site web", "site internet", "page web"),
    ),
    (
        "street",
        (
            "address 1 street",
            "business street",
            "rue bureau",
            "mailing street",
            "street address",
            "street",
            "adresse",
            "rue",
            "address",
        ),
    ),
    ("city", ("address 1 city", "business city", "ville bureau", "mailing city", "city", "ville")),
    (
        "region",
        (
            "address 1 region",
            "business state",
            "dep region bureau",
            "mailing state province",
            "state region",
            "state",
            "province",
            "region",
        ),
    ),
    (
        "postal_code",
        (
            "address 1 postal code",
            "business postal code",
            "code postal bureau",
            "mailing zip postal code",
            "postal code",
            "zip",
            "code postal",
        ),
    ),
    (
        "country",
        (
            "address 1 country",
            "business country region",
            "pays region bureau",
            "mailing country",
            "country",
            "pays",
        ),
    ),
]

Mapping = dict[str, int | None]
# Columns no field takes whose values are kept in the notes ("Also: ..."): Outlook's second
# and third addresses, LinkedIn's profile address.
_KEPT = frozenset(
    {
        "e mail 2 address",
        "e mail 3 address",
        "adresse de messagerie 2",
        "adresse de messagerie 3",
        "url",
        "linkedin url",
        "profile url",
    }
)
_NEUTRALIZED = ("'=", "'+", "'-", "'@")


@dataclass
class CsvFile:
    """A CSV contact file read into rows, with what was detected about it."""

    format: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (first line of the row, cells)
    mapping: Mapping
    notes: list[RowNote] = field(default_factory=list)  # blank rows and the like


def default_mapping(headers: list[str]) -> Mapping:
    folded = [fold(h) for h in headers]
    mapping: Mapping = {}
    used: set[int] = set()
    for field_name, names in _HEADER_FIELDS:
        mapping[field_name] = None
        for name in names:
            if name in folded and folded.index(name) not in used:
                mapping[field_name] = folded.index(name)
                used.add(folded.index(name))
                break
    return mapping


def _detect_format(headers: list[str], delimiter: str) -> str:
    folded = set(fold(h) for h in headers)
    if {"e mail 1 value", "organization name", "organization 1 name"} & folded:
        return "google_csv"
    if {"first name", "last name", "url", "connected on"} <= folded:
        return "linkedin_csv"
    if {"e mail address", "business phone", "adresse de messagerie", "telephone bureau"} & folded:
        return "outlook_csv"
    if delimiter == ";" or {"prenom", "courriel", "telephone"} & folded:
        return "excel_csv"
    return "csv"


def header_score(cells: list[str]) -> int:
    """How much ``cells`` look like the header of a contact list (0: no name column)."""
    mapping = default_mapping([c.strip() for c in cells])
    if all(mapping[k] is None for k in ("given_name", "family_name", "full_name")):
        return 0
    return sum(1 for column in mapping.values() if column is not None)


def _no_names() -> InputError:
    return InputError(
        _(
            "This does not look like a contact file: no column holds names "
            "(expected headers such as “First Name”, “Last Name” or “Prénom”, “Nom”)."
        )
    )


def read_csv(text: str, encoding: str) -> CsvFile:
    """Rows of a CSV contact file; raises :class:`InputError` when it holds no contacts.

    The header may come after a few lines of notes (LinkedIn's Connections.csv) or a
    "sep=;" line (Excel)."""
    if not text.strip():
        raise InputError(_("The file is empty."))
    table = sheets.read_text(text, header_score)
    if table is None:
        raise _no_names()
    parsed = read_table(table, encoding)
    if parsed.rows and text.count('"') % 2:
        parsed.notes.append(
            RowNote(
                parsed.rows[-1][0],
                _("The file ends inside a quoted value: this row may be incomplete."),
            )
        )
    return parsed


def read_table(table: sheets.Table | None, encoding: str) -> CsvFile:
    """The contact rows of a sheet (CSV or workbook) whose header was found."""
    if table is None:
        raise _no_names()
    rows: list[tuple[int, list[str]]] = []
    notes = [RowNote(line, reason) for line, reason in [*table.errors, *table.warnings]]
    for line, cells in table.rows:
        if sheets.blank(cells):
            if table.delimiter:  # a workbook's empty rows are no news to anybody
                notes.append(RowNote(line, _("Blank row skipped.")))
            continue
        rows.append((line, cells))
    while table.delimiter == "" and table.header and not table.header[-1]:
        table.header.pop()  # a workbook's empty columns on the right
    if not rows:
        raise InputError(_("The file holds only a header row and no contacts."))
    return CsvFile(
        format=_detect_format(table.header, table.delimiter),
        encoding=encoding,
        delimiter=table.delimiter,
        headers=table.header,
        rows=rows,
        mapping=default_mapping(table.header),
        notes=sorted(notes, key=lambda n: n.line),
    )


def records(parsed: CsvFile, mapping: Mapping | None = None) -> list[ContactRecord]:
    """One record per row, through ``mapping`` (field -> column), the detected one by default."""
    mapping = parsed.mapping if mapping is None else mapping
    phone_pairs = _google_phone_columns(parsed.headers) if mapping == parsed.mapping else []
    used = {column for column in mapping.values() if column is not None}
    kept = [i for i, h in enumerate(parsed.headers) if fold(h) in _KEPT and i not in used]
    out: list[ContactRecord] = []
    for line, cells in parsed.rows:
        values: dict[str, str] = {}
        extra: list[str] = []
        for field_name, column in mapping.items():
            if column is None or column >= len(cells):
                continue
            value = repair(cells[column].strip())
            if value[:2] in _NEUTRALIZED:  # a cell an export defused: "'+1 514..."
                value = value[1:]
            first, *more = [v.strip() for v in value.split(" ::: ")] if value else [""]
            values[field_name] = first
            if field_name in ("email", "phone", "mobile", "website"):
                extra += [v for v in more if v]
            elif more:
                values[field_name] = ", ".join([first, *more])
        extra += [v for i in kept if i < len(cells) and (v := cells[i].strip())]
        if phone_pairs:
            phone, mobile, more_phones = _google_phones(cells, phone_pairs)
            values["phone"], values["mobile"] = phone, mobile
            extra = [v for v in extra if v not in (phone, mobile)] + more_phones
        given, family = values.get("given_name", ""), values.get("family_name", "")
        if not given and not family and values.get("full_name"):
            given, _space, family = values["full_name"].rpartition(" ")
        address = None
        if any(values.get(k) for k in ("street", "city", "postal_code")):
            address = Place(
                street=values.get("street", ""),
                city=values.get("city", ""),
                region=values.get("region", ""),
                postal_code=values.get("postal_code", ""),
                country=values.get("country", ""),
            )
        out.append(
            ContactRecord(
                line=line,
                given_name=given.strip(),
                family_name=family.strip(),
                organization=values.get("organization", ""),
                title=values.get("title", ""),
                email=values.get("email", ""),
                phone=values.get("phone", ""),
                mobile=values.get("mobile", ""),
                language=values.get("language", ""),
                notes=values.get("notes", ""),
                website=values.get("website", ""),
                address=address,
                extra=extra,
            )
        )
    return out


def _google_phone_columns(headers: list[str]) -> list[tuple[int, int]]:
    folded = [fold(h) for h in headers]
    pairs = []
    for i in range(1, 10):
        value = f"phone {i} value"
        for label in (f"phone {i} label", f"phone {i} type"):  # current and older layouts
            if label in folded and value in folded:
                pairs.append((folded.index(label), folded.index(value)))
                break
    return pairs


def _google_phones(cells: list[str], pairs: list[tuple[int, int]]) -> tuple[str, str, list[str]]:
    """(phone, mobile, the other numbers) from Google's "Phone N - Label/Value" columns."""
    phone = mobile = ""
    others: list[str] = []
    for label_col, value_col in pairs:
        if value_col >= len(cells):
            continue
        label = fold(cells[label_col]) if label_col < len(cells) else ""
        for number in (v.strip() for v in cells[value_col].split(" ::: ")):
            if not number:
                continue
            if any(w in label for w in ("mobile", "cell", "portable")) and not mobile:
                mobile = number
            elif not phone:
                phone = number
            else:
                others.append(number)
    return phone, mobile, others

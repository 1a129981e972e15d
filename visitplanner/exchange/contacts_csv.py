"""Contacts from CSV files: Google Contacts, Outlook, Thunderbird, Apple, CRMs, Excel.

The delimiter and the layout are detected from the header row; each known header maps
to a field and the mapping can be changed (the import preview and ``import contacts
--map`` let the user do it). Headers are compared the way the meeting import compares them
(accents, case and punctuation left out), with the words that only say whose or which value
it is taken off and kept as a preference: "Work Phone", "Téléphone (travail)", "Email Home",
"E-mail 2 Address" are a phone and emails, the work one first, a home or second one after.

Per row the main email, phone, mobile and website is the preferred non-empty one; the
others, and faxes, pagers and profile addresses, are kept in the notes ("Also: ...").
Google's multi-values ("a@x.com ::: b@y.com") and its "Label" cells ("* Work", "Mobile")
are read the same way; quoted fields may span lines. A column with values that no field
takes is reported once, so nothing is dropped without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from visitplanner.errors import InputError
from visitplanner.exchange import sheets
from visitplanner.exchange.contact_columns import (
    MOBILE_WORDS,
    MULTI_FIELDS,
    OTHER,
    OTHER_WORDS,
    QUALIFIERS,
    REDUNDANT,
    column_of,
    header_key,
)
from visitplanner.exchange.records import FIELDS, ContactRecord, RowNote
from visitplanner.exchange.text import repair, shown
from visitplanner.i18n import _
from visitplanner.model import Place
from visitplanner.names import fold

Mapping = dict[str, int | None]
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
    notes: list[RowNote] = field(default_factory=list)  # blank rows, unused columns
    header_line: int = 1
    column_notes: list[RowNote] = field(default_factory=list)  # the unused columns of notes


def _ranked(headers: list[str]) -> dict[str, list[int]]:
    """For each field, the columns that can fill it, the preferred first."""
    found: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        column = column_of(header)
        if column is not None:
            found.setdefault(column[0], []).append((column[1], index))
    return {name: [i for _rank, i in sorted(columns)] for name, columns in found.items()}


def default_mapping(headers: list[str]) -> Mapping:
    ranked = _ranked(headers)
    return {name: (ranked[name][0] if name in ranked else None) for name in FIELDS}


def _detect_format(headers: list[str], delimiter: str) -> str:
    folded = set(header_key(h) for h in headers)
    if {"e mail 1 value", "organization name", "organization 1 name"} & folded:
        return "google_csv"
    if {"first name", "last name", "url", "connected on"} <= folded:
        return "linkedin_csv"
    if {"primary email", "mobile number", "web page 1"} & folded:
        return "thunderbird_csv"
    if {"e mail address", "business phone", "adresse de messagerie", "telephone bureau"} & folded:
        return "outlook_csv"
    if delimiter == ";" or {"prenom", "courriel", "telephone"} & folded:
        return "excel_csv"
    return "csv"


def header_score(cells: list[str]) -> int:
    """How much ``cells`` look like the header of a contact list (0: no name column)."""
    mapping = default_mapping([c.strip() for c in cells])
    # a list of addresses with no name column (Roundcube's, Outlook's email-only export) is
    # one too: each row comes in under its email
    if all(mapping[k] is None for k in ("given_name", "family_name", "full_name", "email")):
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
    parsed = CsvFile(
        format=_detect_format(table.header, table.delimiter),
        encoding=encoding,
        delimiter=table.delimiter,
        headers=table.header,
        rows=rows,
        mapping=default_mapping(table.header),
        notes=sorted(notes, key=lambda n: n.line),
        header_line=table.header_line,
    )
    parsed.column_notes = unused_columns(parsed, parsed.mapping)
    parsed.notes = sorted([*parsed.notes, *parsed.column_notes], key=lambda n: n.line)
    return parsed


# -- which column fills which field ---------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """How the cells of a row are read through one mapping."""

    mapping: Mapping
    candidates: dict[str, list[int]]  # multi-value fields: the mapped column, then the others
    labels: dict[int, int]  # value column -> its Google "Label" column
    kept: list[int]  # columns whose values go to the notes
    continuation: list[int]  # "Address 2" columns added to the street
    custom: list[tuple[int, int]]  # Google's "Custom Field N - Label/Value" columns
    used: frozenset[int]


def _label_columns(headers: list[str]) -> dict[int, int]:
    """Google's "E-mail N - Label" (or "Type") column of each "E-mail N - Value" column."""
    folded = [header_key(h) for h in headers]
    out: dict[int, int] = {}
    for kind in ("e mail", "phone", "website"):
        for n in range(1, 10):
            value = f"{kind} {n} value"
            if value not in folded:
                continue
            for label in (f"{kind} {n} label", f"{kind} {n} type"):  # current and older
                if label in folded:
                    out[folded.index(value)] = folded.index(label)
                    break
    return out


def _custom_columns(headers: list[str]) -> list[tuple[int, int]]:
    """(label, value) columns of Google's custom fields ("Custom Field 1 - Label")."""
    folded = [header_key(h) for h in headers]
    out = []
    for n in range(1, 10):
        for label in (f"custom field {n} label", f"custom field {n} type"):
            if label in folded and f"custom field {n} value" in folded:
                out.append((folded.index(label), folded.index(f"custom field {n} value")))
                break
    return out


def _plan(parsed: CsvFile, mapping: Mapping) -> _Plan:
    ranked = _ranked(parsed.headers)
    mapped = {column for column in mapping.values() if column is not None}
    candidates: dict[str, list[int]] = {}
    for name in MULTI_FIELDS:
        chosen = mapping.get(name)
        others = [c for c in ranked.get(name, []) if c != chosen and c not in mapped]
        candidates[name] = ([chosen] if chosen is not None else []) + others
    kept = [c for c in ranked.get(OTHER, []) if c not in mapped]
    continuation: list[int] = []
    street = mapping.get("street")
    if street is not None:
        base = header_key(parsed.headers[street]).split()
        for column in ranked.get("street", []):
            words = header_key(parsed.headers[column]).split()
            if column not in mapped and words[-1:] in (["2"], ["3"]) and words[:-1] == base:
                continuation.append(column)
    folded = [header_key(h) for h in parsed.headers]
    redundant = {i for i, h in enumerate(folded) if h in REDUNDANT}
    in_use = (
        mapped
        | {c for cs in candidates.values() for c in cs}
        | set(kept)
        | set(continuation)
        | redundant
    )
    labels = {v: lab for v, lab in _label_columns(parsed.headers).items() if v in in_use}
    custom = [pair for pair in _custom_columns(parsed.headers) if not set(pair) & mapped]
    used = frozenset(in_use | set(labels.values()) | {c for pair in custom for c in pair})
    return _Plan(mapping, candidates, labels, kept, continuation, custom, used)


def unused_columns(parsed: CsvFile, mapping: Mapping) -> list[RowNote]:
    """A note for each column that holds values no field takes (empty columns are no loss)."""
    used = _plan(parsed, mapping).used
    notes = []
    for index, header in enumerate(parsed.headers):
        if index in used:
            continue
        if any(index < len(cells) and cells[index].strip() for _line, cells in parsed.rows):
            notes.append(
                RowNote(
                    parsed.header_line,
                    _("The column “{name}” is not used: its values are not imported.").format(
                        name=shown(header or _("(no header)"))
                    ),
                )
            )
    return notes


def _cell(cells: list[str], column: int | None) -> str:
    if column is None or column >= len(cells):
        return ""
    value = repair(cells[column].strip())
    if value[:2] in _NEUTRALIZED:  # a cell an export defused: "'+1 514..."
        value = value[1:]
    return value


def _split(value: str) -> list[str]:
    return [v for v in (part.strip() for part in value.split(" ::: ")) if v]


def _label_rank(label: str) -> tuple[str | None, int]:
    """(field a Google label moves its value to, or None; rank it gives the value)."""
    words = set(fold(label).split())
    if words & OTHER_WORDS:
        return OTHER, 9
    if words & MOBILE_WORDS:
        return "mobile", 0
    ranks = [QUALIFIERS[w] for w in words if w in QUALIFIERS and not w.isdigit()]
    return None, min(ranks) if ranks else 1


def _multi_values(cells: list[str], plan: _Plan) -> tuple[dict[str, str], list[str]]:
    """The main email, phone, mobile and website of a row, and its other values."""
    found: dict[str, list[tuple[int, int, str]]] = {name: [] for name in MULTI_FIELDS}
    extra: list[str] = []
    order = 0
    for name in MULTI_FIELDS:
        for position, column in enumerate(plan.candidates[name]):
            label = _cell(cells, plan.labels[column]) if column in plan.labels else ""
            target, rank = name, -1 if position == 0 and plan.mapping.get(name) == column else 1
            if label:
                moved, rank = _label_rank(label)
                if moved == OTHER:
                    target = OTHER
                elif moved == "mobile" and name == "phone":
                    target = "mobile"
            for value in _split(_cell(cells, column)):
                order += 1
                if target == OTHER:
                    extra.append(value)
                else:
                    found[target].append((rank, order, value))
    values: dict[str, str] = {}
    for name, entries in found.items():
        ordered = [v for _rank, _order, v in sorted(entries)]
        unique = list(dict.fromkeys(ordered))
        values[name] = unique[0] if unique else ""
        extra += unique[1:]
    return values, extra


def records(parsed: CsvFile, mapping: Mapping | None = None) -> list[ContactRecord]:
    """One record per row, through ``mapping`` (field -> column), the detected one by default."""
    mapping = parsed.mapping if mapping is None else mapping
    plan = _plan(parsed, mapping)
    out: list[ContactRecord] = []
    for line, cells in parsed.rows:
        values: dict[str, str] = {}
        for field_name, column in mapping.items():
            if field_name in MULTI_FIELDS or column is None:
                continue
            parts = _split(_cell(cells, column))
            values[field_name] = ", ".join(parts)
        multi, extra = _multi_values(cells, plan)
        values.update(multi)
        extra += [v for c in plan.kept for v in _split(_cell(cells, c))]
        for label_column, value_column in plan.custom:
            label, value = _cell(cells, label_column), _cell(cells, value_column)
            if value and fold(label) in ("language", "langue") and not values.get("language"):
                values["language"] = value
            elif value:
                extra.append(f"{label}: {value}" if label else value)
        more_street = [v for c in plan.continuation if (v := _cell(cells, c))]
        if more_street:
            values["street"] = ", ".join(p for p in (values.get("street", ""), *more_street) if p)
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


def mapping_with(parsed: CsvFile, pairs: list[str]) -> Mapping:
    """The detected mapping with ``FIELD=HEADER`` pairs applied (``import contacts --map``).

    FIELD is a field's name ("email", "mobile") or its English label ("Postal code");
    HEADER is a column's header, compared folded when no header is spelled exactly so; an
    empty HEADER leaves the field unfilled. A column given to a field leaves the field it
    filled. Raises :class:`InputError` for an unknown field or header."""
    mapping = dict(parsed.mapping)
    fields = {fold(name): name for name in FIELDS} | {fold(lab): n for n, lab in FIELDS.items()}
    folded_headers = [fold(h.strip("\ufeff")) for h in parsed.headers]
    for pair in pairs:
        name, equals, header = pair.partition("=")
        if not equals:
            raise InputError(
                _("--map takes FIELD=HEADER (for example email=“E-mail 2”), not “{pair}”.").format(
                    pair=shown(pair)
                )
            )
        field_name = fields.get(fold(name))
        if field_name is None:
            raise InputError(
                _("Unknown field “{field}” in --map: use one of {fields}.").format(
                    field=shown(name), fields=", ".join(FIELDS)
                )
            )
        header = header.strip()
        if not header:
            mapping[field_name] = None
            continue
        stripped = [h.strip().strip("\ufeff") for h in parsed.headers]
        if header in stripped:
            column = stripped.index(header)
        elif fold(header) and fold(header) in folded_headers:
            column = folded_headers.index(fold(header))
        else:
            raise InputError(
                _(
                    "The file has no column “{header}” (--map {field}=…); "
                    "its columns are: {columns}."
                ).format(
                    header=shown(header),
                    field=field_name,
                    columns=shown(", ".join(f"“{h}”" for h in stripped if h), 400),
                )
            )
        for other, taken in mapping.items():
            if taken == column:
                mapping[other] = None
        mapping[field_name] = column
    return mapping

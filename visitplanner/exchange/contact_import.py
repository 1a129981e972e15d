"""Importing a contact file: read it, preview what would change, then apply in one go.

    parsed = read_contact_file(path)          # CSV or vCard, detected; nothing written
    report = plan_import(lib, parsed)         # duplicates, warnings, rejects; nothing written
    apply_import(lib, report)                 # one transaction: all rows or none

The plan is the import: ``report.writes`` holds each person and organization exactly as it
will be stored, ``--dry-run --json`` prints it, and :func:`apply_import` writes it and
nothing else (one code path, so a preview cannot say one thing and the import do another).

Organizations are matched by name without regard to accents, case or punctuation, or
created. A contact already in the library (same email, or same name in the same
organization) is reported as a duplicate and not added again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from visitplanner.errors import InputError
from visitplanner.exchange import contacts_csv, sheets, vcard
from visitplanner.exchange.contact_writes import Write, site_key
from visitplanner.exchange.inputs import read_input
from visitplanner.exchange.phones import check_email, check_phone, email_key
from visitplanner.exchange.records import FIELDS, ContactRecord, RowNote
from visitplanner.exchange.text import clean_text, decode_contacts, shown
from visitplanner.i18n import _
from visitplanner.library import Library, directory
from visitplanner.model import Contact, Organization
from visitplanner.names import fold, name_key

MAX_BYTES = 50 * 1024 * 1024
# Longest values kept from a file: no name, email or address line comes near; longer ones
# are cut, with a warning in the report (a 10 MB "name" is a damaged or hostile file).
MAX_FIELD = 500
MAX_NOTES = 20_000
MAX_EXTRA = 20  # second emails, other phones... kept in the notes
MAX_REASON = 300
_LINE_FIELDS = (
    "given_name",
    "family_name",
    "organization",
    "title",
    "email",
    "phone",
    "mobile",
    "language",
    "website",
)
_PLACE_FIELDS = ("street", "city", "region", "postal_code", "country")


@dataclass
class ParsedFile:
    """A contact file read, with what was detected; ``csv`` is set for CSV files."""

    format: str
    encoding: str
    records: list[ContactRecord]
    warnings: list[RowNote] = field(default_factory=list)
    rejected: list[RowNote] = field(default_factory=list)
    csv: contacts_csv.CsvFile | None = None

    @property
    def delimiter(self) -> str | None:
        return self.csv.delimiter if self.csv and self.csv.delimiter else None

    def remapped(self, mapping: contacts_csv.Mapping) -> ParsedFile:
        """The same CSV file read through another column mapping (the columns it leaves
        unused reported anew)."""
        if self.csv is None:
            return self
        before = set(self.csv.column_notes)
        warnings = [w for w in self.warnings if w not in before]
        warnings += contacts_csv.unused_columns(self.csv, mapping)
        return replace(
            self,
            records=contacts_csv.records(self.csv, mapping),
            warnings=sorted(warnings, key=lambda n: n.line),
        )

    def with_columns(self, pairs: list[str]) -> ParsedFile:
        """The file read with ``FIELD=HEADER`` pairs (``import contacts --map``) applied to
        the detected columns; raises :class:`InputError` for an unknown field or header."""
        if not pairs:
            return self
        if self.csv is None:
            raise InputError(_("--map applies to CSV and spreadsheet files; this is a vCard file."))
        return self.remapped(contacts_csv.mapping_with(self.csv, pairs))


@dataclass
class ImportReport:
    format: str
    encoding: str
    contacts: list[ContactRecord]  # the rows that will be (or were) added
    new_organizations: list[str]
    duplicates: list[RowNote]
    warnings: list[RowNote]
    rejected: list[RowNote]
    imported: int = 0
    # ids written by apply_import, so the import can be undone
    created: dict[str, list[int]] = field(default_factory=dict)
    # what apply_import writes, in order: the plan the dry run shows
    writes: list[Write] = field(default_factory=list)

    @property
    def people(self) -> int:
        """How many persons the import adds."""
        return sum(1 for w in self.writes if not w.is_organization)

    def to_json(self) -> dict[str, object]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "contacts": [w.to_json() for w in self.writes],
            "new_organizations": list(self.new_organizations),
            "duplicates": len(self.duplicates),
            "warnings": [w.to_json() for w in sorted(self.warnings, key=lambda n: n.line)],
            "rejected": [r.to_json() for r in sorted(self.rejected, key=lambda n: n.line)],
            "imported": self.imported,
        }


def read_contact_file(path: Path) -> ParsedFile:
    data = read_input(
        path,
        max_bytes=MAX_BYTES,
        too_large=_("{path} is too large to be a contact file (more than {limit} MB)."),
    )
    return parse_contact_bytes(data)


def parse_contact_bytes(data: bytes) -> ParsedFile:
    """Detect the format and read the records; raises :class:`InputError` for a non-contact file."""
    if not data.strip():
        raise InputError(_("The file is empty."))
    if sheets.is_workbook(data):
        table = contacts_csv.read_table(
            sheets.read_workbook(data, contacts_csv.header_score), "xlsx"
        )
        return ParsedFile(
            format="xlsx",
            encoding="xlsx",
            records=contacts_csv.records(table),
            warnings=list(table.notes),
            csv=table,
        )
    decoded = decode_contacts(data)
    text, encoding = decoded.text, decoded.encoding
    # the encoding was a guess: said once, before anything else about the file
    guessed = [RowNote(1, decoded.guess)] if decoded.guess else []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if vcard.holds_vcards(text):
        records, warnings, rejected = vcard.read_vcards(text)
        if not records and not rejected:
            raise InputError(_("The file holds no contact cards."))
        return ParsedFile(
            format=f"vcard_{vcard.file_version(text)}",
            encoding=encoding,
            records=records,
            warnings=guessed + warnings,
            rejected=rejected,
        )
    parsed = contacts_csv.read_csv(text, encoding)
    return ParsedFile(
        format=parsed.format,
        encoding=encoding,
        records=contacts_csv.records(parsed),
        warnings=guessed + list(parsed.notes),
        csv=parsed,
    )


def _contact_key(given: str, family: str, org: str) -> tuple[str, str]:
    return name_key(f"{given} {family}"), name_key(org)


def plan_import(lib: Library, parsed: ParsedFile) -> ImportReport:
    """What importing ``parsed`` into ``lib`` would do. Reads the library; writes nothing."""
    known_orgs = directory.organizations(lib).values()
    org_names = {name_key(o.name): o.name for o in known_orgs}
    org_sites = {name_key(o.name): site_key(o.website) for o in known_orgs}
    org_by_id = {r["id"]: r["name"] for r in lib.query("SELECT id, name FROM organization")}
    emails: set[str] = set()
    names: set[tuple[str, str]] = set()
    for row in lib.query("SELECT given_name, family_name, email, organization_id FROM contact"):
        if row["email"]:
            emails.add(email_key(row["email"]))
        org = org_by_id.get(row["organization_id"], "")
        names.add(_contact_key(row["given_name"], row["family_name"], org))
    warnings = [_clean_note(n) for n in parsed.warnings]
    rejected = [_clean_note(n) for n in parsed.rejected]
    duplicates: list[RowNote] = []
    contacts: list[ContactRecord] = []
    writes: list[Write] = []
    new_orgs: dict[str, str] = {}

    def known_person(record: ContactRecord, email: str) -> bool:
        key = _contact_key(record.given_name, record.family_name, record.organization)
        if (email and email_key(email) in emails) or key in names:
            duplicates.append(
                RowNote(
                    record.line,
                    _("{name} is already in the directory; not added again.").format(
                        name=" ".join(p for p in (record.given_name, record.family_name) if p)
                    ),
                )
            )
            return True
        names.add(key)
        if email:
            emails.add(email_key(email))
        return False

    for record in parsed.records:
        record = _bounded(record, warnings)
        named = bool(f"{record.given_name}{record.family_name}".strip())
        spreadsheet = not parsed.format.startswith("vcard")
        if spreadsheet and not (named or record.is_organization or record.organization.strip()):
            # a row of an email or a phone only (a list of addresses): kept under it, as a card
            # would be; a row naming a company but no person is still refused
            named = vcard.named_after_what_it_has(record, warnings, card=False)
        if record.is_organization:
            if not record.organization.strip():
                rejected.append(RowNote(record.line, _("A company card with no name.")))
                continue
        elif not named:
            rejected.append(
                RowNote(record.line, _("No name: a contact needs a given or family name."))
            )
            continue
        org_key = name_key(record.organization)
        creates_org = bool(org_key) and org_key not in org_names and org_key not in new_orgs
        if not record.is_organization and record.website and not creates_org:
            # no new organization to hold it: kept in the notes unless the organization has it
            if org_sites.get(org_key) != site_key(record.website):
                record.extra.insert(0, record.website)
            record.website = ""
        _check_values(record, warnings)
        organization = record.organization.strip()
        row_writes: list[Write] = []
        if record.is_organization:
            if creates_org:
                row_writes.append(
                    Write(
                        line=record.line,
                        is_organization=True,
                        organization=organization,
                        new_organization=True,
                        email=record.email,
                        phone=record.phone,
                        website=record.website,
                        notes=record.notes,
                        address=record.address,
                    )
                )
            else:
                duplicates.append(
                    RowNote(
                        record.line,
                        _("The organization {name} is already in the directory.").format(
                            name=record.organization
                        ),
                    )
                )
            # A company card that also names a person: the person is added to it, with the
            # card's email and phone when the organization did not take them.
            if named:
                email, phone = ("", "") if creates_org else (record.email, record.phone)
                if not known_person(record, email):
                    row_writes.append(
                        Write(
                            line=record.line,
                            is_organization=False,
                            organization=organization,
                            new_organization=False,
                            given_name=record.given_name,
                            family_name=record.family_name,
                            title=record.title,
                            email=email,
                            phone=phone,
                            mobile=record.mobile,
                            language=record.language,
                        )
                    )
        elif not known_person(record, record.email):
            row_writes.append(
                Write(
                    line=record.line,
                    is_organization=False,
                    organization=organization,
                    new_organization=creates_org,
                    given_name=record.given_name,
                    family_name=record.family_name,
                    title=record.title,
                    email=record.email,
                    phone=record.phone,
                    mobile=record.mobile,
                    website=record.website if creates_org else "",
                    language=record.language,
                    notes=record.notes,
                    address=record.address if creates_org else None,
                )
            )
        if not row_writes:
            continue
        if creates_org:
            new_orgs[org_key] = organization
            org_sites[org_key] = site_key(row_writes[0].website)
        writes += row_writes
        contacts.append(record)
    warnings += duplicates
    return ImportReport(
        format=parsed.format,
        encoding=parsed.encoding,
        contacts=contacts,
        new_organizations=list(new_orgs.values()),
        duplicates=duplicates,
        warnings=warnings,
        rejected=rejected,
        writes=writes,
    )


def _clean_note(note: RowNote) -> RowNote:
    """A parser's note with no control character and of a bounded length (a parser's
    message may quote a whole line of the file)."""
    return RowNote(note.line, shown(note.reason, MAX_REASON))


def _cut(value: str, limit: int, label: str, line: int, warnings: list[RowNote]) -> str:
    if len(value) <= limit:
        return value
    warnings.append(
        RowNote(
            line,
            _("“{field}” was cut to {limit} characters (it had {count}).").format(
                field=_(label), limit=limit, count=len(value)
            ),
        )
    )
    return value[:limit].rstrip()


def _bounded(record: ContactRecord, warnings: list[RowNote]) -> ContactRecord:
    """A copy of ``record`` without control characters, each value cut to its cap with a
    warning: what is stored and printed is clean and of a sensible size."""
    line = record.line
    record = replace(record, extra=_bounded_extra(record.extra, line, warnings))
    for name in _LINE_FIELDS:
        value = clean_text(getattr(record, name)).strip()
        setattr(record, name, _cut(value, MAX_FIELD, FIELDS[name], line, warnings))
    notes = clean_text(record.notes, multiline=True).strip()
    record.notes = _cut(notes, MAX_NOTES, FIELDS["notes"], line, warnings)
    if record.address is not None:
        record.address = replace(record.address)
        for name in _PLACE_FIELDS:
            value = clean_text(getattr(record.address, name)).strip()
            setattr(record.address, name, _cut(value, MAX_FIELD, FIELDS[name], line, warnings))
    return record


def _bounded_extra(extra: list[str], line: int, warnings: list[RowNote]) -> list[str]:
    values = []
    for value in extra[:MAX_EXTRA]:
        value = clean_text(value).strip()
        if len(value) > MAX_FIELD:
            warnings.append(
                RowNote(
                    line,
                    _(
                        "A value kept in the notes was cut to {limit} characters (it had {count})."
                    ).format(limit=MAX_FIELD, count=len(value)),
                )
            )
            value = value[:MAX_FIELD].rstrip()
        values.append(value)
    if len(extra) > MAX_EXTRA:
        warnings.append(
            RowNote(
                line,
                _("Only the first {limit} of {count} other values were kept in the notes.").format(
                    limit=MAX_EXTRA, count=len(extra)
                ),
            )
        )
    return [v for v in values if v]


def _check_values(record: ContactRecord, warnings: list[RowNote]) -> None:
    """Phones in the display format and emails checked; bad values kept and flagged."""
    for attr in ("phone", "mobile"):
        checked = check_phone(getattr(record, attr))
        setattr(record, attr, checked.value)
        if checked.problem:
            warnings.append(RowNote(record.line, checked.problem))
    checked = check_email(record.email)
    record.email = checked.value
    if checked.problem:
        warnings.append(RowNote(record.line, checked.problem))
    language = fold(record.language)
    record.language = (
        "fr"
        if language.startswith(("fr", "francais"))
        else "en"
        if language.startswith(("en", "anglais"))
        else ""
    )
    if record.extra:
        more = _("Also: {values}").format(values=", ".join(record.extra))
        record.notes = f"{record.notes}\n{more}".strip()
        record.extra = []


def apply_import(lib: Library, report: ImportReport) -> int:
    """Write the report's plan (``report.writes``) in one transaction; returns how many
    rows were imported. An organization added to the directory since the plan was made is
    used, not made twice."""
    created: dict[str, list[int]] = {"contact": [], "organization": [], "place": []}
    with lib.write():
        org_ids = {name_key(o.name): i for i, o in directory.organizations(lib).items()}
        for write in report.writes:
            key = name_key(write.organization)
            if write.new_organization and key not in org_ids:
                place_id = None
                if write.address is not None:
                    place_id = directory.add_place(lib, write.address)
                    created["place"].append(place_id)
                org_ids[key] = directory.add_organization(
                    lib,
                    Organization(
                        name=write.organization,
                        website=write.website,
                        phone=write.phone if write.is_organization else "",
                        email=write.email if write.is_organization else "",
                        notes=write.notes if write.is_organization else "",
                        place_id=place_id,
                    ),
                )
                created["organization"].append(org_ids[key])
            if write.is_organization:
                continue
            contact_id = directory.add_contact(
                lib,
                Contact(
                    given_name=write.given_name,
                    family_name=write.family_name,
                    title=write.title,
                    organization_id=org_ids.get(key) if key else None,
                    email=write.email,
                    phone=write.phone,
                    mobile=write.mobile,
                    language=write.language,
                    notes=write.notes,
                ),
            )
            created["contact"].append(contact_id)
    report.imported = len(report.contacts)
    report.created = created
    return report.imported


def import_contacts(lib: Library, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Read, check and (unless ``dry_run``) import a contact file: the same operation the
    app's Import Contacts runs (:class:`visitplanner.edits.ImportContacts`)."""
    from visitplanner.edits import ImportContacts

    report = plan_import(lib, read_contact_file(path))
    if not dry_run:
        ImportContacts(report).apply(lib)
    return report

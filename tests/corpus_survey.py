"""What the contact import makes of the corpus of real contact files (tests/data/contacts_corpus).

Each file is read twice: once by a deliberately simple, independent scan of its lines (what
the file holds: named cards, email and phone values) and once by the app's dry run into an
empty library. ``survey`` compares the two, file by file; tests/test_contacts_corpus.py
asserts on it and ``python -m tests.corpus_survey`` prints it (the before/after figures).
"""

from __future__ import annotations

import csv
import io
import quopri
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "data" / "contacts_corpus"
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+$")
# UTF-8 read as a single-byte code page, or text replaced for want of a code page.
MOJIBAKE = re.compile(r"\ufffd|[ÃÂ][\u0080-\u00bf]|â€|Ð[\u0080-\u00bf]|Ñ[\u0080-\u00bf]")


@dataclass
class Card:
    line: int  # where BEGIN:VCARD (or the CSV row) is, 1-based
    named: bool = False
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


def _raw_text(data: bytes) -> str:
    """The file's text for the scan: only the ASCII structure matters (names are not compared)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16")
        return data.decode("utf-16-be" if data[:1] == b"\x00" else "utf-16-le")
    return data.decode("latin-1").removeprefix("\u00ef\u00bb\u00bf")


def _value_present(value: str) -> bool:
    return bool(value.replace(";", "").replace(",", "").strip())


def _unescaped(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def garbled(text: str) -> bool:
    """Whether a name shows the marks of a wrong encoding: replacement characters, UTF-8
    read as a Western code page ("Ã©"), or the symbols a Japanese or Cyrillic code page
    becomes in Windows-1252 ("ƒ", "„", "‰"...)."""
    if MOJIBAKE.search(text):
        return True
    if re.search(r"[\u0192\u201e\u2020\u2021\u02c6\u2030\u2039\u0152\u2122\u203a\u0153]", text):
        return True
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def scan_vcards(data: bytes) -> list[Card]:
    """The cards of a vCard file: folded lines joined, binary values skipped."""
    lines = _raw_text(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cards: list[Card] = []
    current: Card | None = None
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line[:1] in (" ", "\t") and logical:
            logical[-1] = (logical[-1][0], logical[-1][1] + line[1:])
        elif (
            logical
            and logical[-1][1].endswith("=")
            and "QUOTED-PRINTABLE" in (logical[-1][1].split(":", 1)[0].upper())
        ):
            logical[-1] = (logical[-1][0], logical[-1][1][:-1] + line)
        else:
            logical.append((number, line))
    for number, line in logical:
        # the first colon outside double quotes ends the name and parameters
        split = re.match(r'^((?:[^":]|"[^"]*")*):(.*)$', line)
        if not split:
            continue
        head, value = split.groups()
        if "QUOTED-PRINTABLE" in head.upper():
            value = quopri.decodestring(value.encode("latin-1")).decode("utf-8", "replace")
        name = head.split(";", 1)[0].split(".")[-1].strip().upper()
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if current is not None:  # a card inside a card (vCard 2.1 AGENT) or unended
                cards.append(current)
            current = Card(number)
            continue
        if current is None:
            if name == "VERSION":  # a card whose BEGIN line was lost
                current = Card(number)
            continue
        if name == "END" and value.strip().upper() == "VCARD":
            cards.append(current)
            current = None
        elif name in ("FN", "N", "ORG") and _value_present(value):
            current.named = True
        elif name == "EMAIL" and _EMAIL.match(_unescaped(value.strip())):
            current.emails.append(_unescaped(value.strip().removeprefix("mailto:")))
        elif name == "TEL" and re.search(r"\d", value):
            current.phones.append(value.strip())
    if current is not None:
        cards.append(current)
    return cards


def scan_csv(data: bytes) -> list[Card]:
    """The rows of a CSV file: a row is named when a name or company column has a value."""
    text = _raw_text(data)
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")))
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    for row in reader:
        rows.append((previous_end + 1, row))
        previous_end = reader.line_num
    if not rows:
        return []
    header = [h.casefold() for h in rows[0][1]]
    name_columns = [
        i for i, h in enumerate(header) if "name" in h or "company" in h or "organi" in h
    ]
    phone_columns = [i for i, h in enumerate(header) if "phone" in h or "mobile" in h or "fax" in h]
    cards = []
    for line, row in rows[1:]:
        card = Card(line)
        for i, cell in enumerate(row):
            cell = cell.strip()
            if not cell:
                continue
            if i in name_columns:
                card.named = True
            if _EMAIL.match(cell):
                card.emails.append(cell)
            if i in phone_columns and re.search(r"\d{3}", cell):
                card.phones.append(cell)
        if card.named or card.emails or card.phones:
            cards.append(card)
    return cards


def _digits(value: str) -> str:
    return re.sub(r"[\s\-.()+/]", "", value)


@dataclass
class FileResult:
    name: str
    encoding: str = ""
    people_in_file: int = 0
    emails_in_file: int = 0
    phones_in_file: int = 0
    people: int = 0  # records read (added, or reported as already there)
    emails: int = 0  # email values of the file found in what would be written
    phones: int = 0
    warnings: int = 0
    rejected: int = 0
    refused: str = ""  # the sentence for a file refused as a whole
    unexplained: list[str] = field(default_factory=list)  # losses no note explains
    garbled: list[str] = field(default_factory=list)  # mojibake in names
    encoding_warned: bool = False
    texts: list[str] = field(default_factory=list)  # the notes, for the test's messages


def survey_file(path: Path) -> FileResult:
    from visitplanner.errors import InputError
    from visitplanner.exchange.contact_import import parse_contact_bytes, plan_import
    from visitplanner.library import Library

    data = path.read_bytes()
    cards = scan_csv(data) if path.suffix == ".csv" else scan_vcards(data)
    result = FileResult(path.name)
    result.people_in_file = sum(1 for c in cards if c.named)
    result.emails_in_file = sum(len(c.emails) for c in cards)
    result.phones_in_file = sum(len(c.phones) for c in cards)
    try:
        parsed = parse_contact_bytes(data)
    except InputError as error:
        result.refused = str(error)
        if cards:
            result.unexplained.append(f"whole file refused: {error}")
        return result
    with (
        tempfile.TemporaryDirectory() as folder,
        Library.open(Path(folder) / "corpus.visitplanner", create=True) as lib,
    ):
        report = plan_import(lib, parsed)
    result.encoding = report.encoding
    result.warnings = len(report.warnings)
    result.rejected = len(report.rejected)
    notes = [*report.warnings, *report.rejected]
    result.texts = [f"line {n.line}: {n.reason}" for n in notes]
    result.encoding_warned = any(
        "encoding" in n.reason.casefold() or "encodage" in n.reason.casefold() for n in notes
    )
    # a loss is explained by the card's rejection or a note that it was not read whole
    noted_lines = {n.line for n in report.rejected} | {
        n.line
        for n in report.warnings
        if any(word in n.reason for word in ("not read", "skipped", "line by line", "cut"))
    }
    kept = {id(r): r for r in report.contacts}
    by_line: dict[int, list[object]] = {}
    for record in report.contacts:
        by_line.setdefault(record.line, []).append(record)
    duplicate_lines = {n.line for n in report.duplicates}
    result.people = len(report.contacts) + len(report.duplicates)
    for card in cards:
        records = by_line.get(card.line, [])
        written = " | ".join(
            f"{r.email} | {r.phone} | {r.mobile} | {r.notes}"  # type: ignore[attr-defined]
            for r in records
        )
        explained = card.line in noted_lines and card.line not in duplicate_lines
        if card.named and not records and not explained and card.line not in duplicate_lines:
            result.unexplained.append(f"line {card.line}: named card not read")
        for email in card.emails:
            if email.casefold() in written.casefold():
                result.emails += 1
            elif not explained:
                result.unexplained.append(f"line {card.line}: email {email} lost")
        for phone in card.phones:
            digits = _digits(phone)
            digits = digits.removeprefix("tel:").split(";")[0]
            if digits and digits[-7:] in _digits(written):
                result.phones += 1
            elif not explained:
                result.unexplained.append(f"line {card.line}: phone {phone} lost")
    for record in kept.values():
        for text in (record.given_name, record.family_name, record.organization):
            if garbled(text):
                result.garbled.append(text)
    return result


def survey() -> list[FileResult]:
    return [
        survey_file(path)
        for path in sorted(CORPUS.iterdir())
        if path.suffix.lower() in (".vcf", ".csv")
    ]


def main() -> None:
    results = survey()
    print(f"{'file':58} {'enc':10} ppl(file) eml(file) tel(file) warn rej  unexplained garbled")
    for r in results:
        print(
            f"{r.name[:58]:58} {r.encoding[:10]:10} {r.people:3}({r.people_in_file:3})"
            f" {r.emails:3}({r.emails_in_file:3}) {r.phones:3}({r.phones_in_file:3})"
            f" {r.warnings:4} {r.rejected:3}  {len(r.unexplained):3}"
            f" {'GARBLED' if r.garbled and not r.encoding_warned else ''}"
            f" {r.refused[:60]}"
        )
    total = FileResult("total")
    for r in results:
        for name in ("people", "people_in_file", "emails", "emails_in_file", "phones"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.phones_in_file += r.phones_in_file
    print(
        f"files {len(results)}; people {total.people}/{total.people_in_file};"
        f" emails {total.emails}/{total.emails_in_file};"
        f" phones {total.phones}/{total.phones_in_file};"
        f" files refused {sum(1 for r in results if r.refused)};"
        f" files with warnings {sum(1 for r in results if r.warnings)};"
        f" files with rejections {sum(1 for r in results if r.rejected)};"
        f" files with unexplained losses {sum(1 for r in results if r.unexplained)};"
        f" files with garbled names and no encoding warning"
        f" {sum(1 for r in results if r.garbled and not r.encoding_warned)}"
    )
    for r in results:
        for loss in r.unexplained:
            print(f"  {r.name}: {loss}")
        for text in r.garbled:
            print(f"  {r.name}: garbled {text!r}")


if __name__ == "__main__":
    main()

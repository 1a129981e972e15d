"""Contact exports that other programs read back: vCard 3.0 and 4.0 checked by a strict
RFC 2426 validator (the ``vcard`` package), by the RFC rules it does not check (octets,
CRLF, required properties, no CHARSET) and by vobject's parser; the Google and Outlook CSV
read back with Python's csv module in their own layout, without a stray "'"."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli_helper import run
from visitplanner.exchange.contact_export import (
    GOOGLE_HEADERS,
    export_contacts,
    fold_line,
)
from visitplanner.exchange.contact_import import import_contacts
from visitplanner.exchange.phones import format_phone
from visitplanner.library import Library, directory
from visitplanner.model import Contact, Organization, Place

# Values chosen to hit the writers' edges: characters of 2, 3 and 4 octets at every fold
# position, the characters vCard escapes, cells a spreadsheet would run as formulas.
LONG_NOTE = "\n".join(["Rencontrée à BIO 2024 — “très intéressée” 🧬; suivi: oui, en juin."] * 3)
SPECIAL = [
    Contact(
        given_name="Éloïse",
        family_name="Côté-Bérubé",
        title="Directrice, R&D; Québec",
        email="eloise.cote@example.com",
        phone="+1 514-555-0142 ext. 204",
        mobile="+1 514-555-0143",
        language="fr",
        notes=LONG_NOTE,
    ),
    Contact(
        given_name="Zoë",
        family_name="Ωmega",
        title="-lead",
        email="zoe@example.com",
        phone="+1 617-555-0150",
        notes="=SUM(A1:A2) " + "é" * 37 + "🧬" * 20,
    ),
]


def _library_with_specials(lib: Library) -> Library:
    place = directory.add_place(
        lib,
        Place(
            street="1000, rue Sherbrooke O., bureau 1200",
            city="Montréal",
            region="QC",
            postal_code="H3A 3G4",
            country="Canada",
        ),
    )
    org = directory.add_organization(
        lib,
        Organization(
            name="Étoile Biotech, The", website="https://etoile.example.com", place_id=place
        ),
    )
    for person in SPECIAL:
        person.organization_id = org
        directory.add_contact(lib, person)
    return lib


def _person_key(lib: Library, c: Contact) -> tuple[str, ...]:
    orgs = directory.organizations(lib)
    org = orgs[c.organization_id].name if c.organization_id else ""
    phone, mobile = format_phone(c.phone), format_phone(c.mobile)
    return (c.given_name, c.family_name, org, c.title, c.email, phone, mobile, c.notes, c.language)


def _people(lib: Library) -> list[tuple[str, ...]]:
    return sorted(_person_key(lib, c) for c in directory.contacts(lib).values())


def _cards(data: bytes) -> list[bytes]:
    cards = data.split(b"END:VCARD\r\n")
    assert cards[-1] == b""
    return [card + b"END:VCARD\r\n" for card in cards[:-1]]


def _check_rfc_rules(data: bytes, version: str) -> None:
    """What RFC 2426 and 6350 say that a parser forgives: CRLF line ends, lines of at most
    75 octets folded between characters, VERSION right after BEGIN, the required
    properties, and no CHARSET parameter (neither version has one)."""
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    for card in _cards(data):
        lines = card.split(b"\r\n")[:-1]
        for line in lines:
            assert len(line) <= 75, line
            line.decode("utf-8")  # a fold never splits a character
        assert lines[0] == b"BEGIN:VCARD" and lines[1] == f"VERSION:{version}".encode()
        names = {line.split(b":")[0].split(b";")[0].upper() for line in lines if line[:1] != b" "}
        required = {b"FN", b"N"} if version == "3.0" else {b"FN"}
        assert required <= names
        assert b"CHARSET" not in card.upper()


def _check_rfc2426_validator(data: bytes) -> None:
    """The ``vcard`` package's strict RFC 2426 validator. It reads the octets of the file (as
    Latin-1, which is what its rules are written for: NON-ASCII is %x80-FF, line lengths are
    in octets). Its only allowed remark is a short folded line where the next character
    did not fit whole in 75 octets."""
    from vcard.vcard_validator import VCard

    for card in _cards(data):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            VCard(card.decode("latin-1"))
        lines = card.split(b"\r\n")
        for warning in caught:
            message = str(warning.message)
            assert message.startswith("Short folded line"), message
            index = int(message.rsplit(" ", 1)[1])
            cut, rest = lines[index], lines[index + 1][1:]
            assert len(cut) + len(rest[:4].decode("utf-8", "ignore")[:1].encode()) > 75


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_passes_strict_checks_and_round_trips(
    demo_library: Library, tmp_path: Path, version: str
) -> None:
    import vobject

    lib = _library_with_specials(demo_library)
    out = tmp_path / "contacts.vcf"
    n = export_contacts(lib, out, "vcard", vcard_version=version)
    data = out.read_bytes()
    assert n == len(directory.contacts(lib)) and data.count(b"BEGIN:VCARD") == n
    _check_rfc_rules(data, version)
    if version == "3.0":
        _check_rfc2426_validator(data)
    assert any(line.startswith(b" ") for line in data.split(b"\r\n"))  # folding was tested
    cards = list(vobject.readComponents(data.decode("utf-8"), validate=True))
    assert [c.version.value for c in cards] == [version] * n
    eloise = next(c for c in cards if c.fn.value == "Éloïse Côté-Bérubé")
    assert eloise.note.value == LONG_NOTE and eloise.org.value == ["Étoile Biotech, The"]
    assert eloise.title.value == "Directrice, R&D; Québec"
    assert eloise.adr.value.street == "1000, rue Sherbrooke O., bureau 1200"
    fresh = Library.in_memory()
    report = import_contacts(fresh, out)
    assert report.imported == n and not report.rejected
    assert _people(fresh) == _people(lib)
    assert "Étoile Biotech, The" in {o.name for o in directory.organizations(fresh).values()}


def test_vcard_version_on_the_command_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.vcf"
    args = ["export", "contacts", "--db", str(demo_path), "--out", str(out), "--json"]
    code, printed, _err = run(capsys, *args, "--vcard-version", "4.0")
    assert code == 0 and json.loads(printed)["vcard_version"] == "4.0"
    assert b"\r\nVERSION:4.0\r\n" in out.read_bytes()
    code, printed, _err = run(capsys, *args)
    assert json.loads(printed) == {
        "out": str(out),
        "format": "vcard",
        "vcard_version": "3.0",
        "contacts": json.loads(printed)["contacts"],
    }
    assert b"VERSION:4.0" not in out.read_bytes()


@given(st.text(min_size=0, max_size=300))
def test_fold_line_is_at_most_75_octets_and_unfolds_to_the_line(text: str) -> None:
    line = "NOTE:" + text.replace("\r", "").replace("\n", "")
    folded = fold_line(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line


def _csv_rows(data: bytes, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


def test_google_csv_reads_back_in_googles_layout_and_reimports(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(demo_path) as lib:
        _library_with_specials(lib)
        before = _people(lib)
    out = tmp_path / "google.csv"
    code, _out, err = run(
        capsys, "export", "contacts", "--db", str(demo_path), "--out", str(out),
        "--format", "csv-google",
    )  # fmt: skip
    assert code == 0, err
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # Google's own export has no BOM
    rows = _csv_rows(data, "utf-8")
    assert tuple(rows[0]) == GOOGLE_HEADERS
    zoe = next(r for r in rows if r["First Name"] == "Zoë")
    assert zoe["Phone 1 - Value"] == "+1 617-555-0150" and zoe["Phone 1 - Label"] == "Work"
    assert zoe["Organization Title"] == "'-lead"  # not a phone number: still defused
    assert zoe["Notes"].startswith("'=SUM")
    phones = [r[h] for r in rows for h in ("Phone 1 - Value", "Phone 2 - Value") if r[h]]
    assert phones and [p for p in phones if not (p.startswith(("+", "(")) or p[0].isdigit())] == []
    assert not any("'" in p for p in phones)
    eloise = next(r for r in rows if r["First Name"] == "Éloïse")
    assert eloise["Phone 2 - Label"] == "Mobile" and eloise["Phone 2 - Value"] == "+1 514-555-0143"
    assert eloise["E-mail 1 - Value"] == "eloise.cote@example.com"
    fresh = tmp_path / "fresh.visitplanner"
    Library.open(fresh, create=True).close()
    code, printed, err = run(capsys, "import", "contacts", str(out), "--db", str(fresh), "--json")
    assert code == 0, err
    assert json.loads(printed)["format"] == "google_csv"
    with Library.open(fresh) as lib:
        after = _people(lib)
    assert after == before


@pytest.mark.parametrize(("fmt", "guarded"), [("csv-outlook", False), ("csv-excel", True)])
def test_outlook_csv_leaves_phones_alone_excel_csv_guards_them(
    demo_library: Library, tmp_path: Path, fmt: str, guarded: bool
) -> None:
    lib = _library_with_specials(demo_library)
    out = tmp_path / "contacts.csv"
    export_contacts(lib, out, fmt)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(data, "utf-8-sig")
    zoe = next(r for r in rows if r["First Name"] == "Zoë")
    assert zoe["Business Phone"] == ("'+1 617-555-0150" if guarded else "+1 617-555-0150")
    assert zoe["Job Title"] == "'-lead" and zoe["Notes"].startswith("'=SUM")
    fresh = Library.in_memory()
    import_contacts(fresh, out)
    assert _people(fresh) == _people(lib)  # the guard's "'" is taken off on the way in


@pytest.mark.parametrize(
    ("chosen", "first_line"),
    [
        ("CSV for Google Contacts (*.csv)", b"First Name,Last Name,Organization Name,"),
        ("CSV for Outlook (*.csv)", b"\xef\xbb\xbfFirst Name,Last Name,Company,"),
        ("vCard 4.0 (*.vcf)", b"BEGIN:VCARD"),
    ],
)
def test_export_contacts_menu_writes_the_flavour_chosen(
    window: object,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    chosen: str,
    first_line: bytes,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from ui.shell.main_window import MainWindow

    assert isinstance(window, MainWindow)
    offered: list[str] = []

    def save_as(*args: object, **kwargs: object) -> tuple[str, str]:
        offered.extend(str(args[3]).split(";;"))
        return str(tmp_path / "contacts"), chosen  # no extension typed

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.directory_panel.export_contacts_action.trigger()
    assert chosen in offered and len(offered) == 5
    suffix = ".vcf" if "vCard" in chosen else ".csv"
    data = (tmp_path / f"contacts{suffix}").read_bytes()
    assert data.startswith(first_line)
    if "vCard" in chosen:
        assert b"\r\nVERSION:4.0\r\n" in data and b"CHARSET" not in data
    else:
        assert b"'+1" not in data  # phone numbers as they are

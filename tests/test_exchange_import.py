"""Contact import: the formats people have, bad files, duplicates, the CLI, fuzzing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from visitplanner.cli import main
from visitplanner.errors import InputError
from visitplanner.exchange.contact_import import (
    apply_import,
    import_contacts,
    parse_contact_bytes,
    plan_import,
    read_contact_file,
)
from visitplanner.exchange.phones import check_email, check_phone
from visitplanner.library import Library, directory

SAMPLES = Path(__file__).parent / "data" / "contacts"


def names(report: object) -> list[str]:
    return [f"{c.given_name} {c.family_name}".strip() for c in report.contacts]  # type: ignore[attr-defined]


def dump(lib: Library) -> list[tuple[object, ...]]:
    return [tuple(r) for r in lib.db.iterdump()]  # type: ignore[arg-type]


def test_phone_numbers_are_formatted_and_bad_ones_flagged() -> None:
    assert check_phone("(514) 555-0142 poste 204").value == "+1 514-555-0142 ext. 204"
    assert check_phone("514.555.0142 p. 7").value == "+1 514-555-0142 ext. 7"
    assert check_phone("617 555 0123 x45").value == "+1 617-555-0123 ext. 45"
    assert check_phone("+33 1 42 68 53 00").value == "+33 1 42 68 53 00"
    bad = check_phone("555-01")
    assert not bad.ok and bad.value == "555-01"
    assert check_email("mailto:Ana@Example.com").value == "Ana@Example.com"
    assert not check_email("ana@").ok and check_email("ana@").value == "ana@"


def test_google_csv(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "google.csv")
    assert report.format == "google_csv" and report.encoding == "utf-8"
    assert names(report) == ["Geneviève Côté", "Daniel O'Brien", "Zoë Nguyễn"]
    genevieve = report.contacts[0]
    assert genevieve.mobile == "+1 514-555-0142"
    assert genevieve.phone == "+1 514-555-0100 ext. 204"
    assert "Prefers mornings." in genevieve.notes  # a multi-line field
    daniel = report.contacts[1]
    assert daniel.email == "dobrien@example.com"
    assert "daniel.obrien@example.net" in daniel.notes  # " ::: " second value kept
    assert [r.line for r in report.rejected] == [7]
    stored = {c.full_name for c in directory.contacts(empty_library).values()}
    assert stored == {"Geneviève Côté", "Daniel O'Brien", "Zoë Nguyễn"}


def test_older_google_csv_layout(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "google_older.csv", dry_run=True)
    assert report.format == "google_csv"
    girard = report.contacts[0]
    assert (girard.given_name, girard.organization) == ("Raphaël", "Institut Néomed")
    assert girard.mobile == "+1 514-555-0171" and girard.phone == "+1 514-555-0172 ext. 9"


def test_outlook_csv_cp1252_crlf(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "outlook.csv")
    assert (report.format, report.encoding) == ("outlook_csv", "cp1252")
    assert names(report) == ["François Lévesque", "Maeve Sullivan", "Anaïs Bélanger"]
    assert report.contacts[0].title == "Directeur des ventes"  # Job Title, not "M."
    anais = report.contacts[2]
    assert anais.phone == "not a phone" and anais.email == "anais.belanger@"  # flagged, kept
    # line 1: "Title" (M., Ms.) is not used, and the encoding was a guess (valid Windows-1252,
    # not UTF-8): both said, the encoding named
    assert {w.line for w in report.warnings} == {1, 4}
    line_1 = [w.reason for w in report.warnings if w.line == 1]
    assert "The column “Title” is not used: its values are not imported." in line_1
    assert any("read as Windows-1252" in reason for reason in line_1)
    orgs = {o.name for o in directory.organizations(empty_library).values()}
    assert "Pharmacie Québécoise ltée" in orgs


def test_french_excel_csv(empty_library: Library) -> None:
    directory.add_organization(empty_library, _org("Université Laval"))
    report = import_contacts(empty_library, SAMPLES / "excel_fr.csv")
    assert (report.format, report.encoding) == ("excel_csv", "cp1252")
    assert names(report) == ["Élise Tremblay", "Marc-André Gagnon", "Hélène Côté-Roy"]
    assert report.contacts[0].phone == "+1 514-555-0155 ext. 12"
    assert report.contacts[0].language == "fr" and report.contacts[2].language == "en"
    assert [r.line for r in report.rejected] == [5]
    assert any(w.line == 4 for w in report.warnings)  # the blank row, with a reason
    orgs = sorted(o.name for o in directory.organizations(empty_library).values())
    # "Universite Laval" matched "Université Laval"; the two Étoile spellings made one
    assert orgs == ["Biotech Étoile inc", "Université Laval"]


def test_utf8_bom_csv_with_full_name_column(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "utf8_bom.csv")
    assert report.encoding == "utf-8-sig"
    assert names(report) == ["Josée Ouellet"]


def test_apple_vcard_groups_photo_and_company_card(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "apple.vcf")
    assert report.format == "vcard_3.0" and not report.rejected
    amelie = report.contacts[0]
    assert (amelie.given_name, amelie.family_name) == ("Amélie", "Lefèbvre")
    assert amelie.mobile == "+1 617-555-0102" and amelie.phone == "+1 617-555-0103"
    assert amelie.address is not None and amelie.address.city == "Cambridge"
    orgs = {o.name: o for o in directory.organizations(empty_library).values()}
    kendall = orgs["Kendall Square Research Center"]  # the company card
    assert kendall.phone == "+1 617-555-0150" and kendall.website.startswith("https://")
    assert kendall.place_id is not None
    assert len(directory.contacts(empty_library)) == 1


def test_android_vcard_21_quoted_printable_and_wrong_charset(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "android21.vcf")
    assert report.format == "vcard_2.1"
    assert names(report) == ["Frédéric Dubé", "Josée Pelletier"]
    assert report.contacts[0].organization == "Clinique Saint-Jérôme"
    assert report.contacts[0].notes == "Rencontré au congrès.\nRappeler en juin."
    assert report.contacts[0].phone == "+1 514-555-0134 ext. 7"
    assert report.contacts[1].organization == "Hôpital Maisonneuve-Rosemont"


def test_vcard_latin1_bytes_declared_utf8(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "android_wrong_charset.vcf")
    assert names(report) == ["Renée Hébert"] and not report.rejected
    assert report.contacts[0].organization == "Société de recherche de Québec"


def test_vcard_40(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "vcard40.vcf")
    assert report.format == "vcard_4.0"
    roy = report.contacts[0]
    assert (roy.given_name, roy.family_name) == ("Sébastien", "Roy")
    assert roy.phone == "+1 418-555-0144 ext. 22" and roy.mobile == "+1 418-555-0145"
    assert roy.language == "fr"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary.vcf", "binary"),
        ("empty.csv", "empty"),
        ("headers_only.csv", "only a header"),
        ("not_contacts.csv", "no column holds names"),
    ],
)
def test_bad_files_exit_2_and_change_nothing(
    demo_path: Path, name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = demo_path.read_bytes()
    code = main(["import", "contacts", str(SAMPLES / name), "--db", str(demo_path), "--json"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert demo_path.read_bytes() == before


def test_truncated_files_give_what_could_be_read(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "truncated.vcf", dry_run=True)
    assert names(report) == ["Luc Martin", "Tara Ross"] and report.warnings
    report = import_contacts(empty_library, SAMPLES / "truncated.csv", dry_run=True)
    assert names(report) == ["Paul Bernier", "Lise Caron"]
    assert [w.line for w in report.warnings] == [3]
    assert directory.contacts(empty_library) == {}


def test_cli_json_dry_run_then_import_then_duplicates(
    empty_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(empty_library.path)
    empty_library.close()
    args = ["import", "contacts", str(SAMPLES / "google.csv"), "--db", path, "--json"]
    assert main([*args, "--dry-run"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert set(dry) == {
        "format",
        "encoding",
        "contacts",
        "new_organizations",
        "duplicates",
        "warnings",
        "rejected",
        "imported",
    }
    assert dry["imported"] == 0 and len(dry["contacts"]) == 3
    assert set(dry["contacts"][0]) == {
        "line",
        "is_organization",
        "given_name",
        "family_name",
        "organization",
        "new_organization",
        "title",
        "email",
        "phone",
        "mobile",
        "website",
        "language",
        "notes",
        "address",
    }
    assert dry["rejected"] == [
        {"line": 7, "reason": "No name: a contact needs a given or family name."}
    ]
    with Library.open(path) as lib:
        assert directory.contacts(lib) == {}
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 3
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["duplicates"] == 3 and again["imported"] == 0 and again["contacts"] == []
    with Library.open(path) as lib:
        assert len(directory.contacts(lib)) == 3


def test_remapping_a_column(empty_library: Library) -> None:
    parsed = read_contact_file(SAMPLES / "excel_fr.csv")
    assert parsed.csv is not None and parsed.delimiter == ";"
    mapping = dict(parsed.csv.mapping)
    mapping["title"], mapping["notes"] = None, parsed.csv.headers.index("Titre")
    report = plan_import(empty_library, parsed.remapped(mapping))
    assert report.contacts[0].title == "" and report.contacts[0].notes == "Professeure titulaire"


def _org(name: str) -> object:
    from visitplanner.model import Organization

    return Organization(name=name)


# -- fuzzing: no exception escapes, and a rejected file changes nothing --------------------

_CSV_PIECES = st.sampled_from(
    [
        "First Name",
        "Last Name",
        "Prénom",
        "Nom",
        "Courriel",
        "E-mail 1 - Value",
        " ::: ",
        ",",
        ";",
        "\t",
        '"',
        "\r\n",
        "\n",
        "Côté",
        "a@example.com",
        "514 555-0142 poste 3",
        "",
        "\x00",
        "=SUM(A1)",
    ]
)
_VCARD_PIECES = st.sampled_from(
    [
        "BEGIN:VCARD\r\n",
        "VERSION:2.1\r\n",
        "VERSION:3.0\r\n",
        "VERSION:4.0\r\n",
        "N:Côté;Ève;;;\r\n",
        "FN:Ève Côté\r\n",
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:C=C3=B4t=C3=A9;=\r\n",
        "ORG:Étoile;R&D\r\n",
        "item1.ADR;type=WORK:;;1 Main;Boston;MA;02110;USA\r\n",
        "TEL;CELL:514\r\n",
        "PHOTO;ENCODING=b:AAAA\r\n A\r\n",
        "EMAIL:x@\r\n",
        "X-ABShowAs:COMPANY\r\n",
        ";;;:::\r\n",
        "END:VCARD\r\n",
    ]
)


def _check_no_escape(lib: Library, data: bytes) -> None:
    before = dump(lib)
    try:
        parsed = parse_contact_bytes(data)
    except InputError:
        assert dump(lib) == before
        return
    report = plan_import(lib, parsed)
    assert dump(lib) == before  # a preview writes nothing
    apply_import(lib, report)
    # What the preview showed is what was written, nothing more, and the file is sound.
    people = [w for w in report.writes if not w.is_organization]
    written = [(c.given_name, c.family_name, c.email) for c in directory.contacts(lib).values()]
    assert sorted(written) == sorted((r.given_name, r.family_name, r.email) for r in people)
    orgs = {o.name for o in directory.organizations(lib).values()}
    assert orgs == {w.organization for w in report.writes if w.new_organization}
    assert report.imported == len(report.contacts)
    assert lib.integrity_ok()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CSV_PIECES, max_size=40), st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
@example(["First Name", ",", "Last Name", "\r\n", "Côté", ",", "Nom", "\r\n"], "cp1252")
def test_fuzz_csv(pieces: list[str], encoding: str) -> None:
    lib = Library.in_memory()
    _check_no_escape(lib, "".join(pieces).encode(encoding, errors="replace"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_VCARD_PIECES, max_size=30))
@example(["BEGIN:VCARD\r\n", "VERSION:3.0\r\n", "N:Côté;Ève;;;\r\n", "END:VCARD\r\n"] * 2)
def test_fuzz_vcard(pieces: list[str]) -> None:
    lib = Library.in_memory()
    _check_no_escape(lib, "".join(pieces).encode("utf-8"))


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]),
    st.binary(max_size=400),
)
def test_fuzz_bytes(bom: bytes, data: bytes) -> None:
    lib = Library.in_memory()
    _check_no_escape(lib, bom + data)


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-8-sig"])
def test_unicode_files_with_a_bom(codec: str) -> None:
    text = "First Name,Last Name\r\nÉlise,Côté\r\n"
    parsed = parse_contact_bytes(text.encode(codec))
    assert [(r.given_name, r.family_name) for r in parsed.records] == [("Élise", "Côté")]


def contacts_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Contacts"
    sheet["A1"] = "Liste des contacts - mission 2023"
    sheet.merge_cells("A1:E1")
    sheet.append(["Prénom", "Nom", "Courriel", "Société", "Téléphone"])
    sheet.append(["Élodie", "Fournier", "efournier@example.com", "Néobio inc.", 5145550190])
    sheet.append([])
    sheet.append(["Kwame", "Mensah", "kmensah@example.com", "Harbor Assay", "617-555-0144"])
    sheet.append([None, None, "nobody@example.com", None, None])
    book.save(path)
    return path


def test_xlsx_contacts(empty_library: Library, tmp_path: Path) -> None:
    path = contacts_workbook(tmp_path / "contacts.xlsx")
    report = import_contacts(empty_library, path)
    assert (report.format, report.encoding) == ("xlsx", "xlsx")
    # the row of an email only comes in under it, said on Excel's row number
    assert names(report) == ["Élodie Fournier", "Kwame Mensah", "nobody@example.com"]
    assert report.contacts[0].phone == "+1 514-555-0190"  # a number cell, not "5145550190.0"
    assert report.contacts[0].organization == "Néobio inc."
    assert not report.rejected
    assert [w.line for w in report.warnings] == [6]  # blank rows are not worth a remark
    assert "has no name: it is imported under “nobody@example.com”" in report.warnings[0].reason
    assert len(directory.contacts(empty_library)) == 3


def test_xlsx_in_the_import_preview(
    qtbot: object, demo_path: Path, tmp_path: Path, sync_tasks: None
) -> None:
    from ui.directory.contact_import import CONTACT_FILTER, ContactImportDialog
    from ui.shell.app import make_application
    from ui.shell.main_window import MainWindow

    assert "*.xlsx" in CONTACT_FILTER
    make_application()
    window = MainWindow(Library.open(demo_path))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    dialog = ContactImportDialog(window.context, contacts_workbook(tmp_path / "contacts.xlsx"))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert "Excel workbook (.xlsx)" in dialog.detected.text()
    assert "Delimiter" not in dialog.detected.text()
    assert dialog.import_button.isEnabled() and "3" in dialog.import_button.text()


# -- contact files as people really have them ------------------------------------------------


def test_linkedin_connections_with_notes_above_the_header(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "linkedin_connections.csv", dry_run=True)
    assert report.format == "linkedin_csv" and report.rejected == []
    assert names(report) == ["Mélanie Dufresne", "Tomás Ibarra", "Priya Raman"]
    melanie, tomas = report.contacts[0], report.contacts[1]
    assert melanie.title == "Directrice, développement des affaires"  # "Position"
    assert "linkedin.com/in/melanie-dufresne-example" in melanie.notes
    assert tomas.email == "tibarra@example.com" and tomas.organization == "Harbor Assay Labs"
    assert [c.line for c in report.contacts] == [5, 6, 7]


@pytest.mark.parametrize("name", ["outlook_full.csv", "outlook_fr.csv"])
def test_outlook_full_exports_english_and_french(empty_library: Library, name: str) -> None:
    report = import_contacts(empty_library, SAMPLES / name)
    assert (report.format, report.encoding) == ("outlook_csv", "cp1252")
    first = report.contacts[0]
    if name == "outlook_full.csv":
        assert names(report) == ["Hélène Saint-Pierre", "George Whitfield"]
        assert first.title == "Conseillère principale"  # "Job Title", not "Title" (Mme)
        assert first.phone == "+1 514-555-0123 ext. 12" and first.mobile == "+1 514-555-0188"
        assert "helene@example.org" in first.notes and "BIO 2022" in first.notes
    else:
        assert names(report) == ["François Bélanger", "Anne-Sophie Lemaître"]
        assert first.title == "Directeur scientifique"  # "Fonction", not "Titre" (M.)
        assert first.email == "fbelanger@example.com" and first.mobile == "+1 418-555-0161"
        assert first.organization == "Pharmalab (fictif)"
    assert first.address is not None and first.address.city in ("Montréal", "Québec")


@pytest.mark.parametrize("name", ["hubspot.csv", "salesforce.csv"])
def test_crm_exports(empty_library: Library, name: str) -> None:
    report = import_contacts(empty_library, SAMPLES / name, dry_run=True)
    assert report.rejected == [] and report.contacts
    first = report.contacts[0]
    assert first.organization and first.email.endswith("@example.com")
    assert first.phone.startswith("+1 617-555-01") and first.title
    if name == "hubspot.csv":
        assert report.contacts[1].mobile == "+1 617-555-0102"
    else:
        assert first.address is not None and first.address.postal_code == "02210"


def test_apple_multi_card_labels_and_photo(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "apple_multi.vcf", dry_run=True)
    assert names(report) == ["Isabelle Gauthier", "Peter Ward"]
    isabelle, peter = report.contacts
    assert isabelle.mobile == "+1 514-555-0131" and isabelle.phone == "+1 514-555-0130"
    assert peter.mobile == "+1 617-555-0119"  # X-ABLabel:iPhone
    assert peter.phone == "+1 617-555-0118"  # the "Lab" number
    assert isabelle.title == "Vice-présidente"


def test_android_quoted_printable_soft_line_breaks(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "android21_softbreaks.vcf", dry_run=True)
    (person,) = report.contacts
    assert (person.given_name, person.family_name) == ("Frédéric", "Côté")
    assert person.organization == "Thérapeutiques Saint-Laurent (fictives)"
    assert person.notes == "Rencontré au congrès; préfère le français\n2e ligne"
    assert person.mobile == "+1 514-555-0177"


def test_gmail_vcard_export(empty_library: Library) -> None:
    report = import_contacts(empty_library, SAMPLES / "gmail.vcf", dry_run=True)
    (person,) = report.contacts
    assert person.email == "abello@example.com" and "aisha.bello@example.net" in person.notes
    assert person.mobile == "+1 617-555-0166" and person.organization == "Harbor Assay Labs"

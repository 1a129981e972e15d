"""The columns of contact files people really have: each header family maps to the fields,
unused columns are reported once, --map fills the rest. Checked through the command line's
--dry-run --json (what a script sees) and its text output (what a person sees)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helper import run
from visitplanner.exchange.contact_columns import column_of

UNUSED = "The column “{}” is not used: its values are not imported."

THUNDERBIRD = [
    "First Name",
    "Last Name",
    "Display Name",
    "Nickname",
    "Primary Email",
    "Secondary Email",
    "Screen Name",
    "Work Phone",
    "Home Phone",
    "Fax Number",
    "Pager Number",
    "Mobile Number",
    "Home Address",
    "Home Address 2",
    "Home City",
    "Home State",
    "Home ZipCode",
    "Home Country",
    "Work Address",
    "Work Address 2",
    "Work City",
    "Work State",
    "Work ZipCode",
    "Work Country",
    "Job Title",
    "Department",
    "Organization",
    "Web Page 1",
    "Web Page 2",
    "Birth Year",
    "Birth Month",
    "Birth Day",
    "Custom 1",
    "Custom 2",
    "Custom 3",
    "Custom 4",
    "Notes",
]


def _csv(headers: list[str], *rows: dict[str, str], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue()


def _library(tmp_path: Path) -> str:
    """An empty library file (the command line opens an existing one)."""
    from visitplanner.library import Library

    path = tmp_path / "lib.visitplanner"
    if not path.exists():
        Library.open(path, create=True).close()
    return str(path)


def _dry_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, *options: str
) -> dict[str, Any]:
    source = tmp_path / "contacts.csv"
    source.write_text(text, encoding="utf-8")
    db = _library(tmp_path)
    code, out, err = run(
        capsys, "import", "contacts", str(source), "--db", db, "--dry-run", "--json", *options
    )
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def _only(result: dict[str, Any]) -> dict[str, Any]:
    assert len(result["contacts"]) == 1, result["contacts"]
    entry: dict[str, Any] = result["contacts"][0]
    return entry


FAMILIES: dict[str, tuple[str, dict[str, str]]] = {
    "thunderbird": (
        _csv(
            THUNDERBIRD,
            {
                "First Name": "Lucie",
                "Last Name": "Fortin",
                "Display Name": "Lucie Fortin",
                "Primary Email": "lucie.fortin@example.com",
                "Secondary Email": "lucie@example.org",
                "Work Phone": "514 555 0150",
                "Home Phone": "514 555 0151",
                "Mobile Number": "514 555 0152",
                "Work Address": "100 rue Peel",
                "Work Address 2": "Bureau 300",
                "Work City": "Montréal",
                "Work State": "QC",
                "Work ZipCode": "H3C 0A1",
                "Work Country": "Canada",
                "Job Title": "Chercheuse",
                "Organization": "Neurogène Est (fictif)",
                "Web Page 1": "https://neurogene.example.com",
            },
        ),
        {
            "given_name": "Lucie",
            "email": "lucie.fortin@example.com",
            "phone": "+1 514-555-0150",
            "mobile": "+1 514-555-0152",
            "title": "Chercheuse",
            "organization": "Neurogène Est (fictif)",
            "website": "https://neurogene.example.com",
            "notes": "Also: lucie@example.org, 514 555 0151",
        },
    ),
    "thunderbird_uk": (
        "First Name,Last Name,Primary Email,Work Phone,Mobile Number,Work Address,"
        "Work County,Work Post Code,Organisation,Job Title\r\n"
        "Rory,Pond,rory.pond@example.co.uk,+44 20 7946 0018,+44 7700 900123,1 Tardis Way,"
        "Greater London,SW1A 1AA,Leadworth Bio (fictional),Nurse\r\n",
        {
            "email": "rory.pond@example.co.uk",
            "phone": "+44 20 7946 0018",
            "mobile": "+44 7700 900123",
            "organization": "Leadworth Bio (fictional)",
            "title": "Nurse",
        },
    ),
    "french_address_book": (  # French headers of mail programs (not a verified layout)
        "Prénom,Nom de famille,Adresse électronique principale,Adresse électronique secondaire,"
        "Tél. professionnel,Tél. personnel,Portable,Profession,Société,Site Web 1\r\n"
        "Noémie,Gagné,noemie.gagne@example.com,ngagne@example.org,418 555 0160,418 555 0161,"
        "418 555 0162,Pharmacienne,Pharma Nordique (fictive),https://pharma.example.com\r\n",
        {
            "given_name": "Noémie",
            "family_name": "Gagné",
            "email": "noemie.gagne@example.com",
            "phone": "+1 418-555-0160",
            "mobile": "+1 418-555-0162",
            "title": "Pharmacienne",
            "organization": "Pharma Nordique (fictive)",
            "notes": "Also: ngagne@example.org, 418 555 0161",
        },
    ),
    "google": (
        "First Name,Last Name,Organization Name,Organization Title,E-mail 1 - Label,"
        "E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,"
        "Phone 2 - Label,Phone 2 - Value,Phone 3 - Label,Phone 3 - Value,Website 1 - Label,"
        "Website 1 - Value\r\n"
        "Maya,Ortiz,Helix Labs (fictional),CSO,Home,maya@example.org,* Work,"
        "maya.ortiz@example.com,Mobile,617 555 0170,Work,617 555 0171,Work Fax,617 555 0172,"
        "Work,https://helix.example.com\r\n",
        {
            "email": "maya.ortiz@example.com",
            "phone": "+1 617-555-0171",
            "mobile": "+1 617-555-0170",
            "title": "CSO",
            "organization": "Helix Labs (fictional)",
            "website": "https://helix.example.com",
            "notes": "Also: 617 555 0172, maya@example.org",
        },
    ),
    "google_older": (
        "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,"
        "Phone 1 - Value,Organization 1 - Name,Organization 1 - Title\r\n"
        "Omar Haddad,Omar,Haddad,* Work,omar@example.com,Mobile,617 555 0180,"
        "Cortex Bio (fictional),CEO\r\n",
        {
            "email": "omar@example.com",
            "mobile": "+1 617-555-0180",
            "organization": "Cortex Bio (fictional)",
            "title": "CEO",
        },
    ),
    "outlook": (
        "Title,First Name,Last Name,Company,Job Title,Business Phone,Home Phone,Mobile Phone,"
        "E-mail Address,E-mail 2 Address,Web Page\r\n"
        "Ms.,Ruth,Keller,Atrium Devices (fictional),Director,617 555 0190,617 555 0191,"
        "617 555 0192,ruth.keller@example.com,ruth@example.org,https://atrium.example.com\r\n",
        {
            "email": "ruth.keller@example.com",
            "phone": "+1 617-555-0190",
            "mobile": "+1 617-555-0192",
            "title": "Director",
            "organization": "Atrium Devices (fictional)",
            "notes": "Also: ruth@example.org, 617 555 0191",
        },
    ),
    "outlook_french": (
        "Titre,Prénom,Nom,Société,Fonction,Téléphone (bureau),Tél. mobile,"
        "Adresse de messagerie,Page Web\r\n"
        "Mme,Élodie,Roy,Biolab Laval (fictive),Directrice,450 555 0110,450 555 0111,"
        "elodie.roy@example.com,https://biolab.example.com\r\n",
        {
            "email": "elodie.roy@example.com",
            "phone": "+1 450-555-0110",
            "mobile": "+1 450-555-0111",
            "title": "Directrice",
            "organization": "Biolab Laval (fictive)",
        },
    ),
    "apple_export": (
        "First name,Last name,Organization,Job title,Email (home),Email (work),Phone (work),"
        "Phone (mobile),Phone (home fax),Website\r\n"
        "Iris,Nakamura,Lumen Therapeutics (fictional),Scientist,iris@example.org,"
        "iris.nakamura@example.com,858 555 0120,858 555 0121,858 555 0122,"
        "https://lumen.example.com\r\n",
        {
            "email": "iris.nakamura@example.com",
            "phone": "+1 858-555-0120",
            "mobile": "+1 858-555-0121",
            "organization": "Lumen Therapeutics (fictional)",
            "website": "https://lumen.example.com",
            "notes": "Also: iris@example.org, 858 555 0122",  # the fax kept too
        },
    ),
    "hubspot": (
        "Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name,"
        "Job Title,Website URL\r\n"
        "101,Paul,Moreau,paul.moreau@example.com,312 555 0130,312 555 0131,"
        "Vireo Health (fictional),COO,https://vireo.example.com\r\n",
        {
            "email": "paul.moreau@example.com",
            "phone": "+1 312-555-0130",
            "mobile": "+1 312-555-0131",
            "organization": "Vireo Health (fictional)",
            "title": "COO",
            "website": "https://vireo.example.com",
        },
    ),
    "salesforce": (
        "First Name,Last Name,Title,Account Name,Email,Phone,Mobile,Mailing Street,"
        "Mailing City\r\n"
        "Nadia,Bauer,VP Research,Quanta Cell (fictional),nadia.bauer@example.com,"
        "617 555 0140,617 555 0141,1 Main St,Boston\r\n",
        {
            "email": "nadia.bauer@example.com",
            "phone": "+1 617-555-0140",
            "mobile": "+1 617-555-0141",
            "title": "VP Research",
            "organization": "Quanta Cell (fictional)",
        },
    ),
    "zoho": (
        "Contact Owner,First Name,Last Name,Account Name,Email,Secondary Email,Title,Phone,"
        "Mobile\r\n"
        "A. Admin,Karim,Benali,Nova Assay (fictional),karim.benali@example.com,"
        "karim@example.org,Buyer,617 555 0145,617 555 0146\r\n",
        {
            "email": "karim.benali@example.com",
            "phone": "+1 617-555-0145",
            "mobile": "+1 617-555-0146",
            "title": "Buyer",
            "organization": "Nova Assay (fictional)",
            "notes": "Also: karim@example.org",
        },
    ),
    "linkedin": (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "Sofia,Lindqvist,https://www.linkedin.com/in/example-sofia,sofia@example.com,"
        "Boreal Genomics (fictional),Head of BD,12 Mar 2024\r\n",
        {
            "email": "sofia@example.com",
            "title": "Head of BD",
            "organization": "Boreal Genomics (fictional)",
            "notes": "Also: https://www.linkedin.com/in/example-sofia",
        },
    ),
    "email_home_work_other": (
        "Name,Business,Email Home,Email Work,Email Other\r\n"
        "Tom Reyes,Kinetic Bio (fictional),tom@example.org,tom.reyes@example.com,"
        "treyes@example.net\r\n",
        {
            "given_name": "Tom",
            "family_name": "Reyes",
            "organization": "Kinetic Bio (fictional)",
            "email": "tom.reyes@example.com",
            "notes": "Also: tom@example.org, treyes@example.net",
        },
    ),
    "contact_email": (
        "Contact Name,Contact Email,Business\r\n"
        "Ana Lopes,ana.lopes@example.com,Marine Peptides (fictional)\r\n",
        {
            "given_name": "Ana",
            "email": "ana.lopes@example.com",
            "organization": "Marine Peptides (fictional)",
        },
    ),
    "french_crm": (
        "Prénom;Nom;Entreprise;Titre;Courriel;Cellulaire;Téléphone (travail)\r\n"
        "Chloé;Bouchard;Génome Québec (fictif);Analyste;chloe@example.com;514 555 0101;"
        "514 555 0102\r\n",
        {
            "email": "chloe@example.com",
            "phone": "+1 514-555-0102",
            "mobile": "+1 514-555-0101",
            "title": "Analyste",
            "organization": "Génome Québec (fictif)",
        },
    ),
    "french_poste_societe": (
        "Prénom;Nom;Société;Poste;Courriel (domicile);Courriel (travail);Téléphone;Site Web\r\n"
        "Luc;Paquette;Bioxcel Nord (fictif);Chef de projet;luc@example.org;"
        "luc.paquette@example.com;819 555 0103;https://bioxcel.example.com\r\n",
        {
            "email": "luc.paquette@example.com",
            "phone": "+1 819-555-0103",
            "title": "Chef de projet",
            "organization": "Bioxcel Nord (fictif)",
            "website": "https://bioxcel.example.com",
            "notes": "Also: luc@example.org",
        },
    ),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_header_family_maps(
    family: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text, expected = FAMILIES[family]
    entry = _only(_dry_run(capsys, tmp_path, text))
    assert entry["is_organization"] is False
    assert {name: entry[name] for name in expected} == expected


def test_headers_match_like_the_meeting_import() -> None:
    # case, accents, punctuation and the words that only say whose value it is
    assert column_of("E-MAIL ADDRESS") == column_of("e-mail address") == ("email", 1)
    assert column_of("Téléphone (travail)") == column_of("TELEPHONE TRAVAIL") == ("phone", 0)
    assert column_of("Courriel") == column_of("courriel") == ("email", 1)
    assert column_of("Email Home") == ("email", 3) and column_of("Email Other") == ("email", 4)
    assert column_of("Work Address2") == ("street", 4)  # Thunderbird's old spelling
    assert column_of("Birth Year") is None and column_of("E-mail 1 - Label") is None


def test_thunderbird_secondary_email_used_when_primary_is_empty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = _csv(
        THUNDERBIRD,
        {"First Name": "Jeanne", "Last Name": "Dion", "Secondary Email": "jdion@example.com"},
        {
            "First Name": "Marc",
            "Last Name": "Dion",
            "Primary Email": "marc@example.com",
            "Home Phone": "514 555 0105",
        },
    )
    result = _dry_run(capsys, tmp_path, text)
    jeanne, marc = result["contacts"]
    assert jeanne["email"] == "jdion@example.com" and jeanne["notes"] == ""
    assert marc["phone"] == "+1 514-555-0105"  # a home phone when there is no work one


def test_unused_columns_are_reported_once_and_empty_ones_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = [
        {"First Name": f"P{i}", "Last Name": "Roy", "Birth Year": "1980", "Department": "R&D"}
        for i in range(3)
    ]
    source = tmp_path / "thunderbird.csv"
    source.write_text(_csv(THUNDERBIRD, *rows), encoding="utf-8")
    code, out, _err = run(
        capsys, "import", "contacts", str(source), "--db", _library(tmp_path), "--dry-run"
    )
    assert code == 0
    assert out.count(UNUSED.format("Birth Year")) == 1
    assert out.count(UNUSED.format("Department")) == 1
    assert "Custom 1" not in out and "Nickname" not in out  # empty: nothing is lost
    assert "3 contacts would be imported." in out
    result = _dry_run(capsys, tmp_path, _csv(THUNDERBIRD, *rows))
    reasons = [w["reason"] for w in result["warnings"]]
    assert sorted(reasons) == sorted([UNUSED.format("Department"), UNUSED.format("Birth Year")])
    assert {w["line"] for w in result["warnings"]} == {1}


CUSTOM = (
    "First Name,Last Name,Cell No.,Employer Name,Title,Code\r\n"
    "Zoé,Morin,514 555 0106,Cellulix (fictif),Dr.,H2X 1Y4\r\n"
)


def test_map_fills_the_columns_no_header_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _dry_run(capsys, tmp_path, CUSTOM)
    assert _only(before)["mobile"] == "" and _only(before)["organization"] == ""
    assert UNUSED.format("Cell No.") in [w["reason"] for w in before["warnings"]]
    after = _dry_run(
        capsys,
        tmp_path,
        CUSTOM,
        "--map",
        "mobile=Cell No.",
        "--map",
        "organization=employer name",  # headers compared like the detected ones
        "--map",
        "title=",  # "Dr." is not a job title
        "--map",
        "Postal code=Code",  # a field's label works too
    )
    entry = _only(after)
    assert entry["mobile"] == "+1 514-555-0106" and entry["organization"] == "Cellulix (fictif)"
    assert entry["title"] == "" and entry["address"]["postal_code"] == "H2X 1Y4"
    reasons = [w["reason"] for w in after["warnings"]]
    assert UNUSED.format("Title") in reasons and UNUSED.format("Cell No.") not in reasons


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("colour=Cell No.", "Unknown field “colour” in --map: use one of given_name,"),
        ("mobile=Fax", "The file has no column “Fax” (--map mobile=…); its columns are:"),
        ("mobile", "--map takes FIELD=HEADER"),
    ],
)
def test_map_errors_say_what_is_wrong_and_change_nothing(
    option: str, message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "c.csv"
    source.write_text(CUSTOM, encoding="utf-8")
    db = Path(_library(tmp_path))
    assert run(capsys, "import", "contacts", str(source), "--db", str(db))[0] == 0
    before = db.read_bytes()
    code, out, err = run(
        capsys, "import", "contacts", str(source), "--db", str(db), "--map", option
    )
    assert code == 2 and message in err and "Traceback" not in err
    assert err.count("\n") == 1 and out == ""
    assert db.read_bytes() == before


def test_map_on_a_vcard_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "c.vcf"
    source.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roy;Léa;;;\r\nFN:Léa Roy\r\nEND:VCARD\r\n")
    code, _out, err = run(
        capsys, "import", "contacts", str(source), "--db", _library(tmp_path), "--map", "x=y"
    )
    assert code == 2 and "--map applies to CSV and spreadsheet files" in err


# -- the dry run is the import ------------------------------------------------------------

COMPANY_CARD_WITH_PERSON = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lavoie;Sarah;;;\r\nFN:Helio Diagnostics\r\n"
    "ORG:Helio Diagnostics (fictional);\r\nTITLE:Partnerships\r\n"
    "EMAIL;TYPE=WORK:info@helio.example.com\r\nTEL;TYPE=WORK:617 555 0160\r\n"
    "TEL;TYPE=CELL:617 555 0161\r\nURL:https://helio.example.com\r\n"
    "item1.ADR;TYPE=WORK:;;1 Kendall Sq;Cambridge;MA;02139;USA\r\n"
    "X-ABShowAs:COMPANY\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Chen;Wei;;;\r\nFN:Wei Chen\r\n"
    "ORG:Helio Diagnostics (fictional);\r\nEMAIL:wei.chen@example.com\r\n"
    "URL:https://wei.example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Orbit Assay\r\nORG:Orbit Assay (fictional)\r\n"
    "TEL:617 555 0162\r\nX-ABShowAs:COMPANY\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roy;Léa;;;\r\nFN:Léa Roy\r\nORG:Ventis (fictive)\r\n"
    "TEL;TYPE=CELL:514 555 0163\r\nURL:https://ventis.example.com\r\n"
    "ADR;TYPE=WORK:;;10 rue Peel;Montréal;QC;H3C 0A1;Canada\r\nEND:VCARD\r\n"
)


def _library_as_plan(path: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(people, organizations) of a library, in the terms of the dry run's JSON."""
    from visitplanner.library import Library, directory

    with Library.open(path) as lib:
        orgs = directory.organizations(lib)
        places = directory.places(lib)
        people = [
            {
                "given_name": c.given_name,
                "family_name": c.family_name,
                "title": c.title,
                "organization": orgs[c.organization_id].name if c.organization_id else "",
                "email": c.email,
                "phone": c.phone,
                "mobile": c.mobile,
                "language": c.language,
                "notes": c.notes,
            }
            for c in directory.contacts(lib).values()
        ]
        organizations = []
        for org in orgs.values():
            place = places.get(org.place_id or -1)
            organizations.append(
                {
                    "organization": org.name,
                    "email": org.email,
                    "phone": org.phone,
                    "website": org.website,
                    "notes": org.notes,
                    "address": None
                    if place is None
                    else {
                        k: getattr(place, k)
                        for k in ("street", "city", "region", "postal_code", "country")
                    },
                }
            )
    return people, organizations


def _plan_as_library(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Any]]:
    people = [
        {k: e[k] for k in ("given_name", "family_name", "title", "organization", "email")}
        | {k: e[k] for k in ("phone", "mobile", "language", "notes")}
        for e in entries
        if not e["is_organization"]
    ]
    organizations = [
        {
            "organization": e["organization"],
            "email": e["email"] if e["is_organization"] else "",
            "phone": e["phone"] if e["is_organization"] else "",
            "website": e["website"],
            "notes": e["notes"] if e["is_organization"] else "",
            "address": e["address"],
        }
        for e in entries
        if e["new_organization"]
    ]
    return people, organizations


def _sorted(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


@pytest.mark.parametrize("kind", ["vcf", "csv"])
def test_dry_run_json_is_exactly_what_the_import_writes(
    kind: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / f"contacts.{kind}"
    if kind == "vcf":
        source.write_text(COMPANY_CARD_WITH_PERSON, encoding="utf-8")
    else:
        source.write_text(FAMILIES["thunderbird"][0], encoding="utf-8")
    db = _library(tmp_path)
    args = ["import", "contacts", str(source), "--db", db, "--json"]
    code, out, _err = run(capsys, *args, "--dry-run")
    assert code == 0
    dry = json.loads(out)
    assert _library_as_plan(db) == ([], [])  # the dry run wrote nothing
    code, out, _err = run(capsys, *args)
    assert code == 0 and json.loads(out)["contacts"] == dry["contacts"]
    people, organizations = _library_as_plan(db)
    planned_people, planned_organizations = _plan_as_library(dry["contacts"])
    assert _sorted(people) == _sorted(planned_people)
    assert _sorted(organizations) == _sorted(planned_organizations)


def test_a_company_card_naming_a_person_adds_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "apple.vcf"
    source.write_text(COMPANY_CARD_WITH_PERSON, encoding="utf-8")
    db = _library(tmp_path)
    code, out, _err = run(capsys, "import", "contacts", str(source), "--db", db, "--dry-run")
    assert code == 0
    assert "3 contacts would be imported." in out  # Sarah, Wei, Léa: not the two companies
    assert "3 new organizations would be added." in out
    code, out, _err = run(
        capsys, "import", "contacts", str(source), "--db", db, "--dry-run", "--json"
    )
    entries = json.loads(out)["contacts"]
    helio, sarah = entries[0], entries[1]
    assert helio["line"] == sarah["line"] == 1
    assert (helio["is_organization"], helio["new_organization"]) == (True, True)
    assert helio["phone"] == "+1 617-555-0160" and helio["email"] == "info@helio.example.com"
    assert helio["website"] == "https://helio.example.com"
    assert helio["address"]["city"] == "Cambridge"
    assert (sarah["is_organization"], sarah["given_name"], sarah["family_name"]) == (
        False,
        "Sarah",
        "Lavoie",
    )
    assert sarah["mobile"] == "+1 617-555-0161" and sarah["title"] == "Partnerships"
    assert sarah["organization"] == "Helio Diagnostics (fictional)"
    wei = entries[2]
    # Wei's organization is made by the card before: his own page is kept in his notes
    assert wei["new_organization"] is False and wei["website"] == ""
    assert wei["notes"] == "Also: https://wei.example.org"
    lea = entries[4]
    assert lea["new_organization"] is True and lea["website"] == "https://ventis.example.com"
    code, out, _err = run(capsys, "import", "contacts", str(source), "--db", db)
    assert "3 contacts imported." in out and "3 new organizations added." in out


def test_import_preview_shows_the_person_of_a_company_card_and_unused_columns(
    qtbot: Any, window: Any, sync_tasks: None, tmp_path: Path
) -> None:
    from ui.directory.contact_import import ContactImportDialog

    card = tmp_path / "apple.vcf"
    card.write_text(COMPANY_CARD_WITH_PERSON, encoding="utf-8")
    dialog = ContactImportDialog(window.context, card)
    qtbot.addWidget(dialog)
    results = [dialog.rows_table.item(r, 5).text() for r in range(dialog.rows_table.rowCount())]
    assert "Will be added as an organization, with Sarah Lavoie" in results
    assert "Will be added as an organization" in results  # Orbit Assay names nobody
    sheet = tmp_path / "custom.csv"
    sheet.write_text(CUSTOM, encoding="utf-8")
    dialog = ContactImportDialog(window.context, sheet)
    qtbot.addWidget(dialog)

    def results_text() -> str:
        table = dialog.rows_table
        return " | ".join(table.item(r, 5).text() for r in range(table.rowCount()))

    assert UNUSED.format("Cell No.") in results_text()
    column = next(
        r
        for r in range(dialog.mapping_table.rowCount())
        if dialog.mapping_table.item(r, 0).text() == "Cell No."
    )
    combo = dialog.combo(column)
    combo.setCurrentIndex(combo.findData("mobile"))
    assert UNUSED.format("Cell No.") not in results_text()
    assert dialog.report is not None and dialog.report.writes[0].mobile == "+1 514-555-0106"

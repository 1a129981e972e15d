"""Each rule lives once in the core and every door (dialog, import, command line) agrees on it.

Folding and name matching (visitplanner.names), emails and phones
(visitplanner.exchange.phones), the availability grammar (visitplanner.availability).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helper import run

from visitplanner.library import Library, directory
from visitplanner.names import fold, name_key, same_name, strip_accents

# -- folding and names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Université   de Montréal ", "universite de montreal"),
        ("Harbor Assay, Inc.", "harbor assay inc"),
        ("HARBOR-ASSAY INC", "harbor assay inc"),
        ("Biotech Étoile S.A.", "biotech etoile sa"),
        ("O’Brien & Fils", "obrien fils"),
        ("O'Brien", "obrien"),
        ("Cœur de Lion", "coeur de lion"),
        ("Straße", "strasse"),
        ("snake_case\tand\nlines", "snake case and lines"),
        ("", ""),
        ("—", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_strip_accents_keeps_case() -> None:
    assert strip_accents("Émilie Côté") == "Emilie Cote"


@pytest.mark.parametrize(
    "variant",
    [
        "Harbor Assay Inc",
        "Harbor Assay, Inc.",
        "HARBOR ASSAY INC.",
        "Harbor Assay",
        "Harbor Assay Incorporated",
        "Harbor Assay Ltd.",
        "Harbor Assay Ltée",
        "Harbor Assay LLC",
        "Harbor Assay Corp.",
        "Harbor Assay S.A.",
        "Harbor Assay Co., Ltd.",
        "harbor  assay,inc",
    ],
)
def test_legal_forms_do_not_make_another_organization(variant: str) -> None:
    assert name_key(variant) == "harbor assay"
    assert same_name(variant, "Harbor Assay Inc")


def test_names_that_differ_stay_apart() -> None:
    assert not same_name("Harbor Assay", "Harbor Assays")
    assert not same_name("Harbor Assay", "Assay Harbor")
    assert not same_name("", "")  # nothing is not a name
    assert name_key("Inc.") == "inc"  # a name that is only a legal form keeps it
    assert name_key("Incyte Bio") == "incyte bio"  # a suffix only counts as a whole word
    assert same_name("Émilie Côté", "emilie cote")


CONTACTS_CSV = (
    "First Name,Last Name,Organization Name,E-mail 1 - Value\n"
    "Mira,Solvang,Harbor Assay Inc,mira.solvang@harbor-assay.example\n"
)
MEETINGS_CSV = (
    "Title,Organization,Date,Start,Duration\n"
    'Assay review,"Harbor Assay, Inc.",2023-06-06,10:00,45\n'
    "Second visit,HARBOR ASSAY LTD,2023-06-07,10:00,45\n"
)


def _organizations(path: Path, key: str) -> list[str]:
    with Library.open(path) as lib:
        return [o.name for o in directory.organizations(lib).values() if name_key(o.name) == key]


def test_contact_import_then_meeting_import_make_one_organization(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(CONTACTS_CSV, encoding="utf-8")
    meetings = tmp_path / "meetings.csv"
    meetings.write_text(MEETINGS_CSV, encoding="utf-8")
    db = str(demo_path)
    code, _out, _err = run(capsys, "import", "contacts", str(contacts), "--db", db)
    assert code == 0
    assert _organizations(demo_path, "harbor assay") == ["Harbor Assay Inc"]
    code, out, _err = run(
        capsys, "import", "meetings", str(meetings), "--db", db, "--trip", "1", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["imported"] == 2 and report["rejected"] == []
    assert not any("new organization" in w for w in report["warnings"])
    assert _organizations(demo_path, "harbor assay") == ["Harbor Assay Inc"]
    with Library.open(demo_path) as lib:
        (org_id,) = [
            i for i, o in directory.organizations(lib).items() if name_key(o.name) == "harbor assay"
        ]
        rows = lib.query(
            "SELECT organization_id FROM meeting WHERE title IN ('Assay review', 'Second visit')"
        )
        assert [r["organization_id"] for r in rows] == [org_id, org_id]
    # The same company again, under another spelling: a duplicate, not a second company.
    again = tmp_path / "again.csv"
    again.write_text(
        'First Name,Last Name,Organization Name\nMira,Solvang,"HARBOR ASSAY, INC."\n',
        encoding="utf-8",
    )
    code, out, _err = run(capsys, "import", "contacts", str(again), "--db", db, "--json")
    assert code == 0 and json.loads(out)["duplicates"] == 1
    assert _organizations(demo_path, "harbor assay") == ["Harbor Assay Inc"]


def test_trip_file_merge_matches_organizations_by_name(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trip file from a colleague whose directory spells the company "Harbor Assay"
    merges into a library that has "Harbor Assay Inc": one organization, one contact."""
    from visitplanner.model import Contact, Organization

    colleague = tmp_path / "colleague.visitplanner"
    from visitplanner.demo import load_demo

    with Library.open(colleague, create=True) as lib:
        load_demo(lib)
        with lib.write():
            org_id = directory.add_organization(lib, Organization(name="Harbor Assay"))
            contact_id = directory.add_contact(
                lib, Contact(given_name="Mira", family_name="Solvang", organization_id=org_id)
            )
            lib.db.execute(
                "UPDATE meeting SET organization_id = ? WHERE id = "
                "(SELECT min(id) FROM meeting WHERE trip_id = 1)",
                (org_id,),
            )
            lib.db.execute(
                "INSERT INTO meeting_host (meeting_id, contact_id) "
                "SELECT min(id), ? FROM meeting WHERE trip_id = 1",
                (contact_id,),
            )
    with Library.open(demo_path) as lib, lib.write():
        org_id = directory.add_organization(lib, Organization(name="Harbor Assay Inc"))
        directory.add_contact(
            lib, Contact(given_name="MIRA", family_name="Solvang", organization_id=org_id)
        )
    trip_file = tmp_path / "trip.visitplanner"
    code, _out, err = run(
        capsys, "export", "trip", "--db", str(colleague), "--trip", "1", "--out", str(trip_file)
    )
    assert code == 0, err
    code, _out, err = run(capsys, "import", "trip", str(trip_file), "--db", str(demo_path))
    assert code == 0, err
    assert _organizations(demo_path, "harbor assay") == ["Harbor Assay Inc"]
    with Library.open(demo_path) as lib:
        people = [
            c for c in directory.contacts(lib).values() if name_key(c.full_name) == "mira solvang"
        ]
        assert len(people) == 1

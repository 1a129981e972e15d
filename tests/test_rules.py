"""Each rule lives once in the core and every door (dialog, import, command line) agrees on it.

Folding and name matching (visitplanner.names), emails and phones
(visitplanner.exchange.phones), the availability grammar (visitplanner.availability).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helper import run

from visitplanner.exchange.contact_import import ImportReport
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


# -- emails and phones -------------------------------------------------------------------

EMAILS = [
    ("ana.solvang+bio@harbor-assay.example", ""),
    ("zoë@université.ca", ""),  # internationalized (RFC 6531)
    ("  mailto:ana@example.com ", ""),
    ("ana at example", "“ana at example” is not a valid email address."),
    ("ana@localhost", "“ana@localhost” is not a valid email address."),
    ("ana..solvang@example.com", "“ana..solvang@example.com” is not a valid email address."),
    ("ana@printer.local", "“ana@printer.local” is not a valid email address."),
    ("ana@-example.com", "“ana@-example.com” is not a valid email address."),
    ("Ana <ana@example.com>", "“Ana <ana@example.com>” is not a valid email address."),
]
PHONES = [
    ("(514) 555-0142 poste 204", "+1 514-555-0142 ext. 204", ""),
    ("+33 1 42 68 53 00", "+33 1 42 68 53 00", ""),
    ("555-01", "555-01", "“555-01” is not a valid phone number."),
    ("call me", "call me", "“call me” is not a phone number."),
]


def test_email_check_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from visitplanner.exchange.phones import check_email

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the email check looked something up on the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert check_email("ana@harbor-assay.example").ok
    assert not check_email("ana@harbor-assay").ok


def _contact_file(tmp_path: Path, column: str, values: list[str]) -> Path:
    import csv

    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["First Name", "Last Name", column])
        for n, value in enumerate(values):
            writer.writerow([f"Person{n}", "Fictional", value])
    return path


def _cli_and_import(
    tmp_path: Path, path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[str, Library, ImportReport]:
    """What ``import contacts --dry-run`` prints for ``path``, and the import's own report
    (with the library it read, open)."""
    from visitplanner.exchange.contact_import import plan_import, read_contact_file

    db = tmp_path / "lib.visitplanner"
    Library.open(db, create=True).close()
    code, out, err = run(capsys, "import", "contacts", str(path), "--db", str(db), "--dry-run")
    assert code == 0, err
    lib = Library.open(db)
    return out, lib, plan_import(lib, read_contact_file(path))


def test_email_verdict_is_the_same_in_dialogs_import_and_cli(
    qtbot: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.directory.editors import ContactDialog
    from ui.schedule.delegates import DelegateDialog
    from visitplanner.model import Contact, Delegate

    path = _contact_file(tmp_path, "E-mail Address", [e for e, _ in EMAILS])
    out, empty_library, report = _cli_and_import(tmp_path, path, capsys)
    import_verdicts = {n.line: n.reason for n in report.warnings}
    for line, (email, problem) in enumerate(EMAILS, start=2):
        # the delegate dialog refuses it, saying why
        dialog = DelegateDialog(None, Delegate(1, "Ana Solvang"))
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        dialog.email.setText(email)
        dialog.accept()
        assert dialog.error_label.text() == problem
        assert dialog.result() == (0 if problem else 1)
        # the contact dialog flags it (and keeps it)
        contact = ContactDialog(None, empty_library, Contact(given_name="Ana"))
        qtbot.addWidget(contact)  # type: ignore[attr-defined]
        contact.email.setText(email)
        assert contact.email.toolTip() == problem
        # the contact import and the command line flag it on its line
        assert import_verdicts.get(line, "") == problem
        assert (f"line {line}: {problem}" in out) == bool(problem)
    empty_library.close()


def test_phone_verdict_is_the_same_in_dialogs_import_and_cli(
    qtbot: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.directory.editors import ContactDialog
    from ui.schedule.delegates import DelegateDialog
    from visitplanner.model import Contact, Delegate

    path = _contact_file(tmp_path, "Business Phone", [p for p, _, _ in PHONES])
    out, empty_library, report = _cli_and_import(tmp_path, path, capsys)
    import_verdicts = {n.line: n.reason for n in report.warnings}
    stored = {c.line: c.phone for c in report.contacts}
    for line, (phone, shown, problem) in enumerate(PHONES, start=2):
        dialog = DelegateDialog(None, Delegate(1, "Ana Solvang"))
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        dialog.phone.setText(phone)
        dialog.accept()
        assert dialog.error_label.text() == problem
        if not problem:
            assert dialog.value().phone == shown
        contact = ContactDialog(None, empty_library, Contact(given_name="Ana"))
        qtbot.addWidget(contact)  # type: ignore[attr-defined]
        contact.phone.setText(phone)
        assert contact.phone.toolTip() == problem
        assert import_verdicts.get(line, "") == problem
        assert stored[line] == shown
        assert (f"line {line}: {problem}" in out) == bool(problem)
    empty_library.close()


# -- the availability grammar ------------------------------------------------------------


def _trip() -> object:
    import datetime as dt

    from visitplanner.model import Trip

    return Trip("Boston", dt.date(2023, 6, 5), dt.date(2023, 6, 9))


def _read(text: str) -> str:
    from visitplanner.availability import format_availability, parse_availability

    return " | ".join(format_availability(parse_availability(text, _trip()).windows).split("\n"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        ("2023-06-06 09:00-12:00", "2023-06-06 09:00-12:00"),
        (
            "2023-06-06 9-12; 2023-06-07 14:00–17:00",
            "2023-06-06 09:00-12:00 | 2023-06-07 14:00-17:00",
        ),
        ("Mon 9-12, Tue after 14:00", "2023-06-05 09:00-12:00 | 2023-06-06 14:00-18:00"),
        ("Thursday before 11:30", "2023-06-08 08:30-11:30"),
        ("Wed morning\nFriday afternoon", "2023-06-07 08:30-12:00 | 2023-06-09 12:00-18:00"),
        ("June 6, 2023 2:30 PM - 4 PM", "2023-06-06 14:30-16:00"),
        ("Fri 9 - 11 am", "2023-06-09 09:00-11:00"),
        ("from 9 to 10:30 every day", None),
        ("every day 9-10", " | ".join(f"2023-06-0{d} 09:00-10:00" for d in range(5, 10))),
        ("2023-06-06", "2023-06-06"),
        ("June 7 all day", "2023-06-07"),
        ("2023-06-06 15:00-midnight", "2023-06-06 15:00-24:00"),
        ("2023-06-06 22:00-0:00", "2023-06-06 22:00-24:00"),
        ("2023-06-06 09:00 - 2023-06-07 12:00", "2023-06-06 09:00 - 2023-06-07 12:00"),
    ],
)
def test_availability_in_english(text: str, windows: str | None) -> None:
    from visitplanner.errors import InputError

    if windows is None:
        with pytest.raises(InputError, match="is not an availability"):
            _read(text)
    else:
        assert _read(text) == windows


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        ("lundi 9 h - 12 h, mardi après 14 h", "2023-06-05 09:00-12:00 | 2023-06-06 14:00-18:00"),
        ("lun. 9h-12h; mer. 14h30-17h", "2023-06-05 09:00-12:00 | 2023-06-07 14:30-17:00"),
        ("jeudi avant midi", "2023-06-08 08:30-12:00"),
        ("jeudi jusqu’à 11 h", "2023-06-08 08:30-11:00"),
        ("mercredi matin\nvendredi après-midi", "2023-06-07 08:30-12:00 | 2023-06-09 12:00-18:00"),
        ("mercredi à partir de 15 h", "2023-06-07 15:00-18:00"),
        ("le 6 juin de 9 h 30 à 12 h", "2023-06-06 09:30-12:00"),
        ("06/06/2023 9 h à 10 h", "2023-06-06 09:00-10:00"),
        ("7 juin toute la journée", "2023-06-07"),
        (
            "tous les jours de 9 h à 10 h",
            " | ".join(f"2023-06-0{d} 09:00-10:00" for d in range(5, 10)),
        ),
        ("6 juin 20 h à minuit", "2023-06-06 20:00-24:00"),
    ],
)
def test_availability_in_french(text: str, windows: str) -> None:
    assert _read(text) == windows


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tomorrow morning", "“tomorrow morning” is not an availability"),
        ("demain matin", "“demain matin” is not an availability"),
        ("Sat 9-12", "“Sat 9-12”: none of the trip's days falls on that day of the week."),
        (
            "2023-06-06 12:00-09:00",
            "The availability “2023-06-06 12:00-09:00” ends before it starts.",
        ),
        ("Fri after 18:30", "The availability “Fri after 18:30” ends before it starts."),
        ("2023-07-01 9-12", "The window lies outside the trip's days (2023-06-05 to 2023-06-09)."),
        ("2023-02-30 09:00-10:00", "“2023-02-30” is not a date"),
        ("30 février 9-12", "“30 février” is not a date"),
        ("Mon 9-25", "“25” is not a time"),
        ("every day 9-10; " * 11, "A meeting has 50 availability windows at most."),
    ],
)
def test_availability_errors_say_what_is_wrong(text: str, problem: str) -> None:
    from visitplanner.errors import InputError

    with pytest.raises(InputError) as error:
        _read(text)
    assert str(error.value).startswith(problem)


def test_written_availability_reads_back_the_same() -> None:
    import datetime as dt

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from visitplanner.availability import format_availability, parse_availability
    from visitplanner.model import Window

    trip = _trip()
    first = dt.datetime(2023, 6, 5)
    quarter = st.integers(min_value=0, max_value=5 * 24 * 4 - 1)

    @st.composite
    def windows(draw: st.DrawFn) -> Window:
        a = draw(quarter)
        b = draw(st.integers(min_value=a + 1, max_value=5 * 24 * 4))
        return Window(first + dt.timedelta(minutes=15 * a), first + dt.timedelta(minutes=15 * b))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(windows(), max_size=5))
    def round_trip(ws: list[Window]) -> None:
        assert parse_availability(format_availability(ws), trip).windows == ws  # type: ignore[arg-type]

    round_trip()


AVAILABILITY = [
    ("2023-06-06 9-12; 2023-06-07 14 h-17 h", ""),
    ("Mon 9-12, mardi après 14 h", ""),
    ("tomorrow morning", "“tomorrow morning” is not an availability"),
    ("Sat 9-12", "“Sat 9-12”: none of the trip's days falls on that day of the week."),
    ("2023-06-06 12:00-09:00", "The availability “2023-06-06 12:00-09:00” ends before it starts."),
    ("2023-07-01 9-12", "The window lies outside the trip's days"),
]


def test_availability_verdict_is_the_same_in_the_dialog_the_import_and_the_cli(
    qtbot: object, demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    from ui.schedule.meeting_dialog import MeetingDialog
    from visitplanner.availability import parse_availability
    from visitplanner.errors import InputError
    from visitplanner.exchange.meetings_csv import preview
    from visitplanner.library import trips

    path = tmp_path / "requests.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Title", "Availability"])
        for n, (text, _problem) in enumerate(AVAILABILITY):
            writer.writerow([f"Request {n}", text])
    with Library.open(demo_path) as lib:
        trip = trips.get_trip(lib, 1)
        assert trip.first_day.isoformat() == "2023-06-05" and trip.last_day.weekday() < 5
        result = preview(lib, path.read_bytes(), 1)
        imported = {row.line: row.meeting.windows for row in result.rows}
        rejected = {r.line: r.reason for r in result.rejected}
        meeting = trips.meetings(lib, 1)[0]
        for line, (text, problem) in enumerate(AVAILABILITY, start=2):
            dialog = MeetingDialog(None, lib, trip, meeting)
            qtbot.addWidget(dialog)  # type: ignore[attr-defined]
            dialog.windows.setPlainText(text)
            dialog.accept()
            assert dialog.error_label.text().startswith(problem)
            assert rejected.get(line, "").startswith(problem)
            if problem:
                assert dialog.result() == 0 and line not in imported
                with pytest.raises(InputError):
                    parse_availability(text, trip)
            else:
                assert dialog.error_label.text() == "" and dialog.result() == 1
                assert dialog.value().windows == imported[line]
                assert imported[line] == parse_availability(text, trip).windows
                assert len(imported[line]) == 2
    code, out, _err = run(
        capsys, "import", "meetings", str(path), "--db", str(demo_path), "--trip", "1", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["imported"] == 2
    cli_rejected = {r["line"]: r["reason"] for r in report["rejected"]}
    assert cli_rejected == rejected


def test_availability_errors_in_french() -> None:
    from visitplanner import i18n
    from visitplanner.errors import InputError

    i18n.set_language("fr")
    with pytest.raises(InputError) as error:
        _read("demain matin")
    assert str(error.value).startswith("«\xa0demain matin\xa0» n’est pas une disponibilité")
    with pytest.raises(InputError) as error:
        _read("samedi 9 h - 12 h")
    assert "aucun jour de la mission" in str(error.value)


def test_meeting_dialog_picks_an_organization_by_the_same_name_rule(
    qtbot: object, demo_path: Path
) -> None:
    from ui.schedule.meeting_dialog import MeetingDialog
    from visitplanner.library import trips
    from visitplanner.model import Organization

    with Library.open(demo_path) as lib:
        with lib.write():
            org_id = directory.add_organization(lib, Organization(name="Harbor Assay, Inc."))
        trip = trips.get_trip(lib, 1)
        dialog = MeetingDialog(None, lib, trip, trips.meetings(lib, 1)[0])
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        dialog.organization.setCurrentText("HARBOR ASSAY LTD")
        assert dialog.value().organization_id == org_id
        dialog.organization.setCurrentText("Harbor Assays")
        dialog.accept()
        assert dialog.error_label.text() == (
            "“Harbor Assays” is not one of the directory's organizations."
        )


def test_an_address_written_another_way_is_the_same_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lib.visitplanner"
    Library.open(db, create=True).close()
    first = _contact_file(tmp_path, "E-mail Address", ["mira.solvang@harbor-assay.example"])
    assert run(capsys, "import", "contacts", str(first), "--db", str(db))[0] == 0
    again = tmp_path / "again.csv"
    again.write_text(
        "First Name,Last Name,E-mail Address\nMira,S.,mailto:Mira.Solvang@Harbor-Assay.example\n",
        encoding="utf-8",
    )
    code, out, _err = run(capsys, "import", "contacts", str(again), "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["duplicates"] == 1

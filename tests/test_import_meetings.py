"""Importing meetings from spreadsheets: Excel's French export, a BOM, bad rows, hostile cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helper import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.exchange.meetings_csv import apply, preview
from visitplanner.library import Library, trips
from visitplanner.model import MeetingStatus, TravelMode

DATA = Path(__file__).parent / "data"


def counts(path: Path) -> tuple[int, int, int, int]:
    with Library.open(path) as lib:
        return tuple(  # type: ignore[return-value]
            lib.query_one(f"SELECT count(*) AS n FROM {table}")["n"]  # type: ignore[index]
            for table in ("meeting", "delegate", "place", "organization")
        )


def test_french_excel_export(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = counts(demo_path)
    csv_path = str(DATA / "meetings_excel_fr.csv")
    code, out, _err = run(
        capsys,
        "import",
        "meetings",
        csv_path,
        "--db",
        str(demo_path),
        "--trip",
        "1",
        "--dry-run",
        "--json",
    )
    assert code == 0
    dry = json.loads(out)
    assert counts(demo_path) == before  # --dry-run writes nothing
    code, out, _err = run(
        capsys, "import", "meetings", csv_path, "--db", str(demo_path), "--trip", "1", "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert result == dry
    assert result["imported"] == 4
    assert [r["line"] for r in result["rejected"]] == [7, 8, 9]
    assert "title" in result["rejected"][0]["reason"]
    assert "25:99" in result["rejected"][1]["reason"]
    assert any("Nouvelle Personne" in w for w in result["warnings"])
    assert any("Chez Hélène" in w for w in result["warnings"])
    after = counts(demo_path)
    assert after[0] == before[0] + 4 and after[1] == before[1] + 1
    with Library.open(demo_path) as lib:
        meetings = {m.title: m for m in trips.meetings(lib, 1)}
        names = {d.id: d.name for d in trips.delegates(lib, 1)}
    moderna = meetings["Rencontre Moderna"]
    assert moderna.start is not None and moderna.start.hour == 10 and moderna.start.minute == 30
    assert moderna.fixed and moderna.priority == 1 and moderna.mode is TravelMode.TAXI
    assert moderna.status is MeetingStatus.CONFIRMED
    assert {names[d] for d in moderna.delegate_ids} == {"Émilie Côté", "Zoë Tremblay"}
    visit = meetings["Visite du labo"]
    assert visit.start is None and len(visit.windows) == 2
    assert visit.windows[1].start.hour == 14 and visit.mode is TravelMode.WALK
    dinner = meetings["Dîner d'affaires"]
    assert dinner.priority == 1 and dinner.duration_minutes == 90 and dinner.start is None
    assert dinner.windows[0].start.date().isoformat() == "2023-06-07"
    hostile = next(t for t in meetings if t.startswith("=HYPERLINK"))
    assert meetings[hostile].notes == "Ligne 1\nLigne 2"


def test_bom_and_english_headers(demo_library: Library) -> None:
    data = (DATA / "meetings_bom.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    result = preview(demo_library, data, 1)
    assert result.delimiter == "," and len(result.rows) == 2
    assert [r.line for r in result.rejected] == [4]
    kiosk = result.rows[0]
    assert kiosk.meeting.start is not None and kiosk.meeting.mode is TravelMode.WALK
    assert result.places  # the BCEC is in the library
    ids = apply(demo_library, result)
    chat = trips.get_meeting(demo_library, ids[1])
    assert chat.place_id is not None and chat.start is None and len(chat.delegate_ids) == 2


def test_french_statuses_in_the_masculine(demo_library: Library) -> None:
    # "un rendez-vous confirmé": Excel sheets in French write the status in the masculine.
    data = (
        "titre;date;début;durée;statut\n"
        "A;2023-06-06;09:00;30;Confirmé\nB;;;30;proposé\nC;2023-06-07;09:00;30;ANNULÉ\n"
    ).encode("cp1252")
    result = preview(demo_library, data, 1)
    assert result.rejected == []
    assert [r.meeting.status for r in result.rows] == [
        MeetingStatus.CONFIRMED,
        MeetingStatus.PROPOSED,
        MeetingStatus.CANCELLED,
    ]


def test_places_of_an_import_are_read_once(demo_library: Library) -> None:
    # Each distinct place used to re-read every place and organization of the library.
    rows = "".join(f"M{i},Westin Boston Seaport District {i % 2 or ''},30\n" for i in range(40))
    rows += "".join(f"N{i},Boston Convention and Exhibition Center,30\n" for i in range(5))
    statements: list[str] = []
    demo_library.db.set_trace_callback(statements.append)
    try:
        result = preview(demo_library, f"title,place,duration\n{rows}".encode(), 1)
    finally:
        demo_library.db.set_trace_callback(None)
    assert len(result.rows) == 45 and len(result.places) == 3
    assert sum("FROM place" in s for s in statements) <= 2
    bcec = result.places["boston convention and exhibition center"]
    assert bcec.id is not None and bcec.lat is not None


def test_a_file_that_is_not_a_meeting_list(demo_library: Library, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="titles"):
        preview(demo_library, b"name;email\nA;a@example.com\n", 1)
    with pytest.raises(InputError):
        preview(demo_library, b"", 1)
    with pytest.raises(InputError):
        preview(demo_library, b"\x00\x01\x02binary", 1)


def test_cli_errors_are_one_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        capsys,
        "import",
        "meetings",
        str(tmp_path / "missing.csv"),
        "--db",
        str(demo_path),
        "--trip",
        "1",
    )
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.lists(
        st.sampled_from(
            [
                "title",
                "Titre",
                "date",
                "début",
                "durée",
                "lieu",
                "participants",
                "priorité",
                "fixe",
                "mode",
                "statut",
                "disponibilités",
                "x",
            ]
        ),
        min_size=1,
        max_size=8,
    ),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=5),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_no_exception_escapes_and_rejection_changes_nothing(
    header: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    lib = Library.in_memory()
    try:
        from visitplanner.demo import load_demo

        load_demo(lib)
        before = lib.query_one("SELECT count(*) AS n FROM meeting")["n"]  # type: ignore[index]
        try:
            result = preview(lib, data, 1)
        except VisitPlannerError:
            after = lib.query_one("SELECT count(*) AS n FROM meeting")["n"]  # type: ignore[index]
            assert after == before
            return
        assert lib.query_one("SELECT count(*) AS n FROM meeting")["n"] == before  # type: ignore[index]
        ids = apply(lib, result)
        assert len(ids) == len(result.rows)
    finally:
        lib.close()


# -- spreadsheets as delegation leads really have them --------------------------------------


def by_title(result: object) -> dict[str, object]:
    return {r.meeting.title: r for r in result.rows}  # type: ignore[attr-defined]


def test_partnering_platform_export_with_a_title_row(demo_library: Library) -> None:
    # BIO One-on-One Partnering style: two title lines above the header, US dates and
    # 12-hour times, start/end instead of a duration, Accepted/Pending/Declined, trailing
    # empty columns and rows, an unknown column.
    result = preview(demo_library, (DATA / "meetings_bio_partnering.csv").read_bytes(), 1)
    rows = by_title(result)
    assert set(rows) == {
        "Partnering: cell therapy",
        "Series A discussion",
        "Meeting with Kendall Peptide Therapeutics",
    }
    cell = rows["Partnering: cell therapy"]
    assert cell.line == 5  # type: ignore[attr-defined]
    m = cell.meeting  # type: ignore[attr-defined]
    assert m.start.isoformat() == "2023-06-05T14:30:00" and m.duration_minutes == 30
    assert m.status is MeetingStatus.CONFIRMED and m.notes == "Bring the deck\nand the NDA"
    assert cell.place_text == "Table 42"  # type: ignore[attr-defined]
    series = rows["Series A discussion"]
    assert series.meeting.status is MeetingStatus.REQUESTED  # type: ignore[attr-defined]
    assert series.attendees == ["Émilie Côté", "Zoë Tremblay"]  # type: ignore[attr-defined]
    assert series.organization_text == "Atlantic Avenue Ventures, LLC"  # type: ignore[attr-defined]
    declined = rows["Meeting with Kendall Peptide Therapeutics"].meeting  # type: ignore[attr-defined]
    assert declined.status is MeetingStatus.CANCELLED
    assert [(r.line, "before it starts" in r.reason) for r in result.rejected] == [(9, True)]
    unused = [w for w in result.warnings if "not used" in w]
    assert unused == ["The column “Meeting Type” is not used: its values are not imported."]
    assert not any("could be" in w for w in result.warnings)  # the trip's days decide


def test_french_b2b_export_sep_line_and_french_words(demo_library: Library) -> None:
    data = (DATA / "meetings_b2b_fr.csv").read_bytes()
    assert data.startswith(b"sep=;")
    result = preview(demo_library, data, 1)
    rows = by_title(result)
    talk = rows["Présentation du consortium"].meeting  # type: ignore[attr-defined]
    assert talk.start.isoformat() == "2023-06-05T14:30:00" and talk.duration_minutes == 30
    assert talk.status is MeetingStatus.CONFIRMED and talk.priority == 1
    lab = rows["Visite du labo"].meeting  # type: ignore[attr-defined]
    assert lab.start.isoformat() == "2023-06-06T09:00:00" and lab.duration_minutes == 45
    assert lab.status is MeetingStatus.REQUESTED and lab.priority == 2
    assert lab.notes == "À confirmer"
    dinner = rows["Dîner"].meeting  # type: ignore[attr-defined]
    assert dinner.status is MeetingStatus.CANCELLED and dinner.priority == 3
    assert dinner.duration_minutes == 60  # no end, no duration: the default
    assert [r.line for r in result.rejected] == [7]
    assert "25 h" in result.rejected[0].reason
    assert not [w for w in result.warnings if "not used" in w]


def test_meetmax_style_export_without_titles(demo_library: Library) -> None:
    result = preview(demo_library, (DATA / "meetings_meetmax.csv").read_bytes(), 1)
    assert result.rejected == []
    rows = by_title(result)
    fort = rows["Meeting with Fort Point Biologics"]
    assert fort.meeting.start.isoformat() == "2023-06-06T09:00:00"  # type: ignore[attr-defined]
    assert fort.meeting.duration_minutes == 30  # type: ignore[attr-defined]
    assert fort.attendees == ["Émilie Côté", "Zoë Tremblay"]  # type: ignore[attr-defined]
    atlantic = rows["Meeting with Atlantic Avenue Ventures"]
    assert atlantic.meeting.start.isoformat() == "2023-06-07T14:00:00"  # type: ignore[attr-defined]
    assert atlantic.meeting.duration_minutes == 60  # type: ignore[attr-defined]
    assert atlantic.attendees == ["Côté, Émilie"]  # type: ignore[attr-defined]
    assert atlantic.meeting.notes == "=SUM(A1:A2)"  # type: ignore[attr-defined]
    seaport = rows["Meeting with Seaport Genomics"].meeting  # type: ignore[attr-defined]
    assert seaport.start.isoformat() == "2023-06-08T10:00:00"
    assert seaport.status is MeetingStatus.REQUESTED


def test_excel_unicode_text_export_is_utf16_with_tabs(demo_library: Library) -> None:
    text = (
        "Subject\tHost company\tRoom\tMeeting date\tStart\tDuration\tPriority\tComments\r\n"
        "Visite\tMoléculaire Inc.\tSalle 3\t2023-06-07\t14:30:00\t1 h 30\tHigh\tnote\r\n"
        "Call\t\t\t06/08/2023\t9h\t01:30\tLow\t\r\n"
    )
    result = preview(demo_library, text.encode("utf-16"), 1)
    assert result.delimiter == "\t" and result.rejected == []
    visit, call = (r.meeting for r in result.rows)
    assert visit.start.isoformat() == "2023-06-07T14:30:00" and visit.duration_minutes == 90
    assert visit.priority == 1 and visit.notes == "note"
    assert call.start.isoformat() == "2023-06-08T09:00:00" and call.priority == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-06-05", "2023-06-05"),
        ("2023-06-05 00:00:00", "2023-06-05"),
        ("June 5, 2023", "2023-06-05"),
        ("Monday, June 5, 2023", "2023-06-05"),
        ("5 juin 2023", "2023-06-05"),
        ("lundi 5 juin 2023", "2023-06-05"),
        ("1er juin 2023", "2023-06-01"),
        ("5-Jun-23", "2023-06-05"),
        ("Jun 5", "2023-06-05"),
        ('="2023-06-05"', "2023-06-05"),
    ],
)
def test_dates_as_excel_writes_them(demo_library: Library, text: str, expected: str) -> None:
    from visitplanner.exchange.meeting_values import DateReader
    from visitplanner.i18n import current

    reader = DateReader(trips.get_trip(demo_library, 1), [], current())
    assert reader.read(text) == (__import__("datetime").date.fromisoformat(expected), None)


def test_day_and_month_order(demo_library: Library) -> None:
    import datetime as dt

    from visitplanner.exchange.meeting_values import DateReader, RowError
    from visitplanner.i18n import current

    boston, quebec = trips.get_trip(demo_library, 1), trips.get_trip(demo_library, 2)
    tr = current()
    # The trip's days decide: June 5-8, 2023.
    assert DateReader(boston, [], tr).read("06/05/2023") == (dt.date(2023, 6, 5), None)
    assert DateReader(boston, [], tr).read("05/06/2023") == (dt.date(2023, 6, 5), None)
    # A day above 12 elsewhere in the file fixes the order for every date of the file.
    reader = DateReader(quebec, ["13/05/2024", "05/06/2024"], tr)
    assert reader.read("05/06/2024") == (dt.date(2024, 6, 5), None)
    reader = DateReader(quebec, ["5/31/2024"], tr)
    assert reader.read("05/06/2024") == (dt.date(2024, 5, 6), None)
    # Neither reading is in the trip: the country's habit, with a warning.
    day, warning = DateReader(quebec, [], tr).read("03/04/2024")
    assert day == dt.date(2024, 4, 3) and warning and "2024-03-04" in warning
    day, warning = DateReader(boston, [], tr).read("03/04/2023")
    assert day == dt.date(2023, 3, 4) and warning
    with pytest.raises(RowError, match="not a date"):
        DateReader(boston, [], tr).read("31/31/2023")


def test_ambiguous_day_first_file_is_reported(demo_library: Library) -> None:
    data = "Sujet;Date;Début\nA;03/04/2024;09:00\n".encode("cp1252")
    result = preview(demo_library, data, 2)
    assert result.rows[0].meeting.start.isoformat() == "2024-04-03T09:00:00"  # type: ignore[union-attr]
    assert any("could be" in w and "Line 2" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [("14:30", 14, 30), ("2:30 PM", 14, 30), ("2:30pm", 14, 30), ("14 h 30", 14, 30),
     ("14h30", 14, 30), ("9h", 9, 0), ("12:15 AM", 0, 15), ("12 p.m.", 12, 0),
     ("14:30:00", 14, 30)],
)  # fmt: skip
def test_times(text: str, hour: int, minute: int) -> None:
    import datetime as dt

    from visitplanner.exchange.meeting_values import time_of
    from visitplanner.i18n import current

    assert time_of(text, current()) == dt.time(hour, minute)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45", 45), ("45 min", 45), ("45 mins", 45), ("1h", 60), ("1 h 30", 90), ("1h30", 90),
     ("01:30", 90), ("1.5 h", 90), ("90 minutes", 90), ("2 hours", 120)],
)  # fmt: skip
def test_durations(text: str, minutes: int) -> None:
    from visitplanner.exchange.meeting_values import duration_of
    from visitplanner.i18n import current

    assert duration_of(text, current()) == minutes


def test_header_variants() -> None:
    from visitplanner.exchange.meeting_columns import column_of

    for name, expected in [
        ("Meeting Title", "title"), ("Objet", "title"), ("SUJET", "title"),
        ("Host company", "organization"), ("Organisation", "organization"),
        ("Room", "place"), ("Table", "place"), ("Adresse", "place"), ("Salle", "place"),
        ("Meeting date", "date"), ("Jour", "date"), ("Date (jj/mm/aaaa)", "date"),
        ("Heure de début", "start"), ("Start time", "start"), ("Heure de fin", "end"),
        ("Durée (min)", "duration"), ("Délégués", "attendees"), ("Requester", "attendees"),
        ("Statut", "status"), ("Priorité", "priority"), ("Commentaires", "notes"),
        ("Date du rendez-vous", "date"), ("Lieu de la rencontre", "place"),
    ]:  # fmt: skip
        assert column_of(name) == expected, name
    assert column_of("Meeting Type") is None


# -- .xlsx: the spreadsheet itself -----------------------------------------------------------


def meetings_workbook(path: Path) -> Path:
    """A workbook as a delegation lead sends it: a cover sheet, then a sheet with a merged
    title row, real date/time/duration cells, a blank row and an unknown column."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "Read me"
    cover["A1"] = "Mission Boston 2023: meeting requests. Do not edit this sheet."
    sheet = book.create_sheet("Rencontres")
    sheet["A1"] = "Mission Boston 2023 - Rencontres"
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(
        ["Objet", "Entreprise", "Salle", "Date", "Heure de début", "Durée", "Délégués", "Couleur"]
    )
    sheet.append(
        ["Présentation", "Moderna (fictive)", "Salle 210", dt.datetime(2023, 6, 5),
         dt.time(14, 30), 45, "Émilie Côté", "bleu"]
    )  # fmt: skip
    sheet.append([])
    sheet.append(
        ["Visite", "Fort Point Biologics", "Table 4", dt.date(2023, 6, 6),
         dt.datetime(1899, 12, 30, 9, 15), dt.timedelta(hours=1, minutes=30), None, None]
    )  # fmt: skip
    sheet.append(["Sans heure", None, None, "mardi 6 juin 2023", "25:00", 30, None, None])
    sheet.append(["Appel", None, None, None, None, 30.0, None, None])
    book.save(path)
    return path


def test_xlsx_meetings(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = meetings_workbook(tmp_path / "rencontres.xlsx")
    code, out, _err = run(
        capsys, "import", "meetings", str(path), "--db", str(demo_path), "--trip", "1", "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"imported", "warnings", "rejected"}
    assert result["imported"] == 3
    assert result["rejected"] == [
        {"line": 7, "reason": "“25:00” is not a time (write 14:30, 2:30 PM or 14 h 30)."}
    ]
    assert "The column “Couleur” is not used: its values are not imported." in result["warnings"]
    with Library.open(demo_path) as lib:
        meetings = {m.title: m for m in trips.meetings(lib, 1)}
    talk, visit = meetings["Présentation"], meetings["Visite"]
    assert talk.start is not None and talk.start.isoformat() == "2023-06-05T14:30:00"
    assert talk.duration_minutes == 45
    assert visit.start is not None and visit.start.isoformat() == "2023-06-06T09:15:00"
    assert visit.duration_minutes == 90
    assert meetings["Appel"].duration_minutes == 30 and meetings["Appel"].start is None


def test_xlsx_that_is_not_a_workbook_is_one_message(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is no zip file")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    for path, message in ((broken, "could not be read"), (old, "save it as .xlsx")):
        code, _out, err = run(
            capsys, "import", "meetings", str(path), "--db", str(demo_path), "--trip", "1"
        )
        assert code == 2 and message in err and err.count("\n") == 1, err


def test_xlsx_through_the_meeting_import_dialog(
    qtbot: object, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog, QFileDialog

    from ui.schedule.import_meetings import ImportMeetingsDialog
    from ui.shell.app import make_application
    from ui.shell.main_window import MainWindow

    make_application()
    window = MainWindow(Library.open(demo_path))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    path = meetings_workbook(tmp_path / "rencontres.xlsx")
    filters: list[str] = []

    def choose(*args: object) -> tuple[str, str]:
        filters.append(str(args[3]))
        return str(path), ""

    seen: dict[str, int] = {}

    def confirm(dialog: ImportMeetingsDialog) -> int:
        seen["rows"], seen["rejected"] = dialog.table.rowCount(), dialog.rejected_list.count()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    monkeypatch.setattr(ImportMeetingsDialog, "exec", confirm)
    trip_id = window.trip_id or 0
    count = len(trips.meetings(window.library, trip_id))
    window.schedule_area.importer.choose_file()
    assert "*.xlsx" in filters[0]
    assert seen == {"rows": 3, "rejected": 1}
    assert len(trips.meetings(window.library, trip_id)) == count + 3

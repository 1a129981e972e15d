"""Importing meetings from spreadsheets: Excel's French export, a BOM, bad rows, hostile cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visitplanner.cli import main
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.exchange.meetings_csv import apply, preview
from visitplanner.library import Library, trips
from visitplanner.model import MeetingStatus, TravelMode

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


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

"""`import delegates`: a registration file (CSV or .xlsx, English or French headers) adds and
updates a trip's delegates with their arrival, departure, hotel and busy slots; a bad row is
rejected by its line and nothing of it is written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from cli_helper import run

from tests.test_edits_replay import dump, replay
from visitplanner import edits
from visitplanner.errors import InputError
from visitplanner.exchange.delegates_import import preview
from visitplanner.library import Library, trips
from visitplanner.planning.snapshot import load_snapshot

T = dt.datetime
D = dt.date
QUEBEC_TRIP = "2"  # the demo's Montréal-then-Québec City mission, 2024-05-13 to 16

FRENCH = [
    ["Nom", "Prénom", "Entreprise", "Titre", "Courriel", "Cellulaire", "Arrivée", "Départ",
     "Vol d'arrivée", "Hôtel", "Occupé"],
    ["Exemple", "Alice", "Biotech Fictive inc.", "PDG", "alice@example.com", "514 555-0101",
     "14 mai 13 h 40", "16 mai 12 h", "AC 8790 YUL", "Fairmont Le Château Frontenac",
     "2024-05-14 15:00-15:30; 2024-05-15 14:00-14:30"],
    ["Imaginaire", "Bruno", "Exemple Santé", "VP", "bruno@example.com", "", "le 14 mai vers midi",
     "", "", "", ""],
    ["O'Connell", "Sarah", "", "", "", "", "", "May 16 1:40 PM", "", "", ""],
    ["Fictif", "Chloé", "Labo Fictif", "CSO", "chloe@example.com", "", "2024-05-13T08:30", "",
     "", "Hôtel Inexistant Exemple", "15 mai 10 h - 10 h 30"],
    ["Tardif", "Denis", "", "", "denis@example.com", "", "", "", "", "", "2024-05-14 10:00"],
    ["Mauvais", "Émile", "", "", "pas-un-courriel", "", "", "", "", "", ""],
]  # fmt: skip


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_a_french_registration_file_imports_and_rejects_bad_rows_by_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "inscriptions.csv"
    path.write_bytes(_csv(FRENCH))
    db = str(demo_path)
    with Library.open(demo_path) as lib:
        before = {d.name for d in trips.delegates(lib, 2)}
    code, out, err = run(
        capsys, "import", "delegates", str(path), "--db", db, "--trip", QUEBEC_TRIP, "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert (result["imported"], result["updated"]) == (2, 1)
    rejected = {r["line"]: r["reason"] for r in result["rejected"]}
    assert set(rejected) == {3, 6, 7}
    assert "le 14 mai vers midi" in rejected[3] and "not a date" in rejected[3]
    assert "no end" in rejected[6]
    assert "pas-un-courriel" in rejected[7]
    assert any("Hôtel Inexistant Exemple" in w and "Line 5" in w for w in result["warnings"])
    with Library.open(demo_path) as lib:
        snap = load_snapshot(lib, 2)
        by_name = {d.name: d for d in snap.delegates.values()}
        assert set(by_name) - before == {"Alice Exemple", "Chloé Fictif"}
        assert not {"Bruno Imaginaire", "Denis Tardif", "Émile Mauvais"} & set(by_name)
        alice = by_name["Alice Exemple"]
        assert (alice.company, alice.title, alice.email) == (
            "Biotech Fictive inc.",
            "PDG",
            "alice@example.com",
        )
        assert (alice.arrival, alice.departure, alice.arrival_by) == (
            T(2024, 5, 14, 13, 40),
            T(2024, 5, 16, 12),
            "AC 8790 YUL",
        )
        assert alice.phone == "+1 514-555-0101"
        assert [(b.start, b.end) for b in snap.busy_of(alice.id or 0)] == [
            (T(2024, 5, 14, 15), T(2024, 5, 14, 15, 30)),
            (T(2024, 5, 15, 14), T(2024, 5, 15, 14, 30)),
        ]
        frontenac = snap.hotel(alice.id, D(2024, 5, 14))  # her own night at the Frontenac
        assert frontenac is not None and frontenac.name == "Fairmont Le Château Frontenac"
        other = next(i for i, d in snap.delegates.items() if d.name in before)
        queen = snap.hotel(other, D(2024, 5, 14))  # the delegation's hotel that night
        assert queen is not None and queen.name == "Fairmont The Queen Elizabeth"
        sarah = by_name["Sarah O'Connell"]
        assert sarah.departure == T(2024, 5, 16, 13, 40) and sarah.company  # kept
        chloe = by_name["Chloé Fictif"]
        assert chloe.arrival == T(2024, 5, 13, 8, 30)
        assert [(b.start, b.end) for b in snap.busy_of(chloe.id or 0)] == [
            (T(2024, 5, 15, 10), T(2024, 5, 15, 10, 30))
        ]
        assert [s for s in snap.stays if s.delegate_id == chloe.id] == []  # not a guess


def test_the_text_output_and_a_dry_run_write_nothing(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "inscriptions.csv"
    path.write_bytes(_csv(FRENCH))
    with Library.open(demo_path) as lib:
        before = dump(lib)
    code, out, err = run(
        capsys, "import", "delegates", str(path), "--db", str(demo_path), "--trip", QUEBEC_TRIP,
        "--dry-run",
    )  # fmt: skip
    assert code == 0, err
    assert "Line 3 rejected: “le 14 mai vers midi” is not a date" in out
    assert "2 delegates would be added and 1 updated; nothing was written." in out
    with Library.open(demo_path) as lib:
        assert dump(lib) == before


def test_english_headers_in_a_workbook(demo_library: Library) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Company", "Email", "Mobile", "Arrival", "Departure", "Hotel", "Busy"])
    sheet.append(
        ["Ana Example", "Example Bio", "ana@example.com", "+1 617 555 0150", "June 5 1:40 PM",
         dt.datetime(2023, 6, 8, 12, 0), "", "2023-06-06 10:00-10:30"]
    )  # fmt: skip
    data = io.BytesIO()
    book.save(data)
    result = preview(demo_library, data.getvalue(), 1)
    assert result.rejected == []
    (row,) = result.rows
    assert (row.delegate.arrival, row.delegate.departure) == (
        T(2023, 6, 5, 13, 40),
        T(2023, 6, 8, 12),
    )
    assert row.busy is not None and [(b.start, b.end) for b in row.busy] == [
        (T(2023, 6, 6, 10), T(2023, 6, 6, 10, 30))
    ]


def test_a_file_that_is_not_a_registration_list(demo_library: Library) -> None:
    with pytest.raises(InputError, match="registration list"):
        preview(demo_library, b"Title,Organization\nLab tour,Example Labs\n", 1)


def test_the_import_is_one_step_undone_exactly(demo_library: Library) -> None:
    data = _csv(FRENCH)
    done = replay(demo_library, [lambda lib, done: edits.ImportDelegates(preview(lib, data, 2))])
    assert len(done[0].created["delegate"]) == 2


def test_a_hotel_the_gazetteer_knows_becomes_a_place_and_a_vague_one_is_not_guessed(
    demo_library: Library,
) -> None:
    rows = [
        ["Name", "Email", "Arrival", "Hotel"],
        ["Ana Example", "ana@example.com", "2024-05-13 09:00", "SpringHill Suites Old Montreal"],
        ["Ben Example", "ben@example.com", "", "Hotel"],
    ]
    result = preview(demo_library, _csv(rows), 2)
    ana, ben = result.rows
    assert ana.hotel is not None and ana.hotel.id is None  # new: from the gazetteer
    assert ana.hotel.name == "SpringHill Suites by Marriott Old Montreal"
    assert ana.nights == (D(2024, 5, 13), D(2024, 5, 15))
    assert ben.hotel is None and any("“Hotel” was not found" in w for w in result.warnings)
    edits.ImportDelegates(result).apply(demo_library)
    snap = load_snapshot(demo_library, 2)
    anas = next(i for i, d in snap.delegates.items() if d.name == "Ana Example")
    hotel = snap.hotel(anas, D(2024, 5, 14))
    assert hotel is not None and hotel.name == "SpringHill Suites by Marriott Old Montreal"
    assert hotel.lat is not None


@pytest.mark.parametrize(
    ("arrival", "expected"),
    [
        ("June 5 at 1:40 PM", T(2023, 6, 5, 13, 40)),
        ("5 juin à 13 h 40", T(2023, 6, 5, 13, 40)),
        ("lundi 5 juin 2023 13h40", T(2023, 6, 5, 13, 40)),
        ("05/06/2023 9h", T(2023, 6, 5, 9, 0)),
        ("2023-06-05T13:40", T(2023, 6, 5, 13, 40)),
        ("2023-06-06", T(2023, 6, 6, 0, 0)),  # a date alone: from the start of that day
        ("le 5 juin vers 13 h", None),  # "about 1 PM" is not a time to plan on
        ("5 juin " + " " * 50_000 + "x 13 h", None),  # a hostile cell: refused at once
    ],
)
def test_arrival_forms_in_both_languages(
    demo_library: Library, arrival: str, expected: dt.datetime | None
) -> None:
    import time

    started = time.monotonic()
    result = preview(demo_library, _csv([["Name", "Arrival"], ["Ana Example", arrival]]), 1)
    assert time.monotonic() - started < 2
    if expected is None:
        assert [r.line for r in result.rejected] == [2] and result.rows == []
    else:
        assert result.rejected == [] and result.rows[0].delegate.arrival == expected


def test_a_hotel_for_a_day_trip_is_not_used_and_said_so(demo_library: Library) -> None:
    rows = [
        ["Name", "Arrival", "Departure", "Hotel"],
        ["Ana Example", "2023-06-06 08:00", "2023-06-06 19:00", "Hyatt Regency Boston"],
    ]
    result = preview(demo_library, _csv(rows), 1)
    assert result.rows[0].hotel is None and result.rows[0].nights is None
    assert result.warnings == [
        "Line 2: Ana Example spends no night on the trip; the hotel “Hyatt Regency Boston” "
        "is not used."
    ]

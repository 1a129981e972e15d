"""Trip files carry the mission model: presence, stays, busy blocks, transfers; a crafted
row is refused with a sentence; a trip file of format 2 (before the mission model) imports."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helper import run
from visitplanner.exchange.tripfile import export_trip, import_trip
from visitplanner.library import Library, directory, schema, stays, trips
from visitplanner.model import (
    BusyBlock,
    Delegate,
    Meeting,
    MeetingKind,
    Place,
    Stay,
    TransferMode,
    Trip,
)
from visitplanner.planning.snapshot import load_snapshot

D = dt.date
T = dt.datetime


def _mission(lib: Library) -> int:
    montreal = directory.add_place(lib, Place("Example Hotel Montréal", city="Montréal"))
    quebec = directory.add_place(lib, Place("Example Hotel Québec", city="Québec"))
    station = directory.add_place(lib, Place("Example Station", city="Montréal"))
    convention = directory.add_place(lib, Place("Example Convention Hall", city="Montréal"))
    trip = Trip("Example Mission", D(2024, 5, 13), D(2024, 5, 16), "America/Toronto")
    trip_id = trips.add_trip(lib, trip)
    ana = trips.add_delegate(
        lib,
        Delegate(trip_id, "Ana Example", arrival=T(2024, 5, 14, 13, 40), arrival_by="AC 8790 YUL"),
    )
    ben = trips.add_delegate(lib, Delegate(trip_id, "Ben Example", departure=T(2024, 5, 16, 12)))
    stays.replace_stays(
        lib,
        trip_id,
        None,
        [
            Stay(trip_id, D(2024, 5, 12), D(2024, 5, 14), montreal),
            Stay(trip_id, D(2024, 5, 15), D(2024, 5, 16), quebec),
        ],
    )
    stays.add_stay(lib, Stay(trip_id, D(2024, 5, 14), D(2024, 5, 14), quebec, ana))
    stays.add_busy(
        lib, BusyBlock(ben, T(2024, 5, 14, 10), T(2024, 5, 14, 10, 30), "Partnering", convention)
    )
    trips.add_meeting(
        lib,
        Meeting(
            trip_id,
            "VIA Rail to Québec City",
            kind=MeetingKind.TRANSFER,
            place_id=station,
            to_place_id=quebec,
            transfer_mode=TransferMode.TRAIN,
            reference="VIA 22",
            start=T(2024, 5, 15, 8),
            duration_minutes=190,
            delegate_ids=[ana, ben],
        ),
    )
    return trip_id


def _story(lib: Library, trip_id: int) -> dict[str, object]:
    """What a person sees of the mission, by names rather than ids."""
    snap = load_snapshot(lib, trip_id)
    names = {i: d.name for i, d in snap.delegates.items()}
    label = {i: p.name for i, p in snap.places.items()}
    train = next(m for m in snap.meetings if m.is_transfer)
    return {
        "presence": sorted(
            (d.name, d.arrival, d.arrival_by, d.departure) for d in snap.delegates.values()
        ),
        "hotels": sorted(
            (names[d], night.isoformat(), label.get(snap.hotel_id(d, night) or -1))
            for d in snap.delegates
            for night in (D(2024, 5, 13), D(2024, 5, 14), D(2024, 5, 15))
        ),
        "busy": [
            (names[b.delegate_id], b.start, b.end, b.title, label.get(b.place_id or -1))
            for b in snap.busy
        ],
        "train": (
            label.get(train.place_id or -1),
            label.get(train.to_place_id or -1),
            train.transfer_mode,
            train.reference,
            train.end,
        ),
    }


def test_a_mission_goes_through_a_trip_file_whole(empty_library: Library, tmp_path: Path) -> None:
    lib = empty_library
    trip_id = _mission(lib)
    before = _story(lib, trip_id)
    out = tmp_path / "mission.visitplanner"
    export_trip(lib, str(trip_id), out)
    with Library.open(tmp_path / "other.visitplanner", create=True) as other:
        result = import_trip(other, out)
        assert _story(other, result.trip_id) == before
    assert ("Ana Example", "2024-05-14", "Example Hotel Québec") in before["hotels"]  # type: ignore[operator]
    assert ("Ben Example", "2024-05-14", "Example Hotel Montréal") in before["hotels"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        (
            "UPDATE stay SET last_night = '2024-06-30' WHERE id = 1",
            "Stay 1 of the trip file is refused",
        ),
        ("UPDATE stay SET place_id = 999 WHERE id = 2", "refers to place 999"),
        ('UPDATE busy SET "end" = start WHERE id = 1', "Busy time 1 of the trip file is refused"),
        ("UPDATE delegate SET arrival = '2024-07-01T09:00' WHERE id = 1", "too far"),
        ("UPDATE meeting SET transfer_mode = 'rocket'", "unknown transfer mode “rocket”"),
        ("UPDATE meeting SET to_place_id = NULL", "arrival place"),
    ],
)
def test_a_crafted_mission_row_is_refused_by_name(
    empty_library: Library,
    tmp_path: Path,
    statement: str,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _mission(empty_library)
    out = tmp_path / "mission.visitplanner"
    export_trip(empty_library, "1", out)
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute(statement)
    db.close()
    target = tmp_path / "target.visitplanner"
    Library.open(target, create=True).close()
    code, _out_text, err = run(capsys, "import", "trip", str(out), "--db", str(target))
    assert code == 2 and words in err and "Traceback" not in err, err
    with Library.open(target) as lib:
        assert trips.trips(lib) == []


def test_a_trip_file_of_format_2_still_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old-trip.visitplanner"
    db = sqlite3.connect(old)
    db.execute("PRAGMA legacy_alter_table = ON")
    for step in schema.MIGRATIONS[:2]:
        db.executescript(step)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db.execute("PRAGMA user_version = 2")
    db.execute(
        "INSERT INTO trip (name, first_day, last_day, timezone) "
        "VALUES ('Old Mission', '2023-06-05', '2023-06-08', 'America/New_York')"
    )
    db.execute("INSERT INTO delegate (trip_id, name) VALUES (1, 'Old Delegate')")
    db.execute("INSERT INTO meeting (trip_id, title, kind) VALUES (1, 'Old transfer', 'transfer')")
    db.commit()
    db.close()
    target = tmp_path / "target.visitplanner"
    Library.open(target, create=True).close()
    code, _out, err = run(capsys, "import", "trip", str(old), "--db", str(target))
    assert code == 0, err
    with Library.open(target) as lib:
        (delegate,) = trips.delegates(lib, 1)
        assert delegate.name == "Old Delegate" and delegate.arrival is None
        assert load_snapshot(lib, 1).stays == []

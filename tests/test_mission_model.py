"""The mission model (schema version 3): delegates' presence, hotels per night, busy blocks,
transfers. Storage, rules, the presence helpers, the snapshot, and exact undo of every edit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from tests.test_edits_replay import dump, replay
from visitplanner import edits
from visitplanner.errors import InputError
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
from visitplanner.planning import presence
from visitplanner.planning.snapshot import load_snapshot

D = dt.date
T = dt.datetime


def _mission(lib: Library) -> tuple[int, int, int, int, int]:
    """A Montréal-then-Québec City trip: (trip, Montréal hotel, Québec hotel, two delegates)."""
    montreal = directory.add_place(lib, Place("Example Hotel Montréal", city="Montréal"))
    quebec = directory.add_place(lib, Place("Example Hotel Québec", city="Québec"))
    trip = Trip("Example Mission", D(2024, 5, 13), D(2024, 5, 16), "America/Toronto")
    trip.base_place_id = montreal
    trip_id = trips.add_trip(lib, trip)
    ana = trips.add_delegate(lib, Delegate(trip_id, "Ana Example"))
    ben = trips.add_delegate(lib, Delegate(trip_id, "Ben Example"))
    return trip_id, montreal, quebec, ana, ben


def test_a_version_2_library_opens_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v2.visitplanner"
    db = sqlite3.connect(path)
    db.execute("PRAGMA legacy_alter_table = ON")
    for step in schema.MIGRATIONS[:2]:
        db.executescript(step)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db.execute("PRAGMA user_version = 2")
    db.execute(
        "INSERT INTO trip (name, first_day, last_day, timezone) "
        "VALUES ('Old', '2023-06-05', '2023-06-08', 'America/New_York')"
    )
    db.execute("INSERT INTO delegate (trip_id, name) VALUES (1, 'Old Delegate')")
    db.commit()
    db.close()
    with Library.open(path) as lib:
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == 3
        delegate = trips.get_delegate(lib, 1)
        assert (delegate.arrival, delegate.departure, delegate.arrival_by) == (None, None, "")
        snap = load_snapshot(lib, 1)
        assert snap.stays == [] and snap.busy == []
        assert snap.hotel_id(1, D(2023, 6, 5)) is None


def test_hotel_per_night_override_and_fallback(empty_library: Library) -> None:
    lib = empty_library
    trip_id, montreal, quebec, ana, ben = _mission(lib)
    other = directory.add_place(lib, Place("Example Airport Hotel", city="Dorval"))
    stays.replace_stays(
        lib,
        trip_id,
        None,
        [
            Stay(trip_id, D(2024, 5, 12), D(2024, 5, 14), montreal),
            Stay(trip_id, D(2024, 5, 15), D(2024, 5, 15), quebec),
        ],
    )
    stays.add_stay(lib, Stay(trip_id, D(2024, 5, 13), D(2024, 5, 13), other, ana))
    snap = load_snapshot(lib, trip_id)
    assert snap.hotel_id(ana, D(2024, 5, 13)) == other  # her own night
    assert snap.hotel_id(ben, D(2024, 5, 13)) == montreal
    assert snap.hotel_id(ana, D(2024, 5, 15)) == quebec
    assert snap.hotel_id(None, D(2024, 5, 16)) == montreal  # no stay: the trip's hotel
    assert presence.morning_hotel(snap.trip, snap.stays, ben, D(2024, 5, 16)) == quebec
    hotel = snap.hotel(ben, D(2024, 5, 15))
    assert hotel is not None and hotel.name == "Example Hotel Québec"
    directory.delete_place(lib, quebec)  # the nights stay, with no hotel: never a guess
    assert load_snapshot(lib, trip_id).hotel_id(ben, D(2024, 5, 15)) is None


def test_presence_and_busy_overlaps() -> None:
    ana = Delegate(1, "Ana", arrival=T(2024, 5, 14, 13, 40), departure=T(2024, 5, 16, 12))
    assert presence.present(ana, T(2024, 5, 14, 14), T(2024, 5, 14, 15))
    assert not presence.present(ana, T(2024, 5, 14, 13), T(2024, 5, 14, 14))
    assert not presence.present(ana, T(2024, 5, 16, 11, 30), T(2024, 5, 16, 12, 30))
    assert presence.present(Delegate(1, "Ben"), T(2000, 1, 1), T(2100, 1, 1))
    blocks = [
        BusyBlock(1, T(2024, 5, 14, 10), T(2024, 5, 14, 10, 30), "Partnering"),
        BusyBlock(1, T(2024, 5, 14, 9), T(2024, 5, 14, 9, 30)),
    ]
    assert presence.busy_overlaps(blocks, T(2024, 5, 14, 9, 15), T(2024, 5, 14, 10, 5)) == [
        blocks[1],
        blocks[0],
    ]
    assert presence.busy_overlaps(blocks, T(2024, 5, 14, 10, 30), T(2024, 5, 14, 11)) == []


def test_the_rules_refuse_with_a_sentence(empty_library: Library) -> None:
    lib = empty_library
    trip_id, montreal, quebec, ana, _ben = _mission(lib)
    cases = [
        (
            lambda: trips.add_delegate(lib, Delegate(trip_id, "Late", arrival=T(2024, 5, 20, 9))),
            "too far",
        ),
        (
            lambda: trips.add_delegate(
                lib,
                Delegate(trip_id, "Back", arrival=T(2024, 5, 14, 9), departure=T(2024, 5, 14, 8)),
            ),
            "leave after",
        ),
        (
            lambda: stays.add_stay(lib, Stay(trip_id, D(2024, 5, 10), D(2024, 5, 13), montreal)),
            "within the trip",
        ),
        (
            lambda: stays.add_stay(lib, Stay(trip_id, D(2024, 5, 14), D(2024, 5, 13), montreal)),
            "before its first",
        ),
        (
            lambda: stays.replace_stays(
                lib,
                trip_id,
                None,
                [
                    Stay(trip_id, D(2024, 5, 13), D(2024, 5, 14), montreal),
                    Stay(trip_id, D(2024, 5, 14), D(2024, 5, 15), quebec),
                ],
            ),
            "share the night of 2024-05-14",
        ),
        (
            lambda: stays.add_busy(lib, BusyBlock(ana, T(2024, 5, 14, 10), T(2024, 5, 14, 10))),
            "end after",
        ),
        (
            lambda: stays.add_busy(lib, BusyBlock(ana, T(2024, 6, 14, 10), T(2024, 6, 14, 11))),
            "outside",
        ),
        (
            lambda: trips.add_meeting(
                lib,
                Meeting(
                    trip_id,
                    "Train",
                    kind=MeetingKind.TRANSFER,
                    place_id=montreal,
                    transfer_mode=TransferMode.TRAIN,
                ),
            ),
            "departure place and an arrival place",
        ),
        (
            lambda: trips.add_meeting(
                lib,
                Meeting(
                    trip_id,
                    "Train",
                    kind=MeetingKind.TRANSFER,
                    place_id=montreal,
                    to_place_id=quebec,
                ),
            ),
            "needs a mode",
        ),
        (
            lambda: trips.add_meeting(lib, Meeting(trip_id, "Lunch", to_place_id=quebec)),
            "Only a transfer",
        ),
    ]
    before = dump(lib)
    for make, words in cases:
        with pytest.raises(InputError, match=words):
            make()
    assert dump(lib) == before


def test_a_transfer_is_stored_with_both_ends(empty_library: Library) -> None:
    lib = empty_library
    trip_id, montreal, quebec, ana, ben = _mission(lib)
    train = Meeting(
        trip_id,
        "VIA Rail to Québec City",
        kind=MeetingKind.TRANSFER,
        place_id=montreal,
        to_place_id=quebec,
        transfer_mode=TransferMode.TRAIN,
        reference="VIA 22",
        start=T(2024, 5, 15, 8),
        duration_minutes=190,
        delegate_ids=[ana, ben],
    )
    meeting_id = trips.add_meeting(lib, train)
    stored = trips.get_meeting(lib, meeting_id)
    assert (stored.place_id, stored.to_place_id, stored.transfer_mode, stored.reference) == (
        montreal,
        quebec,
        TransferMode.TRAIN,
        "VIA 22",
    )
    assert stored.end == T(2024, 5, 15, 11, 10)
    assert quebec in load_snapshot(lib, trip_id).places


def test_every_mission_edit_undoes_and_redoes_exactly(empty_library: Library) -> None:
    lib = empty_library
    trip_id, montreal, quebec, ana, ben = _mission(lib)
    steps = [
        lambda lib, done: edits.SetStays(
            trip_id,
            None,
            (
                Stay(trip_id, D(2024, 5, 12), D(2024, 5, 14), montreal),
                Stay(trip_id, D(2024, 5, 15), D(2024, 5, 16), quebec),
            ),
        ),
        lambda lib, done: edits.SetStays(
            trip_id, ana, (Stay(trip_id, D(2024, 5, 13), D(2024, 5, 13), quebec),)
        ),
        lambda lib, done: edits.SetStays(
            trip_id, None, (Stay(trip_id, D(2024, 5, 12), D(2024, 5, 16), quebec),)
        ),
        lambda lib, done: edits.SetBusy(
            ana,
            (BusyBlock(ana, T(2024, 5, 14, 10), T(2024, 5, 14, 10, 30), "Partnering", montreal),),
        ),
        lambda lib, done: edits.Update(
            Delegate(
                trip_id, "Ana Example", arrival=T(2024, 5, 14, 13, 40), arrival_by="AC 8790", id=ana
            )
        ),
        lambda lib, done: edits.Add(BusyBlock(ben, T(2024, 5, 15, 14), T(2024, 5, 15, 15), "Call")),
        lambda lib, done: edits.Add(
            Meeting(
                trip_id,
                "Train",
                kind=MeetingKind.TRANSFER,
                place_id=montreal,
                to_place_id=quebec,
                transfer_mode=TransferMode.TRAIN,
                reference="VIA 22",
            )
        ),
        lambda lib, done: edits.Merge("place", montreal, quebec),  # moves stays, busy, transfers
        lambda lib, done: edits.Delete("delegate", ana),  # her stays and busy blocks go too
        lambda lib, done: edits.Delete("trip", trip_id),
    ]
    done = replay(lib, steps)
    assert done[0].changes.touches("stay", trip_id)
    assert done[3].changes.touches("busy", trip_id)


def test_a_stay_change_reloads_the_trip_and_only_it(demo_library: Library) -> None:
    lib = demo_library
    boston, quebec = load_snapshot(lib, 1), load_snapshot(lib, 2)
    applied = edits.SetStays(2, None, (Stay(2, D(2024, 5, 13), D(2024, 5, 13), None),)).apply(lib)
    assert quebec.concerned_by(applied.changes) and not boston.concerned_by(applied.changes)
    delegate = next(iter(quebec.delegates))
    applied = edits.SetBusy(
        delegate, (BusyBlock(delegate, T(2024, 5, 14, 10), T(2024, 5, 14, 11)),)
    ).apply(lib)
    assert quebec.concerned_by(applied.changes) and not boston.concerned_by(applied.changes)


def test_the_demo_loader_reads_the_mission_model(empty_library: Library, tmp_path: Path) -> None:
    import json

    from visitplanner.demo import FORMAT, load_trip_file

    data = {
        "format": FORMAT,
        "places": [
            {"key": "h1", "name": "Example Hotel Montréal", "city": "Montréal"},
            {"key": "h2", "name": "Example Hotel Québec", "city": "Québec"},
            {"key": "st", "name": "Example Station", "city": "Montréal"},
        ],
        "organizations": [],
        "contacts": [],
        "trip": {
            "name": "Example",
            "first_day": "2024-05-13",
            "last_day": "2024-05-16",
            "timezone": "America/Toronto",
            "base_place": "h1",
        },
        "delegates": [
            {
                "key": "a",
                "name": "Ana Example",
                "arrival": "2024-05-14T13:40",
                "arrival_by": "AC 8790",
                "departure": "2024-05-16T12:00",
            }
        ],
        "meetings": [
            {
                "title": "Train",
                "kind": "transfer",
                "place": "st",
                "to_place": "h2",
                "transfer_mode": "train",
                "reference": "VIA 22",
                "start": "2024-05-15T08:00",
                "duration_minutes": 190,
                "delegates": ["a"],
            }
        ],
        "stays": [
            {
                "delegate": None,
                "first_night": "2024-05-15",
                "last_night": "2024-05-16",
                "place": "h2",
            }
        ],
        "busy": [
            {
                "delegate": "a",
                "start": "2024-05-14T15:00",
                "end": "2024-05-14T15:30",
                "title": "Call",
            }
        ],
    }
    path = tmp_path / "mission.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    trip_id = load_trip_file(empty_library, path)
    snap = load_snapshot(empty_library, trip_id)
    (ana,) = snap.delegates.values()
    assert (ana.arrival, ana.arrival_by, ana.departure) == (
        T(2024, 5, 14, 13, 40),
        "AC 8790",
        T(2024, 5, 16, 12),
    )
    hotel = snap.hotel(ana.id, D(2024, 5, 15))
    assert hotel is not None and hotel.name == "Example Hotel Québec"
    assert [b.title for b in snap.busy_of(ana.id or 0)] == ["Call"]
    (train,) = snap.meetings
    assert (train.transfer_mode, train.reference, snap.places[train.to_place_id or 0].name) == (
        TransferMode.TRAIN,
        "VIA 22",
        "Example Hotel Québec",
    )
    data["busy"] = [{"delegate": "a", "start": "2024-05-14T15:00", "end": "2024-05-14T14:00"}]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="end after"):
        load_trip_file(empty_library, path)


def test_the_quebec_demo_sleeps_in_montreal_then_quebec_city(demo_library: Library) -> None:
    snap = load_snapshot(demo_library, 2)
    montreal, quebec = snap.hotel(None, D(2024, 5, 14)), snap.hotel(None, D(2024, 5, 15))
    assert montreal is not None and montreal.name == "Fairmont The Queen Elizabeth"
    assert quebec is not None and quebec.name == "Fairmont Le Château Frontenac"


def test_the_delegate_dialogs_step_and_new_hotels_undo_exactly(empty_library: Library) -> None:
    lib = empty_library
    trip_id, montreal, quebec, ana, _ben = _mission(lib)
    airport = Place("Example Airport Hotel", city="Dorval", lat=45.46, lon=-73.74)
    steps = [
        lambda lib, done: edits.SaveDelegate(
            Delegate(trip_id, "Cleo Example", arrival=T(2024, 5, 14, 9)),
            busy=(BusyBlock(0, T(2024, 5, 14, 10), T(2024, 5, 14, 11), "Partnering"),),
            stays=(Stay(trip_id, D(2024, 5, 14), D(2024, 5, 15), None),),
            new_places=(airport,),
        ),
        lambda lib, done: edits.SaveDelegate(
            dataclasses.replace(trips.get_delegate(lib, ana), departure_by="VIA 22"),
            busy=(),
            stays=(Stay(trip_id, D(2024, 5, 13), D(2024, 5, 13), quebec, ana),),
        ),
        lambda lib, done: edits.SetStays(
            trip_id,
            None,
            (
                Stay(trip_id, D(2024, 5, 12), D(2024, 5, 14), montreal),
                Stay(trip_id, D(2024, 5, 15), D(2024, 5, 15), None),
            ),
            (None, Place("Example Château", city="Québec")),
        ),
    ]
    done = replay(lib, steps)
    cleo = done[0].created_id("delegate")
    snap = load_snapshot(lib, trip_id)
    hotel = snap.hotel(cleo, D(2024, 5, 15))
    assert hotel is not None and hotel.name == "Example Airport Hotel"
    assert [b.title for b in snap.busy_of(cleo)] == ["Partnering"]
    night = snap.hotel(None, D(2024, 5, 15))
    assert night is not None and night.name == "Example Château"

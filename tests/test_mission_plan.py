"""Day plans, legs and checks over the mission model: each delegate's own hotel each morning
and night (across a change of hotel), a transfer as a segment between two places, busy blocks
as stops, the `absent` check, `plan --hotel --json`, and the demo rebuilt as a real mission."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli_helper import run
from visitplanner.library import Library, directory, stays, trips
from visitplanner.model import (
    BusyBlock,
    Delegate,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Place,
    Stay,
    TransferMode,
    TravelMode,
    Trip,
)
from visitplanner.planning.checks import ProblemKind, check_snapshot
from visitplanner.planning.dayplan import day_plans
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot

D = dt.date
T = dt.datetime


def _place(lib: Library, name: str, city: str, lat: float, lon: float) -> int:
    return directory.add_place(lib, Place(name, city=city, lat=lat, lon=lon, precision=None))


def _meeting(lib: Library, trip_id: int, title: str, place: int, start: T, minutes: int,
             who: list[int], **kw: object) -> int:  # fmt: skip
    return trips.add_meeting(
        lib,
        Meeting(
            trip_id,
            title,
            status=MeetingStatus.CONFIRMED,
            place_id=place,
            start=start,
            duration_minutes=minutes,
            delegate_ids=who,
            **kw,  # type: ignore[arg-type]
        ),
    )


class Mission:
    """Two nights in Montréal, then Québec City from the 15th; a train on the 15th."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.hotel_mtl = _place(lib, "Example Hotel Montréal", "Montréal", 45.5006, -73.5678)
        self.hotel_qc = _place(lib, "Example Hotel Québec", "Québec", 46.8119, -71.2050)
        self.own_hotel = _place(lib, "Example Inn Montréal", "Montréal", 45.5120, -73.5540)
        self.station_mtl = _place(lib, "Example Central Station", "Montréal", 45.4996, -73.5668)
        self.station_qc = _place(lib, "Example Palais Station", "Québec", 46.8174, -71.2139)
        self.lab = _place(lib, "Example Lab Montréal", "Montréal", 45.5041, -73.6143)
        self.parliament = _place(lib, "Example Parliament", "Québec", 46.8086, -71.2142)
        self.convention = _place(lib, "Example Convention", "Montréal", 45.5044, -73.5600)
        trip = Trip("Example Mission", D(2024, 5, 13), D(2024, 5, 16), "America/Toronto")
        trip.base_place_id = self.hotel_mtl
        trip.default_mode = TravelMode.TAXI
        self.trip = trips.add_trip(lib, trip)
        self.ana = trips.add_delegate(lib, Delegate(self.trip, "Ana Example"))
        self.ben = trips.add_delegate(
            lib,
            Delegate(
                self.trip,
                "Ben Example",
                arrival=T(2024, 5, 14, 13, 40),
                departure=T(2024, 5, 16, 12),
                arrival_by="AC 8790 YUL",
            ),
        )
        stays.add_stay(lib, Stay(self.trip, D(2024, 5, 12), D(2024, 5, 14), self.hotel_mtl))
        stays.add_stay(lib, Stay(self.trip, D(2024, 5, 15), D(2024, 5, 16), self.hotel_qc))
        # Ben sleeps elsewhere in Montréal.
        stays.add_stay(
            lib, Stay(self.trip, D(2024, 5, 14), D(2024, 5, 14), self.own_hotel, self.ben)
        )
        self.lab_visit = _meeting(
            lib, self.trip, "Lab visit", self.lab, T(2024, 5, 14, 15), 60, [self.ana, self.ben]
        )
        self.train = _meeting(
            lib,
            self.trip,
            "VIA Rail to Québec City",
            self.station_mtl,
            T(2024, 5, 15, 8),
            195,
            [self.ana, self.ben],
            kind=MeetingKind.TRANSFER,
            to_place_id=self.station_qc,
            transfer_mode=TransferMode.TRAIN,
            reference="VIA 22",
            mode=TravelMode.TRAIN,  # as an older file had it: the way to the station is local
        )
        self.officials = _meeting(
            lib,
            self.trip,
            "Officials",
            self.parliament,
            T(2024, 5, 15, 13),
            60,
            [self.ana, self.ben],
        )

    def snap(self) -> TripSnapshot:
        return load_snapshot(self.lib, self.trip)


@pytest.fixture
def mission(empty_library: Library) -> Mission:
    return Mission(empty_library)


def _plain(text: str) -> str:
    return text.replace("\u202f", " ")  # babel's narrow space before AM/PM


def _plan(snap: TripSnapshot, who: int, day: D) -> object:
    return next(p for p in day_plans(snap, who, with_base=True) if p.date == day)


def test_legs_start_and_end_at_each_nights_hotel_across_a_change_of_hotel(
    mission: Mission,
) -> None:
    snap = mission.snap()
    move_day = _plan(snap, mission.ana, D(2024, 5, 15))
    assert move_day.morning_hotel.name == "Example Hotel Montréal"  # type: ignore[attr-defined]
    assert move_day.hotel.name == "Example Hotel Québec"  # type: ignore[attr-defined]
    first, *_middle, last = move_day.legs  # type: ignore[attr-defined]
    assert first.from_hotel and first.from_place.name == "Example Hotel Montréal"
    assert last.to_hotel and last.to_place.name == "Example Hotel Québec"
    # Ben sleeps at his own inn on the 14th: his 15th starts there, not at the delegation's.
    bens = _plan(snap, mission.ben, D(2024, 5, 15))
    assert bens.morning_hotel.name == "Example Inn Montréal"  # type: ignore[attr-defined]
    assert bens.legs[0].from_place.name == "Example Inn Montréal"  # type: ignore[attr-defined]
    # His arrival day starts at the hotel of that night (he checks in first).
    arrival = _plan(snap, mission.ben, D(2024, 5, 14))
    assert arrival.legs[0].from_place.name == "Example Inn Montréal"  # type: ignore[attr-defined]
    assert arrival.legs[-1].to_place.name == "Example Inn Montréal"  # type: ignore[attr-defined]
    # Before he arrives he has no hotel and no legs.
    before = _plan(snap, mission.ben, D(2024, 5, 13))
    assert not before.present and before.morning_hotel is None  # type: ignore[attr-defined]
    assert before.legs == []  # type: ignore[attr-defined]


def test_a_transfer_is_a_segment_with_local_legs_on_both_sides(mission: Mission) -> None:
    snap = mission.snap()
    plan = _plan(snap, mission.ana, D(2024, 5, 15))
    legs = plan.legs  # type: ignore[attr-defined]
    assert [m.title for m in plan.transfers] == ["VIA Rail to Québec City"]  # type: ignore[attr-defined]
    to_station, from_station, back = legs
    # the hotel to the departure station, by taxi (the train is the transfer itself)
    assert (to_station.from_place.name, to_station.to_place.name) == (
        "Example Hotel Montréal",
        "Example Central Station",
    )
    assert to_station.leg.mode is TravelMode.TAXI and to_station.leg.distance_km < 1
    # the arrival station to the next stop, never a 250 km taxi from Montréal
    assert (from_station.from_place.name, from_station.to_place.name) == (
        "Example Palais Station",
        "Example Parliament",
    )
    assert from_station.leg.mode is not TravelMode.TRAIN and from_station.leg.distance_km < 2
    assert from_station.gap_minutes == 13 * 60 - (11 * 60 + 15)
    assert back.to_place.name == "Example Hotel Québec" and back.leg.distance_km < 2
    assert not any(leg.leg and leg.leg.distance_km > 50 for leg in legs)


def test_busy_blocks_with_a_place_are_stops_for_travel_and_checks(mission: Mission) -> None:
    lib = mission.lib
    stays.add_busy(
        lib,
        BusyBlock(
            mission.ana,
            T(2024, 5, 14, 14),
            T(2024, 5, 14, 14, 55),
            "Partnering",
            mission.convention,
        ),
    )
    snap = mission.snap()
    plan = _plan(snap, mission.ana, D(2024, 5, 14))
    names = [(leg.from_place.name, leg.to_place.name) for leg in plan.legs]  # type: ignore[attr-defined]
    assert names == [
        ("Example Hotel Montréal", "Example Convention"),
        ("Example Convention", "Example Lab Montréal"),
        ("Example Lab Montréal", "Example Hotel Montréal"),
    ]
    travel = [p for p in check_snapshot(snap) if p.kind is ProblemKind.TRAVEL]
    assert len(travel) == 1 and "Partnering" in travel[0].message
    assert travel[0].meeting_ids == (mission.lab_visit,)


def test_absent_before_arrival_after_departure_and_when_busy(mission: Mission) -> None:
    lib = mission.lib
    early = _meeting(
        lib, mission.trip, "Breakfast", mission.hotel_mtl, T(2024, 5, 14, 9), 60, [mission.ben]
    )
    late = _meeting(
        lib, mission.trip, "Farewell", mission.parliament, T(2024, 5, 16, 11, 30), 60, [mission.ben]
    )
    stays.add_busy(
        lib, BusyBlock(mission.ana, T(2024, 5, 15, 13, 30), T(2024, 5, 15, 14), "Own partnering")
    )
    absent = [p for p in check_snapshot(mission.snap()) if p.kind is ProblemKind.ABSENT]
    by_meeting = {(p.meeting_ids, p.delegate_ids): _plain(p.message) for p in absent}
    assert by_meeting == {
        ((early,), (mission.ben,)): "Ben Example arrives at 1:40 PM, after “Breakfast” starts.",
        ((late,), (mission.ben,)): "Ben Example leaves at 12:00 PM, before “Farewell” ends.",
        ((mission.officials,), (mission.ana,)): (
            "Ana Example is busy during “Officials”: “Own partnering”, 1:30 PM–2:00 PM."
        ),
    }
    assert all(p.severity.value == "error" for p in absent)


def test_plan_hotel_json_names_each_days_hotel_and_legs(
    mission: Mission, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "mission.visitplanner"
    mission.lib.db.execute("VACUUM INTO ?", (str(db),))
    argv = ("plan", "--db", str(db), "--trip", "1", "--delegate", "Ana Example", "--hotel")
    code, out, _err = run(capsys, *argv, "--json")
    assert code == 0
    days = {d["date"]: d for d in json.loads(out)["days"]}
    move = days["2024-05-15"]
    assert (move["morning_hotel"], move["hotel"]) == (
        "Example Hotel Montréal",
        "Example Hotel Québec",
    )
    assert move["legs"][0]["from_hotel"] and move["legs"][0]["from_place"] == (
        "Example Hotel Montréal"
    )
    assert move["legs"][-1]["to_hotel"] and move["legs"][-1]["to_place"] == ("Example Hotel Québec")
    train = next(s for s in move["stops"] if s["title"] == "VIA Rail to Québec City")
    assert (train["to_place"], train["transfer_mode"], train["reference"]) == (
        "Example Palais Station",
        "train",
        "VIA 22",
    )
    assert days["2024-05-16"]["hotel"] == "Example Hotel Québec"
    code, out, _err = run(capsys, *argv)
    assert code == 0
    assert ("Hotel: Example Hotel Montréal in the morning, Example Hotel Québec tonight") in out
    assert "back to Example Hotel Québec" in out
    assert "VIA Rail to Québec City  (Example Central Station → Example Palais Station)" in out


def test_the_quebec_demo_is_a_real_mission(demo_library: Library) -> None:
    quebec = next(t for t in trips.trips(demo_library) if t.region.value == "quebec")
    assert quebec.id is not None
    snap = load_snapshot(demo_library, quebec.id)
    hotels = {n: snap.hotel(None, D(2024, 5, n)) for n in (13, 14, 15)}
    assert hotels[13].name == hotels[14].name == "Fairmont The Queen Elizabeth"  # type: ignore[union-attr]
    assert hotels[15].name == "Fairmont Le Château Frontenac"  # type: ignore[union-attr]
    train = next(m for m in snap.meetings if m.reference == "VIA 22")
    assert train.transfer_mode is TransferMode.TRAIN and train.start == T(2024, 5, 15, 8)
    assert (snap.places[train.place_id].name, snap.places[train.to_place_id].name) == (  # type: ignore[index]
        "Gare centrale de Montréal",
        "Gare du Palais",
    )
    assert 180 <= train.duration_minutes <= 210  # VIA's corridor: about 3 h 15
    late = [d for d in snap.delegates.values() if d.arrival is not None]
    early = [d for d in snap.delegates.values() if d.departure is not None]
    assert late and early and snap.busy
    # A planned mission: nobody is down for anything while away or busy.
    problems = check_snapshot(snap)
    assert not [p for p in problems if p.kind is ProblemKind.ABSENT]
    # the train day's legs: the hotel to Gare centrale, then from Gare du Palais
    sarah = next(d for d in snap.delegates.values() if d.name == "Sarah O'Connell")
    plan = _plan(snap, sarah.id or 0, D(2024, 5, 15))
    assert plan.legs[0].to_place.name == "Gare centrale de Montréal"  # type: ignore[attr-defined]
    assert plan.legs[1].from_place.name == "Gare du Palais"  # type: ignore[attr-defined]
    assert plan.legs[-1].to_place.name == "Fairmont Le Château Frontenac"  # type: ignore[attr-defined]


def test_the_boston_demo_shows_one_delegate_absent(demo_library: Library) -> None:
    boston = next(t for t in trips.trips(demo_library) if t.region.value == "boston")
    assert boston.id is not None
    snap = load_snapshot(demo_library, boston.id)
    absent = [p for p in check_snapshot(snap) if p.kind is ProblemKind.ABSENT]
    assert [_plain(p.message) for p in absent] == [
        "Marie-Ève Pelletier arrives at 1:40 PM, after “Pier Four Clinical Research — essais "
        "de phase I” starts."
    ]
    assert [b.title for b in snap.busy] == ["BIO partnering 1:1 — NeuroBoréal"]


def test_check_json_carries_absent(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "check", "--db", str(demo_path), "--trip", "1", "--json")
    assert code == 0
    absent = [p for p in json.loads(out)["problems"] if p["kind"] == "absent"]
    assert [(p["severity"], p["delegates"]) for p in absent] == [("error", ["Marie-Ève Pelletier"])]
    assert len(absent[0]["meetings"]) == 1 and "Pier Four" in absent[0]["message"]

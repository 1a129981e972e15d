"""Day plans, legs and the travel check; `plan` and `trip new` on the command line."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from cli_helper import run

from visitplanner.i18n import translator
from visitplanner.library import Library, directory, trips
from visitplanner.model import Delegate, Meeting, MeetingStatus, Place, Precision, TravelMode, Trip
from visitplanner.planning.checks import ProblemKind, check_snapshot
from visitplanner.planning.dayplan import all_day_plans, day_plans
from visitplanner.planning.snapshot import load_snapshot

DAY = dt.date(2023, 6, 6)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def place(lib: Library, name: str, lat: float, lon: float) -> int:
    return directory.add_place(
        lib, Place(name=name, city="Boston", lat=lat, lon=lon, precision=Precision.VENUE)
    )


@pytest.fixture
def small(empty_library: Library) -> tuple[Library, int, dict[str, int]]:
    """A one-day trip: a hotel, two places ~3.3 km apart, two delegates."""
    lib = empty_library
    ids = {
        "hotel": place(lib, "Westin Boston Seaport", 42.3456, -71.0424),
        "bcec": place(lib, "BCEC", 42.3458, -71.0459),
        "broad": place(lib, "Broad Institute", 42.3626, -71.0877),
    }
    trip_id = trips.add_trip(
        lib,
        Trip(
            name="Small",
            first_day=DAY,
            last_day=DAY,
            base_place_id=ids["hotel"],
            buffer_minutes=10,
            default_mode=TravelMode.TAXI,
        ),
    )
    ids["trip"] = trip_id
    ids["ann"] = trips.add_delegate(lib, Delegate(trip_id, "Ann Example"))
    ids["bob"] = trips.add_delegate(lib, Delegate(trip_id, "Bob Example"))
    return lib, trip_id, ids


def meeting(
    ids: dict[str, int], title: str, where: str, start: dt.datetime | None, **kw: object
) -> Meeting:
    return Meeting(
        trip_id=ids["trip"],
        title=title,
        place_id=ids[where],
        start=start,
        status=MeetingStatus.CONFIRMED,
        **kw,  # type: ignore[arg-type]
    )


def test_day_plan_orders_stops_and_estimates_legs(
    small: tuple[Library, int, dict[str, int]],
) -> None:
    lib, trip_id, ids = small
    both = [ids["ann"], ids["bob"]]
    trips.add_meeting(lib, meeting(ids, "Broad", "broad", at(11), delegate_ids=both))
    trips.add_meeting(lib, meeting(ids, "Kiosk", "bcec", at(9), delegate_ids=both))
    trips.add_meeting(
        lib,
        meeting(ids, "Walk over", "bcec", at(13), delegate_ids=[ids["ann"]], mode=TravelMode.WALK),
    )
    snap = load_snapshot(lib, trip_id)
    (ann,) = day_plans(snap, ids["ann"])
    assert [m.title for m in ann.stops] == ["Kiosk", "Broad", "Walk over"]
    assert len(ann.legs) == 2
    to_broad, to_walk = ann.legs
    assert to_broad.leg is not None and to_walk.leg is not None
    assert to_broad.leg.mode is TravelMode.TAXI and 3.0 < to_broad.leg.distance_km < 4.0
    assert to_walk.leg.mode is TravelMode.WALK and to_walk.leg.minutes > to_broad.leg.minutes
    assert to_broad.gap_minutes == 60
    # The whole delegation: only the meetings everyone attends.
    (group,) = day_plans(snap, None)
    assert [m.title for m in group.stops] == ["Kiosk", "Broad"]
    # With the hotel: a leg out and a leg back.
    (ann_hotel,) = day_plans(snap, ids["ann"], with_base=True)
    assert ann_hotel.legs[0].origin is None and ann_hotel.legs[-1].destination is None
    assert len(ann_hotel.legs) == 4
    assert len(all_day_plans(snap)) == 3


def test_travel_override_and_unknown_place(small: tuple[Library, int, dict[str, int]]) -> None:
    lib, trip_id, ids = small
    nowhere = directory.add_place(lib, Place(name="Somewhere"))
    ids["nowhere"] = nowhere
    who = [ids["ann"]]
    trips.add_meeting(lib, meeting(ids, "A", "bcec", at(9), delegate_ids=who))
    trips.add_meeting(lib, meeting(ids, "B", "broad", at(11), delegate_ids=who, travel_minutes=45))
    trips.add_meeting(lib, meeting(ids, "C", "nowhere", at(14), delegate_ids=who))
    (plan,) = day_plans(load_snapshot(lib, trip_id), ids["ann"])
    assert plan.legs[0].leg is not None
    assert plan.legs[0].leg.minutes == 45 and not plan.legs[0].leg.estimated
    assert plan.legs[1].leg is None  # no coordinates: unknown, not zero


def test_travel_check_says_available_and_needed(small: tuple[Library, int, dict[str, int]]) -> None:
    lib, trip_id, ids = small
    who = [ids["ann"], ids["bob"]]
    a = trips.add_meeting(lib, meeting(ids, "Kiosk", "bcec", at(9), delegate_ids=who))
    b = trips.add_meeting(
        lib,
        meeting(ids, "Broad", "broad", at(10, 5), delegate_ids=who),  # 5 min gap
    )
    # Enough time: no problem for this pair.
    trips.add_meeting(lib, meeting(ids, "Back", "bcec", at(12), delegate_ids=[ids["bob"]]))
    problems = [p for p in check_snapshot(load_snapshot(lib, trip_id)) if p.kind == "travel"]
    assert len(problems) == 1
    (problem,) = problems
    assert problem.kind is ProblemKind.TRAVEL
    assert problem.meeting_ids == (a, b)
    assert set(problem.delegate_ids) == set(who)
    assert "5 min between “Kiosk” and “Broad”" in problem.message
    assert "Taxi" in problem.message and "km" in problem.message
    assert "10 min buffer" in problem.message
    french = check_snapshot(load_snapshot(lib, trip_id), translator("fr"))
    message = next(p.message for p in french if p.kind is ProblemKind.TRAVEL)
    assert "Kiosk" in message and "marge" in message  # one word for the buffer (issue 17)


def test_gap_equal_to_travel_plus_buffer_is_fine(
    small: tuple[Library, int, dict[str, int]],
) -> None:
    lib, trip_id, ids = small
    who = [ids["ann"]]
    trips.add_meeting(lib, meeting(ids, "A", "bcec", at(9), delegate_ids=who))
    from visitplanner.geo.travel import estimate

    leg = estimate((42.3458, -71.0459), (42.3626, -71.0877), TravelMode.TAXI)
    needed = leg.minutes + 10
    trips.add_meeting(
        lib, meeting(ids, "B", "broad", at(10) + dt.timedelta(minutes=needed), delegate_ids=who)
    )
    kinds = {p.kind for p in check_snapshot(load_snapshot(lib, trip_id))}
    assert ProblemKind.TRAVEL not in kinds
    trips.add_meeting(lib, meeting(ids, "C", "bcec", at(17), delegate_ids=who))
    other = load_snapshot(lib, trip_id)
    c = next(m for m in other.meetings if m.title == "C")
    c.start = at(11) + dt.timedelta(minutes=needed)  # right after B ends: no time to travel
    assert ProblemKind.TRAVEL in {p.kind for p in check_snapshot(other)}


def test_demo_checks_are_fast(demo_library: Library) -> None:
    snaps = [load_snapshot(demo_library, t.id) for t in trips.trips(demo_library) if t.id]
    check_snapshot(snaps[0])  # imports and babel data warmed once
    started = time.perf_counter()
    for snap in snaps:
        check_snapshot(snap)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.1, elapsed  # floor in DESIGN.md: 20 ms per 60-meeting trip


def test_plan_json_shape(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "plan", "--db", str(demo_path), "--trip", "2", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["trip"] == 2
    assert {d["date"] for d in data["days"]} == {
        "2024-05-13",
        "2024-05-14",
        "2024-05-15",
        "2024-05-16",
    }
    named = [d for d in data["days"] if d["delegate"]]
    assert named and any(d["delegate"] is None for d in data["days"])
    for day in data["days"]:
        assert set(day) == {
            "date",
            "delegate",
            "present",
            "morning_hotel",
            "hotel",
            "stops",
            "busy",
            "legs",
        }
        # without --hotel: the legs between stops and busy blocks with a place
        assert len(day["legs"]) == max(0, len(day["stops"]) + len(day["busy"]) - 1)
        for stop in day["stops"]:
            plain = {"meeting", "title", "start", "end", "place", "lat", "lon"}
            transfer = plain | {"to_place", "transfer_mode", "reference"}
            assert set(stop) in (plain, transfer)
            assert len(stop["start"]) == 5 and stop["start"][2] == ":"
        for leg in day["legs"]:
            assert set(leg) == {
                "from",
                "to",
                "from_hotel",
                "to_hotel",
                "from_busy",
                "to_busy",
                "from_place",
                "to_place",
                "mode",
                "distance_km",
                "minutes",
            }
    code, out, _err = run(
        capsys,
        "plan",
        "--db",
        str(demo_path),
        "--trip",
        "2",
        "--delegate",
        "Emily Zhang",
        "--json",
        "--hotel",
    )
    assert code == 0
    days = json.loads(out)["days"]
    assert {d["delegate"] for d in days} == {"Emily Zhang"}
    second = next(d for d in days if d["date"] == "2024-05-14")
    assert second["legs"][0]["from"] is None and second["legs"][0]["from_hotel"]
    assert second["legs"][-1]["to"] is None and second["legs"][-1]["to_hotel"]
    assert second["hotel"] == second["legs"][-1]["to_place"] == "Fairmont The Queen Elizabeth"
    # the first day starts with the coach from the airport: no way from the hotel to it
    first = next(d for d in days if d["date"] == "2024-05-13")
    assert first["stops"][0]["to_place"] == "Fairmont The Queen Elizabeth"
    assert not first["legs"][0]["from_hotel"] and first["legs"][-1]["to_hotel"]
    code, _out, err = run(
        capsys, "plan", "--db", str(demo_path), "--trip", "2", "--delegate", "Nobody"
    )
    assert code == 2 and "Nobody" in err and "Traceback" not in err


def test_trip_new(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys,
        "trip",
        "new",
        "--db",
        str(demo_path),
        "--name",
        "BIO 2025 Boston",
        "--from",
        "2025-06-16",
        "--to",
        "2025-06-19",
        "--region",
        "boston",
        "--base",
        "Westin Boston Seaport District",
        "--day-start",
        "08:00",
        "--day-end",
        "19:00",
        "--buffer",
        "15",
        "--json",
    )
    assert code == 0, _err
    trip_id = json.loads(out)["id"]
    with Library.open(demo_path) as lib:
        trip = trips.get_trip(lib, trip_id)
        base = directory.get_place(lib, trip.base_place_id or 0)
    assert trip.timezone == "America/New_York" and trip.buffer_minutes == 15
    assert trip.day_start == dt.time(8) and len(trip.days()) == 4
    assert "Westin" in base.name
    for bad in (
        ("--from", "2025-06-19", "--to", "2025-06-16"),
        ("--from", "june", "--to", "2025-06-16"),
        ("--from", "2025-06-16", "--to", "2025-06-17", "--tz", "Mars/Olympus"),
        ("--from", "2025-06-16", "--to", "2025-06-17", "--base", "Atlantis Hilton"),
        ("--from", "2025-06-16", "--to", "2025-06-17", "--day-start", "19:00"),
    ):
        code, _out, err = run(capsys, "trip", "new", "--db", str(demo_path), "--name", "X", *bad)
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err

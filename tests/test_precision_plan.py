"""Approximate places in day plans, checks and the command line (`plan`, `check`), EN and FR.

Two stops are the same place only when they are one place record, or two precise places
within 25 m; between approximate points the time is rough, or unknown when they coincide.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helper import run
from precision_trip import BOSTON, build

from visitplanner.i18n import translator
from visitplanner.library import Library
from visitplanner.model import Place, Precision
from visitplanner.planning.checks import ProblemKind, check_snapshot
from visitplanner.planning.dayplan import day_plans, same_place
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot


@pytest.fixture
def trip(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "precision.visitplanner"
    lib = Library.open(path, create=True)
    ids = build(lib)
    lib.close()
    return path, ids


def _snapshot(path: Path, trip_id: int) -> TripSnapshot:
    lib = Library.open(path)
    try:
        return load_snapshot(lib, trip_id)
    finally:
        lib.close()


def test_same_place_is_one_record_or_one_building() -> None:
    city_a = Place(name="A", lat=BOSTON[0], lon=BOSTON[1], precision=Precision.CITY, id=1)
    city_b = Place(name="B", lat=BOSTON[0], lon=BOSTON[1], precision=Precision.CITY, id=2)
    postal = Place(name="P", lat=BOSTON[0], lon=BOSTON[1], precision=Precision.POSTAL, id=3)
    street = Place(name="S", lat=BOSTON[0], lon=BOSTON[1], precision=Precision.STREET, id=4)
    venue = Place(name="V", lat=42.356, lon=-71.05, precision=Precision.VENUE, id=5)
    next_door = Place(name="N", lat=42.35605, lon=-71.05003, precision=Precision.ADDRESS, id=6)
    across = Place(name="X", lat=42.3563, lon=-71.05, precision=Precision.MANUAL, id=7)
    assert same_place(city_a, city_a)  # one record
    assert not same_place(city_a, city_b)  # two city centres on one point: two buildings
    assert not same_place(city_a, postal) and not same_place(postal, street)
    assert not same_place(street, Place(name="S2", lat=BOSTON[0], lon=BOSTON[1], id=8))
    assert same_place(venue, next_door)  # 6 m apart, both precise
    assert not same_place(venue, across)  # 33 m
    assert not same_place(venue, None)


def test_legs_between_approximate_places_are_rough_or_unknown_never_zero(
    trip: tuple[Path, dict[str, int]],
) -> None:
    path, ids = trip
    snap = _snapshot(path, ids["trip"])
    (plan,) = day_plans(snap, ids["ann"], with_base=True)
    into = {leg.destination.id: leg.leg for leg in plan.legs if leg.destination}
    assert into[ids["followup"]] is not None and into[ids["followup"]].minutes == 0
    assert not into[ids["followup"]].rough  # the same record: no travel at all
    assert into[ids["beacon"]] is None  # another place on the same guessed point: unknown
    tower = into[ids["tower_m"]]
    assert tower is not None and tower.rough and tower.minutes > 0
    annex = into[ids["annex_m"]]
    assert annex is not None and annex.minutes == 0 and not annex.rough  # next door
    for key in ("summer_m", "postal_m"):
        leg = into[ids[key]]
        assert leg is not None and leg.rough and leg.minutes > 0
    back = next(leg.leg for leg in plan.legs if leg.destination is None)
    assert back is not None and back.rough
    assert into[ids["intro"]] is not None and into[ids["intro"]].rough  # from the hotel


def test_check_lists_each_approximate_place_once_with_its_meetings_and_the_fix(
    trip: tuple[Path, dict[str, int]],
) -> None:
    path, ids = trip
    snap = _snapshot(path, ids["trip"])
    problems = [
        p for p in check_snapshot(snap, translator("en")) if p.kind is ProblemKind.IMPRECISE_PLACE
    ]
    by_place = {p.place_id: p for p in problems}
    assert len(problems) == len(by_place) == 4  # two city places, a street, a postal code
    assert set(by_place) == {ids[k] for k in ("aav_place", "beacon_place", "summer", "postal")}
    aav = by_place[ids["aav_place"]]
    assert aav.meeting_ids == (ids["intro"], ids["followup"])  # once, both meetings
    assert "“Atlantic Avenue Ventures” is located only to its city (Boston)" in aav.message
    assert "Meetings: “AAV intro”, “AAV follow-up”." in aav.message
    assert "its street (Summer St)" in by_place[ids["summer"]].message
    assert "its postal code (02210)" in by_place[ids["postal"]].message
    assert "Meeting: “Fort Point Postal”." in by_place[ids["postal"]].message
    for p in problems:
        assert p.fix == (
            "Fix: find the address (Places), drop the pin by hand on the map, or look it up "
            "online (Preferences)."
        )
    online = check_snapshot(snap, translator("en"), online_lookups=True)
    fixes = {p.fix for p in online if p.kind is ProblemKind.IMPRECISE_PLACE}
    assert fixes == {"Fix: find the address (Places) or drop the pin by hand on the map."}
    french = check_snapshot(snap, translator("fr"))
    aav_fr = next(p for p in french if p.place_id == ids["aav_place"])
    assert "«\u00a0Atlantic Avenue Ventures\u00a0» n’est situé qu’à sa ville (Boston)" in (
        aav_fr.message
    )
    assert "Rencontres\u00a0: «\u00a0AAV intro\u00a0», «\u00a0AAV follow-up\u00a0»." in (
        aav_fr.message
    )
    assert aav_fr.fix.startswith("Solution\u00a0: trouvez l’adresse (Lieux)")
    assert "(Préférences)" in aav_fr.fix


def test_check_names_an_approximate_hotel(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "hotel.visitplanner", create=True)
    ids = build(lib, hotel_precision=Precision.POSTAL)
    snap = load_snapshot(lib, ids["trip"])
    lib.close()
    problems = [p for p in check_snapshot(snap, translator("en")) if p.place_id == ids["hotel"]]
    assert len(problems) == 1
    assert problems[0].kind is ProblemKind.IMPRECISE_PLACE and problems[0].meeting_ids == ()
    assert "“Harbourview Hotel” is located only to its postal code (02210)" in problems[0].message
    assert "It is the trip's hotel." in problems[0].message


def test_check_command_prints_the_fix_and_json_keeps_its_shape(
    trip: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = trip
    code, out, _err = run(capsys, "check", "--db", str(path), "--trip", str(ids["trip"]))
    assert code == 0
    lines = out.splitlines()
    aav = next(i for i, line in enumerate(lines) if "“Atlantic Avenue Ventures” is" in line)
    assert lines[aav].startswith("[warning] ")
    assert lines[aav + 1].strip().startswith("Fix: find the address (Places)")
    assert sum("is located only to its" in line for line in lines) == 4
    code, out, _err = run(capsys, "check", "--db", str(path), "--trip", str(ids["trip"]), "--json")
    problems = json.loads(out)["problems"]
    imprecise = [p for p in problems if p["kind"] == "imprecise_place"]
    assert len(imprecise) == 4
    for p in problems:
        assert set(p) == {"kind", "severity", "meetings", "delegates", "message", "fix"}
    aav_json = next(p for p in imprecise if "Atlantic" in p["message"])
    assert aav_json["meetings"] == [ids["intro"], ids["followup"]]
    assert aav_json["delegates"] == ["Ann Example", "Bob Example"]
    assert aav_json["severity"] == "warning" and "Preferences" in aav_json["fix"]


def test_plan_says_same_place_unknown_and_rough_never_zero_minutes(
    trip: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = trip
    argv = ("plan", "--db", str(path), "--trip", str(ids["trip"]), "--delegate", "Ann Example")
    code, out, _err = run(capsys, *argv, "--hotel")
    assert code == 0
    assert "(Atlantic Avenue Ventures · address to be confirmed)" in out
    assert "(Harborline Tower)" in out  # a precise place: no note
    assert out.count("↓ Same place") == 2  # AAV's two meetings; the Tower and its Annex
    assert "↓ travel time unknown: both addresses are to be confirmed" in out
    assert "roughly" in out and "(address to be confirmed)" in out
    assert " 0 min" not in out
    lines = out.splitlines()
    beacon = next(i for i, line in enumerate(lines) if "Beacon Hill Labs  (" in line)
    assert "unknown" in lines[beacon - 1]
    code, out, _err = run(capsys, *argv, "--json")
    (day,) = json.loads(out)["days"]
    into = {leg["to"]: leg for leg in day["legs"]}
    assert into[ids["beacon"]]["minutes"] is None
    assert into[ids["annex_m"]]["minutes"] == 0


def test_plan_and_check_in_french(
    trip: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = trip
    argv = ("--db", str(path), "--trip", str(ids["trip"]))
    code, out, _err = run(capsys, "--lang", "fr", "plan", *argv, "--delegate", "Ann Example")
    assert code == 0
    assert "(Atlantic Avenue Ventures · adresse à confirmer)" in out
    assert "↓ durée du trajet inconnue\u00a0: les deux adresses sont à confirmer" in out
    assert "↓ Même endroit" in out and "environ" in out and "(adresse à confirmer)" in out
    code, out, _err = run(capsys, "--lang", "fr", "check", *argv)
    assert code == 0
    assert "«\u00a0Fort Point Postal\u00a0» n’est situé qu’à son code postal (02210)" in out
    assert "Solution\u00a0: trouvez l’adresse (Lieux)" in out


def test_a_tight_gap_to_an_approximate_place_says_the_time_is_rough(tmp_path: Path) -> None:
    import dataclasses
    import datetime as dt

    from visitplanner.library import trips

    lib = Library.open(tmp_path / "tight.visitplanner", create=True)
    ids = build(lib)
    tower = trips.get_meeting(lib, ids["tower_m"])
    assert tower.start is not None
    trips.update_meeting(
        lib, dataclasses.replace(tower, start=tower.start.replace(hour=11, minute=35))
    )
    snap = load_snapshot(lib, ids["trip"])
    lib.close()
    for lang, expected in (
        ("en", "roughly"),
        ("fr", "car une adresse est à confirmer"),
    ):
        travel = [p for p in check_snapshot(snap, translator(lang)) if p.kind is ProblemKind.TRAVEL]
        assert len(travel) == 1 and travel[0].meeting_ids == (ids["beacon"], ids["tower_m"])
        assert expected in travel[0].message
    assert dt.time(11, 35) == snap.meeting(ids["tower_m"]).start.time()  # type: ignore[union-attr]

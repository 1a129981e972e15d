"""Places in the core: near-identical places, the typed search over places, what uses each
place, merge and delete with undo, and a trip or organization at a new place in one step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from visitplanner import edits
from visitplanner.library import Library, directory, trips
from visitplanner.model import Organization, Place, Precision, Trip
from visitplanner.planning.places import place_uses, search_places, similar_places


@pytest.fixture
def lib(demo_library: Library) -> Iterator[Library]:
    yield demo_library


def _place_named(lib: Library, start: str) -> Place:
    return next(p for p in directory.places(lib).values() if p.name.startswith(start))


def test_same_address_is_similar_whatever_the_punctuation(lib: Library) -> None:
    mcgill = _place_named(lib, "McGill University —")
    typed = Place("McGill", street="845 rue Sherbrooke Ouest", city="Montreal")
    assert [p.id for p in similar_places(lib, typed)] == [mcgill.id]
    elsewhere = Place("McGill", street="845 rue Sherbrooke Ouest", city="Laval")
    assert similar_places(lib, elsewhere) == []


def test_a_few_metres_away_with_a_similar_name_is_similar(lib: Library) -> None:
    frontenac = _place_named(lib, "Fairmont Le Château")
    assert frontenac.lat is not None and frontenac.lon is not None
    near = Place("Château Frontenac", lat=frontenac.lat + 0.0001, lon=frontenac.lon)  # ~11 m
    assert [p.id for p in similar_places(lib, near)] == [frontenac.id]
    other_name = Place("Parc des Gouverneurs", lat=frontenac.lat + 0.0001, lon=frontenac.lon)
    assert similar_places(lib, other_name) == []
    far = Place("Château Frontenac", lat=frontenac.lat + 0.001, lon=frontenac.lon)  # ~111 m
    assert similar_places(lib, far) == []
    assert similar_places(lib, frontenac) == []  # a stored place is not its own double


def test_search_places_is_accent_insensitive_and_forgives_a_cut_word(lib: Library) -> None:
    places = directory.places(lib)
    assert [p.name for p in search_places(places, "Universit McGill")][:1] == [
        "McGill University — downtown campus"
    ]
    assert [p.name for p in search_places(places, "chateau front")] == [
        "Fairmont Le Château Frontenac"
    ]
    assert [p.name for p in search_places(places, "415 summer")] == [
        "Boston Convention and Exhibition Center"
    ]
    assert search_places(places, "zzyzx") == [] and search_places(places, "  ") == []


def test_place_uses_counts_meetings_organizations_and_trips(lib: Library) -> None:
    uses = place_uses(lib)
    assert set(uses) == set(directory.places(lib))
    trip = trips.trips(lib)[0]
    assert trip.base_place_id is not None and uses[trip.base_place_id].trips >= 1
    meeting_places = [m.place_id for m in trips.all_meetings(lib) if m.place_id]
    busiest = max(set(meeting_places), key=meeting_places.count)
    assert uses[busiest].meetings == meeting_places.count(busiest)
    org = next(o for o in directory.organizations(lib).values() if o.place_id)
    assert uses[org.place_id or 0].organizations >= 1
    unused = directory.add_place(lib, Place("Nobody's Example Hall", city="Boston"))
    assert place_uses(lib)[unused].total == 0


def test_merge_places_moves_every_use_and_undo_restores(lib: Library) -> None:
    trip = trips.trips(lib)[0]
    assert trip.base_place_id is not None
    hotel = directory.get_place(lib, trip.base_place_id)
    double = directory.add_place(lib, Place("Hotel double", street=hotel.street, city=hotel.city))
    org_id = directory.add_organization(lib, Organization("Example Org", place_id=double))
    before_uses = place_uses(lib)
    applied = edits.Merge("place", double, hotel.id or 0).apply(lib)  # keep the double
    assert hotel.id not in directory.places(lib)
    assert trips.get_trip(lib, trip.id or 0).base_place_id == double
    assert place_uses(lib)[double].total == before_uses[hotel.id or 0].total + 1
    assert directory.get_organization(lib, org_id).place_id == double
    applied.inverse.apply(lib)
    assert directory.get_place(lib, hotel.id or 0) == hotel
    assert trips.get_trip(lib, trip.id or 0).base_place_id == hotel.id


def test_delete_an_unused_place_and_undo_gives_it_back_under_its_id(lib: Library) -> None:
    place_id = directory.add_place(lib, Place("Example Annex", city="Québec", lat=46.8, lon=-71.2))
    applied = edits.Delete("place", place_id).apply(lib)
    assert place_id not in directory.places(lib)
    applied.inverse.apply(lib)
    assert directory.get_place(lib, place_id).name == "Example Annex"


@pytest.mark.parametrize("kind", ["trip", "organization"])
def test_a_trip_or_organization_at_a_new_place_is_one_step(tmp_path: Path, kind: str) -> None:
    import datetime as dt

    with Library.open(tmp_path / "l.visitplanner", create=True) as lib:
        found = Place(
            "Fairmont Le Château Frontenac",
            street="1 rue des Carrières",
            city="Québec",
            lat=46.81194,
            lon=-71.205,
            precision=Precision.VENUE,
            source="gazetteer",
        )
        record: Trip | Organization = (
            Trip("Québec 2026", dt.date(2026, 5, 4), dt.date(2026, 5, 6))
            if kind == "trip"
            else Organization("Example Biotech")
        )
        applied = edits.AtNewPlace(record, found).apply(lib)
        place_id = applied.created_id("place")
        assert place_id is not None
        if kind == "trip":
            assert trips.trips(lib)[0].base_place_id == place_id
        else:
            assert next(iter(directory.organizations(lib).values())).place_id == place_id
        undo = applied.inverse.apply(lib)
        assert directory.places(lib) == {} and trips.trips(lib) == []
        assert directory.organizations(lib) == {}
        undo.inverse.apply(lib)
        assert directory.get_place(lib, place_id).street == "1 rue des Carrières"


def test_place_edits_replay_exactly(lib: Library) -> None:
    """Every table, ids included, is the same after each undo and redo (the replay harness
    of tests/test_edits_replay.py)."""
    import dataclasses

    from test_edits_replay import replay

    found = Place("Example Annex", street="1 Example St", city="Boston", lat=42.35, lon=-71.06)
    trip = trips.trips(lib)[0]
    hotel = trip.base_place_id or 0
    spare = directory.add_place(lib, Place("Spare Example Hall", city="Boston"))
    done = replay(
        lib,
        [
            lambda lib, done: edits.AtNewPlace(dataclasses.replace(trip, name="Moved"), found),
            lambda lib, done: edits.AtNewPlace(Organization("Annex Example Org"), found),
            lambda lib, done: edits.Merge(
                "place", done[0].created_id("place"), done[1].created_id("place")
            ),
            lambda lib, done: edits.Merge("place", hotel, done[0].created_id("place")),
            lambda lib, done: edits.Delete("place", spare),
        ],
    )
    assert trips.get_trip(lib, trip.id or 0).base_place_id == hotel
    org_id = done[1].created_id("organization")
    assert directory.get_organization(lib, org_id).place_id == hotel
    assert spare not in directory.places(lib)

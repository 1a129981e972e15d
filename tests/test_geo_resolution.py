"""Honest resolution (issue 13): a city's name is the city, a venue matches on its whole name or
an alias, ambiguity is settled by the trip's region and by kind, and what remains is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helper import run

from visitplanner.geo import cities, text
from visitplanner.geo.gazetteer import Gazetteer, GazetteerEntry, default_gazetteer
from visitplanner.geo.geocoder import candidates, geocode, offline
from visitplanner.geo.travel import distance_km
from visitplanner.library import Library, directory
from visitplanner.model import Place, Precision
from visitplanner.planning.places import PlaceIndex

# (query, the city's name, its region)
CITY_QUERIES = [
    ("Laval, QC", "Laval", "QC"),
    ("Laval", "Laval", "QC"),
    ("Montréal", "Montréal", "QC"),
    ("Montreal", "Montréal", "QC"),
    ("Québec", "Québec", "QC"),
    ("Québec, QC", "Québec", "QC"),
    ("Quebec City", "Québec", "QC"),
    ("Ville de Québec", "Québec", "QC"),
    ("Montréal (Québec)", "Montréal", "QC"),
    ("Cambridge, MA", "Cambridge", "MA"),
    ("Boston", "Boston", "MA"),
    ("Boston, MA, USA", "Boston", "MA"),
    ("Sherbrooke", "Sherbrooke", "QC"),
    ("Laval (address to be confirmed)", "Laval", "QC"),
]


@pytest.mark.parametrize(("query", "name", "region"), CITY_QUERIES)
def test_a_query_naming_a_city_is_that_city(query: str, name: str, region: str) -> None:
    found = candidates(query)
    assert len(found) == 1, [r.label for r in found]
    city = found[0]
    assert (city.precision, city.source, city.kind) == (Precision.CITY, "city", "city")
    assert (city.city, city.region) == (name, region)
    assert city.reason == "the query names this city"
    centre = cities.lookup(name, region)
    assert centre is not None and (city.lat, city.lon) == (centre.lat, centre.lon)


def test_laval_is_not_universite_laval_230_km_away() -> None:
    laval = geocode("Laval, QC")
    ulaval = geocode("Université Laval")
    assert ulaval.precision is Precision.VENUE and ulaval.kind == "university"
    assert ulaval.city == "Québec"
    assert distance_km((laval.lat, laval.lon), (ulaval.lat, ulaval.lon)) > 200
    assert laval.city == "Laval" and laval.precision is Precision.CITY


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Université Laval", "ulaval"),
        ("Laval University", "ulaval"),
        ("ULaval", "ulaval"),
        ("palais des congres montreal", "palais-congres-mtl"),
        ("BCEC", "bcec"),
        ("MGH", "mgh"),
        ("Massachussets General Hospital", "mgh"),  # a typo, forgiven
        ("Montréal airport", "yul"),
        ("Le Place d'Armes", "place-darmes-hotel"),  # written as its name: not the basilica
    ],
)
def test_venues_match_on_their_whole_name_or_an_alias(query: str, expected: str) -> None:
    found = candidates(query)
    entry = next(e for e in default_gazetteer().entries if e.id == expected)
    assert (found[0].name, found[0].precision) == (entry.name, Precision.VENUE)


def test_one_word_or_a_prefix_of_a_name_is_no_match() -> None:
    gazetteer = default_gazetteer()
    # One word of "Université Laval", a typo away from "ULaval": not the university.
    assert gazetteer.match("Laval") is None
    assert gazetteer.match("Sherbrooke") is None  # "Université de Sherbrooke", "USherbrooke"
    # A prefix of "Montréal-Trudeau International Airport".
    assert gazetteer.match("Montréal") is None
    assert gazetteer.match("Montreal Trudeau") is None
    # Typos are forgiven only with the first letter right.
    assert text.word_similarity("laval", "ulaval") == 0.0
    assert text.word_similarity("massachussets", "massachusetts") > 0.7


def test_a_city_query_never_asks_for_a_venue_matched_by_a_piece() -> None:
    # "Laval, QC": the piece "Laval" once matched ULaval; the city is the answer, alone.
    assert [r.kind for r in candidates("Laval, QC")] == ["city"]
    assert offline("Laval, QC") == candidates("Laval, QC")[0]


def test_a_city_name_that_is_also_a_venue_alias_offers_both() -> None:
    # Dorval is a city the mission visits (its airport): the city first, the airport after.
    dorval = candidates("Dorval")
    assert [(r.kind, r.city) for r in dorval] == [("city", "Dorval"), ("airport", "Dorval")]
    assert dorval[1].reason == "a venue known by this name"
    # "Harvard" alone is the university; the small town of Harvard, MA comes after it...
    harvard = candidates("Harvard")
    assert [r.kind for r in harvard] == ["university", "city"]
    assert harvard[1].label == "Harvard, MA"
    assert harvard[1].reason == "a town of this name, away from the places the mission visits"
    # ... unless the query says it is the town.
    assert [r.kind for r in candidates("Harvard, MA")] == ["city", "university"]
    # A town beside Montréal is the town, not the hotel "W Montréal" ("W" and "Ouest" are both
    # "west" in an address, not in a name).
    assert [r.label for r in candidates("Montréal-Ouest")] == ["Montréal-Ouest, QC"]


def test_the_trips_region_settles_a_city_name() -> None:
    # Granby exists in Massachusetts and in Québec.
    both = candidates("Granby")
    assert [r.label for r in both] == ["Granby, MA", "Granby, QC"]
    assert both[1].reason == "another city of this name"
    quebec = candidates("Granby", region="quebec")
    assert [r.label for r in quebec] == ["Granby, QC"]
    assert quebec[0].reason == "the one of this name in the trip's region"
    assert [r.label for r in candidates("Granby", region="boston")] == ["Granby, MA"]
    # Cambridge alone in a Boston trip is Cambridge, MA (not Ontario's).
    assert [r.label for r in candidates("Cambridge", region="boston")] == ["Cambridge, MA"]
    assert geocode("Cambridge", region="quebec").label == "Cambridge, MA"
    # The region written in the query wins over the trip's.
    assert geocode("Granby, MA", region="quebec").label == "Granby, MA"


def test_the_trips_region_settles_a_venue_name_against_a_town() -> None:
    assert [r.kind for r in candidates("Kenmore")] == ["station", "city"]  # Kenmore, NY
    settled = candidates("Kenmore", region="boston")
    assert [r.name for r in settled] == ["Kenmore Station"]
    assert settled[0].reason == "the one of this name in the trip's region"


def _entry(id_: str, name: str, city: str, region: str, lat: float, lon: float) -> GazetteerEntry:
    return GazetteerEntry(
        id=id_,
        name=name,
        name_fr="",
        aliases=(),
        kind="landmark",
        street=f"1 {id_} Street",
        city=city,
        region=region,
        postal_code="",
        country="US" if region == "MA" else "CA",
        lat=lat,
        lon=lon,
        source="test",
    )


def test_a_venue_name_shared_by_two_cities() -> None:
    gazetteer = Gazetteer(
        [
            _entry("hub-boston", "Innovation Hub", "Boston", "MA", 42.35, -71.05),
            _entry("hub-quebec", "Innovation Hub", "Québec", "QC", 46.81, -71.21),
            _entry("other", "Innovation Park", "Boston", "MA", 42.36, -71.06),
        ]
    )
    both = candidates("Innovation Hub", gazetteer=gazetteer)
    assert [r.city for r in both] == ["Boston", "Québec"]
    assert {r.reason for r in both} == {"a venue known by this name"}
    for region, city in (("boston", "Boston"), ("quebec", "Québec")):
        settled = candidates("innovation hub", gazetteer=gazetteer, region=region)
        assert [r.city for r in settled] == [city]
        assert settled[0].reason == "the one of this name in the trip's region"
    # A typo of one of them is that one only.
    assert [r.city for r in candidates("Inovation Hub", gazetteer=gazetteer)] == [
        "Boston",
        "Québec",
    ]
    assert candidates("Innovation Hub", gazetteer=gazetteer, region="other")[0].city == "Boston"


def test_two_venues_of_one_alias_are_both_offered() -> None:
    found = candidates("Mass General Brigham")
    assert [r.name for r in found] == [
        "Brigham and Women's Hospital",
        "Massachusetts General Hospital",
    ]


def test_the_library_matches_whole_names_only(demo_library: object) -> None:
    lib = demo_library
    assert isinstance(lib, Library)
    # The Québec trip's library holds "Montréal–Trudeau International Airport (YUL)" and
    # "Laval (address to be confirmed)" at city precision: neither answers a city's name.
    montreal = geocode("Montréal", lib, region="quebec")
    assert (montreal.source, montreal.precision) == ("city", Precision.CITY)
    laval = geocode("Laval", lib, region="quebec")
    assert (laval.source, laval.city) == ("city", "Laval")
    # The whole name of a library place is that place, with its address.
    place = geocode("Westin Boston Seaport District", lib)
    assert (place.source, place.name) == ("library", "The Westin Boston Seaport District")
    assert place.street and place.to_place().street == place.street
    # A prefix of it is not: the chain goes on to the city the words name.
    prefix = geocode("Westin Boston", lib)
    assert (prefix.source, prefix.label) == ("city", "Boston, MA")
    assert prefix.reason == "the city in the query (nothing more precise was found)"


def test_place_index_takes_no_prefix_and_no_one_word_overlap(demo_library: object) -> None:
    lib = demo_library
    assert isinstance(lib, Library)
    index = PlaceIndex(lib)
    assert index.match("Montréal") is None  # once the airport place, by a prefix
    assert index.match("Westin Boston Seaport") is None
    assert index.match("Montréal–Trudeau") is None
    westin = index.match("Westin Boston Seaport District")
    assert westin is not None and westin.name == "The Westin Boston Seaport District"
    bcec = index.match("415 Summer St")  # its street, "St" is "Street"
    assert bcec is not None and bcec.name == "Boston Convention and Exhibition Center"
    mgh = index.match("Massachusets General Hospital")  # a typo
    assert mgh is not None and mgh.name == "Massachusetts General Hospital"
    # A place at city precision matches its own label only.
    laval = index.match("Laval")  # the demo's place named "Laval", at city precision
    assert laval is not None and laval.precision is Precision.CITY
    assert index.match("Laval centre") is None


def test_place_index_refuses_two_equal_matches(empty_library: object) -> None:
    lib = empty_library
    assert isinstance(lib, Library)
    for city, lat in (("Boston", 42.35), ("Québec", 46.81)):
        directory.add_place(
            lib,
            Place(name="Harbour Lab", city=city, lat=lat, lon=-71.1, precision=Precision.VENUE),
        )
    assert PlaceIndex(lib).match("harbor lab") is None  # a typo of both: no answer
    assert PlaceIndex(lib).match("Harbour Lab") is not None  # its label: the first one


def test_meeting_import_geocodes_montreal_as_the_city(demo_library: object) -> None:
    from visitplanner.exchange.meetings_csv import apply, preview

    lib = demo_library
    assert isinstance(lib, Library)
    airport = next(p for p in directory.places(lib).values() if "Trudeau" in p.name)
    data = "title,place,duration\nVisite,Montréal,30\nAccueil,Dorval,30\n".encode()
    result = preview(lib, data, 2)  # the Québec trip
    montreal = result.places["montreal"]
    assert montreal.id != airport.id and montreal.id is None
    assert (montreal.precision, montreal.city, montreal.region) == (
        Precision.CITY,
        "Montréal",
        "QC",
    )
    assert montreal.name == "Montréal"
    # "Dorval" is a city and the airport's alias: the import says which it took.
    assert result.places["dorval"].precision is Precision.CITY
    assert any("“Dorval” may be several places" in w for w in result.warnings)
    ids = apply(lib, result)
    stored = {p.id: p for p in directory.places(lib).values()}
    from visitplanner.library import trips

    meeting = trips.get_meeting(lib, ids[0])
    assert meeting.place_id is not None and stored[meeting.place_id].name == "Montréal"


def test_meeting_import_reuses_one_of_two_library_places_and_says_so(
    demo_library: object,
) -> None:
    from visitplanner.exchange.meetings_csv import preview

    lib = demo_library
    assert isinstance(lib, Library)
    ids = [
        directory.add_place(
            lib,
            Place(name="Harbour Lab", city=city, lat=lat, lon=lon, precision=Precision.VENUE),
        )
        for city, lat, lon in (("Boston", 42.35, -71.05), ("Québec", 46.81, -71.21))
    ]
    for trip_id, expected in ((1, ids[0]), (2, ids[1])):
        result = preview(lib, b"title,place,duration\nA,harbor lab,30\n", trip_id)
        assert result.places["harbor lab"].id == expected  # the one in the trip's region
    result = preview(lib, b"title,place,duration\nA,Harbour Lab,30\n", 1)
    assert result.places["harbour lab"].id == ids[0]  # its very label: the first one


def test_meeting_import_uses_the_trips_region(demo_library: object) -> None:
    from visitplanner.exchange.meetings_csv import preview

    lib = demo_library
    assert isinstance(lib, Library)
    data = b"title,place,duration\nA,Granby,30\n"
    assert preview(lib, data, 1).places["granby"].region == "MA"  # the Boston trip
    assert preview(lib, data, 2).places["granby"].region == "QC"  # the Québec trip


# -- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Laval, QC", "Laval, QC"),
        ("Montréal", "Montréal, QC"),
        ("Québec, QC", "Québec, QC"),
        ("Cambridge, MA", "Cambridge, MA"),
        ("Boston", "Boston, MA"),
    ],
)
def test_cli_answers_cities_with_the_city(
    query: str, label: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "geocode", query)
    assert code == 0 and err == ""
    assert out.strip().endswith(f"{label} (city, city)")
    code, out, err = run(capsys, "geocode", query, "--json")
    data = json.loads(out)
    assert code == 0 and (data["precision"], data["source"], data["label"]) == (
        "city",
        "city",
        label,
    )
    assert "alternatives" not in data


def test_cli_says_which_of_several_it_took(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "geocode", "Granby")
    assert code == 0 and "Granby, MA (city, city)" in out
    assert err.splitlines() == [
        "“Granby” may be several places; took Granby, MA (the query names this city).",
        "  also: Granby, QC (another city of this name)",
    ]
    code, out, err = run(capsys, "geocode", "Granby", "--region", "quebec")
    assert code == 0 and "Granby, QC (city, city)" in out and err == ""
    code, out, err = run(capsys, "geocode", "Dorval", "--json")
    data = json.loads(out)
    assert (data["precision"], data["source"], data["label"]) == ("city", "city", "Dorval, QC")
    [airport] = data["alternatives"]
    assert (airport["precision"], airport["source"]) == ("venue", "gazetteer")
    assert airport["reason"] == "a venue known by this name"
    assert "also: Montréal-Trudeau International Airport" in err
    code, _out, err = run(capsys, "geocode", "Granby", "--region", "paris")
    assert code == 2 and "--region" in err


def test_cli_travel_with_a_region(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "travel", "--from", "Laval, QC", "--to", "Montréal", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["from"]["precision"] == "city" and data["to"]["source"] == "city"
    assert data["distance_km"] < 25  # not Université Laval, 230 km away
    code, out, err = run(
        capsys, "travel", "--from", "Granby", "--to", "Boston", "--region", "boston", "--json"
    )
    data = json.loads(out)
    assert code == 0 and err == "" and data["from"]["region"] == "MA"
    code, out, err = run(capsys, "travel", "--from", "Granby", "--to", "Boston", "--json")
    data = json.loads(out)
    assert [a["label"] for a in data["from"]["alternatives"]] == ["Granby, QC"]
    assert "“Granby” may be several places" in err


def test_cli_json_has_precision_and_source_everywhere(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for query in ("BCEC", "02210", "45.5, -73.6", "Harvard", "12 Nowhere Lane, Boston, MA 02210"):
        code, out, _err = run(capsys, "geocode", query, "--db", str(demo_path), "--json")
        data = json.loads(out)
        assert code == 0
        for answer in [data, *data.get("alternatives", [])]:
            assert answer["precision"] in {p.value for p in Precision}
            assert answer["source"] and answer["reason"]


def test_a_long_text_costs_no_more_than_a_short_one() -> None:
    import time

    # A paragraph pasted in a place cell: the city tails and typo scans once took 10-13 s.
    started = time.monotonic()
    assert geocode("Boston QC " * 3000).label == "Boston, MA"
    with pytest.raises(Exception, match="No place matches"):
        geocode(" ".join(f"wordy{i}" for i in range(5000)))
    assert geocode("Laval, " * 5000).label == "Laval, QC"
    assert time.monotonic() - started < 8  # generous: the machine may be busy

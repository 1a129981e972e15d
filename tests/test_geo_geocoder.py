"""The offline geocoding chain: gazetteer, postal codes, cities, the library; accuracy."""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

import pytest

from visitplanner.geo import cities, postal
from visitplanner.geo.gazetteer import default_gazetteer
from visitplanner.geo.geocoder import GeocodingError, geocode, store_in_cache
from visitplanner.geo.travel import distance_km
from visitplanner.model import Place, Precision
from visitplanner.resources import resource_path


def _demo_places() -> list[dict[str, object]]:
    places = []
    for path in sorted(Path(resource_path("demo")).glob("*.json")):
        places += json.loads(path.read_text(encoding="utf-8"))["places"]
    return places


def test_gazetteer_rows_are_in_bounds_and_unique() -> None:
    with open(resource_path("gazetteer", "gazetteer.csv"), encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["lat"] and r["lon"]]
    assert len(rows) >= 50
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        lat, lon = float(r["lat"]), float(r["lon"])
        # Greater Boston / Cambridge, Montréal / Laval, Québec City, Sherbrooke
        assert 41.5 < lat < 47.5 and -74.5 < lon < -70.5, r["id"]
        if r["country"] == "US":
            assert lat < 43.0 and r["region"] == "MA", r["id"]
        else:
            assert lat > 45.0 and r["region"] == "QC", r["id"]
        assert r["source"].strip(), r["id"]
    # No two rows at the same point under different ids.
    points = [(round(float(r["lat"]), 4), round(float(r["lon"]), 4)) for r in rows]
    assert len(points) == len(set(points))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("BCEC", "bcec"),
        ("bcec", "bcec"),
        ("MGH", "mgh"),
        ("YUL", "yul"),
        ("Palais des congres de Montreal", "palais-congres-mtl"),
        ("Montréal, Palais des congrès de", "palais-congres-mtl"),
        ("Massachussets General Hospital", "mgh"),  # a typo
        ("Gare centrale de Montréal", "gare-centrale"),
        ("McGill University — downtown campus", "mcgill"),
        ("415 Summer St, Boston, MA 02210", "bcec"),
        ("845, rue Sherbrooke Ouest, Montréal (Québec) H3A 0G4", "mcgill"),
        ("Kendall Square Cambridge", "kendall-square"),
    ],
)
def test_gazetteer_matching(query: str, expected: str) -> None:
    match = default_gazetteer().match(query)
    assert match is not None and match.entry.id == expected


def test_unrelated_words_match_nothing() -> None:
    assert default_gazetteer().match("Pizzeria Napoli") is None
    assert default_gazetteer().match("Zxqv Widget Emporium") is None


def test_postal_codes_alone_and_inside_addresses() -> None:
    assert postal.lookup("02142") is not None
    h3a = postal.find_in("h3a")
    assert h3a is not None and h3a.code == "H3A" and h3a.country == "CA"
    inside = postal.find_in("845 Sherbrooke St W, Montreal, QC H3A 0G4, Canada")
    assert inside is not None and inside.code == "H3A"
    zip_code = postal.find_in("1 Kendall Sq, Cambridge, MA 02139-1562")
    assert zip_code is not None and zip_code.code == "02139"
    assert postal.find_in("10000 Main Street") is None  # a street number, not a ZIP


def test_chain_precision_by_kind_of_query() -> None:
    assert geocode("02210").precision == Precision.POSTAL
    assert geocode("H2Z").precision == Precision.POSTAL
    city = geocode("Quebec City")
    assert city.precision == Precision.CITY and city.label.startswith("Québec")
    manual = geocode("45.5017, -73.5673")
    assert (manual.lat, manual.lon, manual.precision) == (45.5017, -73.5673, Precision.MANUAL)
    with pytest.raises(GeocodingError, match="No place matches"):
        geocode("Pizzeria Napoli")


def test_an_address_with_a_postal_code_is_never_worse_than_its_centroid() -> None:
    # An unknown street address in a known ZIP: the centroid, not the city centre.
    result = geocode("12 Nowhere Lane, Boston, MA 02210")
    assert result.precision == Precision.POSTAL and result.source == "postal"
    centroid = postal.lookup("02210")
    assert centroid is not None
    assert (result.lat, result.lon) == (centroid.lat, centroid.lon)
    # A venue name written with a postal code far away: the centroid wins.
    contradicted = geocode("Massachusetts General Hospital, Montréal H3A 0G4")
    assert contradicted.precision == Precision.POSTAL


def test_every_answer_has_the_documented_fields() -> None:
    data = geocode("Broad Institute").to_json()
    assert set(data) == {"query", "lat", "lon", "precision", "source", "label"} | {
        "name",
        "street",
        "city",
        "region",
        "postal_code",
        "country",
        "kind",
        "reason",
    }
    assert data["reason"] == "a venue known by this name"
    assert data["name"] == "Broad Institute of MIT and Harvard"
    assert data["street"] == "415 Main Street" and data["city"] == "Cambridge"


def test_library_places_and_cache_come_first(empty_library: object) -> None:
    from visitplanner.geo.geocoder import GeoResult
    from visitplanner.library import Library, directory

    lib = empty_library
    assert isinstance(lib, Library)
    directory.add_place(
        lib,
        Place(
            name="Atelier Lumière Bio",
            city="Laval",
            lat=45.55,
            lon=-73.75,
            precision=Precision.ADDRESS,
            source="typed",
        ),
    )
    found = geocode("atelier lumiere bio", lib)
    assert (found.source, found.lat, found.precision) == ("library", 45.55, Precision.ADDRESS)
    store_in_cache(
        lib, GeoResult("Some Lab, Boston", 42.3, -71.1, Precision.ADDRESS, "nominatim", "x")
    )
    cached = geocode("some lab boston", lib)
    assert (cached.source, cached.lat) == ("cache", 42.3)


def test_city_names() -> None:
    montreal = cities.lookup("Montreal")
    assert montreal is not None and montreal.region == "QC"
    cambridge = cities.find_in("Cambridge, MA")
    assert cambridge is not None and cambridge.region == "MA"
    laval = cities.find_in("Laval (address to be confirmed)")
    assert laval is not None and laval.name == "Laval"


def test_accuracy_on_the_demo_venues() -> None:
    """Each demo place (real coordinates from a named public source) by name and by address."""
    errors_km = []
    by_name_venue = 0
    places = [p for p in _demo_places() if p["precision"] != "city"]
    for place in places:
        truth = (float(place["lat"]), float(place["lon"]))  # type: ignore[arg-type]
        address = ", ".join(
            str(place[k]) for k in ("street", "city", "region", "postal_code") if place[k]
        )
        for query in (str(place["name"]), address):
            try:
                result = geocode(query)
            except GeocodingError:
                continue
            errors_km.append(distance_km(truth, (result.lat, result.lon)))
        named = (
            geocode(str(place["name"])) if default_gazetteer().match(str(place["name"])) else None
        )
        by_name_venue += named is not None and named.precision == Precision.VENUE
    # Every address has a postal code, so nothing is left unanswered.
    assert len(errors_km) >= 2 * len(places) - 6
    assert statistics.median(errors_km) < 0.1
    assert max(errors_km) < 1.0  # the worst: a postal centroid for an address not in the gazetteer
    assert by_name_venue >= 0.8 * len(places)

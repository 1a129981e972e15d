"""Street-level geocoding offline (Cambridge MA, Québec City): parcels, interpolation,
intersections, streets; the city rule; the build script; the accuracy on public buildings."""

from __future__ import annotations

import csv
import gzip
import json
import math
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helper import run
from visitplanner.geo import cities, geocoder, streets
from visitplanner.model import Precision, is_approximate
from visitplanner.resources import resource_path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "streets"
SAMPLES = REPO / "bench" / "data"


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    k = math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot((a[1] - b[1]) * k, a[0] - b[0]) * 111_195.0


def point(result: geocoder.GeoResult | None) -> tuple[float, float]:
    assert result is not None
    return result.lat, result.lon


# -- with the shipped data -----------------------------------------------------------------


def test_a_cambridge_address_in_the_city_table_is_its_parcel_centroid() -> None:
    found = streets.locate("806 Massachusetts Ave, Cambridge, MA")
    assert found is not None
    assert (found.precision, found.kind, found.source) == (
        Precision.ADDRESS,
        "address",
        "streets:cambridge",
    )
    assert found.street == "806 Massachusetts Avenue"
    assert (found.city, found.region, found.country, found.postal_code) == (
        "Cambridge",
        "MA",
        "US",
        "02139",
    )
    assert found.label == "806 Massachusetts Avenue, Cambridge, MA 02139"
    data = streets.city_streets("cambridge")
    avenue = data.find("Massachusetts Avenue")[0]
    lat, lon, _radius = data.addresses[(avenue.index, "806")]
    assert point(found) == (round(lat, 6), round(lon, 6))
    # The city's own point for its Senior Center at 806 Massachusetts Ave.
    assert metres(point(found), (42.366673, -71.106279)) < 40


def test_a_quebec_address_is_interpolated_on_its_side_of_the_street() -> None:
    found = streets.locate("2 rue des Jardins, Québec")
    assert found is not None
    assert (found.precision, found.kind, found.source) == (
        Precision.ADDRESS,
        "address",
        "streets:quebec",
    )
    assert (found.street, found.city, found.region, found.country) == (
        "2, rue des Jardins",
        "Québec",
        "QC",
        "CA",
    )
    # Hôtel de ville de Québec, 2 rue des Jardins (the city's "Lieux publics" point).
    assert metres(point(found), (46.813419, -71.207428)) < 100


@pytest.mark.parametrize(
    ("query", "near"),
    [
        ("Main St & Ames St, Cambridge", (42.36258, -71.08817)),
        ("corner of Main and Ames, Cambridge, MA", (42.36258, -71.08817)),
        ("Ames Street and Main Street, Cambridge MA 02142", (42.36258, -71.08817)),
        ("coin rue Saint-Jean et côte du Palais, Québec", (46.81425, -71.21002)),
        ("à l'angle de la rue St-Jean et de la Côte du Palais, Québec", (46.81425, -71.21002)),
    ],
)
def test_two_streets_meeting_give_their_intersection(query: str, near: tuple[float, float]) -> None:
    found = streets.locate(query)
    assert found is not None and found.kind == "intersection", query
    assert found.precision == Precision.ADDRESS
    assert metres(point(found), near) < 5
    assert " & " in found.street


@pytest.mark.parametrize(
    "query",
    [
        "Massachusetts Avenue, Cambridge, MA",
        "Cambridge St, Cambridge",
        "rue Saint-Jean, Québec",
        "Grande Allée Est, Quebec City",
        "Broadway, Cambridge",  # a street's whole name, without a type
        "99999 Massachusetts Ave, Cambridge",  # a number past the street's ranges
    ],
)
def test_a_street_without_its_building_is_approximate(query: str) -> None:
    found = streets.locate(query)
    assert found is not None, query
    assert found.precision == Precision.STREET and found.kind == "street"
    assert is_approximate(found.precision)
    assert found.street and not found.street[0].isdigit()  # the street, no invented number


def test_a_street_answer_is_on_that_street() -> None:
    found = streets.locate("Massachusetts Avenue, Cambridge")
    avenue = streets.city_streets("cambridge").find("Massachusetts Avenue")[0]
    nearest = min(
        metres(point(found), (lat, lon)) for s in avenue.segments() for lon, lat in s.line
    )
    assert nearest < 150  # a vertex of the avenue itself is close by


@pytest.mark.parametrize(
    "query",
    [
        "Cambridge St, Boston",  # a Cambridge street name, in Boston
        "Cambridge St, Boston, MA 02114",
        "795 Massachusetts Ave, Boston, MA",
        "1 Broadway, Somerville, MA",
        "350 rue Saint-Jean, Montréal",
        "1150 boulevard René-Lévesque Ouest, Montréal (Québec)",
        "100 boulevard Saint-Martin, Laval, QC",
        "2 rue des Jardins, Québec, QC H3A 0G4",  # a Montréal postal code
        "795 Massachusetts Ave, Cambridge, MA 02114",  # a Boston ZIP code
        "795 Massachusetts Ave",  # no city: Arlington, Boston, Lexington have one too
        "Cambridge, MA",
        "Québec, QC",
        "Laval, QC",
        "Université Laval, Québec",
        # a city named before its province is the city, not the rue de Montréal in Québec
        "Montréal (Québec)",
        "Laval, Québec",
        "Lévis, Quebec",
        "Somerville, Cambridge",
        "Harvard, Cambridge",  # no street type, not a street's whole name
        "1150 boulevard René-Lévesque Ouest, Montréal (Québec)",
        "Québec (Québec)",
        "Fictive Labs, 12 Main St, Boston, MA",
        "12 Main St, Cambridge, ON",  # the other Cambridges
        "12 Main St, Cambridge, Ontario",
        "12 Trumpington St, Cambridge, UK",
    ],
)
def test_a_place_outside_the_two_cities_is_not_answered(query: str) -> None:
    assert streets.locate(query) is None


def test_the_chain_leaves_other_cities_to_the_postal_code_and_the_city() -> None:
    boston = geocoder.offline("Cambridge St, Boston, MA 02114")
    assert boston is not None and boston.source == "postal"
    montreal = geocoder.offline("350 rue Saint-Jean, Montréal")
    assert montreal is None or not montreal.source.startswith("streets")


@pytest.mark.parametrize(
    "variants",
    [
        [
            "1150 boul. René-Lévesque O, Québec",
            "1150 Boulevard Rene-Levesque Ouest, Quebec City",
            "1150, boul. René-Lévesque Ouest, Québec (Québec) G1R 5V8",
            "1150 René-Lévesque Blvd W, Quebec, QC",
            "1150 BOUL RENE LEVESQUE OUEST QUEBEC QC",
        ],
        [
            "rue St-Jean, Québec",
            "Rue Saint-Jean, Quebec City",
            "rue Saint-Jean, Vieux-Québec",
        ],
        [
            "806 Massachusetts Avenue, Cambridge, MA 02139",
            "806 Mass. Ave., Cambridge MA",
            "806 mass ave cambridge",
            "806 Massachusetts Ave Suite 2, Cambridge, MA",
        ],
        ["7950 1re Avenue, Québec", "7950 1ère avenue, Quebec City", "7950 1st Avenue, Quebec"],
    ],
)
def test_accents_abbreviations_and_order_do_not_matter(variants: list[str]) -> None:
    found = [streets.locate(q) for q in variants]
    assert all(f is not None for f in found), variants
    first = found[0]
    assert first is not None
    for other in found[1:]:
        assert other is not None and other.street == first.street
        assert metres(point(other), point(first)) < 1


def test_the_chain_returns_the_street_answer_and_lets_the_dialog_name_the_place() -> None:
    found = geocoder.geocode("1150 boul. René-Lévesque O, Québec")
    assert found.source == "streets:quebec" and found.precision == Precision.ADDRESS
    place = found.to_place()
    assert place.name == "1150, boulevard René-Lévesque Ouest"
    assert place.city == "Québec" and place.precision == Precision.ADDRESS


def test_cli_prints_the_precision_and_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "geocode", "--json", "806 Mass Ave, Cambridge, MA")
    assert code == 0
    data = json.loads(out)
    assert data["precision"] == "address" and data["source"] == "streets:cambridge"
    assert data["street"] == "806 Massachusetts Avenue" and data["kind"] == "address"
    code, out, _ = run(capsys, "geocode", "rue Saint-Jean, Québec")
    assert code == 0 and "(street, streets:quebec)" in out


# -- accuracy on the cities' own points ----------------------------------------------------


def _errors(city: str) -> list[float]:
    name = {"cambridge": "buildings_cambridge.csv", "quebec": "buildings_quebec.csv"}[city]
    centre = cities.find_in("Cambridge, MA" if city == "cambridge" else "Québec, QC")
    assert centre is not None
    errors = []
    with open(SAMPLES / name, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found = geocoder.offline(row["address"])
            at = (found.lat, found.lon) if found is not None else (centre.lat, centre.lon)
            errors.append(metres((float(row["lat"]), float(row["lon"])), at))
    return errors


@pytest.mark.parametrize(("city", "at_least"), [("cambridge", 100), ("quebec", 300)])
def test_public_buildings_geocode_within_150_m_median(city: str, at_least: int) -> None:
    errors = _errors(city)
    assert len(errors) >= at_least  # the kept sample (bench/data/README.md)
    assert statistics.median(errors) < 150, city


def test_lookups_are_fast_once_loaded() -> None:
    streets.city_streets("quebec")
    with open(SAMPLES / "buildings_quebec.csv", encoding="utf-8", newline="") as handle:
        queries = [row["address"] for row in csv.DictReader(handle)]
    started = time.perf_counter()
    for query in queries:
        streets.locate(query)
    assert (time.perf_counter() - started) / len(queries) < 0.005


def test_the_shipped_data_is_compact() -> None:
    size = sum(p.stat().st_size for p in Path(resource_path("streets")).iterdir() if p.is_file())
    assert size < 6_000_000
    readme = Path(resource_path("streets", "README.md")).read_text(encoding="utf-8")
    assert "PDDL" in readme and "CC BY 4.0" in readme and "Ville de Québec" in readme


# -- the build script, on a tiny extract made here ----------------------------------------


def _write_gz(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(content)


def _line(properties: dict[str, Any], coords: list[list[float]]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def _tiny_raw(raw: Path) -> None:
    """Two Cambridge streets meeting at (-71.10, 42.37), one with a parcel; two Québec
    streets meeting at (-71.22, 46.81)."""
    test_st = {
        "Street": "Test St",
        "L_From": 1,
        "L_To": 99,
        "R_From": 2,
        "R_To": 100,
        "ZIP_Left": "02139",
        "ZIP_Right": "02141",
    }
    other_ave = {"Street": "Other Ave", "L_From": -1, "L_To": -1, "R_From": -1, "R_To": -1}
    centre = {
        "type": "FeatureCollection",
        "features": [
            _line(test_st, [[-71.10, 42.37], [-71.09, 42.37]]),
            _line(other_ave, [[-71.10, 42.36], [-71.10, 42.37], [-71.10, 42.38]]),
        ],
    }
    _write_gz(raw / "cambridge" / "TRANS_Centerlines.geojson.gz", json.dumps(centre))
    crossing = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"Intersection": "Other Ave & Test St"},
                "geometry": {"type": "Point", "coordinates": [-71.10, 42.37]},
            }
        ],
    }
    _write_gz(raw / "cambridge" / "TRANS_Intersections.geojson.gz", json.dumps(crossing))
    _write_gz(
        raw / "cambridge" / "master_addr_2021.csv.gz",
        "1,51,,TEST,ST,,51 Test St,,,1-1,1-1\n2,7,,NOWHERE,ST,,7 Nowhere St,,,1-1,1-1\n",
    )
    # A 0.001 x 0.001 degree square parcel with its corner at (-71.0955, 42.3700):
    # centroid (-71.0950, 42.3705).
    parcels = {
        "type": "Topology",
        "transform": {"scale": [0.0001, 0.0001], "translate": [-71.0955, 42.3700]},
        "arcs": [[[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]]],
        "objects": {
            "parcels": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0]], "properties": {"ML": "1-1"}}],
            }
        },
    }
    _write_gz(raw / "cambridge" / "parcels14.topojson.gz", json.dumps(parcels))
    essais = {
        "TYPE": "Tronçon",
        "GENERIQUE": "Rue",
        "NOM_TOPOGR": "Rue des Essais",
        "N_CIV_G_DE": 1.0,
        "N_CIV_G_A": 99.0,
        "N_CIV_D_DE": 2.0,
        "N_CIV_D_A": 100.0,
    }
    autre = {"TYPE": "Tronçon", "GENERIQUE": "Rue", "NOM_TOPOGR": "Rue Autre"}
    bike = {"TYPE": "Piste cyclable", "GENERIQUE": "Piste", "NOM_TOPOGR": "Piste des Essais"}
    roads = {
        "type": "FeatureCollection",
        "features": [
            _line(essais, [[-71.22, 46.81], [-71.21, 46.81]]),
            _line(autre, [[-71.22, 46.80], [-71.22, 46.81]]),
            _line(bike, [[-71.22, 46.80], [-71.21, 46.80]]),
        ],
    }
    _write_gz(raw / "quebec" / "vdq_voiepublique.geojson.gz", json.dumps(roads))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, streets.CityStreets]:
    from resources.streets.make_streets import main

    folder = tmp_path_factory.mktemp("streets")
    _tiny_raw(folder / "raw")
    out = folder / "streets.json.gz"
    assert main([str(folder / "raw"), "--out", str(out)]) == 0
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return {code: streets.CityStreets(code, city) for code, city in data["cities"].items()}


def _find(tiny: dict[str, streets.CityStreets], query: str) -> streets.Hit:
    parsed = streets.parse(query)
    assert parsed is not None, query
    hit = streets.find(tiny[parsed.city], parsed)
    assert hit is not None, query
    return hit


def test_build_keeps_roads_addresses_and_intersections(
    tiny: dict[str, streets.CityStreets],
) -> None:
    assert [s.name for s in tiny["cambridge"].streets] == ["Test Street", "Other Avenue"]
    assert [s.name for s in tiny["quebec"].streets] == ["rue des Essais", "rue Autre"]
    assert len(tiny["cambridge"].addresses) == 1  # "7 Nowhere St" has no street
    assert len(tiny["quebec"].crossings) == 1  # the two roads share an end; not the bike path


def test_parcel_centroid_first(tiny: dict[str, streets.CityStreets]) -> None:
    hit = _find(tiny, "51 Test St, Cambridge, MA")
    assert (hit.method, hit.precision) == ("parcel", Precision.ADDRESS)
    assert hit.street == "51 Test Street"
    assert metres((hit.lat, hit.lon), (42.3705, -71.0950)) < 1


@pytest.mark.parametrize(
    ("query", "number", "start", "side"),
    [
        ("25 Test St, Cambridge", 25, 1, 1),  # odd: left of the line drawn eastwards: north
        ("26 Test St, Cambridge", 26, 2, -1),  # even: right: south
        ("25 rue des Essais, Québec", 25, 1, 1),  # N_CIV_G (gauche): north
        ("26, rue des Essais, Québec", 26, 2, -1),  # N_CIV_D (droite): south
    ],
)
def test_interpolation_position_and_side(
    tiny: dict[str, streets.CityStreets], query: str, number: int, start: int, side: int
) -> None:
    hit = _find(tiny, query)
    assert (hit.method, hit.precision, hit.kind) == ("interpolation", Precision.ADDRESS, "address")
    west = (-71.10, 42.37) if "Test" in query else (-71.22, 46.81)
    fraction = (number - start) / 98
    expected_lon = west[0] + 0.01 * fraction
    lat0 = west[1]
    along = metres((lat0, west[0]), (lat0, expected_lon))
    assert abs(metres((lat0, west[0]), (lat0, hit.lon)) - along) < 1
    offset = (hit.lat - lat0) * 111_195.0
    assert offset == pytest.approx(side * streets.SIDE_OFFSET_M, abs=0.5)
    if "Test" in query:
        assert hit.zip_code == ("02139" if side == 1 else "02141")


def test_number_outside_the_ranges_and_no_number_are_street(
    tiny: dict[str, streets.CityStreets],
) -> None:
    assert _find(tiny, "500 Test St, Cambridge").precision == Precision.STREET
    assert _find(tiny, "110 Test St, Cambridge").precision == Precision.ADDRESS  # a small gap
    whole = _find(tiny, "Test Street, Cambridge, MA")
    assert (whole.precision, whole.kind, whole.street) == (
        Precision.STREET,
        "street",
        "Test Street",
    )
    assert abs(whole.lat - 42.37) < 1e-6  # on the line
    assert _find(tiny, "Other Ave, Cambridge").precision == Precision.STREET  # no ranges


def test_intersections_from_the_layer_and_from_shared_ends(
    tiny: dict[str, streets.CityStreets],
) -> None:
    cambridge = _find(tiny, "Test St & Other Ave, Cambridge")
    assert cambridge.kind == "intersection"
    assert metres((cambridge.lat, cambridge.lon), (42.37, -71.10)) < 1
    quebec = _find(tiny, "coin rue des Essais et rue Autre, Québec")
    assert quebec.kind == "intersection"
    assert metres((quebec.lat, quebec.lon), (46.81, -71.22)) < 1


@pytest.mark.skipif(not RAW.is_dir(), reason="the raw street data is not on this machine")
def test_build_script_runs_on_an_extract_of_the_raw_data(tmp_path: Path) -> None:
    from resources.streets.make_streets import main

    out = tmp_path / "streets.json.gz"
    assert main([str(RAW), "--limit", "300", "--out", str(out)]) == 0
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    cambridge = streets.CityStreets("cambridge", data["cities"]["cambridge"])
    quebec = streets.CityStreets("quebec", data["cities"]["quebec"])
    assert cambridge.streets and quebec.streets
    name = quebec.streets[0].name
    parsed = streets.parse(f"{name}, Québec")
    assert parsed is not None and streets.find(quebec, parsed) is not None


def test_a_street_answer_goes_through_the_whole_chain() -> None:
    found = geocoder.geocode("rue Saint-Jean, Québec")
    assert (found.precision, found.source) == (Precision.STREET, "streets:quebec")
    assert not geocoder.is_precise(found)  # worth an online look when allowed


@pytest.mark.parametrize(
    "query",
    [
        "",
        ",",
        ", , ,",
        "()",
        "0",
        "&",
        "coin et",
        " & , Cambridge",
        "Québec (Québec) ,,,",
        "#",
        "1, Québec",
        "12 , Cambridge",
        "a" * 299 + ", Cambridge",
        "1 " + "&" * 200 + " Cambridge",
        "\x00 rue\u200b Saint-Jean, Québec",
        "١٢ شارع, Québec",
        "99999999999 Main St, Cambridge",
    ],
)
def test_odd_input_is_answered_or_not_without_error(query: str) -> None:
    found = streets.locate(query)
    assert found is None or found.source.startswith("streets:")


@pytest.mark.parametrize(
    ("query", "street"),
    [
        ("Fictive Bio Inc., 300 Main St, Cambridge, MA 02142", "300 Main Street"),
        ("795 Mass Ave, Suite 200, Cambridge, MA, USA", "795 Massachusetts Avenue"),
        ("Kendall Square, Main St & Ames St, Cambridge", "Main Street & Ames Street"),
        ("Château, 1 rue des Carrières, Québec (Québec) G1R 4P5", "1, rue des Carrières"),
        ("2, rue des Jardins, Sainte-Foy (Québec), Canada", "2, rue des Jardins"),
    ],
)
def test_the_address_is_found_among_a_venue_name_a_suite_and_a_province(
    query: str, street: str
) -> None:
    found = streets.locate(query)
    assert found is not None and found.street == street

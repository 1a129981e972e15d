"""Travel-time estimates are sane for trips a delegation actually makes."""

from __future__ import annotations

from visitplanner.geo.geocoder import geocode
from visitplanner.geo.travel import crosses_border, estimate, in_canada
from visitplanner.model import TravelMode


def _point(query: str) -> tuple[float, float]:
    r = geocode(query)
    return r.lat, r.lon


def test_logan_to_kendall_by_taxi() -> None:
    leg = estimate(_point("Logan airport"), _point("Kendall Square"), TravelMode.TAXI)
    assert 5 < leg.distance_km < 8
    assert 15 <= leg.minutes <= 40  # Google and ride-hail apps say 15-30 min off-peak
    assert not leg.border


def test_mcgill_to_the_convention_centre_on_foot() -> None:
    leg = estimate(_point("McGill"), _point("Palais des congrès de Montréal"), TravelMode.WALK)
    assert 0.8 < leg.distance_km < 1.6
    assert 12 <= leg.minutes <= 25


def test_boston_to_montreal_includes_the_border() -> None:
    south_station, central = _point("South Station"), _point("Gare centrale de Montréal")
    by_road = estimate(south_station, central, TravelMode.DRIVE)
    assert by_road.border
    assert 5 * 60 <= by_road.minutes <= 7 * 60  # 5 h of road, the crossing, a stop
    without = estimate(_point("Gare du Palais"), central, TravelMode.DRIVE)
    assert not without.border
    by_train = estimate(central, _point("Gare du Palais"), TravelMode.TRAIN)
    assert 3 * 60 <= by_train.minutes <= 4 * 60 + 15  # VIA: 3 h 15 plus check-in


def test_border_outline() -> None:
    for place in ("Montreal", "Quebec City", "Sherbrooke", "Laval"):
        assert in_canada(_point(place)), place
    for place in ("Boston", "Cambridge, MA", "Burlington, VT", "Portland, ME"):
        assert not in_canada(_point(place)), place
    assert crosses_border(_point("Boston"), _point("Québec"))


def test_override_and_same_place() -> None:
    a = _point("BCEC")
    leg = estimate(a, _point("MGH"), TravelMode.TAXI, override_minutes=12)
    assert (leg.minutes, leg.estimated) == (12, False)
    assert estimate(a, a, TravelMode.WALK).minutes == 0

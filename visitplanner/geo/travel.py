"""Travel time between two points: geodesic distance and a per-mode model.

An estimate, never a timetable: minutes = overhead + distance * detour / speed (+ border).
The planner shows its basis (distance, mode) beside every leg, and a person can override it.

Where the numbers come from (rounded; a delegation in a city centre on a weekday):
- walk: 4.8 km/h is the usual planning speed for adults (the US Manual on Uniform Traffic
  Control Devices uses 3.5 ft/s = 4.0 km/h for slow walkers; 5 km/h is typical); street grids
  make the path about 1.3 times the straight line (urban detour indexes are 1.2-1.4).
- transit: 18 km/h door-to-door on the moving part (MBTA subway and Montréal métro run at
  30-35 km/h between stations, buses at 12-18 km/h), 10 min to walk to the station and wait.
- taxi: 24 km/h (downtown Boston and Montréal average 20-30 km/h off-peak), detour 1.35,
  7 min to hail or wait for a ride-hail car and get out.
- drive (a rented car): as taxi, with 10 min to fetch the car and park at the other end.
- train (intercity): VIA Rail Montréal-Québec takes about 3 h 15 for 233 km straight
  (280 km of track at 86 km/h); plus 30 min to be at the station before departure (VIA asks
  for 30 min) and reach the platform.
- intercity road legs (over INTERCITY_KM, by taxi or drive): motorway speed, 95 km/h average
  with a road detour of 1.25 (Boston-Montréal is 400 km straight, 500 km by I-93/I-89; 5 h).
- border: legs between the United States and Canada add the crossing. By road at Highgate
  Springs/Saint-Armand or Derby Line/Stanstead, CBP and CBSA published waits are usually 10-30
  min, 45 min planned for a group with documents; Amtrak's Adirondack stops about 1 h 30 at
  Lacolle and Rouses Point for inspection.

Time of day (:func:`rush_factor`): the speeds above are midday, off-peak figures. On a weekday
the moving part of a road leg inside Boston, Montréal or Québec City is slower in the morning
(07:00-09:30) and the evening (15:30-18:30) rush. A peak's factor is (1 + peak congestion) /
(1 + all-day congestion), both from TomTom's Traffic Index (congestion = extra travel time over
free flow, measured from floating car data):
- Boston: TomTom North American Congestion Index, Q2 2012: +16 % all day, +28 % morning
  peak, +35 % evening peak -> 1.10 and 1.16.
- Montréal: TomTom Traffic Index 2014 (released 31 March 2015, reported by La Presse/CNW):
  +26 % all day, +47 % morning peak, +57 % evening peak -> 1.17 and 1.25. TomTom's 2022
  index (Daily Hive, 23 Feb 2023) still names Thursday 16:00-17:00 the worst hour.
- Québec City: TomTom Traffic Index 2014: +23 % all day (local streets 28-30 %, motorways
  15-16 %); TomTom publishes no peak split for it, so Montréal's peak-to-day ratios are
  applied: 1.14 and 1.21. (La Presse, Jan. 2017, on CAA's study: Québec's evening peak
  eases faster after 18:00 than the big cities'; hence the same end of rush.)
Taxi and drive legs take the whole factor; transit a third of it (buses share the streets,
the métro and the subway do not); walking and trains none; intercity road legs keep their
motorway numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from visitplanner.model import TravelMode

LatLon = tuple[float, float]

INTERCITY_KM = 40.0  # beyond this straight-line distance a road leg uses motorway numbers
# Two precise points closer than this are one building: no travel between them (25 m).
SAME_POINT_KM = 0.025


@dataclass(frozen=True)
class ModeModel:
    detour: float  # road or path distance over geodesic distance
    speed_kmh: float  # average moving speed along that path
    overhead_min: float  # waiting, walking to the vehicle, parking, check-in


MODES: dict[TravelMode, ModeModel] = {
    TravelMode.WALK: ModeModel(detour=1.3, speed_kmh=4.8, overhead_min=0),
    TravelMode.TRANSIT: ModeModel(detour=1.4, speed_kmh=18, overhead_min=10),
    TravelMode.TAXI: ModeModel(detour=1.35, speed_kmh=24, overhead_min=7),
    TravelMode.DRIVE: ModeModel(detour=1.35, speed_kmh=26, overhead_min=10),
    TravelMode.TRAIN: ModeModel(detour=1.2, speed_kmh=86, overhead_min=30),
}
INTERCITY_ROAD = ModeModel(detour=1.25, speed_kmh=95, overhead_min=15)
BORDER_MIN: dict[TravelMode, float] = {
    TravelMode.TAXI: 45,
    TravelMode.DRIVE: 45,
    TravelMode.TRANSIT: 45,  # an intercity coach stops at the border too
    TravelMode.TRAIN: 90,
    TravelMode.WALK: 30,
}


@dataclass(frozen=True)
class Leg:
    """The trip from one stop to the next."""

    mode: TravelMode
    distance_km: float
    minutes: int
    estimated: bool = True  # False when a person set the minutes by hand
    border: bool = False  # the leg crosses the Canada-United States border
    # An end is an approximate place (its street, postal area or city, not the building):
    # the distance and the time are rough. Set by the day plans (planning.dayplan).
    rough: bool = False


def distance_km(a: LatLon, b: LatLon) -> float:
    """Geodesic distance (WGS-84) in kilometres.

    The same computation as geopy's ``geodesic`` (Karney's algorithm from geographiclib,
    which geopy uses for it), called directly: importing ``geopy`` loads every geocoder
    and asyncio, a fifth of a second at start-up for one formula.
    """
    from geographiclib.geodesic import Geodesic

    result = Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)
    return float(result["s12"]) / 1000.0


def in_canada(point: LatLon) -> bool:
    """Whether a point of the mission area (New England, New York, Québec) is in Canada.

    A coarse outline of the border: the 45th parallel west of New Hampshire, the Québec-Maine
    line further east. Good for telling Boston from Montréal, Sherbrooke or Québec City.
    """
    lat, lon = point
    if lon <= -71.5:
        return lat >= 45.0
    if lon <= -70.2:
        return lat >= 45.3
    return lat >= 47.4


def crosses_border(a: LatLon, b: LatLon) -> bool:
    return in_canada(a) != in_canada(b)


def model_for(mode: TravelMode, km: float) -> ModeModel:
    """The numbers for one leg: road legs between cities run at motorway speed."""
    if mode in (TravelMode.TAXI, TravelMode.DRIVE) and km > INTERCITY_KM:
        return INTERCITY_ROAD
    return MODES[mode]


@dataclass(frozen=True)
class RushCity:
    name: str
    centre: LatLon
    morning: float  # moving-time factor in the morning peak, over the midday figure
    evening: float


RUSH_CITIES = (
    RushCity("Boston", (42.3601, -71.0589), morning=1.28 / 1.16, evening=1.35 / 1.16),
    RushCity("Montréal", (45.5019, -73.5674), morning=1.47 / 1.26, evening=1.57 / 1.26),
    RushCity("Québec City", (46.8139, -71.2080), morning=1.40 / 1.23, evening=1.49 / 1.23),
)
RUSH_RADIUS_KM = 30.0  # a leg starting this close to a city's centre is in its traffic
MORNING_PEAK = (7 * 60, 9 * 60 + 30)  # minutes since midnight, start included, end excluded
EVENING_PEAK = (15 * 60 + 30, 18 * 60 + 30)
# The share of the road slowdown each mode takes.
RUSH_SHARE: dict[TravelMode, float] = {
    TravelMode.TAXI: 1.0,
    TravelMode.DRIVE: 1.0,
    TravelMode.TRANSIT: 1 / 3,
}


def rush_city(point: LatLon) -> RushCity | None:
    """The city whose rush hours a leg starting at ``point`` meets, if any."""
    lat, lon = point
    for city in RUSH_CITIES:
        # An equirectangular distance is plenty at this scale (and cheap).
        dy = (lat - city.centre[0]) * 111.2
        dx = (lon - city.centre[1]) * 111.2 * math.cos(math.radians(city.centre[0]))
        if dx * dx + dy * dy <= RUSH_RADIUS_KM * RUSH_RADIUS_KM:
            return city
    return None


def rush_period(at: dt.datetime | None) -> str | None:
    """ "morning", "evening" or None (off-peak, a weekend, or no time given)."""
    if at is None or at.weekday() >= 5:
        return None
    minute = at.hour * 60 + at.minute
    if MORNING_PEAK[0] <= minute < MORNING_PEAK[1]:
        return "morning"
    if EVENING_PEAK[0] <= minute < EVENING_PEAK[1]:
        return "evening"
    return None


def rush_factor(a: LatLon, mode: TravelMode, at: dt.datetime | None) -> float:
    """How much longer the moving part of a city leg from ``a`` takes at ``at`` (1.0: as at
    midday). See the module's notes for the figures and their sources."""
    share = RUSH_SHARE.get(mode, 0.0)
    period = rush_period(at)
    if not share or period is None:
        return 1.0
    city = rush_city(a)
    if city is None:
        return 1.0
    peak = city.morning if period == "morning" else city.evening
    return 1.0 + (peak - 1.0) * share


def estimate(
    a: LatLon,
    b: LatLon,
    mode: TravelMode,
    override_minutes: int | None = None,
    at: dt.datetime | None = None,
) -> Leg:
    """The leg from ``a`` to ``b``; ``at`` (when the leg sets off, local time) adds the rush
    hours of the city it is in; without it, the midday estimate."""
    return estimate_with_factor(a, b, mode, override_minutes, rush_factor(a, mode, at))


def estimate_with_factor(
    a: LatLon, b: LatLon, mode: TravelMode, override_minutes: int | None, factor: float
) -> Leg:
    """:func:`estimate` with the time of day given as its factor on the moving part."""
    km = distance_km(a, b)
    border = crosses_border(a, b)
    if override_minutes is not None:
        return Leg(mode, round(km, 2), override_minutes, estimated=False, border=border)
    if km < SAME_POINT_KM:
        return Leg(mode, round(km, 2), 0)
    model = model_for(mode, km)
    if model is INTERCITY_ROAD:
        factor = 1.0
    minutes = model.overhead_min + km * model.detour / model.speed_kmh * 60 * factor
    if border:
        minutes += BORDER_MIN[mode]
    return Leg(mode, round(km, 2), math.ceil(minutes), border=border)

"""Travel time between two points: geodesic distance and a per-mode model.

An estimate, never a timetable: minutes = overhead + distance * detour / speed.
The planner shows its basis (distance, mode) beside every leg.
(First version; the numbers and their sources are documented in MODES.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from visitplanner.model import TravelMode

LatLon = tuple[float, float]


@dataclass(frozen=True)
class ModeModel:
    detour: float  # road or path distance over geodesic distance
    speed_kmh: float  # average door-to-door moving speed
    overhead_min: float  # waiting, walking to the vehicle, parking


MODES: dict[TravelMode, ModeModel] = {
    TravelMode.WALK: ModeModel(detour=1.3, speed_kmh=4.8, overhead_min=0),
    TravelMode.TRANSIT: ModeModel(detour=1.4, speed_kmh=18, overhead_min=10),
    TravelMode.TAXI: ModeModel(detour=1.35, speed_kmh=24, overhead_min=7),
    TravelMode.DRIVE: ModeModel(detour=1.35, speed_kmh=26, overhead_min=10),
    TravelMode.TRAIN: ModeModel(detour=1.2, speed_kmh=70, overhead_min=30),
}


@dataclass(frozen=True)
class Leg:
    """The trip from one stop to the next."""

    mode: TravelMode
    distance_km: float
    minutes: int
    estimated: bool = True  # False when a person set the minutes by hand


def distance_km(a: LatLon, b: LatLon) -> float:
    """Geodesic distance (WGS-84) in kilometres."""
    from geopy.distance import geodesic

    return float(geodesic(a, b).km)


def estimate(a: LatLon, b: LatLon, mode: TravelMode, override_minutes: int | None = None
             ) -> Leg:
    km = distance_km(a, b)
    if override_minutes is not None:
        return Leg(mode, round(km, 2), override_minutes, estimated=False)
    if km < 0.05:
        return Leg(mode, round(km, 2), 0)
    model = MODES[mode]
    minutes = model.overhead_min + km * model.detour / model.speed_kmh * 60
    return Leg(mode, round(km, 2), int(math.ceil(minutes)))

"""Transfers on a day's map: a train, flight or coach is a segment from its departure to its
arrival, drawn apart from the local legs (a dashed line with the mode's word, no arrows); the
route's local travel is the runs between them. Used by :mod:`visitplanner.geo.mapgeom`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Segment:
    """A transfer from ``start`` to ``end`` (screen points), named by ``label``."""

    start: Point
    end: Point
    label: str
    meeting_id: int | None = None


def split_runs(route: list[Point], breaks: Iterable[int]) -> list[list[Point]]:
    """``route`` cut where ``route[i] -> route[i + 1]`` is a segment (``i`` in ``breaks``):
    the runs of local travel, each of two points or more."""
    cut = set(breaks)
    out: list[list[Point]] = []
    current: list[Point] = []
    for i, point in enumerate(route):
        current.append(point)
        if i in cut:
            if len(current) >= 2:
                out.append(current)
            current = []
    if len(current) >= 2:
        out.append(current)
    return out


def midpoint(segment: Segment) -> Point:
    """Where a segment's label goes."""
    return ((segment.start[0] + segment.end[0]) / 2, (segment.start[1] + segment.end[1]) / 2)

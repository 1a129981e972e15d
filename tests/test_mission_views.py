"""The map and the timeline over the mission model: a transfer is a segment from its departure
to its arrival (dashed, the mode's word, no arrows), a move day shows both hotels, a
delegate's absence is shaded and their busy blocks hatched and titled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPointF

from ui.shell.main_window import MainWindow
from visitplanner.geo import mapgeom
from visitplanner.geo.mapgeom import Stop

QUEBEC = 2  # the demo's Montréal-then-Québec City mission, 2024-05-13 to 16
TRAIN_DAY = dt.date(2024, 5, 15)
HOTEL_MTL = (45.5006, -73.5678)
HOTEL_QC = (46.811944, -71.205)


def test_a_transfer_is_a_segment_without_arrows_and_the_day_ends_at_the_nights_hotel() -> None:
    stops = [
        Stop(45.4996, -73.5668, "Gare centrale", 1, end=(46.8174, -71.2139), segment_label="Train"),
        Stop(46.80861, -71.21417, "Parlement", 2),
    ]
    geom = mapgeom.day_map(stops, 800, 600, base=HOTEL_MTL, evening_base=HOTEL_QC)
    vp = geom.viewport
    hotel, station, palais, parliament, night = geom.route
    assert geom.hotel == hotel == vp.to_screen(*HOTEL_MTL)
    assert geom.evening_hotel == night == vp.to_screen(*HOTEL_QC)
    assert [(s.start, s.end, s.label) for s in geom.segments] == [(station, palais, "Train")]
    # local travel: the hotel to the station, then the arrival station onwards to the night
    assert geom.runs == [[hotel, station], [palais, parliament, night]]
    for arrow in geom.arrows:  # none on the 250 km train ride
        assert (
            min(abs(arrow.y - station[1]), abs(arrow.y - palais[1])) < abs(station[1] - palais[1])
            or arrow.y > palais[1]
        )
    assert len(geom.arrows) == len(mapgeom.route_arrows([hotel, station])) + len(
        mapgeom.route_arrows([palais, parliament, night])
    )
    # an arrival transfer first thing, a departure one last: no way to it, none back
    geom = mapgeom.day_map(stops[::-1][:1] + stops[:1], 800, 600, base=HOTEL_QC, from_base=False)
    assert geom.route[0] != geom.hotel and geom.route[-1] == geom.hotel


@pytest.fixture
def quebec(window: MainWindow) -> MainWindow:
    window.resize(1500, 900)
    window.context.set_trip(QUEBEC)
    return window


def test_the_map_draws_the_train_as_a_dashed_segment_and_both_hotels(quebec: MainWindow) -> None:
    from ui.map.transfers import SEGMENT

    view = quebec.map_view
    view.show_day(TRAIN_DAY)
    canvas = view.canvas
    geom = canvas.geometry_
    assert [s.label for s in geom.segments] == ["Train VIA 22"]
    assert geom.evening_hotel is not None and geom.evening_hotel != geom.hotel
    segment = geom.segments[0]
    image = canvas.grab().toImage()
    # the dashed line: the segment's colour along its way (no arrow on it)
    seen = 0
    for i in range(8, 40):
        t = i / 100
        x = segment.start[0] + (segment.end[0] - segment.start[0]) * t
        y = segment.start[1] + (segment.end[1] - segment.start[1]) * t
        colour = image.pixelColor(round(x), round(y))
        seen += (colour.red(), colour.green(), colour.blue()) == (
            SEGMENT.red(),
            SEGMENT.green(),
            SEGMENT.blue(),
        )
    assert seen >= 5
    for arrow in canvas.arrows:
        assert not _near_segment((arrow.x, arrow.y), segment, 6)


def _near_segment(point: tuple[float, float], segment: Any, tolerance: float) -> bool:
    (x0, y0), (x1, y1) = segment.start, segment.end
    dx, dy = x1 - x0, y1 - y0
    t = max(0.0, min(1.0, ((point[0] - x0) * dx + (point[1] - y0) * dy) / (dx * dx + dy * dy)))
    px, py = x0 + t * dx, y0 + t * dy
    inside = 0.05 < t < 0.95
    return inside and (point[0] - px) ** 2 + (point[1] - py) ** 2 <= tolerance**2


def test_the_timeline_reads_the_transfer_and_shades_absence_and_busy(
    quebec: MainWindow,
) -> None:
    from ui.schedule.timeline_paint import shade_rect

    area = quebec.schedule_area
    area.show_view(1)
    area.show_day(TRAIN_DAY)
    timeline = area.timeline
    lay = timeline.layout_
    train = next(b for b in lay.blocks if b.meeting.reference == "VIA 22")
    assert train.label == "Train VIA 22 · Gare centrale de Montréal → Gare du Palais"
    area.show_day(dt.date(2024, 5, 13))
    lay = timeline.layout_
    lanes = {lane.name: i for i, lane in enumerate(lay.lanes)}
    shades = {(lay.lanes[s.lane].name, s.kind): s for s in lay.shades}
    # the morning briefing is the whole delegation's: Renée, not there yet, is not missing
    briefing = [b.lane for b in lay.blocks if b.meeting.title == "Mission welcome briefing"]
    assert briefing[0] == 0 and lanes["Renée Dubois-Walker"] not in briefing
    renee = shades[("Renée Dubois-Walker", "absent")]
    assert (renee.lane, renee.start, renee.end) == (lanes["Renée Dubois-Walker"], 0, 11 * 60 + 50)
    busy = shades[("Daniel Reyes", "busy")]
    assert (busy.start, busy.end, busy.title) == (
        10 * 60 + 30,
        11 * 60 + 30,
        "Forum partnering — 1:1 meetings",
    )
    timeline.resize(1400, timeline.height())
    image = timeline.grab().toImage()
    rect = shade_rect(timeline, busy)

    def ochre(x0: float) -> int:  # the hatch's colour: red and green well above blue
        count = 0
        for dx in range(2, 40):
            for dy in range(-6, 7):
                c = image.pixelColor(round(x0 + dx), round(rect.center().y() + dy))
                count += c.red() - c.blue() > 25 and c.green() - c.blue() > 15
        return count

    assert ochre(rect.left()) > 20
    assert ochre(timeline.x_of(16 * 60)) == 0  # the same lane, later: no hatch
    # the absence is darker than the same lane after the arrival
    absent = shade_rect(timeline, renee)
    y = round(absent.bottom() - 4)
    before = image.pixelColor(round(absent.right() - 30), y).lightness()
    after = image.pixelColor(round(absent.right() + 30), y).lightness()
    assert before < after
    tip = timeline.tooltip_at(QPointF(rect.center().x(), rect.bottom() - 3))
    assert "Daniel Reyes is busy" in tip and "Forum partnering" in tip

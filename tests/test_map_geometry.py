"""The Qt-free map geometry shared by the map panel and the PDF day maps."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from visitplanner.geo import mapgeom
from visitplanner.geo.mapgeom import Stop, Viewport, day_map, fit, tile_of, to_world

BCEC = (42.3455, -71.0446)
KENDALL = (42.3625, -71.0862)
LOGAN = (42.3656, -71.0096)
HOTEL = (42.3480, -71.0420)


def test_projection_round_trip_and_known_tile() -> None:
    # Tile of the BCEC at zoom 15 as computed by the OSM wiki's formula.
    n = 2**15
    lat_r = math.radians(BCEC[0])
    expected_x = int((BCEC[1] + 180) / 360 * n)
    expected_y = int((1 - math.asinh(math.tan(lat_r)) / math.pi) / 2 * n)
    assert tile_of(*BCEC, 15) == (expected_x, expected_y)
    for zoom in (0, 3.5, 12, 18):
        x, y = to_world(*KENDALL, zoom)
        lat, lon = mapgeom.from_world(x, y, zoom)
        assert lat == pytest.approx(KENDALL[0], abs=1e-9)
        assert lon == pytest.approx(KENDALL[1], abs=1e-9)
    assert to_world(0, 0, 0) == pytest.approx((128, 128))


def test_fit_keeps_every_point_inside_the_margin() -> None:
    vp = fit([BCEC, KENDALL, LOGAN], 800, 600, margin=40)
    for lat, lon in (BCEC, KENDALL, LOGAN):
        x, y = vp.to_screen(lat, lon)
        assert 40 - 1e-6 <= x <= 760 + 1e-6
        assert 40 - 1e-6 <= y <= 560 + 1e-6
    # Tight: the widest span touches the margins on one axis.
    xs = [vp.to_screen(*p)[0] for p in (BCEC, KENDALL, LOGAN)]
    assert max(xs) - min(xs) == pytest.approx(720, abs=0.5)
    lat, lon = vp.to_latlon(*vp.to_screen(*LOGAN))
    assert (lat, lon) == pytest.approx(LOGAN)


def test_fit_single_point_and_nothing() -> None:
    one = fit([BCEC], 400, 300, max_zoom=15)
    assert one.zoom == 15
    assert one.to_screen(*BCEC) == pytest.approx((200, 150))
    region = fit([], 400, 300)
    (south, west), (north, east) = region.bounds()
    assert south < 42.3 and north > 46.8 and west < -73.7 and east > -71.0


def test_pan_and_zoom_around_the_cursor() -> None:
    vp = Viewport(42.35, -71.06, 13, 600, 400)
    moved = vp.panned(50, -20)
    assert moved.to_screen(*vp.to_latlon(100, 100)) == pytest.approx((150, 80))
    cursor = (420.0, 90.0)
    under = vp.to_latlon(*cursor)
    zoomed = vp.zoomed(1.5, *cursor)
    assert zoomed.zoom == 14.5
    assert zoomed.to_screen(*under) == pytest.approx(cursor, abs=1e-6)
    assert vp.zoomed(100).zoom == mapgeom.MAX_ZOOM


def test_tiles_cover_the_screen_without_gaps() -> None:
    vp = Viewport(42.35, -71.06, 13.4, 640, 480)
    tiles = vp.tiles()
    assert {t.z for t in tiles} == {13}
    size = tiles[0].size
    assert size == pytest.approx(256 * 2**0.4)
    # every screen corner and the centre fall in some tile
    for px, py in ((0, 0), (639, 0), (0, 479), (639, 479), (320, 240)):
        assert any(
            t.screen_x <= px < t.screen_x + t.size and t.screen_y <= py < t.screen_y + t.size
            for t in tiles
        )
    # the first tile is the one under the centre (drawn and fetched first)
    first = tiles[0]
    assert (first.x, first.y) == tile_of(42.35, -71.06, 13)
    assert len({(t.x, t.y) for t in tiles}) == len(tiles)


def test_scale_bar_is_round_and_true() -> None:
    vp = Viewport(42.35, -71.06, 14, 600, 400)
    bar = mapgeom.scale_bar(vp, max_pixels=120)
    assert bar.metres in {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}
    assert 40 <= bar.pixels <= 120
    assert bar.pixels * vp.metres_per_pixel() == pytest.approx(bar.metres)
    assert bar.label == "500 m" or bar.label.endswith(" m") or bar.label.endswith(" km")
    far = mapgeom.scale_bar(Viewport(44, -72, 6, 600, 400))
    assert far.label.endswith(" km")


def test_day_map_numbers_stops_in_order_and_routes_from_the_hotel() -> None:
    stops = [
        Stop(*KENDALL, "Kendall", 11),
        Stop(*BCEC, "BCEC", 12),
        Stop(*KENDALL, "Kendall again", 13),
    ]
    geom = day_map(stops, 800, 600, base=HOTEL)
    assert [p.text for p in geom.pins] == ["1, 3", "2"]
    assert geom.pins[0].meeting_ids == (11, 13)
    assert geom.hotel is not None
    assert geom.route[0] == geom.route[-1] == geom.hotel
    assert len(geom.route) == 5
    pin = geom.pins[1]
    assert geom.pin_at(pin.x + 3, pin.y - 3) is pin
    assert geom.pin_at(-100, -100) is None
    assert geom.tiles and geom.scale.pixels > 0
    # Everything (hotel too) is on screen.
    for x, y in geom.route:
        assert 0 <= x <= 800 and 0 <= y <= 600


def test_day_map_in_a_given_viewport() -> None:
    vp = Viewport(42.36, -71.05, 12, 300, 200)
    geom = day_map([Stop(*BCEC, "BCEC")], 300, 200, viewport=vp)
    assert geom.viewport is vp
    assert geom.route == [vp.to_screen(*BCEC)]
    assert geom.hotel is None


def test_mbtiles_import_from_a_file_name_with_uri_characters(tmp_path: Path) -> None:
    from visitplanner.geo.tiles import MBTiles

    source_path = tmp_path / "boston#1 100%.mbtiles"
    source = MBTiles(source_path)
    source.put(13, 2478, 3030, b"png")
    source.close()
    cache = MBTiles(tmp_path / "cache.mbtiles")
    assert cache.import_file(source_path) == 1
    assert cache.get(13, 2478, 3030) == b"png"
    cache.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boston#1 100%.mbtiles", "cache.mbtiles"]


def test_a_stop_at_the_hotel_is_drawn_on_the_hotels_one_marker() -> None:
    stops = [Stop(*HOTEL, "Hotel lobby", 1), Stop(*BCEC, "BCEC", 2, approximate=True)]
    geom = day_map(stops, 800, 600, base=HOTEL)
    at_hotel = [p for p in geom.pins if p.at_hotel]
    assert [p.text for p in at_hotel] == ["1"]
    assert (at_hotel[0].x, at_hotel[0].y) == geom.hotel
    assert geom.hotel_marker is None  # drawn once, by the pin at the hotel
    assert geom.pins[1].approximate and not geom.pins[0].approximate
    # a second meeting at the hotel joins the same marker
    geom = day_map([*stops, Stop(42.34801, -71.04201, "Hotel bar", 3)], 800, 600, base=HOTEL)
    assert [p.text for p in geom.pins if p.at_hotel] == ["1, 3"]
    # no stop at the hotel: the hotel has its own marker
    geom = day_map([Stop(*BCEC, "BCEC", 2)], 800, 600, base=HOTEL)
    assert geom.hotel_marker == geom.hotel and not any(p.at_hotel for p in geom.pins)


def test_route_arrows_point_along_each_leg() -> None:
    route = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (100.0, 110.0)]
    arrows = mapgeom.route_arrows(route, min_length=36)
    assert len(arrows) == 2  # the 10-pixel leg is too short for one
    east, south = arrows
    assert east.angle == pytest.approx(0) and 50 < east.x < 100 and east.y == 0
    assert south.angle == pytest.approx(math.pi / 2) and 50 < south.y < 100
    tip, left, right = east.head(9, 4)
    assert tip == (east.x, east.y) and left[0] < tip[0] and right[0] < tip[0]
    # a pin over the leg's middle: the arrow moves along the leg, or is left out when covered
    pin = mapgeom.Box(60, 0, 22, 22)
    (moved,) = mapgeom.route_arrows(route[:2], avoid=[pin])
    assert not mapgeom.Box(moved.x - 4.5, moved.y, 9, 9).overlaps(pin, 0)
    assert mapgeom.route_arrows(route[:2], avoid=[mapgeom.Box(50, 0, 100, 20)]) == []
    # there and back along one street: two arrows, apart
    there, back = mapgeom.route_arrows([(0.0, 0.0), (100.0, 0.0), (0.0, 0.0)])
    assert there.angle != back.angle and abs(there.x - back.x) > 15


def test_pin_labels_never_overlap_each_other_or_the_hotel() -> None:
    stops = [Stop(42.3455 + i * 1e-4, -71.0446, f"S{i}", i) for i in range(7)]
    geom = day_map(
        stops, 500, 300, base=(42.3456, -71.0447), viewport=Viewport(42.35, -71.05, 14, 500, 300)
    )
    hotel = mapgeom.Box(*geom.hotel, 20, 20) if geom.hotel else None
    boxes = mapgeom.pin_labels(geom.pins, [22.0] * len(geom.pins), 22, 500, 300, hotel)
    everything = [*boxes, hotel]
    for i, a in enumerate(everything):
        assert a is not None and a.inside(500, 300)
        assert not any(a.overlaps(b, 0) for b in everything[i + 1 :] if b is not None)


def test_base_labels_move_aside_or_are_dropped_never_under_a_pin() -> None:
    pin = mapgeom.Box(125, 100, 22, 22)  # right of the dot: the usual place of the name
    placed = mapgeom.place_base_labels([("Boston", 100, 100, 40, 12)], [pin], 400, 300)
    assert len(placed) == 1 and not placed[0].box.overlaps(pin, 0)
    assert placed[0].box.x < 100  # moved to the left of its dot
    covered = mapgeom.place_base_labels([("Boston", 120, 100, 40, 12)], [pin], 400, 300)
    assert covered == []  # its dot is under the pin: dropped
    boxed_in = [
        mapgeom.Box(100 + dx, 100 + dy, 40, 14)
        for dx, dy in ((24, -6), (-24, -6), (0, -10), (0, 10))  # right, left, above, below
    ]
    assert mapgeom.place_base_labels([("Boston", 100, 100, 40, 12)], boxed_in, 400, 300) == []
    # two names never overlap each other
    two = mapgeom.place_base_labels(
        [("Cambridge", 100, 100, 60, 12), ("Somerville", 102, 98, 60, 12)], [], 400, 300
    )
    assert len(two) == 2 and not two[0].box.overlaps(two[1].box, 0)


def test_print_tiles_are_150_ppi_and_at_most_two_levels_deeper() -> None:
    for zoom in (10.0, 12.3, 12.94, 12.96, 13.5, 15.99):
        vp = Viewport(42.35, -71.05, zoom, 511.2, 223.2).for_print()
        assert zoom - 0.06 <= vp.zoom <= zoom
        z = vp.print_tile_zoom()
        assert vp.tile_zoom() + 1 <= z <= vp.tile_zoom() + 2
        rects = vp.tiles(zoom=z)
        assert all(r.pixels_per_inch() >= 150 for r in rects)
        assert min(r.pixels_per_inch() for r in vp.tiles()) < 150  # the screen's would not do
    child = Viewport(42.35, -71.05, 14, 300, 200).tiles(zoom=15)[0]
    parent = child.ancestor(1)
    assert (parent.z, parent.x, parent.y) == (14, child.x // 2, child.y // 2)
    assert parent.size == 2 * child.size
    assert parent.screen_x <= child.screen_x < parent.screen_x + parent.size
    assert parent.screen_y <= child.screen_y < parent.screen_y + parent.size

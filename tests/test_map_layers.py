"""The offline street map: water where it is, streets and names, in the app and on PDF maps."""

from __future__ import annotations

import csv
import io
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helper import run
from visitplanner.geo import streetmap
from visitplanner.geo.mapgeom import Viewport
from visitplanner.resources import resource_path

# The places the mission goes to that sit next to the water (gazetteer ids).
LANDMARKS = [
    "gare-du-palais",
    "chateau-frontenac",
    "parlement-quebec",
    "hotel-dieu-quebec",
    "citadelle-quebec",
    "bcec",
    "aquarium-station",
    "courthouse-station",
    "hyatt-boston-harbor",
    "kendall-square",
    "kendall-mit-station",
    "stata-center",
    "mit",
    "marche-bonsecours",
    "notre-dame-basilica",
    "springhill-old-montreal",
    "palais-justice-montreal",
]
WATER = {
    "Boston Harbor off Long Wharf": (42.3600, -71.0430),
    "the Fort Point Channel": (42.3505, -71.0530),
    "the Charles between Back Bay and MIT": (42.3560, -71.0900),
    "the St. Lawrence below the Château Frontenac": (46.8050, -71.1950),
    "the Saint-Charles estuary": (46.8230, -71.2050),
    "the Bassin Louise": (46.8197, -71.2060),
    "the St. Lawrence at Montréal's Old Port": (45.5100, -73.5400),
}
OLD_QUEBEC = Viewport(46.8130, -71.2080, 15.3, 900, 650)
SEAPORT = Viewport(42.3490, -71.0470, 15.3, 900, 650)


def _gazetteer() -> dict[str, tuple[float, float]]:
    with resource_path("gazetteer", "gazetteer.csv").open(encoding="utf-8") as f:
        return {r["id"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}


def test_landmarks_are_on_land_and_the_water_is_where_it_is() -> None:
    places = _gazetteer()
    inside = {k: p for k, p in places.items() if streetmap.areas_in(p[0], p[1], p[0], p[1])}
    assert set(LANDMARKS) <= set(inside) and len(inside) > 100
    wet = [key for key, (lat, lon) in inside.items() if streetmap.in_water(lat, lon)]
    assert wet == []
    for what, (lat, lon) in WATER.items():
        assert streetmap.in_water(lat, lon), what
    assert not streetmap.in_water(40.7128, -74.0060)  # no street map in New York


def _separated(a: streetmap.Label, b: streetmap.Label | tuple[Any, ...]) -> bool:
    """Whether two convex quadrilaterals (label corners or a box) do not overlap (SAT)."""
    qa = list(a.corners)
    qb = list(b.corners) if isinstance(b, streetmap.Label) else _box_corners(b)
    for quad in (qa, qb):
        for i in range(4):
            (x0, y0), (x1, y1) = quad[i], quad[(i + 1) % 4]
            nx, ny = y0 - y1, x1 - x0
            pa = [nx * x + ny * y for x, y in qa]
            pb = [nx * x + ny * y for x, y in qb]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return True
    return False


def _box_corners(b: tuple[Any, ...]) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = b
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def test_a_city_view_has_streets_by_class_and_names_that_never_overlap() -> None:
    layers = streetmap.layers(OLD_QUEBEC)
    names = {s.name for s in layers.streets}
    assert {"Rue Saint-Jean", "Grande Allée Est", "Rue Dalhousie"} <= names
    assert any(s.major for s in layers.streets) and any(not s.major for s in layers.streets)
    assert layers.water and layers.land
    assert layers.attribution == "© OpenStreetMap contributors, Ville de Québec"
    labels = layers.labels
    assert len(labels) >= 10
    for label in labels:
        assert -90 < label.angle <= 90, label  # never upside down
        x0, y0, x1, y1 = label.box
        assert x0 >= 0 and y0 >= 0 and x1 <= OLD_QUEBEC.width and y1 <= OLD_QUEBEC.height
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert _separated(a, b), (a.text, b.text)


def test_labels_keep_clear_of_the_boxes_given_and_thin_out_at_low_zoom() -> None:
    middle = (250.0, 150.0, 650.0, 500.0)
    crowded = streetmap.layers(OLD_QUEBEC).labels
    assert any(not _separated(label, middle) for label in crowded)  # the check can fail
    clear = streetmap.layers(OLD_QUEBEC, avoid=[middle]).labels
    assert clear and all(_separated(label, middle) for label in clear)

    route = [(0.0, 650.0), (900.0, 0.0)]  # a route across the view: names stay off it
    line = streetmap.boxes_along(route, half=0.5)
    assert any(not _separated(label, box) for label in crowded for box in line)
    beside = streetmap.layers(OLD_QUEBEC, avoid=streetmap.boxes_along(route)).labels
    assert beside and all(_separated(label, box) for label in beside for box in line)

    city = streetmap.layers(Viewport(46.8130, -71.2080, 13.2, 900, 650))
    assert city.labels and all(label.major for label in city.labels)
    assert not any(s.major is False for s in city.streets)  # minor streets from 13.5
    region = streetmap.layers(Viewport(46.8130, -71.2080, 9.0, 900, 650))
    assert region.empty and region.attribution == ""
    nowhere = streetmap.layers(Viewport(40.7128, -74.0060, 15, 900, 650))
    assert nowhere.empty


def test_attribution_names_the_sources_in_view() -> None:
    boston = streetmap.layers(SEAPORT).attribution
    assert boston == "© OpenStreetMap contributors, City of Cambridge"
    montreal = streetmap.layers(Viewport(45.5060, -73.5520, 14.8, 900, 650))
    assert montreal.attribution == "Ville de Montréal"
    assert montreal.streets and not montreal.labels  # this source has no street names
    # zoomed out: Montréal's port water (Natural Earth and hand-drawn) is drawn, no street
    region = streetmap.layers(Viewport(45.5060, -73.5520, 10.5, 900, 650))
    assert region.water and not region.streets and region.attribution == ""


def test_shipped_data_is_compact_and_every_area_reads() -> None:
    folder = resource_path("streetmap")
    size = sum(p.stat().st_size for p in folder.glob("*.json.gz"))
    assert 100_000 < size < 12_000_000
    names = [name for name, _bounds, _credit in streetmap.index()]
    assert names == ["boston", "quebec", "montreal"]
    for name in names:
        area = streetmap.area(name)
        assert area is not None and len(area.streets) > 5000 and area.water


def test_start_up_does_not_load_the_street_map() -> None:
    code = (
        "import sys\n"
        "from visitplanner.cli import build_parser\n"
        "build_parser()\n"
        "import ui.shell.main_window\n"
        "print('streetmap' in ' '.join(sys.modules))\n"
        "import ui.map.layers\n"
        "print('visitplanner.geo.streetmap' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    ).stdout.split()
    assert out == ["False", "True"]


def _show_seaport(qtbot: Any, window: Any) -> Any:
    canvas = window.map_view.canvas
    canvas.resize(900, 650)
    canvas.set_viewport(Viewport(42.3490, -71.0470, 15.3, canvas.width(), canvas.height()))
    qtbot.wait(5)
    return canvas


def test_the_app_draws_streets_water_and_credits_when_no_tile_is_cached(
    qtbot: Any, window: Any
) -> None:
    from PySide6.QtGui import QColor, QImage, QPixmap

    from ui.map.layers import WATER as WATER_COLOUR

    canvas = _show_seaport(qtbot, window)
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert "© OpenStreetMap contributors" in canvas.layers_credit
    # the Fort Point Channel, between Summer Street and the harbour, is painted as water
    x, y = canvas.viewport.to_screen(42.3505, -71.0530)
    assert QColor(image.pixel(int(x), int(y))) == WATER_COLOUR
    # with the view's tiles cached, the tiles are drawn and the street map is not
    tile = QPixmap(256, 256)
    tile.fill(QColor("#123456"))
    for t in canvas.viewport.tiles(canvas.panel.max_tile_zoom()):
        canvas._pixmaps[(t.z, t.x, t.y)] = tile
    canvas.grab()
    assert canvas.layers_credit == "" and canvas.tiles_drawn > 0


def test_a_city_view_paints_in_well_under_a_frame_budget(qtbot: Any) -> None:
    from PySide6.QtGui import QFont, QImage, QPainter

    from ui.map import layers

    image = QImage(900, 650, QImage.Format.Format_ARGB32_Premultiplied)
    best = math.inf
    for view in (OLD_QUEBEC, SEAPORT) * 3:
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        start = time.perf_counter()
        drawn = layers.paint(painter, view, QFont())
        best = min(best, time.perf_counter() - start)
        painter.end()
        assert drawn.streets
    assert best < 0.2  # measured about 25-40 ms on one core; generous for a busy machine


def test_pdf_day_maps_draw_named_streets_and_credit_their_sources(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    texts = {}
    for trip in ("1", "2"):
        out = tmp_path / f"trip{trip}.pdf"
        code, _out, err = run(
            capsys, "export", "pdf", "--db", str(demo_path), "--trip", trip, "--out", str(out)
        )
        assert code == 0, err
        reader = PdfReader(io.BytesIO(out.read_bytes()))
        texts[trip] = "\n".join(page.extract_text() for page in reader.pages)
    assert "© OpenStreetMap contributors, City of Cambridge, Natural Earth" in texts["1"]
    assert "Commonwealth Avenue" in texts["1"]  # a street name along its street
    assert "© OpenStreetMap contributors, Ville de Québec, Natural Earth" in texts["2"]
    assert "Ville de Montréal, Natural Earth" in texts["2"]

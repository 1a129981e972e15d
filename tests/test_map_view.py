"""The map panel: pins of the selected day, pan, zoom, selection both ways, drag = undoable edit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from visitplanner.geo import tiles
from visitplanner.geo.mapgeom import Box


@pytest.fixture
def window(qtbot: Any, demo_path: Path) -> Iterator[Any]:
    from ui.shell.main_window import MainWindow
    from visitplanner.library import Library

    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(20)  # the window restores its saved splitter state on the next tick
    splitter = win.schedule_splitter
    splitter.setSizes([550] + [0] * (splitter.count() - 2) + [750])
    qtbot.wait(5)
    assert win.map_view.canvas.width() > 400
    yield win
    win.close()


def _day_with_most_pins(view: Any) -> None:
    best, best_count = 1, -1
    for i in range(1, view.day_combo.count()):
        view.day_combo.setCurrentIndex(i)
        if len(view.canvas.geometry_.pins) > best_count:
            best, best_count = i, len(view.canvas.geometry_.pins)
    view.day_combo.setCurrentIndex(best)


def test_map_shows_numbered_pins_and_follows_selection(qtbot: Any, window: Any) -> None:
    view = window.map_view
    _day_with_most_pins(view)
    canvas = view.canvas
    geom = canvas.geometry_
    assert len(geom.pins) >= 3
    assert geom.pins[0].numbers[0] == 1
    # every pin is on screen and the route joins them
    for pin in geom.pins:
        assert 0 <= pin.x <= canvas.width() and 0 <= pin.y <= canvas.height()
    assert len(geom.route) >= len(geom.pins)
    # click a pin: its meetings are selected in the schedule
    pin = geom.pins[1]
    with qtbot.waitSignal(window.context.meetingsSelected) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(pin.x), int(pin.y)))
    assert blocker.args[0] == list(pin.meeting_ids)
    assert set(window.selected_meeting_ids()) == set(pin.meeting_ids)
    # select in the schedule: the map marks that pin
    other = geom.pins[0].meeting_ids[0]
    window.select_meetings([other])
    assert view.selected_ids == [other]


def test_pan_and_wheel_zoom_around_the_cursor(qtbot: Any, window: Any) -> None:
    canvas = window.map_view.canvas
    _day_with_most_pins(window.map_view)
    before = canvas.viewport
    empty = _empty_spot(canvas)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=empty)
    qtbot.mouseMove(canvas, empty + QPoint(30, 10))
    qtbot.mouseMove(canvas, empty + QPoint(60, 20))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=empty + QPoint(60, 20))
    after = canvas.viewport
    assert after.zoom == before.zoom
    moved = after.to_screen(*before.to_latlon(100, 100))
    assert moved == pytest.approx((160, 120), abs=1)
    cursor = QPointF(200, 150)
    under = after.to_latlon(cursor.x(), cursor.y())
    event = QWheelEvent(
        cursor,
        canvas.mapToGlobal(cursor),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)
    assert canvas.viewport.zoom == pytest.approx(after.zoom + 1)
    assert canvas.viewport.to_screen(*under) == pytest.approx((200, 150), abs=0.5)


def _empty_spot(canvas: Any) -> QPoint:
    for x in range(40, canvas.width() - 40, 20):
        for y in range(40, canvas.height() - 40, 20):
            near = Box(x, y, 60, 60)
            if canvas.geometry_.pin_at(x, y, 40) is None and not any(
                d.box.overlaps(near) for d in canvas.drawn_pins
            ):
                return QPoint(x, y)
    raise AssertionError("no empty spot")


def test_dragging_a_pin_moves_its_place_and_undo_restores(qtbot: Any, window: Any) -> None:
    from visitplanner.library import directory
    from visitplanner.model import Precision

    view = window.map_view
    _day_with_most_pins(view)
    canvas = view.canvas
    pin = canvas.geometry_.pins[0]
    snap = view.snapshot()
    place = snap.place_of(snap.meeting(pin.meeting_ids[0]))
    start = QPoint(int(pin.x), int(pin.y))
    target = start + QPoint(40, 25)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, start + QPoint(10, 5))
    qtbot.mouseMove(canvas, target)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=target)
    moved = directory.get_place(window.library, place.id)
    expected = canvas.viewport.to_latlon(target.x(), target.y())
    assert (moved.lat, moved.lon) == pytest.approx(expected, abs=1e-6)
    assert moved.precision == Precision.MANUAL
    assert window.undo_stack.canUndo()
    # the pin is drawn at its new place
    new_pin = next(p for p in canvas.geometry_.pins if pin.meeting_ids[0] in p.meeting_ids)
    assert (new_pin.x, new_pin.y) == pytest.approx((target.x(), target.y()), abs=1)
    window.undo_stack.undo()
    back = directory.get_place(window.library, place.id)
    assert (back.lat, back.lon, back.precision) == (place.lat, place.lon, place.precision)


def _colours(canvas: Any) -> set[str]:
    image = canvas.grab().toImage()
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 25)
        for y in range(0, image.height(), 25)
    }


def test_whole_trip_and_an_empty_day_are_never_blank(qtbot: Any, window: Any) -> None:
    import dataclasses
    import datetime as dt

    from ui.map.view import LAND, SEA
    from visitplanner.library import trips

    view = window.map_view
    view.day_combo.setCurrentIndex(0)  # whole trip
    assert len(view.canvas.geometry_.pins) >= 5
    assert {SEA.name(), LAND.name()} < _colours(view.canvas)  # sea, land and pins at least
    # An empty day: the trip gets one more day, with nothing on it.
    trip = trips.get_trip(window.library, window.trip_id)
    empty_day = trip.last_day + dt.timedelta(days=1)
    trips.update_trip(window.library, dataclasses.replace(trip, last_day=empty_day))
    qtbot.waitUntil(lambda: view.day_combo.findData(empty_day.isoformat()) >= 0)
    view.day_combo.setCurrentIndex(view.day_combo.findData(empty_day.isoformat()))
    assert view.shown_day() == empty_day
    assert view.canvas.geometry_.pins == []
    # Not a blank panel: the map around the hotel, with a note saying why there is no pin.
    colours = _colours(view.canvas)
    assert LAND.name() in colours and len(colours) >= 3  # land, the hotel, the note
    hotel = view.canvas.viewport.to_screen(*view.base)
    assert 0 <= hotel[0] <= view.canvas.width() and 0 <= hotel[1] <= view.canvas.height()
    image = view.canvas.grab().toImage()
    note = image.pixelColor(view.canvas.width() // 2, 14)  # the note's white box at the top
    assert note.name() not in (LAND.name(), SEA.name()) and note.lightness() >= 250, note.name()
    assert view.empty_text() == "No meeting with a place on this day."


# -- tiles from a local server ---------------------------------------------------------------


def _png(colour: str) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice

    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


class _TileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _TileHandler)
        self.paths: list[str] = []
        self.agents: list[str] = []
        self.tile = _png("#b8d8a8")


class _TileHandler(BaseHTTPRequestHandler):
    server: _TileServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        self.server.agents.append(self.headers.get("User-Agent", ""))
        if self.path.startswith("/500/"):
            self.send_response(500)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(self.server.tile)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def tile_server() -> Iterator[_TileServer]:
    server = _TileServer()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_tiles_are_fetched_cached_and_drawn(
    qtbot: Any, window: Any, tile_server: _TileServer, sync_tasks: None
) -> None:
    from ui.shell import settings

    port = tile_server.server_address[1]
    settings.set_online(False, "", True, f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", False)
    try:
        view = window.map_view
        _day_with_most_pins(view)
        view.canvas.repaint()
        qtbot.waitUntil(lambda: view.canvas.tiles_drawn > 0, timeout=5000)
        assert tile_server.agents[0].startswith("VisitPlanner/")
        cache = view.tile_cache()
        assert cache is not None and cache.count() > 0
        assert tiles.cache_path_for(window.library.path).exists()
        # a failing server leaves the light base and a message, never a blank panel
        settings.set_online(
            False, "", True, f"http://127.0.0.1:{port}/500/{{z}}/{{x}}/{{y}}.png", False
        )
        view.canvas.set_viewport(view.canvas.viewport.zoomed(2))
        view.canvas.repaint()
        qtbot.waitUntil(lambda: "could not be loaded" in view.status.text(), timeout=5000)
    finally:
        settings.set_online(False, "", False, "", False)


def test_mbtiles_rows_are_tms_and_import_works(tmp_path: Path) -> None:
    source = tiles.MBTiles(tmp_path / "area.mbtiles")
    source.put(3, 2, 1, b"\x89PNG fake")
    row = source.db.execute("SELECT tile_row FROM tiles").fetchone()[0]
    assert row == 2**3 - 1 - 1
    source.close()
    target = tiles.MBTiles(tmp_path / "cache.mbtiles")
    assert target.import_file(tmp_path / "area.mbtiles") == 1
    assert target.get(3, 2, 1) == b"\x89PNG fake"
    (tmp_path / "junk.mbtiles").write_text("not sqlite")
    from visitplanner.errors import InputError

    with pytest.raises(InputError):
        target.import_file(tmp_path / "junk.mbtiles")


def test_prefetch_only_from_a_server_that_allows_it(
    tmp_path: Path, tile_server: _TileServer
) -> None:
    from visitplanner.errors import InputError

    port = tile_server.server_address[1]
    url = f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"
    store = tiles.MBTiles(tmp_path / "c.mbtiles")
    with pytest.raises(InputError, match="does not allow"):
        tiles.prefetch_area(
            tiles.TileSettings(enabled=True, url=url),
            store,
            (42.35, -71.1),
            (42.37, -71.05),
            range(12, 13),
        )
    assert tile_server.paths == []
    allowed = tiles.TileSettings(enabled=True, url=url, allows_prefetch=True)
    count = tiles.prefetch_area(allowed, store, (42.35, -71.1), (42.37, -71.05), range(12, 14))
    assert count == store.count() == len(tile_server.paths) > 0


# -- View > Offline Map ----------------------------------------------------------------------


def test_offline_menu_imports_an_mbtiles_file(qtbot: Any, window: Any, tmp_path: Path) -> None:

    source = tiles.MBTiles(tmp_path / "boston.mbtiles")
    source.put(12, 1239, 1514, _png("#cccccc"))
    source.close()
    assert window.offline_map.import_tiles(tmp_path / "boston.mbtiles") == 1
    cache = window.map_view.tile_cache()
    assert cache is not None and cache.get(12, 1239, 1514) is not None
    assert "1 map tile imported" in window.statusBar().currentMessage()


def test_storing_an_area_needs_a_server_that_allows_it(
    qtbot: Any,
    window: Any,
    tile_server: _TileServer,
    sync_tasks: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.map import actions as map_actions
    from ui.shell import settings

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    monkeypatch.setattr(map_actions, "OFFLINE_ZOOMS", range(10, 14))  # keep the test quick
    window.offline_map.store_trip_area()  # default: OpenStreetMap, which forbids it
    assert told and "does not allow" in told[0]
    assert tile_server.paths == []
    port = tile_server.server_address[1]
    settings.set_online(False, "", True, f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", True)
    try:
        window.offline_map.store_action.trigger()
        cache = window.map_view.tile_cache()
        assert cache is not None and cache.count() == len(tile_server.paths) > 10
        assert "map tiles stored" in window.statusBar().currentMessage()
    finally:
        settings.set_online(False, "", False, "", False)


def test_the_timeline_and_the_map_show_the_same_day(qtbot: Any, window: Any) -> None:
    area = window.schedule_area
    days = window.schedule_model.snapshot.trip.days()
    area.day_combo.setCurrentIndex(2)
    assert area.day == days[2] and window.map_view.shown_day() == days[2]
    window.map_view.show_day(days[1])
    assert area.day == days[1]
    window.map_view.day_combo.setCurrentIndex(0)  # whole trip: the timeline keeps its day
    assert window.map_view.shown_day() is None and area.day == days[1]


def test_a_tile_arriving_after_another_library_opened_is_dropped(
    qtbot: Any, window: Any, tile_server: _TileServer, tmp_path: Path, monkeypatch: Any
) -> None:
    """File > Open closes the old library's tile cache; a late tile must not be written there."""
    import ui.shell.tasks
    from ui.shell import settings

    pending: list[Any] = []
    monkeypatch.setattr(
        ui.shell.tasks, "run_task", lambda parent, work, done, **kw: pending.append(done)
    )
    port = tile_server.server_address[1]
    settings.set_online(False, "", True, f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", False)
    try:
        view = window.map_view
        _day_with_most_pins(view)
        view.canvas.repaint()
        qtbot.waitUntil(lambda: bool(pending), timeout=5000)  # fetched on the next tick
        old_cache = view.tile_cache()
        window._open_path(tmp_path / "other.visitplanner", create=True)
        assert view.tile_cache() is not old_cache
        pending[0](b"not drawn")  # no "Cannot operate on a closed database"
        assert view.tile_cache().count() == 0
    finally:
        settings.set_online(False, "", False, "", False)


def test_the_map_is_used_from_the_keyboard(qtbot: Any, window: Any) -> None:
    """Arrows pan, + and - zoom, Tab (or N, P) goes through the pins, Enter selects."""
    view = window.map_view
    _day_with_most_pins(view)
    canvas = view.canvas
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    before = canvas.viewport
    qtbot.keyClick(canvas, Qt.Key.Key_Left)  # shows what is west: the map moves right
    moved = canvas.viewport.to_screen(*before.to_latlon(100, 100))
    assert moved == pytest.approx((100 + canvas.width() / 4, 100), abs=1)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.viewport.to_screen(*before.to_latlon(100, 100)) == pytest.approx((100, 100))
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.viewport.zoom == pytest.approx(before.zoom + 0.5)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.viewport.zoom == pytest.approx(before.zoom)
    pins = canvas.keys.pins()
    assert len(pins) >= 3
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.hasFocus() and canvas.keys.focused_pin() == pins[0]
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.keys.focused_pin() == pins[1]
    with qtbot.waitSignal(window.context.meetingsSelected) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert blocker.args[0] == list(pins[1].meeting_ids)
    assert set(window.selected_meeting_ids()) == set(pins[1].meeting_ids)
    qtbot.keyClick(canvas, Qt.Key.Key_P)
    assert canvas.keys.focused_pin() == pins[0]
    qtbot.keyClick(canvas, Qt.Key.Key_P)  # before the first: round to the last
    assert canvas.keys.focused_pin() == canvas.keys.pins()[-1]
    qtbot.keyClick(canvas, Qt.Key.Key_N)
    assert canvas.keys.focused_pin() == canvas.keys.pins()[0]
    qtbot.keyClick(canvas, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert not canvas.hasFocus()  # Shift+Tab before the first pin leaves the map

"""The map panel as a person finds their way with it: hollow pins for approximate places,
one hotel marker, arrows, labels that do not hide each other or the cities, re-fitting when
the day's meetings change (not after a manual pan), and a note on how to get tiles."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from visitplanner.geo.mapgeom import Box
from visitplanner.model import Precision


@pytest.fixture
def window(qtbot: Any, demo_path: Path) -> Iterator[Any]:
    from ui.shell.main_window import MainWindow
    from visitplanner.library import Library

    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(20)
    splitter = win.schedule_splitter
    splitter.setSizes([550] + [0] * (splitter.count() - 2) + [750])
    qtbot.wait(5)
    yield win
    win.close()


def _first_day(view: Any) -> dt.date:
    view.day_combo.setCurrentIndex(1)
    day = view.shown_day()
    assert day is not None and len(view.canvas.geometry_.pins) >= 3
    return day


def _painted(canvas: Any) -> Any:
    image = canvas.grab().toImage()
    assert image.width() == canvas.width()  # one device pixel per widget pixel offscreen
    return image


def _make_approximate(window: Any, meeting_id: int, precision: Precision) -> Any:
    from ui.shell.undo import push_edit
    from visitplanner import edits

    snap = window.map_view.snapshot()
    place = snap.place_of(snap.meeting(meeting_id))
    push_edit(window.context, "Edit", edits.Update(dataclasses.replace(place, precision=precision)))
    return place


def _fill_at(image: Any, box: Any) -> QColor:
    """The colour inside a pin's label, left of its number."""
    return image.pixelColor(int(box.x - box.w / 2 + 5), int(box.y))


def test_approximate_pins_are_hollow_with_a_key_and_a_tooltip(qtbot: Any, window: Any) -> None:
    from ui.map.pins import PIN

    view = window.map_view
    _first_day(view)
    canvas = view.canvas
    pins = [d for d in canvas.drawn_pins if not d.hotel]
    exact, other = pins[0], pins[1]
    assert not exact.hollow and not other.hollow and canvas.key_rect is None
    _make_approximate(window, other.pin.meeting_ids[0], Precision.STREET)
    image = _painted(canvas)
    drawn = {d.pin.meeting_ids: d for d in canvas.drawn_pins}
    hollow, solid = drawn[other.pin.meeting_ids], drawn[exact.pin.meeting_ids]
    assert hollow.hollow and not solid.hollow
    inside = _fill_at(image, hollow.box)
    assert min(inside.red(), inside.green(), inside.blue()) > 230  # white inside
    assert _fill_at(image, solid.box).name() == PIN.name()  # filled red
    # the outline is dashed: all around the pin the pen's colour comes and goes
    import math

    r = hollow.box.h / 2 - 0.5
    ring = [
        image.pixelColor(
            int(hollow.box.x + r * math.cos(a / 36 * math.tau)),
            int(hollow.box.y + r * math.sin(a / 36 * math.tau)),
        )
        for a in range(36)
    ]
    reds = [c.red() > 150 and c.green() < 110 for c in ring]
    assert 6 <= sum(reds) <= 32, reds
    top_arc = [  # the solid pin's outline across its top: no gap
        image.pixelColor(
            int(solid.box.x + r * math.cos(a / 36 * math.tau)),
            int(solid.box.y + r * math.sin(a / 36 * math.tau)),
        )
        for a in range(23, 32)
    ]
    assert all(c.green() < 110 for c in top_arc), [c.name() for c in top_arc]
    # the key says what a hollow pin means
    assert canvas.key_rect is not None
    key = canvas.key_rect
    assert not any(key.intersects(_rect(d.box)) for d in canvas.drawn_pins)
    assert "address to be confirmed" in view.pin_tooltip(hollow.pin)
    assert "address to be confirmed" not in view.pin_tooltip(solid.pin)


def _rect(box: Any) -> Any:
    from PySide6.QtCore import QRectF

    return QRectF(box.x - box.w / 2, box.y - box.h / 2, box.w, box.h)


def test_city_and_postal_precision_are_approximate_too(qtbot: Any, window: Any) -> None:
    view = window.map_view
    _first_day(view)
    pins = [d for d in view.canvas.drawn_pins if not d.hotel]
    _make_approximate(window, pins[0].pin.meeting_ids[0], Precision.CITY)
    _make_approximate(window, pins[1].pin.meeting_ids[0], Precision.POSTAL)
    _painted(view.canvas)
    hollow = {d.pin.meeting_ids for d in view.canvas.drawn_pins if d.hollow}
    assert hollow == {pins[0].pin.meeting_ids, pins[1].pin.meeting_ids}


def test_the_hotel_is_one_marker_and_labels_never_overlap(qtbot: Any, window: Any) -> None:
    view = window.map_view
    _first_day(view)  # the Boston demo's first day starts and ends at the hotel
    canvas = view.canvas
    geom = canvas.geometry_
    assert any(p.at_hotel for p in geom.pins) and geom.hotel_marker is None
    _painted(canvas)
    hotels = [d for d in canvas.drawn_pins if d.hotel]
    assert len(hotels) == 1 and hotels[0].pin.at_hotel
    boxes = [d.box for d in canvas.drawn_pins]
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b, 0) for b in boxes[i + 1 :])
        assert a.inside(canvas.width(), canvas.height())
    # the hotel's stops are drawn on the hotel's marker, and no pin is drawn there again
    numbers = [n for d in canvas.drawn_pins for n in d.pin.numbers]
    assert sorted(numbers) == sorted(n for p in geom.pins for n in p.numbers)


def test_city_names_are_never_under_a_pin(qtbot: Any, window: Any) -> None:
    from visitplanner.geo import tiles

    view = window.map_view
    _first_day(view)
    canvas = view.canvas
    fitted = canvas.viewport
    for delta in (-2, -3, -4, -5):  # out to the scale of cities: Cambridge, Lowell...
        canvas.set_viewport(fitted.zoomed(delta))
        _painted(canvas)
        if canvas.city_labels:
            break
    assert canvas.city_labels, "no city name at city scale"
    boxes = [d.box for d in canvas.drawn_pins]
    for label in canvas.city_labels:
        assert not any(label.box.overlaps(b, 0) for b in boxes), label.name
    # a city under a pin is dropped, not drawn beneath it
    boston = next(lab for lab in tiles.basemap().labels if lab[0] == "Boston")
    x, y = canvas.viewport.to_screen(boston[1], boston[2])
    if any(b.contains(x, y) for b in boxes):
        assert "Boston" not in {lab.name for lab in canvas.city_labels}


def test_routes_have_arrows_painted(qtbot: Any, window: Any) -> None:
    from ui.map.pins import ROUTE

    view = window.map_view
    _first_day(view)
    canvas = view.canvas
    assert canvas.geometry_.arrows  # every long leg has a place for one
    image = _painted(canvas)
    assert len(canvas.arrows) >= 4  # drawn where no pin covers them
    for arrow in canvas.arrows:
        centre = Box(arrow.x, arrow.y, 6, 6)
        assert not any(centre.overlaps(d.box, 0) for d in canvas.drawn_pins)
    arrow = canvas.arrows[0]
    # the head's centre, a little behind the tip, is the arrow's solid route colour
    import math

    cx = arrow.x - math.cos(arrow.angle) * 5
    cy = arrow.y - math.sin(arrow.angle) * 5
    colour = image.pixelColor(round(cx), round(cy))
    assert (colour.red(), colour.green(), colour.blue()) == (
        ROUTE.red(),
        ROUTE.green(),
        ROUTE.blue(),
    )


def _add_meeting_far_away(window: Any, day: dt.date) -> int:
    from ui.shell.undo import push_edit
    from visitplanner import edits
    from visitplanner.model import Meeting, MeetingStatus, Place

    trip = window.map_view.snapshot().trip
    applied = push_edit(
        window.context,
        "New place",
        edits.Add(Place("Salem Harbor Lab", city="Salem", lat=42.5195, lon=-70.8967)),
    )
    place_id = next(iter(applied.created["place"]))
    meeting = Meeting(
        trip.id,
        "Lab visit in Salem",
        status=MeetingStatus.CONFIRMED,
        place_id=place_id,
        start=dt.datetime.combine(day, dt.time(20, 0)),
    )
    push_edit(window.context, "New meeting", edits.Add(meeting))
    return place_id


def _all_inside(canvas: Any) -> bool:
    return all(
        0 <= p.x <= canvas.width() and 0 <= p.y <= canvas.height() for p in canvas.geometry_.pins
    )


def test_the_map_refits_when_a_meeting_is_added_and_after_undo(qtbot: Any, window: Any) -> None:
    view = window.map_view
    day = _first_day(view)
    canvas = view.canvas
    before = canvas.viewport
    _add_meeting_far_away(window, day)
    assert len(view.stops) == sum(len(p.numbers) for p in canvas.geometry_.pins)
    assert canvas.viewport.zoom < before.zoom - 1  # zoomed out to Salem
    assert _all_inside(canvas)
    for pin in canvas.geometry_.pins:  # with padding
        assert 30 <= pin.x <= canvas.width() - 30 and 30 <= pin.y <= canvas.height() - 30
    window.undo_stack.undo()  # the meeting goes: back to the day's own extent
    assert canvas.viewport.zoom == pytest.approx(before.zoom)


def test_no_refit_after_a_manual_pan_until_fit(qtbot: Any, window: Any) -> None:
    view = window.map_view
    day = _first_day(view)
    canvas = view.canvas
    start = QPoint(canvas.width() // 2, canvas.height() - 30)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, start + QPoint(-20, -10))
    qtbot.mouseMove(canvas, start + QPoint(-80, -40))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(-80, -40))
    assert not canvas.auto_fit
    panned = canvas.viewport
    _add_meeting_far_away(window, day)
    assert canvas.viewport == panned  # the map stays where the user put it
    assert not _all_inside(canvas)
    assert "Fit" in view.status.text()
    qtbot.keyClick(canvas, Qt.Key.Key_F)  # F (or the Fit button) shows every stop again
    assert canvas.auto_fit and _all_inside(canvas)
    qtbot.mouseClick(view.fit_button, Qt.MouseButton.LeftButton)
    assert _all_inside(canvas)
    # another day: the map fits it and follows changes again
    view.day_combo.setCurrentIndex(2)
    assert canvas.auto_fit


def test_without_tiles_the_map_says_how_to_get_them(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    from visitplanner import i18n
    from visitplanner.geo.tiles import MBTiles

    view = window.map_view
    note = view.tile_note
    assert note.isVisible()
    assert "No map tiles" in note.text() and 'href="import"' in note.text()
    asked: list[bool] = []
    window.offline_map.import_action.triggered.disconnect()
    window.offline_map.import_action.triggered.connect(lambda: asked.append(True))
    note.linkActivated.emit("import")
    assert asked == [True]
    # once tiles are imported, the note goes
    source = MBTiles(tmp_path / "area.mbtiles")
    source.put(12, 1238, 1515, b"\x89PNG not really")
    source.close()
    assert window.offline_map.import_tiles(tmp_path / "area.mbtiles") == 1
    assert not note.isVisible()
    # and it is translated
    i18n.set_language("fr")
    try:
        note.actions_["import"] = window.offline_map.import_action
        view.tile_cache().db.execute("DELETE FROM tiles")
        view.update_tile_note()
        assert note.isVisible() and "Aucune tuile de carte" in note.text()
    finally:
        i18n.set_language("en")


def test_the_map_refits_when_a_meeting_moves_to_another_day_or_is_deleted(
    qtbot: Any, window: Any
) -> None:
    from ui.shell.undo import push_edit
    from visitplanner import edits

    view = window.map_view
    day = _first_day(view)
    canvas = view.canvas
    fitted = canvas.viewport
    _add_meeting_far_away(window, day)
    far = canvas.viewport
    assert far.zoom < fitted.zoom - 1
    salem = next(s.meeting_id for s in view.stops if s.label == "Salem Harbor Lab")
    assert salem is not None
    start = view.snapshot().meeting(salem).start
    push_edit(window.context, "Move", edits.MoveMeeting(salem, start + dt.timedelta(days=1)))
    assert view.shown_day() == day and canvas.viewport.zoom == pytest.approx(fitted.zoom)
    window.undo_stack.undo()  # back on this day: out to Salem again
    assert canvas.viewport.zoom == pytest.approx(far.zoom)
    push_edit(window.context, "Delete", edits.Delete("meeting", salem))
    assert canvas.viewport.zoom == pytest.approx(fitted.zoom)


def test_an_approximate_hotel_is_one_hollow_marker(qtbot: Any, window: Any) -> None:
    from ui.shell.undo import push_edit
    from visitplanner import edits

    view = window.map_view
    _first_day(view)
    base = view.snapshot().base
    push_edit(
        window.context, "Edit", edits.Update(dataclasses.replace(base, precision=Precision.CITY))
    )
    image = _painted(view.canvas)
    hotels = [d for d in view.canvas.drawn_pins if d.hotel]
    assert len(hotels) == 1 and hotels[0].hollow
    assert view.canvas.key_rect is not None
    inside = _fill_at(image, hotels[0].box)
    assert min(inside.red(), inside.green(), inside.blue()) > 230


def test_the_tiles_note_goes_once_downloading_is_turned_on(
    qtbot: Any, window: Any, sync_tasks: Any
) -> None:
    from ui.shell import settings

    note = window.map_view.tile_note
    assert note.isVisible()
    try:
        settings.set_online(False, "", True, "http://127.0.0.1:9/{z}/{x}/{y}.png", False)
        window.map_view.canvas.repaint()
        qtbot.waitUntil(lambda: not note.isVisible(), timeout=2000)
    finally:
        settings.set_online(False, "", False, "", False)
    window.map_view.update_tile_note()
    assert note.isVisible()

"""The day timeline as a person uses it: drag, resize, keys, drop a request, undo/redo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.schedule.timeline import DayTimeline, request_mime
from ui.schedule.timeline_area import ScheduleArea
from ui.shell.main_window import MainWindow
from visitplanner.library import trips
from visitplanner.model import Meeting, MeetingStatus

DAY = dt.date(2023, 6, 6)


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.resize(1500, 900)
    window.trip_combo.setCurrentIndex(0)  # the Boston trip, June 5-8, 2023
    area: ScheduleArea = window.schedule_area
    area.show_view(1)
    area.show_day(DAY)
    return window


def _area(win: MainWindow) -> ScheduleArea:
    area: ScheduleArea = win.schedule_area
    return area


def _meeting(win: MainWindow, title_start: str) -> Meeting:
    return next(
        m for m in trips.meetings(win.library, win.trip_id or 0) if m.title.startswith(title_start)
    )


def _mouse(widget: DayTimeline, kind: QEvent.Type, pos: QPoint, held: bool = True) -> None:
    button = Qt.MouseButton.LeftButton
    buttons = button if held else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        button if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def _drag(widget: DayTimeline, start: QPoint, end: QPoint) -> None:
    _mouse(widget, QEvent.Type.MouseButtonPress, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    _mouse(widget, QEvent.Type.MouseMove, middle)
    _mouse(widget, QEvent.Type.MouseMove, end)
    _mouse(widget, QEvent.Type.MouseButtonRelease, end, held=False)


def _lane(timeline: DayTimeline, delegate_name: str) -> int:
    assert timeline.layout_ is not None
    return next(i for i, lane in enumerate(timeline.layout_.lanes) if lane.name == delegate_name)


def test_drag_a_block_moves_the_meeting_snapped_then_undo_redo(window: MainWindow) -> None:
    timeline = _area(window).timeline
    mit = _meeting(window, "MIT — Industrial Liaison")
    assert mit.start == dt.datetime(2023, 6, 6, 11, 0) and mit.id is not None
    start = timeline.block_center(mit.id, _lane(timeline, "Léa Morin"))
    # 32 minutes to the right snaps to 30.
    end = start + QPoint(round(32 * timeline.px_per_min), 0)
    _drag(timeline, start, end)
    moved = trips.get_meeting(window.library, mit.id)
    assert moved.start == dt.datetime(2023, 6, 6, 11, 30)
    assert moved.delegate_ids == mit.delegate_ids
    assert window.undo_action.text() == "&Undo Move “MIT — Industrial Liaison Program”"
    window.undo_action.trigger()
    assert trips.get_meeting(window.library, mit.id).start == mit.start
    window.redo_action.trigger()
    assert trips.get_meeting(window.library, mit.id).start == dt.datetime(2023, 6, 6, 11, 30)


def test_drag_across_lanes_reassigns_the_attendee(window: MainWindow) -> None:
    timeline = _area(window).timeline
    mit = _meeting(window, "MIT — Industrial Liaison")
    assert mit.id is not None
    lea, karim = _lane(timeline, "Léa Morin"), _lane(timeline, "Karim Haddad")
    start = timeline.block_center(mit.id, lea)
    _drag(timeline, start, start + QPoint(0, (karim - lea) * 64))
    after = trips.get_meeting(window.library, mit.id)
    names = {d.id: d.name for d in trips.delegates(window.library, window.trip_id or 0)}
    assert after.start == mit.start
    assert "Karim Haddad" in [names[d] for d in after.delegate_ids]
    assert "Léa Morin" not in [names[d] for d in after.delegate_ids]
    assert window.undo_action.text().startswith("&Undo Reassign")


def test_drag_the_right_edge_resizes(window: MainWindow) -> None:
    timeline = _area(window).timeline
    mit = _meeting(window, "MIT — Industrial Liaison")
    assert mit.id is not None
    block = timeline._find(mit.id, _lane(timeline, "Léa Morin"))
    assert block is not None
    rect = timeline.block_rect(block)
    edge = QPoint(int(rect.right()) - 2, int(rect.center().y()))
    _drag(timeline, edge, edge + QPoint(round(15 * timeline.px_per_min), 0))
    after = trips.get_meeting(window.library, mit.id)
    assert (after.start, after.duration_minutes) == (mit.start, mit.duration_minutes + 15)
    assert window.undo_action.text().startswith("&Undo Resize")


def test_delete_key_deletes_and_undo_restores(qtbot: QtBot, window: MainWindow) -> None:
    timeline = _area(window).timeline
    mit = _meeting(window, "MIT — Industrial Liaison")
    assert mit.id is not None
    qtbot.mouseClick(
        timeline,
        Qt.MouseButton.LeftButton,
        pos=timeline.block_center(mit.id, _lane(timeline, "Léa Morin")),
    )
    assert window.selected_meeting_ids() == [mit.id]
    qtbot.keyClick(timeline, Qt.Key.Key_Delete)
    assert mit.id not in [m.id for m in trips.meetings(window.library, window.trip_id or 0)]
    assert window.undo_action.text() == "&Undo Delete “MIT — Industrial Liaison Program”"
    assert mit.id not in [b.meeting_id for b in timeline.layout_.blocks]  # type: ignore[union-attr]
    qtbot.keyClick(timeline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert trips.get_meeting(window.library, mit.id) == mit  # all of it, under its id
    qtbot.keyClick(
        timeline,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert mit.id not in [m.id for m in trips.meetings(window.library, window.trip_id or 0)]


def test_cancel_meeting_keeps_it_for_the_record(qtbot: QtBot, window: MainWindow) -> None:
    timeline = _area(window).timeline
    mit = _meeting(window, "MIT — Industrial Liaison")
    assert mit.id is not None
    qtbot.mouseClick(
        timeline,
        Qt.MouseButton.LeftButton,
        pos=timeline.block_center(mit.id, _lane(timeline, "Léa Morin")),
    )
    _area(window).cancel_meeting_action.trigger()
    assert trips.get_meeting(window.library, mit.id).status is MeetingStatus.CANCELLED
    assert window.undo_action.text() == "&Undo Cancel “MIT — Industrial Liaison Program”"
    window.undo_action.trigger()
    assert trips.get_meeting(window.library, mit.id).status is MeetingStatus.CONFIRMED


def test_arrow_keys_move_the_selection_and_ctrl_arrow_nudges(
    qtbot: QtBot, window: MainWindow
) -> None:
    timeline = _area(window).timeline
    lane = _lane(timeline, "Marie-Ève Pelletier")
    pier = _meeting(window, "Pier Four")
    assert pier.id is not None
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=timeline.block_center(pier.id, lane))
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    children = _meeting(window, "Boston Children")
    assert window.selected_meeting_ids() == [children.id]
    qtbot.keyClick(timeline, Qt.Key.Key_Left)
    assert window.selected_meeting_ids() == [pier.id]
    qtbot.keyClick(timeline, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert pier.start is not None
    moved = trips.get_meeting(window.library, pier.id)
    assert moved.start == pier.start + dt.timedelta(minutes=5)


def test_drop_a_request_on_a_lane_schedules_it(window: MainWindow) -> None:
    area = _area(window)
    timeline = area.timeline
    request = _meeting(window, "MIT — laboratoire")
    assert request.start is None and request.id is not None
    assert request.id in area.requests.meeting_ids()
    lane = _lane(timeline, "Karim Haddad")
    target = QPointF(timeline.x_of(14 * 60 + 2), 30 + lane * 64 + 20)
    mime = request_mime(request.id)  # the event does not own it: keep it alive
    drop = QDropEvent(
        target,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    timeline.dropEvent(drop)
    after = trips.get_meeting(window.library, request.id)
    assert after.start == dt.datetime(2023, 6, 6, 14, 0)
    assert after.status is MeetingStatus.PROPOSED
    karim = next(
        d for d in trips.delegates(window.library, window.trip_id or 0) if d.name == "Karim Haddad"
    )
    assert karim.id in after.delegate_ids and set(request.delegate_ids) <= set(after.delegate_ids)
    assert request.id not in area.requests.meeting_ids()
    assert window.undo_action.text().startswith("&Undo Schedule")
    window.undo_action.trigger()
    assert trips.get_meeting(window.library, request.id).start is None
    assert request.id in area.requests.meeting_ids()


def test_problem_click_selects_on_the_timeline_and_switches_day(
    qtbot: QtBot, window: MainWindow
) -> None:
    area = _area(window)
    area.show_day(dt.date(2023, 6, 8))
    item = next(
        window.problems_list.item(i)
        for i in range(window.problems_list.count())
        if "overlap" in window.problems_list.item(i).text()
    )
    window.problems_dock.activate(item)
    assert area.day == DAY
    assert sorted(area.timeline.selected) == sorted(item.data(Qt.ItemDataRole.UserRole + 10))
    layout = area.timeline.layout_
    assert layout is not None
    marked = [b for b in layout.blocks if b.meeting_id in area.timeline.selected]
    assert marked and all(b.problems for b in marked)


def test_legs_between_consecutive_blocks(window: MainWindow) -> None:
    timeline = _area(window).timeline
    layout = timeline.layout_
    assert layout is not None
    zoe = _lane(timeline, "Zoë Tremblay")
    legs = [leg for leg in layout.legs if leg.lane == zoe]
    assert len(legs) == 1 and legs[0].leg is not None
    assert legs[0].too_short  # 5 min between two hospitals 3 km apart
    assert "min" in timeline.leg_text(legs[0], short=False)


def test_ctrl_arrow_nudges_again_and_again_and_keeps_the_selection(
    qtbot: QtBot, window: MainWindow
) -> None:
    timeline = _area(window).timeline
    lane = _lane(timeline, "Marie-Ève Pelletier")
    pier = _meeting(window, "Pier Four")
    assert pier.id is not None and pier.start is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=timeline.block_center(pier.id, lane))
    for _step in range(3):
        assert QApplication.focusWidget() is timeline  # the keys still reach the timeline
        qtbot.keyClick(timeline, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
        assert window.selected_meeting_ids() == [pier.id]
        assert timeline.selected == [pier.id]  # drawn selected, and the next key moves it
    qtbot.keyClick(timeline, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    moved = trips.get_meeting(window.library, pier.id)
    assert moved.start == pier.start + dt.timedelta(minutes=10)
    # Ctrl+Z undoes the last nudge; the meeting stays selected for the next key
    qtbot.keyClick(timeline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.selected_meeting_ids() == [pier.id]
    assert QApplication.focusWidget() is timeline
    qtbot.keyClick(timeline, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    moved = trips.get_meeting(window.library, pier.id)
    assert moved.start == pier.start + dt.timedelta(minutes=20)

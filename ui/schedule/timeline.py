"""The day timeline: one lane per delegate (and one for the whole delegation), hours across,
meetings as blocks coloured by status, the travel leg between consecutive blocks, problems
marked on their blocks.

The widget only draws a :class:`DayLayout` and turns mouse and keys into requests (signals:
move, resize, schedule, cancel, edit); the schedule area answers them with undo commands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from ui.schedule.timeline_layout import Block, DayLayout, LegMark, Shade
from ui.schedule.timeline_paint import (
    BLOCK_H,
    BLOCK_TOP,
    HEADER_W,
    LANE_H,
    LEG_Y,
    TOP,
    leg_text,
    paint_timeline,
    shade_rect,
    shade_tooltip,
)
from ui.shell.formats import format_time
from visitplanner.edits import attendees_after_lane_change
from visitplanner.i18n import _, current, ngettext
from visitplanner.model import MODE_LABELS, STATUS_LABELS

MEETING_MIME = "application/x-visitplanner-meeting"
SNAP_MINUTES = 5
EDGE = 6
MIN_PX_PER_MIN = 1.4


def snap(minute: float) -> int:
    return round(minute / SNAP_MINUTES) * SNAP_MINUTES


def request_mime(meeting_id: int) -> QMimeData:
    data = QMimeData()
    data.setData(MEETING_MIME, str(meeting_id).encode())
    return data


def mime_meeting(data: QMimeData | None) -> int | None:
    if data is None or not data.hasFormat(MEETING_MIME):
        return None
    try:
        return int(bytes(data.data(MEETING_MIME).data()).decode())
    except ValueError:
        return None


@dataclass
class _Press:
    block: Block
    mode: str  # "move", "start", "end"
    pos: QPointF
    dragging: bool = False


class DayTimeline(QWidget):
    selectionChanged = Signal(list)  # meeting ids, chosen by the user here
    editRequested = Signal(int)
    newRequested = Signal(object, list)  # start (datetime), delegate ids
    moveRequested = Signal(int, object, list)  # meeting id, start, attendees
    resizeRequested = Signal(int, object, int)  # meeting id, start, duration
    scheduleRequested = Signal(int, object, object)  # a request dropped: id, start, lane's delegate
    cancelRequested = Signal(list)
    deleteRequested = Signal(list)  # meeting ids: the Delete key
    # A right-click: the meeting under it (or None), the lane's delegate (None: the whole
    # delegation or no lane), and where to show the menu (global position).
    menuRequested = Signal(object, object, QPoint)
    undoRequested = Signal()
    redoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_: DayLayout | None = None
        self.all_delegates: list[int] = []
        self.selected: list[int] = []
        self.px_per_min = MIN_PX_PER_MIN
        self.zoom: float | None = None  # pixels per minute chosen with Ctrl+wheel; None: fit
        self._focus: Block | None = None
        self._press: _Press | None = None
        self.preview: tuple[int, int, int] | None = None  # lane, start, end
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.setAutoFillBackground(True)
        self.setAccessibleName(_("Day timeline"))

    # -- data ------------------------------------------------------------------------------

    def set_layout(self, layout: DayLayout | None, all_delegates: list[int]) -> None:
        self.layout_ = layout
        self.all_delegates = all_delegates
        self._press = None
        self.preview = None
        if self._focus is not None:
            self._focus = self._find(self._focus.meeting_id, self._focus.lane)
        self._fit()
        self.setMinimumSize(self.sizeHint())
        self.updateGeometry()
        self.update()

    def set_selection(self, meeting_ids: list[int]) -> None:
        self.selected = list(meeting_ids)
        if self._focus is None or self._focus.meeting_id not in self.selected:
            self._focus = next(
                (b for b in self._blocks() if b.meeting_id in self.selected and not b.shared),
                None,
            )
        self.update()

    def sizeHint(self) -> QSize:
        if self.layout_ is None:
            return QSize(600, 200)
        span = self.layout_.last_minute - self.layout_.first_minute
        ppm = self.zoom or MIN_PX_PER_MIN
        return QSize(int(HEADER_W + span * ppm + 12), TOP + len(self.layout_.lanes) * LANE_H + 4)

    def _fit(self) -> None:
        """Fill the width unless the user zoomed."""
        if self.zoom is not None:
            self.px_per_min = self.zoom
        elif self.layout_ is not None:
            span = max(60, self.layout_.last_minute - self.layout_.first_minute)
            self.px_per_min = max(MIN_PX_PER_MIN, (self.width() - HEADER_W - 12) / span)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    def _blocks(self) -> list[Block]:
        return self.layout_.blocks if self.layout_ else []

    def _find(self, meeting_id: int, lane: int | None = None) -> Block | None:
        for b in self._blocks():
            if b.meeting_id == meeting_id and (lane is None or b.lane == lane):
                return b
        return None

    # -- geometry --------------------------------------------------------------------------

    def x_of(self, minute: float) -> float:
        assert self.layout_ is not None
        return HEADER_W + (minute - self.layout_.first_minute) * self.px_per_min

    def minute_at(self, x: float) -> float:
        assert self.layout_ is not None
        return self.layout_.first_minute + (x - HEADER_W) / self.px_per_min

    def lane_at(self, y: float) -> int | None:
        if self.layout_ is None or y < TOP:
            return None
        lane = int((y - TOP) // LANE_H)
        return lane if lane < len(self.layout_.lanes) else None

    def block_rect(self, block: Block) -> QRectF:
        x0, x1 = self.x_of(block.start), self.x_of(block.end)
        return QRectF(x0, TOP + block.lane * LANE_H + BLOCK_TOP, max(x1 - x0, 4), BLOCK_H)

    def frozen_left(self) -> int:
        """Where the delegate names are drawn: the left edge of the visible part, so that
        they stay in sight when the lanes scroll sideways (the widget is moved left)."""
        return max(0, -self.x()) if self.parentWidget() is not None else 0

    def in_names(self, pos: QPointF) -> bool:
        """``pos`` is on the frozen column of delegate names (not on the lanes under it)."""
        left = self.frozen_left()
        return left <= pos.x() < left + HEADER_W

    def fit_width(self, width: int) -> None:
        """Zoom so that the whole day fits ``width`` pixels (View > Fit Day)."""
        if self.layout_ is None:
            return
        span = max(60, self.layout_.last_minute - self.layout_.first_minute)
        self.zoom = max(0.3, (width - HEADER_W - 12) / span)
        self._fit()
        self.setMinimumSize(self.sizeHint())
        self.updateGeometry()
        self.update()

    def block_at(self, pos: QPointF) -> Block | None:
        if self.in_names(pos):
            return None
        for block in reversed(self._blocks()):
            if self.block_rect(block).contains(pos):
                return block
        return None

    def leg_at(self, pos: QPointF) -> LegMark | None:
        if self.layout_ is None:
            return None
        for leg in self.layout_.legs:
            y = TOP + leg.lane * LANE_H + LEG_Y
            x0 = self.x_of(leg.start)
            x1 = self.x_of(leg.start + max(leg.gap, leg.leg.minutes if leg.leg else 0))
            if QRectF(x0, y - 8, max(x1 - x0, 8), 16).contains(pos):
                return leg
        return None

    def shade_at(self, pos: QPointF) -> Shade | None:
        """The busy block or absence under a point (busy blocks first)."""
        if self.layout_ is None:
            return None
        found = [s for s in self.layout_.shades if shade_rect(self, s).contains(pos)]
        found.sort(key=lambda s: s.kind != "busy")
        return found[0] if found else None

    def datetime_at(self, minute: int) -> dt.datetime:
        assert self.layout_ is not None
        minute = max(0, min(minute, 24 * 60 - SNAP_MINUTES))
        return dt.datetime.combine(self.layout_.day, dt.time(minute // 60, minute % 60))

    def _attendees_after_move(self, block: Block, lane: int) -> list[int]:
        assert self.layout_ is not None
        return attendees_after_lane_change(
            block.meeting.delegate_ids,
            self.all_delegates,
            self.layout_.lanes[block.lane].delegate_id,
            self.layout_.lanes[lane].delegate_id,
            shared=block.shared,
        )

    # -- painting (ui.schedule.timeline_paint) -------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_timeline(self)

    leg_text = staticmethod(leg_text)

    # -- tooltips --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPointF) -> str:
        block = self.block_at(pos)
        tr = current()
        lane = self.lane_at(pos.y())
        if self.in_names(pos) and lane is not None and self.layout_ is not None:
            return _escape(self.layout_.lanes[lane].name)  # the whole name, when elided
        if block is not None:
            m = block.meeting
            assert m.start is not None and m.end is not None
            lines = [
                f"<b>{_escape(m.title)}</b>",
                f"{format_time(m.start)} – {format_time(m.end)} · {_(STATUS_LABELS[m.status])}",
            ]
            if block.ghost:
                lines.append(_("Proposed by auto-arrange; not stored yet."))
            lines += [f"⚠ {_escape(p.message)}" for p in block.problems]
            return "<br>".join(lines)
        leg = self.leg_at(pos)
        if leg is None and (shade := self.shade_at(pos)) is not None:
            return shade_tooltip(self, shade)
        if leg is not None:
            if leg.leg is None:
                return _(
                    "Travel time unknown: a place has no coordinates, or both are located only "
                    "approximately (address to be confirmed)."
                )
            text = _("{mode}, {distance} km: about {minutes} min (an estimate).").format(
                mode=_(MODE_LABELS[leg.leg.mode]),
                distance=tr.format_decimal(leg.leg.distance_km),
                minutes=tr.format_minutes(leg.leg.minutes),
            )
            if leg.leg.rough:
                text = _(
                    "{mode}, about {distance} km: roughly {minutes} min (address to be confirmed)."
                ).format(
                    mode=_(MODE_LABELS[leg.leg.mode]),
                    distance=tr.format_decimal(leg.leg.distance_km),
                    minutes=tr.format_minutes(leg.leg.minutes),
                )
            if not leg.leg.estimated:
                text = _("{mode}: {minutes} min, set by hand.").format(
                    mode=_(MODE_LABELS[leg.leg.mode]), minutes=leg.leg.minutes
                )
            gap = ngettext(
                "{n} minute until the next meeting.", "{n} minutes until the next meeting.", leg.gap
            ).format(n=leg.gap)
            return f"{text}<br>{gap}"
        return ""

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        block = self.block_at(pos)
        if block is None:
            if self.selected:
                self.selected = []
                self._focus = None
                self.selectionChanged.emit([])
                self.update()
            return
        rect = self.block_rect(block)
        mode = "move"
        if not block.ghost and rect.width() > 3 * EDGE:
            if pos.x() >= rect.right() - EDGE:
                mode = "end"
            elif pos.x() <= rect.left() + EDGE:
                mode = "start"
        if block.ghost:
            mode = "none"
        self._press = _Press(block, mode, pos)
        self._focus = block
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl:
            if block.meeting_id in self.selected:
                self.selected.remove(block.meeting_id)
            else:
                self.selected.append(block.meeting_id)
        elif block.meeting_id not in self.selected or len(self.selected) > 1:
            self.selected = [block.meeting_id]
        self.selectionChanged.emit(list(self.selected))
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        press = self._press
        if press is None:
            block = self.block_at(pos)
            cursor = Qt.CursorShape.ArrowCursor
            if block is not None and not block.ghost:
                rect = self.block_rect(block)
                near_edge = pos.x() >= rect.right() - EDGE or pos.x() <= rect.left() + EDGE
                wide = rect.width() > 3 * EDGE
                cursor = (
                    Qt.CursorShape.SizeHorCursor
                    if near_edge and wide
                    else Qt.CursorShape.OpenHandCursor
                )
            self.setCursor(cursor)
            return
        if press.mode == "none":
            return
        distance = (pos - press.pos).manhattanLength()
        if not press.dragging and distance < QApplication.startDragDistance():
            return
        press.dragging = True
        delta = (pos.x() - press.pos.x()) / self.px_per_min
        b = press.block
        if press.mode == "move":
            lane = self.lane_at(pos.y())
            start = snap(b.start + delta)
            self.preview = (b.lane if lane is None else lane, start, start + (b.end - b.start))
        elif press.mode == "end":
            end = max(b.start + SNAP_MINUTES, snap(b.end + delta))
            self.preview = (b.lane, b.start, end)
        else:
            start = min(b.end - SNAP_MINUTES, snap(b.start + delta))
            self.preview = (b.lane, start, b.end)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, preview = self._press, self.preview
        self._press = None
        self.preview = None
        self.update()
        if press is None or not press.dragging or preview is None:
            return
        lane, start, end = preview
        b = press.block
        if press.mode == "move":
            if start == b.start and lane == b.lane:
                return
            attendees = self._attendees_after_move(b, lane)
            self.moveRequested.emit(b.meeting_id, self.datetime_at(start), attendees)
        elif (start, end) != (b.start, b.end):
            duration = end - start
            if press.mode == "start":  # the end stays, past midnight too (a clipped block)
                duration = b.meeting.duration_minutes + (b.start - start)
            self.resizeRequested.emit(b.meeting_id, self.datetime_at(start), duration)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        block = self.block_at(pos)
        if block is not None:
            if not block.ghost:
                self.editRequested.emit(block.meeting_id)
            return
        lane = self.lane_at(pos.y())
        if lane is None or self.layout_ is None or self.in_names(pos) or pos.x() < HEADER_W:
            return
        start = self.datetime_at(int(self.minute_at(pos.x()) // 15 * 15))
        delegate = self.layout_.lanes[lane].delegate_id
        self.newRequested.emit(start, [delegate] if delegate is not None else [])

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pos = QPointF(event.pos())
        block = self.block_at(pos)
        lane = self.lane_at(pos.y())
        delegate = None
        if lane is not None and self.layout_ is not None:
            delegate = self.layout_.lanes[lane].delegate_id
        if block is not None and block.meeting_id not in self.selected:
            self._choose(block)
        if block is not None:
            delegate = None
        self.menuRequested.emit(block.meeting_id if block else None, delegate, event.globalPos())
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.zoom = max(0.8, min(6.0, self.px_per_min * factor))
            self._fit()
            self.setMinimumSize(self.sizeHint())
            self.updateGeometry()
            self.update()
            event.accept()
            return
        super().wheelEvent(event)

    # -- keyboard --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undoRequested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Z
            and event.modifiers()
            == (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        ):
            self.redoRequested.emit()
            return
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.selected:
                self.deleteRequested.emit(list(self.selected))
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._focus is not None and not self._focus.ghost:
                self.editRequested.emit(self._focus.meeting_id)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key in (Qt.Key.Key_Left, Qt.Key.Key_Up) else 1
            if ctrl and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                self._nudge(step * SNAP_MINUTES)
            elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                self._step_in_lane(step)
            else:
                self._step_lane(step)
            return
        super().keyPressEvent(event)

    def _choose(self, block: Block | None) -> None:
        if block is None:
            return
        self._focus = block
        self.selected = [block.meeting_id]
        self.selectionChanged.emit(list(self.selected))
        self.update()

    def _step_in_lane(self, step: int) -> None:
        blocks = self._blocks()
        if not blocks:
            return
        if self._focus is None:
            self._choose(min(blocks, key=lambda b: (b.lane, b.start)))
            return
        lane = sorted(
            (b for b in blocks if b.lane == self._focus.lane), key=lambda b: (b.start, b.end)
        )
        index = next((i for i, b in enumerate(lane) if b.meeting_id == self._focus.meeting_id), 0)
        self._choose(lane[max(0, min(len(lane) - 1, index + step))])

    def _step_lane(self, step: int) -> None:
        blocks = self._blocks()
        if not blocks or self.layout_ is None:
            return
        if self._focus is None:
            self._choose(min(blocks, key=lambda b: (b.lane, b.start)))
            return
        lane = self._focus.lane + step
        while 0 <= lane < len(self.layout_.lanes):
            candidates = [b for b in blocks if b.lane == lane]
            if candidates:
                here = self._focus.start
                self._choose(min(candidates, key=lambda b: abs(b.start - here)))
                return
            lane += step

    def _nudge(self, delta: int) -> None:
        b = self._focus
        if b is None or b.ghost:
            return
        start = self.datetime_at(b.start + delta)
        self.moveRequested.emit(b.meeting_id, start, list(b.meeting.delegate_ids))

    # -- requests dropped from the list ----------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if mime_meeting(event.mimeData()) is not None and self.layout_ is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        lane = self.lane_at(event.position().y())
        if mime_meeting(event.mimeData()) is None or lane is None:
            self.preview = None
            self.update()
            event.ignore()
            return
        start = snap(self.minute_at(event.position().x()))
        self.preview = (lane, start, start + 30)
        self.update()
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QEvent) -> None:
        self.preview = None
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        self.preview = None
        self.update()
        meeting_id = mime_meeting(event.mimeData())
        lane = self.lane_at(event.position().y())
        if meeting_id is None or lane is None or self.layout_ is None:
            event.ignore()
            return
        start = self.datetime_at(snap(self.minute_at(event.position().x())))
        self.scheduleRequested.emit(meeting_id, start, self.layout_.lanes[lane].delegate_id)
        event.acceptProposedAction()

    def block_center(self, meeting_id: int, lane: int | None = None) -> QPoint:
        """Where a block is on screen (for tests and accessibility tools)."""
        block = self._find(meeting_id, lane)
        assert block is not None
        return self.block_rect(block).center().toPoint()


def _escape(text: str) -> str:
    from html import escape

    return escape(text)

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
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from ui.schedule_model import STATUS_COLOURS
from ui.timeline_layout import Block, DayLayout, LegMark
from visitplanner.edits import attendees_after_lane_change
from visitplanner.i18n import _, current, ngettext
from visitplanner.model import MODE_LABELS, STATUS_LABELS, MeetingStatus
from visitplanner.planning.checks import Severity

MEETING_MIME = "application/x-visitplanner-meeting"
SNAP_MINUTES = 5
HEADER_W = 180
TOP = 30
LANE_H = 64
BLOCK_TOP = 5
BLOCK_H = 38
LEG_Y = 50
EDGE = 6
MIN_PX_PER_MIN = 1.4


def fill_colour(colour: QColor, strength: float) -> QColor:
    """``colour`` mixed with white: a light fill on which dark text stays readable."""
    return QColor(
        int(255 - (255 - colour.red()) * strength),
        int(255 - (255 - colour.green()) * strength),
        int(255 - (255 - colour.blue()) * strength),
    )


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
        self._preview: tuple[int, int, int] | None = None  # lane, start, end
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
        self._preview = None
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

    def block_at(self, pos: QPointF) -> Block | None:
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

    def _datetime(self, minute: int) -> dt.datetime:
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

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        if self.layout_ is None:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No trip selected."))
            return
        self._paint_grid(painter)
        for leg in self.layout_.legs:
            self._paint_leg(painter, leg)
        for block in self.layout_.blocks:
            self._paint_block(painter, block)
        if self._preview is not None:
            lane, start, end = self._preview
            rect = QRectF(
                self.x_of(start),
                TOP + lane * LANE_H + BLOCK_TOP,
                self.x_of(end) - self.x_of(start),
                BLOCK_H,
            )
            painter.setPen(QPen(palette.highlight().color(), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 4, 4)
            tr = current()
            painter.drawText(
                rect.adjusted(4, -18, 60, -BLOCK_H),
                Qt.AlignmentFlag.AlignLeft,
                tr.format_time(self._datetime(start)),
            )
        self._paint_hours(painter)
        if not self.layout_.blocks:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(
                self.rect().adjusted(HEADER_W, TOP, 0, 0),
                Qt.AlignmentFlag.AlignCenter,
                _("No meetings on this day yet. Drag a request here, or double-click a lane."),
            )

    def _paint_grid(self, painter: QPainter) -> None:
        assert self.layout_ is not None
        lay = self.layout_
        palette = self.palette()
        width, height = self.width(), TOP + len(lay.lanes) * LANE_H
        off_hours = QColor(palette.alternateBase().color())
        off_hours.setAlpha(200)
        for a, b in ((lay.first_minute, lay.day_start), (lay.day_end, lay.last_minute)):
            if b > a:
                painter.fillRect(
                    QRectF(self.x_of(a), TOP, self.x_of(b) - self.x_of(a), height - TOP),
                    QColor(0, 0, 0, 18),
                )
        for index, lane in enumerate(lay.lanes):
            y = TOP + index * LANE_H
            if index % 2:
                painter.fillRect(QRectF(0, y, width, LANE_H), QColor(0, 0, 0, 8))
            painter.setPen(QPen(QColor(0, 0, 0, 40)))
            painter.drawLine(QPointF(0, y), QPointF(width, y))
            painter.setBrush(QColor(lane.colour))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(QRectF(8, y + LANE_H / 2 - 6, 12, 12))
            font = QFont(self.font())
            font.setBold(lane.delegate_id is None)
            painter.setFont(font)
            painter.setPen(palette.text().color())
            name = QFontMetrics(font).elidedText(
                lane.name, Qt.TextElideMode.ElideRight, HEADER_W - 34
            )
            painter.drawText(
                QRectF(26, y, HEADER_W - 30, LANE_H), Qt.AlignmentFlag.AlignVCenter, name
            )
        painter.setPen(QPen(QColor(0, 0, 0, 60)))
        painter.drawLine(QPointF(HEADER_W - 1, 0), QPointF(HEADER_W - 1, height))
        for minute in range(lay.first_minute, lay.last_minute + 1, 30):
            x = self.x_of(minute)
            full_hour = minute % 60 == 0
            painter.setPen(QPen(QColor(0, 0, 0, 45 if full_hour else 18)))
            painter.drawLine(QPointF(x, TOP), QPointF(x, height))

    def _paint_hours(self, painter: QPainter) -> None:
        """The hour ruler, kept at the top of the visible part when the lanes scroll."""
        assert self.layout_ is not None
        lay = self.layout_
        palette = self.palette()
        top = float(self.visibleRegion().boundingRect().top())
        painter.fillRect(QRectF(0, top, self.width(), TOP), palette.base())
        painter.setPen(QPen(QColor(0, 0, 0, 60)))
        painter.drawLine(QPointF(0, top + TOP - 1), QPointF(self.width(), top + TOP - 1))
        tr = current()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        painter.setFont(small)
        for minute in range(lay.first_minute, min(lay.last_minute, 24 * 60 - 1) + 1, 60):
            x = self.x_of(minute)
            painter.setPen(QPen(QColor(0, 0, 0, 60)))
            painter.drawLine(QPointF(x, top + TOP - 7), QPointF(x, top + TOP - 1))
            painter.setPen(palette.text().color())
            label = tr.format_time(dt.time(minute // 60, 0))
            painter.drawText(QRectF(x + 3, top + 4, 80, TOP - 8), Qt.AlignmentFlag.AlignLeft, label)

    def _paint_leg(self, painter: QPainter, leg: LegMark) -> None:
        y = TOP + leg.lane * LANE_H + LEG_Y
        x0 = self.x_of(leg.start)
        x_gap = self.x_of(leg.start + leg.gap)
        colour = QColor("#c0392b") if leg.too_short else QColor("#4a6fa5")
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x0, y), QPointF(max(x_gap, x0), y))
        if leg.leg is not None and leg.leg.minutes > 0:
            x_travel = self.x_of(leg.start + leg.leg.minutes)
            painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            painter.drawLine(QPointF(x0, y), QPointF(x_travel, y))
        painter.setPen(QPen(colour, 1))
        painter.drawLine(QPointF(x0, y - 4), QPointF(x0, y + 4))
        text = self.leg_text(leg, short=False)
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, self.font().pointSizeF() - 2))
        metrics = QFontMetrics(font)
        room = max(x_gap - x0, self.x_of(leg.start + (leg.leg.minutes if leg.leg else 0)) - x0)
        if metrics.horizontalAdvance(text) > room:
            text = self.leg_text(leg, short=True)
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(
            QRectF(x0 + 2, y + 2, max(room, metrics.horizontalAdvance(text)) + 4, 12),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            text,
        )

    @staticmethod
    def leg_text(leg: LegMark, short: bool) -> str:
        if leg.leg is None:
            return _("? min")
        if short:
            return _("{minutes} min").format(minutes=leg.leg.minutes)
        return _("{minutes} min · {mode}").format(
            minutes=leg.leg.minutes, mode=_(MODE_LABELS[leg.leg.mode]).lower()
        )

    def _paint_block(self, painter: QPainter, block: Block) -> None:
        m = block.meeting
        rect = self.block_rect(block)
        status_colour = QColor(STATUS_COLOURS[m.status])
        fill = fill_colour(status_colour, 0.22 if not block.shared else 0.1)
        if block.ghost:
            fill.setAlpha(120)
        painter.setBrush(QBrush(fill))
        border = QPen(status_colour, 1.2)
        if block.ghost:
            border = QPen(status_colour.darker(120), 1.6, Qt.PenStyle.DashLine)
        if m.id in self.selected:
            border = QPen(self.palette().highlight().color(), 3)
        painter.setPen(border)
        painter.drawRoundedRect(rect, 4, 4)
        if m.status is MeetingStatus.CANCELLED:
            painter.setBrush(QBrush(fill_colour(status_colour, 0.5), Qt.BrushStyle.BDiagPattern))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(rect, 4, 4)
        if m.fixed:
            painter.fillRect(
                QRectF(rect.left() + 1, rect.top() + 1, 3, rect.height() - 2),
                status_colour.darker(130),
            )
        tr = current()
        inner = rect.adjusted(5, 2, -4, -2)
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() - 2))
        bold = QFont(self.font())
        bold.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        bold.setBold(not block.shared)
        bold.setStrikeOut(m.status is MeetingStatus.CANCELLED)
        assert m.start is not None and m.end is not None
        times = f"{tr.format_time(m.start)}–{tr.format_time(m.end)}"
        painter.setPen(QColor("#222222") if not block.shared else QColor("#555555"))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        painter.drawText(
            inner.adjusted(0, 0, 0, -inner.height() / 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(times, Qt.TextElideMode.ElideRight, int(inner.width())),
        )
        painter.setFont(bold)
        painter.drawText(
            inner.adjusted(0, inner.height() / 2, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(m.title, Qt.TextElideMode.ElideRight, int(inner.width())),
        )
        if block.problems:
            error = any(p.severity is Severity.ERROR for p in block.problems)
            badge = QRectF(rect.right() - 9, rect.top() - 5, 14, 14)
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(QColor("#c0392b") if error else QColor("#e08e0b"))
            painter.drawEllipse(badge)
            font = QFont(self.font())
            font.setBold(True)
            font.setPointSizeF(7.5)
            painter.setFont(font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "!")

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
        if block is not None:
            m = block.meeting
            assert m.start is not None and m.end is not None
            lines = [
                f"<b>{_escape(m.title)}</b>",
                f"{tr.format_time(m.start)} – {tr.format_time(m.end)} · "
                f"{_(STATUS_LABELS[m.status])}",
            ]
            if block.ghost:
                lines.append(_("Proposed by auto-arrange; not stored yet."))
            lines += [f"⚠ {_escape(p.message)}" for p in block.problems]
            return "<br>".join(lines)
        leg = self.leg_at(pos)
        if leg is not None:
            if leg.leg is None:
                return _("Travel time unknown: a place has no coordinates.")
            text = _("{mode}, {distance} km: about {minutes} min (an estimate).").format(
                mode=_(MODE_LABELS[leg.leg.mode]),
                distance=tr.format_decimal(leg.leg.distance_km),
                minutes=leg.leg.minutes,
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
            self._preview = (b.lane if lane is None else lane, start, start + (b.end - b.start))
        elif press.mode == "end":
            end = max(b.start + SNAP_MINUTES, snap(b.end + delta))
            self._preview = (b.lane, b.start, end)
        else:
            start = min(b.end - SNAP_MINUTES, snap(b.start + delta))
            self._preview = (b.lane, start, b.end)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, preview = self._press, self._preview
        self._press = None
        self._preview = None
        self.update()
        if press is None or not press.dragging or preview is None:
            return
        lane, start, end = preview
        b = press.block
        if press.mode == "move":
            if start == b.start and lane == b.lane:
                return
            attendees = self._attendees_after_move(b, lane)
            self.moveRequested.emit(b.meeting_id, self._datetime(start), attendees)
        elif (start, end) != (b.start, b.end):
            duration = end - start
            if press.mode == "start":  # the end stays, past midnight too (a clipped block)
                duration = b.meeting.duration_minutes + (b.start - start)
            self.resizeRequested.emit(b.meeting_id, self._datetime(start), duration)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        block = self.block_at(pos)
        if block is not None:
            if not block.ghost:
                self.editRequested.emit(block.meeting_id)
            return
        lane = self.lane_at(pos.y())
        if lane is None or self.layout_ is None or pos.x() < HEADER_W:
            return
        start = self._datetime(int(self.minute_at(pos.x()) // 15 * 15))
        delegate = self.layout_.lanes[lane].delegate_id
        self.newRequested.emit(start, [delegate] if delegate is not None else [])

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
                self.cancelRequested.emit(list(self.selected))
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
        start = self._datetime(b.start + delta)
        self.moveRequested.emit(b.meeting_id, start, list(b.meeting.delegate_ids))

    # -- requests dropped from the list ----------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if mime_meeting(event.mimeData()) is not None and self.layout_ is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        lane = self.lane_at(event.position().y())
        if mime_meeting(event.mimeData()) is None or lane is None:
            self._preview = None
            self.update()
            event.ignore()
            return
        start = snap(self.minute_at(event.position().x()))
        self._preview = (lane, start, start + 30)
        self.update()
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QEvent) -> None:
        self._preview = None
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        self._preview = None
        self.update()
        meeting_id = mime_meeting(event.mimeData())
        lane = self.lane_at(event.position().y())
        if meeting_id is None or lane is None or self.layout_ is None:
            event.ignore()
            return
        start = self._datetime(snap(self.minute_at(event.position().x())))
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

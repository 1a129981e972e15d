"""The trip at a glance: every day side by side, hours down, meetings as small blocks.

Click a block to select its meeting, double-click it to edit; click a day's header to open
that day in the timeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ui.schedule.model import STATUS_COLOURS
from ui.schedule.timeline_layout import minutes
from ui.schedule.timeline_paint import fill_colour
from ui.shell.formats import format_day_short, format_time
from visitplanner.i18n import _
from visitplanner.model import Meeting, MeetingStatus
from visitplanner.planning.checks import Problem, Severity
from visitplanner.planning.snapshot import TripSnapshot

GUTTER = 52
HEAD = 34
MIN_COLUMN = 150


@dataclass
class _Placed:
    meeting: Meeting
    day: int
    column: int
    columns: int


class WeekOverview(QWidget):
    selectionChanged = Signal(list)
    editRequested = Signal(int)
    dayActivated = Signal(object)  # a date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[dt.date] = []
        self.placed: list[_Placed] = []
        self.problems: dict[int, list[Problem]] = {}
        self.selected: list[int] = []
        self.first = 8 * 60
        self.last = 18 * 60
        self.px_per_min = 0.9
        self.setAutoFillBackground(True)
        self.setAccessibleName(_("Trip overview"))

    def set_data(self, snap: TripSnapshot | None, problems: list[Problem]) -> None:
        self.placed = []
        self.problems = {}
        for p in problems:
            for meeting_id in p.meeting_ids:
                self.problems.setdefault(meeting_id, []).append(p)
        if snap is None:
            self.days = []
            self.update()
            return
        self.days = snap.trip.days()
        index = {day: i for i, day in enumerate(self.days)}
        scheduled = [m for m in snap.meetings if m.start is not None and m.start.date() in index]
        starts = [minutes(m.start) for m in scheduled if m.start]
        ends = [minutes(m.start) + m.duration_minutes for m in scheduled if m.start]
        self.first = min([minutes(snap.trip.day_start), *starts]) // 60 * 60
        self.last = min(24 * 60, -(-max([minutes(snap.trip.day_end), *ends]) // 60) * 60)
        for day in self.days:
            todays = sorted(
                (m for m in scheduled if m.start and m.start.date() == day),
                key=lambda m: (m.start, -m.duration_minutes),
            )
            self.placed.extend(_columns(todays, index[day]))
        self.setMinimumSize(self.sizeHint())
        self.update()

    def set_selection(self, meeting_ids: list[int]) -> None:
        self.selected = list(meeting_ids)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(
            GUTTER + max(1, len(self.days)) * MIN_COLUMN,
            int(HEAD + (self.last - self.first) * self.px_per_min + 8),
        )

    def _column_width(self) -> float:
        return max(MIN_COLUMN, (self.width() - GUTTER - 4) / max(1, len(self.days)))

    def _rect(self, p: _Placed) -> QRectF:
        assert p.meeting.start is not None
        width = self._column_width()
        sub = (width - 6) / p.columns
        x = GUTTER + p.day * width + 3 + p.column * sub
        y = HEAD + (minutes(p.meeting.start) - self.first) * self.px_per_min
        # A meeting past midnight stops at the bottom of its start day (24:00).
        shown = min(p.meeting.duration_minutes, self.last - minutes(p.meeting.start))
        height = max(6.0, shown * self.px_per_min - 1)
        return QRectF(x, y, sub - 1, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        if not self.days:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No trip selected."))
            return
        width = self._column_width()
        bottom = HEAD + (self.last - self.first) * self.px_per_min
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() - 2))
        for minute in range(self.first, self.last + 1, 60):
            y = HEAD + (minute - self.first) * self.px_per_min
            painter.setPen(QPen(QColor(0, 0, 0, 35)))
            painter.drawLine(QPointF(GUTTER, y), QPointF(self.width(), y))
            if minute < 24 * 60:
                painter.setPen(palette.text().color())
                painter.setFont(small)
                painter.drawText(
                    QRectF(2, y - 2, GUTTER - 6, 14),
                    Qt.AlignmentFlag.AlignRight,
                    format_time(dt.time(minute // 60, 0)),
                )
        bold = QFont(self.font())
        bold.setBold(True)
        for i, day in enumerate(self.days):
            x = GUTTER + i * width
            painter.setPen(QPen(QColor(0, 0, 0, 50)))
            painter.drawLine(QPointF(x, 0), QPointF(x, bottom))
            painter.setPen(palette.text().color())
            painter.setFont(bold)
            painter.drawText(
                QRectF(x, 0, width, HEAD), Qt.AlignmentFlag.AlignCenter, format_day_short(day)
            )
        for p in self.placed:
            self._paint_block(painter, p, small)

    def _paint_block(self, painter: QPainter, p: _Placed, font: QFont) -> None:
        m = p.meeting
        rect = self._rect(p)
        colour = QColor(STATUS_COLOURS[m.status])
        painter.setBrush(QBrush(fill_colour(colour, 0.22)))
        pen = QPen(colour, 1)
        if m.id in self.selected:
            pen = QPen(self.palette().highlight().color(), 2.5)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 3, 3)
        if m.status is MeetingStatus.CANCELLED:
            painter.setBrush(QBrush(fill_colour(colour, 0.5), Qt.BrushStyle.BDiagPattern))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor("#222222"))
        painter.setFont(font)
        painter.drawText(
            rect.adjusted(3, 1, -3, -1),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            m.title,
        )
        found = self.problems.get(m.id or 0)
        if found:
            error = any(x.severity is Severity.ERROR for x in found)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#c0392b") if error else QColor("#e08e0b"))
            painter.drawEllipse(QRectF(rect.right() - 8, rect.top() + 2, 6, 6))

    def meeting_at(self, pos: QPointF) -> int | None:
        for p in reversed(self.placed):
            if self._rect(p).contains(pos):
                return p.meeting.id
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if pos.y() < HEAD and self.days and pos.x() > GUTTER:
            index = int((pos.x() - GUTTER) // self._column_width())
            if 0 <= index < len(self.days):
                self.dayActivated.emit(self.days[index])
            return
        meeting_id = self.meeting_at(pos)
        self.selected = [meeting_id] if meeting_id is not None else []
        self.selectionChanged.emit(list(self.selected))
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        meeting_id = self.meeting_at(event.position())
        if meeting_id is not None:
            self.editRequested.emit(meeting_id)


def _columns(todays: list[Meeting], day: int) -> list[_Placed]:
    """Side-by-side columns for overlapping meetings (greedy, per cluster of overlaps)."""
    out: list[_Placed] = []
    cluster: list[_Placed] = []
    ends: list[dt.datetime] = []  # end time of each column in the current cluster
    cluster_end: dt.datetime | None = None
    for m in todays:
        assert m.start is not None and m.end is not None
        if cluster_end is not None and m.start >= cluster_end:
            for p in cluster:
                p.columns = len(ends)
            out.extend(cluster)
            cluster, ends, cluster_end = [], [], None
        column = next((i for i, end in enumerate(ends) if end <= m.start), len(ends))
        if column == len(ends):
            ends.append(m.end)
        else:
            ends[column] = m.end
        cluster.append(_Placed(m, day, column, 1))
        cluster_end = m.end if cluster_end is None else max(cluster_end, m.end)
    for p in cluster:
        p.columns = max(1, len(ends))
    out.extend(cluster)
    return out

"""Painting the day timeline: lanes, travel legs, meeting blocks and the hour ruler.

Pure drawing from a :class:`ui.schedule.timeline.DayTimeline`'s state; the widget keeps the
interaction (mouse, keys, drag and drop)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen

from ui.schedule.model import STATUS_COLOURS
from ui.schedule.timeline_layout import Block, LegMark, Shade
from ui.shell.formats import format_time
from visitplanner.i18n import _
from visitplanner.model import MODE_LABELS, MeetingStatus
from visitplanner.planning.checks import Severity

if TYPE_CHECKING:
    from ui.schedule.timeline import DayTimeline

HEADER_W = 180
TOP = 30
LANE_H = 64
BLOCK_TOP = 5
BLOCK_H = 38
LEG_Y = 50


def fill_colour(colour: QColor, strength: float) -> QColor:
    """``colour`` mixed with white: a light fill on which dark text stays readable."""
    return QColor(
        int(255 - (255 - colour.red()) * strength),
        int(255 - (255 - colour.green()) * strength),
        int(255 - (255 - colour.blue()) * strength),
    )


def paint_timeline(view: DayTimeline) -> None:
    """Paint the lanes, legs, blocks, the drop preview and the hour ruler."""
    painter = QPainter(view)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    palette = view.palette()
    painter.fillRect(view.rect(), palette.base())
    if view.layout_ is None:
        painter.setPen(palette.placeholderText().color())
        painter.drawText(view.rect(), Qt.AlignmentFlag.AlignCenter, _("No trip selected."))
        return
    paint_grid(view, painter)
    for leg in view.layout_.legs:
        paint_leg(view, painter, leg)
    for block in view.layout_.blocks:
        paint_block(view, painter, block)
    if view.preview is not None:
        lane, start, end = view.preview
        rect = QRectF(
            view.x_of(start),
            TOP + lane * LANE_H + BLOCK_TOP,
            view.x_of(end) - view.x_of(start),
            BLOCK_H,
        )
        painter.setPen(QPen(palette.highlight().color(), 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 4, 4)
        painter.drawText(
            rect.adjusted(4, -18, 60, -BLOCK_H),
            Qt.AlignmentFlag.AlignLeft,
            format_time(view.datetime_at(start)),
        )
    paint_names(view, painter)
    paint_hours(view, painter)
    if not view.layout_.blocks:
        painter.setPen(palette.placeholderText().color())
        painter.drawText(
            view.rect().adjusted(HEADER_W, TOP, 0, 0),
            Qt.AlignmentFlag.AlignCenter,
            _("No meetings on this day yet. Drag a request here, or double-click a lane."),
        )


def paint_grid(view: DayTimeline, painter: QPainter) -> None:
    assert view.layout_ is not None
    lay = view.layout_
    palette = view.palette()
    width, height = view.width(), TOP + len(lay.lanes) * LANE_H
    off_hours = QColor(palette.alternateBase().color())
    off_hours.setAlpha(200)
    for a, b in ((lay.first_minute, lay.day_start), (lay.day_end, lay.last_minute)):
        if b > a:
            painter.fillRect(
                QRectF(view.x_of(a), TOP, view.x_of(b) - view.x_of(a), height - TOP),
                QColor(0, 0, 0, 18),
            )
    for index in range(len(lay.lanes)):
        y = TOP + index * LANE_H
        if index % 2:
            painter.fillRect(QRectF(0, y, width, LANE_H), QColor(0, 0, 0, 8))
        painter.setPen(QPen(QColor(0, 0, 0, 40)))
        painter.drawLine(QPointF(0, y), QPointF(width, y))
    paint_shades(view, painter)
    for minute in range(lay.first_minute, lay.last_minute + 1, 30):
        x = view.x_of(minute)
        full_hour = minute % 60 == 0
        painter.setPen(QPen(QColor(0, 0, 0, 45 if full_hour else 18)))
        painter.drawLine(QPointF(x, TOP), QPointF(x, height))


ABSENT = QColor(90, 90, 90, 70)
BUSY = QColor("#7d6608")


def shade_rect(view: DayTimeline, shade: Shade) -> QRectF:
    x0 = max(float(HEADER_W), view.x_of(shade.start))
    x1 = max(x0, view.x_of(shade.end))
    return QRectF(x0, TOP + shade.lane * LANE_H + 1, x1 - x0, LANE_H - 2)


def paint_shades(view: DayTimeline, painter: QPainter) -> None:
    """A delegate's absence (grey: not arrived yet, or gone) and busy blocks (hatched, with
    their title)."""
    assert view.layout_ is not None
    small = QFont(view.font())
    small.setPointSizeF(max(6.5, view.font().pointSizeF() - 2))
    for shade in view.layout_.shades:
        rect = shade_rect(view, shade)
        if rect.width() <= 0:
            continue
        if shade.kind == "absent":
            painter.fillRect(rect, ABSENT)
            continue
        painter.fillRect(rect, QColor(BUSY.red(), BUSY.green(), BUSY.blue(), 28))
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(QPen(QColor(BUSY.red(), BUSY.green(), BUSY.blue(), 150), 1.5))
        step = 9.0
        x = rect.left() - rect.height()
        while x < rect.right():  # hatching: diagonal lines every 9 px
            painter.drawLine(QPointF(x, rect.bottom()), QPointF(x + rect.height(), rect.top()))
            x += step
        painter.restore()
        painter.setPen(QPen(BUSY, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        title = shade.title or _("Busy")
        metrics = QFontMetrics(small)
        text = metrics.elidedText(
            title, Qt.TextElideMode.ElideRight, int(max(0.0, rect.width() - 8))
        )
        if not text:
            continue
        label = QRectF(rect.left() + 2, rect.top() + 2, metrics.horizontalAdvance(text) + 6, 14)
        painter.fillRect(label, QColor(255, 255, 255, 225))
        painter.setFont(small)
        painter.setPen(BUSY.darker(140))
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)


def shade_tooltip(view: DayTimeline, shade: Shade) -> str:
    """What a busy block or an absence is, in one line."""
    assert view.layout_ is not None
    name = view.layout_.lanes[shade.lane].name
    start = format_time(view.datetime_at(shade.start))
    end = format_time(view.datetime_at(shade.end)) if shade.end < 24 * 60 else ""
    if shade.kind == "busy":
        return _("{name} is busy, {start}–{end}: {title}").format(
            name=name, start=start, end=end, title=shade.title or _("Busy")
        )
    if shade.start == 0 and end:
        return _("{name} arrives at {time}.").format(name=name, time=end)
    return _("{name} leaves at {time}.").format(name=name, time=start)


def paint_names(view: DayTimeline, painter: QPainter) -> None:
    """The delegate names, frozen at the left of the visible part over the lanes."""
    assert view.layout_ is not None
    lay = view.layout_
    palette = view.palette()
    left = float(view.frozen_left())
    height = TOP + len(lay.lanes) * LANE_H
    painter.fillRect(QRectF(left, 0, HEADER_W, height), palette.base())
    for index, lane in enumerate(lay.lanes):
        y = TOP + index * LANE_H
        if index % 2:
            painter.fillRect(QRectF(left, y, HEADER_W, LANE_H), QColor(0, 0, 0, 8))
        painter.setPen(QPen(QColor(0, 0, 0, 40)))
        painter.drawLine(QPointF(left, y), QPointF(left + HEADER_W, y))
        painter.setBrush(QColor(lane.colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(left + 8, y + LANE_H / 2 - 6, 12, 12))
        font = QFont(view.font())
        font.setBold(lane.delegate_id is None)
        painter.setFont(font)
        painter.setPen(palette.text().color())
        name = QFontMetrics(font).elidedText(lane.name, Qt.TextElideMode.ElideRight, HEADER_W - 34)
        painter.drawText(
            QRectF(left + 26, y, HEADER_W - 30, LANE_H), Qt.AlignmentFlag.AlignVCenter, name
        )
    painter.setPen(QPen(QColor(0, 0, 0, 60)))
    painter.drawLine(QPointF(left + HEADER_W - 1, 0), QPointF(left + HEADER_W - 1, height))


def paint_hours(view: DayTimeline, painter: QPainter) -> None:
    """The hour ruler, kept at the top of the visible part when the lanes scroll."""
    assert view.layout_ is not None
    lay = view.layout_
    palette = view.palette()
    top = float(view.visibleRegion().boundingRect().top())
    painter.fillRect(QRectF(0, top, view.width(), TOP), palette.base())
    painter.setPen(QPen(QColor(0, 0, 0, 60)))
    painter.drawLine(QPointF(0, top + TOP - 1), QPointF(view.width(), top + TOP - 1))
    small = QFont(view.font())
    small.setPointSizeF(max(7.0, view.font().pointSizeF() - 1))
    painter.setFont(small)
    # An hour label every hour, or every 2 or 3 when the day is zoomed out (Fit Day).
    widest = QFontMetrics(small).horizontalAdvance(format_time(dt.time(12, 0))) + 8
    every = next((n for n in (1, 2, 3, 4, 6) if n * 60 * view.px_per_min >= widest), 6)
    for minute in range(lay.first_minute, min(lay.last_minute, 24 * 60 - 1) + 1, 60):
        x = view.x_of(minute)
        if (minute // 60) % every:
            painter.setPen(QPen(QColor(0, 0, 0, 60)))
            painter.drawLine(QPointF(x, top + TOP - 5), QPointF(x, top + TOP - 1))
            continue
        painter.setPen(QPen(QColor(0, 0, 0, 60)))
        painter.drawLine(QPointF(x, top + TOP - 7), QPointF(x, top + TOP - 1))
        painter.setPen(palette.text().color())
        label = format_time(dt.time(minute // 60, 0))
        painter.drawText(QRectF(x + 3, top + 4, 80, TOP - 8), Qt.AlignmentFlag.AlignLeft, label)
    # The corner above the frozen names: no hour slides under it.
    painter.fillRect(QRectF(view.frozen_left(), top, HEADER_W, TOP - 1), palette.base())


def paint_leg(view: DayTimeline, painter: QPainter, leg: LegMark) -> None:
    y = TOP + leg.lane * LANE_H + LEG_Y
    x0 = view.x_of(leg.start)
    x_gap = view.x_of(leg.start + leg.gap)
    colour = QColor("#c0392b") if leg.too_short else QColor("#4a6fa5")
    painter.setPen(QPen(colour, 1, Qt.PenStyle.DotLine))
    painter.drawLine(QPointF(x0, y), QPointF(max(x_gap, x0), y))
    if leg.leg is not None and leg.leg.minutes > 0:
        x_travel = view.x_of(leg.start + leg.leg.minutes)
        painter.setPen(QPen(colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawLine(QPointF(x0, y), QPointF(x_travel, y))
    painter.setPen(QPen(colour, 1))
    painter.drawLine(QPointF(x0, y - 4), QPointF(x0, y + 4))
    text = leg_text(leg, short=False)
    font = QFont(view.font())
    font.setPointSizeF(max(6.5, view.font().pointSizeF() - 2))
    metrics = QFontMetrics(font)
    room = max(x_gap - x0, view.x_of(leg.start + (leg.leg.minutes if leg.leg else 0)) - x0)
    if metrics.horizontalAdvance(text) > room:
        text = leg_text(leg, short=True)
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(
        QRectF(x0 + 2, y + 2, max(room, metrics.horizontalAdvance(text)) + 4, 12),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        text,
    )


def leg_text(leg: LegMark, short: bool) -> str:
    if leg.leg is None:
        return _("? min")
    if short:
        return _("{minutes} min").format(minutes=leg.leg.minutes)
    return _("{minutes} min · {mode}").format(
        minutes=leg.leg.minutes, mode=_(MODE_LABELS[leg.leg.mode]).lower()
    )


def paint_block(view: DayTimeline, painter: QPainter, block: Block) -> None:
    m = block.meeting
    rect = view.block_rect(block)
    status_colour = QColor(STATUS_COLOURS[m.status])
    fill = fill_colour(status_colour, 0.22 if not block.shared else 0.1)
    if block.ghost:
        fill.setAlpha(120)
    painter.setBrush(QBrush(fill))
    border = QPen(status_colour, 1.2)
    if block.ghost:
        border = QPen(status_colour.darker(120), 1.6, Qt.PenStyle.DashLine)
    if m.id in view.selected:
        border = QPen(view.palette().highlight().color(), 3)
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
    inner = rect.adjusted(5, 2, -4, -2)
    small = QFont(view.font())
    small.setPointSizeF(max(6.5, view.font().pointSizeF() - 2))
    bold = QFont(view.font())
    bold.setPointSizeF(max(7.0, view.font().pointSizeF() - 1))
    bold.setBold(not block.shared)
    bold.setStrikeOut(m.status is MeetingStatus.CANCELLED)
    assert m.start is not None and m.end is not None
    times = f"{format_time(m.start)}–{format_time(m.end)}"
    painter.setPen(QColor("#222222") if not block.shared else QColor("#555555"))
    painter.setFont(small)
    metrics = QFontMetrics(small)
    if metrics.horizontalAdvance(times) > inner.width():  # narrow: the start says enough
        times = format_time(m.start)
    painter.drawText(
        inner.adjusted(0, 0, 0, -inner.height() / 2),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        metrics.elidedText(times, Qt.TextElideMode.ElideRight, int(inner.width())),
    )
    painter.setFont(bold)
    painter.drawText(
        inner.adjusted(0, inner.height() / 2, 0, 0),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        QFontMetrics(bold).elidedText(
            block.label or m.title, Qt.TextElideMode.ElideRight, int(inner.width())
        ),
    )
    if block.problems:
        error = any(p.severity is Severity.ERROR for p in block.problems)
        badge = QRectF(rect.right() - 9, rect.top() - 5, 14, 14)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(QColor("#c0392b") if error else QColor("#e08e0b"))
        painter.drawEllipse(badge)
        font = QFont(view.font())
        font.setBold(True)
        font.setPointSizeF(7.5)
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "!")

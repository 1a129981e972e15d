"""The mission model on the map panel: which hotel a day starts from and ends at, and each
transfer as a segment from its departure to its arrival (a dashed line with the mode's word,
no taxi arrows). The geometry is the core's (:mod:`visitplanner.geo.mapgeom`); this module
picks the day's stops from the snapshot and paints the segments and the night's hotel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from visitplanner.geo import mapgeom
from visitplanner.geo.maproute import Segment, midpoint
from visitplanner.i18n import _
from visitplanner.model import TRANSFER_MODE_LABELS, Meeting, MeetingStatus, Place
from visitplanner.planning.dayplan import arrival_place, day_hotels, is_segment, presence_days
from visitplanner.planning.snapshot import TripSnapshot

SEGMENT = QColor("#6c3483")
HOTEL = QColor("#2c3e50")


@dataclass
class DayRoute:
    """What the map shows of a day (``day`` None: the whole trip, pins only)."""

    stops: list[mapgeom.Stop] = field(default_factory=list)
    base: tuple[float, float] | None = None  # the hotel the day starts from
    base_approximate: bool = False
    evening: tuple[float, float] | None = None  # the night's hotel, when another one
    from_base: bool = True  # False: the day starts with the transfer they arrive by
    round_trip: bool = True  # False: no way back (they leave by the last transfer)


def _point(place: Place | None) -> tuple[float, float] | None:
    if place is None or place.lat is None or place.lon is None:
        return None
    return (place.lat, place.lon)


def transfer_label(meeting: Meeting) -> str:
    """The mode's word and the reference: "Train VIA 22", "Coach"."""
    mode = _(TRANSFER_MODE_LABELS[meeting.transfer_mode]) if meeting.transfer_mode else ""
    return " ".join(part for part in (mode, meeting.reference) if part) or meeting.title


def day_route(
    snap: TripSnapshot | None,
    day: dt.date | None,
    proposal: dict[int, tuple[dt.datetime, list[int]]] | None = None,
) -> DayRoute:
    """The day's stops in time order (a transfer's with its arrival as ``end``) and the
    delegation's hotels of the morning and of the night; with Arrange's ``proposal``
    (meeting id -> start, attendees), drawn as if it were the schedule."""
    out = DayRoute()
    if snap is None:
        return out
    if proposal:
        snap = replace(
            snap,
            meetings=[
                replace(m, start=proposal[m.id][0]) if m.id in proposal else m
                for m in snap.meetings
            ],
        )
    meetings = sorted(
        (
            m
            for m in snap.meetings
            if m.start is not None
            and m.status != MeetingStatus.CANCELLED
            and (day is None or m.start.date() == day)
        ),
        key=lambda m: m.start or dt.datetime.min,
    )
    for m in meetings:
        place = snap.place_of(m)
        at = _point(place)
        if place is None or at is None:
            continue
        end = _point(arrival_place(snap, m)) if day is not None and is_segment(m) else None
        out.stops.append(
            mapgeom.Stop(
                at[0],
                at[1],
                place.label(),
                m.id,
                approximate=place.approximate,
                end=end,
                segment_label=transfer_label(m) if end is not None else "",
            )
        )
    if day is None:
        morning, evening = snap.base, snap.base
    else:
        morning, evening, _here = day_hotels(snap, None, day)
        first_day, last_day = presence_days(snap, None)
        placed = [m for m in meetings if snap.place_of(m) is not None]
        if placed and day == first_day and is_segment(placed[0]):
            out.from_base = False
        if placed and day == last_day and is_segment(placed[-1]):
            out.round_trip = False
    hotel = morning or evening
    out.base = _point(hotel)
    out.base_approximate = hotel is not None and hotel.approximate
    if evening is not None and hotel is not None and evening.id != hotel.id:
        out.evening = _point(evening)
    return out


def paint_segments(painter: QPainter, segments: Sequence[Segment]) -> None:
    """Each transfer: a dashed line from departure to arrival, a ring at the arrival and
    the mode's word at the middle (no arrows: it is not a taxi leg)."""
    pen = QPen(SEGMENT, 3, Qt.PenStyle.DashLine)
    pen.setDashPattern([3.0, 2.0])
    font = QFont(painter.font())
    font.setBold(True)
    metrics = QFontMetricsF(font)
    for segment in segments:
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(QPointF(*segment.start), QPointF(*segment.end))
        painter.setPen(QPen(SEGMENT, 2))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawEllipse(QPointF(*segment.end), 5, 5)
        if not segment.label:
            continue
        x, y = midpoint(segment)
        w, h = metrics.horizontalAdvance(segment.label) + 10, metrics.height() + 4
        rect = QRectF(x - w / 2, y - h / 2, w, h)
        painter.setPen(QPen(SEGMENT, 1.2))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setFont(font)
        painter.setPen(SEGMENT)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, segment.label)


def paint_evening_hotel(painter: QPainter, point: mapgeom.Point | None) -> None:
    """The hotel of the night when the day ends at another one: "H" with a moon-like
    outline ("tonight")."""
    if point is None:
        return
    text = _("H · tonight")
    metrics = QFontMetricsF(painter.font())
    w, h = metrics.horizontalAdvance(text) + 10, 20.0
    rect = QRectF(point[0] - w / 2, point[1] - h / 2, w, h)
    painter.setPen(QPen(QColor(Qt.GlobalColor.white), 2))
    painter.setBrush(HOTEL)
    painter.drawRoundedRect(rect, 3, 3)
    painter.setPen(QColor(Qt.GlobalColor.white))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

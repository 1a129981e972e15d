"""The schedule as a tree: one node per day of the trip, its meetings below, then requests.

Reads from the library and refreshes on its change events; holds no copy that can drift.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyle

from ui.shell.formats import format_date, format_time
from visitplanner.errors import NotFoundError
from visitplanner.i18n import _, current
from visitplanner.library import ChangeSet, Library
from visitplanner.model import STATUS_LABELS, MeetingStatus
from visitplanner.planning.checks import Problem, Severity, check_snapshot
from visitplanner.planning.precision import place_text, precision_text
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot

MEETING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DAY_ROLE = Qt.ItemDataRole.UserRole + 2

STATUS_COLOURS = {
    MeetingStatus.REQUESTED: "#8a8a8a",
    MeetingStatus.PROPOSED: "#b26b00",
    MeetingStatus.CONFIRMED: "#1b7a3a",
    MeetingStatus.CANCELLED: "#b02a2a",
}


# The start-up's checks run once the schedule is painted, or after this long at most.
DEFERRED_CHECKS_MS = 400


class ScheduleModel(QStandardItemModel):
    """Also the window's one copy of the current trip: its snapshot and its problems,
    reloaded once per change; the other views read them when ``reloaded`` fires."""

    COLUMNS = ("time", "title", "organization", "place", "status", "attendees")
    reloaded = Signal()
    aboutToReload = Signal()  # before the rows go: views keep their selection

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.trip_id: int | None = None
        self.snapshot: TripSnapshot | None = None
        self.problems: list[Problem] = []
        # At start-up the checks wait until the window has been painted once.
        self.defer_checks = False
        self._checks_pending = False
        self.setHorizontalHeaderLabels(
            [_("Time"), _("Title"), _("Organization"), _("Place"), _("Status"), _("Attendees")]
        )
        library.subscribe(self._on_change)

    def detach(self) -> None:
        self.library.unsubscribe(self._on_change)

    def set_trip(self, trip_id: int | None) -> None:
        self.trip_id = trip_id
        self.reload()

    def _on_change(self, changes: ChangeSet) -> None:
        """Reload the trip (and rerun its checks) only for a change it is concerned by: a
        contact, organization or place its meetings do not use changes nothing here."""
        if self.trip_id is None:
            return
        snap = self.snapshot
        concerned = (
            snap.concerned_by(changes)
            if snap is not None and snap.trip.id == self.trip_id
            else changes.touches("meeting", self.trip_id)
            or changes.touches("trip", self.trip_id)
            or changes.touches("delegate", self.trip_id)
        )
        if concerned:
            try:
                self.reload()
            except NotFoundError:  # the trip was deleted (New Trip undone): show none
                self.set_trip(None)

    def reload(self) -> None:
        self.aboutToReload.emit()
        self.removeRows(0, self.rowCount())
        self._title_items: dict[int, QStandardItem] = {}  # meeting id -> its title cell
        if self.trip_id is None:
            self.snapshot = None
            self.problems = []
            self.reloaded.emit()
            return
        snap = self.snapshot = load_snapshot(self.library, self.trip_id)
        if self.defer_checks:
            # Start-up: the window paints first (it calls run_deferred_checks once the
            # schedule is on screen); the timer runs them if the schedule is not shown.
            self.defer_checks = False
            self.problems = []
            self._checks_pending = True
            QTimer.singleShot(DEFERRED_CHECKS_MS, self.run_deferred_checks)
        else:
            self.problems = self._check(snap)
        tr = current()
        bold = QFont()
        bold.setBold(True)
        day_items: dict[dt.date, QStandardItem] = {}
        for day in snap.trip.days():
            item = QStandardItem(format_date(day, tr=tr))
            item.setFont(bold)
            item.setData(day, DAY_ROLE)
            item.setEditable(False)
            self.appendRow([item] + [self._blank() for _ in self.COLUMNS[1:]])
            day_items[day] = item
        requests = QStandardItem(_("Requests (not scheduled yet)"))
        requests.setFont(bold)
        requests.setEditable(False)
        outside = QStandardItem(_("Outside the trip's days"))
        outside.setFont(bold)
        outside.setEditable(False)
        for m in snap.meetings:
            if m.start is None:
                parent = requests
                time_text = _("{minutes} min").format(minutes=m.duration_minutes)
            else:
                parent = day_items.get(m.start.date(), outside)
                assert m.end is not None
                time_text = f"{format_time(m.start, tr)} – {format_time(m.end, tr)}"
            org = snap.organizations.get(m.organization_id) if m.organization_id else None
            place = snap.place_of(m)
            attendees = ", ".join(
                snap.delegates[d].name for d in m.delegate_ids if d in snap.delegates
            )
            values = [
                time_text,
                m.title,
                org.name if org else "",
                place_text(place) if place else "",
                _(STATUS_LABELS[m.status]),
                attendees,
            ]
            row = []
            for value in values:
                cell = QStandardItem(value)
                cell.setEditable(False)
                cell.setData(m.id, MEETING_ID_ROLE)
                cell.setToolTip(value)
                row.append(cell)
            if place is not None:  # how sure the place is: "Located to: City. …"
                row[3].setToolTip(f"{values[3]}\n{precision_text(place.precision)}")
            self._title_items[m.id or 0] = row[1]
            row[4].setForeground(QBrush(QColor(STATUS_COLOURS[m.status])))
            if m.status is MeetingStatus.CANCELLED:
                font = QFont()
                font.setStrikeOut(True)
                row[1].setFont(font)
            parent.appendRow(row)
        for extra in (outside, requests):
            if extra.rowCount():
                self.appendRow([extra] + [self._blank() for _ in self.COLUMNS[1:]])
        self._mark_problems()
        self.reloaded.emit()

    def run_deferred_checks(self) -> None:
        """The start-up's deferred checks, once (the first of the paint and the timer)."""
        if self._checks_pending:
            self._checks_pending = False
            self._check_later()

    def _check_later(self) -> None:
        if self.snapshot is not None:
            self.problems = self._check(self.snapshot)
            self._mark_problems()
            self.reloaded.emit()

    def recheck(self) -> None:
        """Run the checks again (Preferences changed what their fixes may offer)."""
        self._check_later()

    @staticmethod
    def _check(snap: TripSnapshot) -> list[Problem]:
        from ui.shell import settings

        return check_snapshot(snap, online_lookups=settings.online_geocoding().enabled)

    def _mark_problems(self) -> None:
        """A warning sign on the title of each meeting a problem names; its tooltip says why."""
        said: dict[int, list[Problem]] = {}
        for problem in self.problems:
            for meeting_id in problem.meeting_ids:
                said.setdefault(meeting_id, []).append(problem)
        for meeting_id, item in self._title_items.items():
            found = said.get(meeting_id)
            if found is None:
                item.setData(None, Qt.ItemDataRole.DecorationRole)
                item.setToolTip(item.text())
                continue
            error = any(p.severity is Severity.ERROR for p in found)
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if error
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item.setIcon(QApplication.style().standardIcon(icon))
            item.setToolTip("\n".join([item.text(), *(p.message for p in found)]))

    @staticmethod
    def _blank() -> QStandardItem:
        item = QStandardItem("")
        item.setEditable(False)
        return item

    def meeting_id(self, index: QModelIndex | QPersistentModelIndex) -> int | None:
        value = self.index(index.row(), 0, index.parent()).data(MEETING_ID_ROLE)
        return int(value) if value is not None else None

    def index_of_meeting(self, meeting_id: int) -> QModelIndex:
        for row in range(self.rowCount()):
            parent = self.item(row, 0)
            for child in range(parent.rowCount()):
                item = parent.child(child, 0)
                if item.data(MEETING_ID_ROLE) == meeting_id:
                    return item.index()
        return QModelIndex()

"""The unscheduled requests of a trip, beside the timeline; drag one onto a lane to schedule it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.schedule.timeline import request_mime
from visitplanner.i18n import _, ngettext
from visitplanner.model import MeetingStatus
from visitplanner.planning.snapshot import TripSnapshot

MEETING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Shades of blue, dark = high: not the status colours (red cancelled, grey requested).
PRIORITY_COLOURS = {1: "#1f3f7a", 2: "#5b83c4", 3: "#b7c9e6"}


class _RequestList(QListWidget):
    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        return request_mime(int(items[0].data(MEETING_ID_ROLE)))

    def mimeTypes(self) -> list[str]:
        from ui.schedule.timeline import MEETING_MIME

        return [MEETING_MIME]


class RequestsPanel(QWidget):
    editRequested = Signal(int)
    selectionChanged = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.list = _RequestList()
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName(_("Requests"))
        self.list.itemDoubleClicked.connect(
            lambda item: self.editRequested.emit(int(item.data(MEETING_ID_ROLE)))
        )
        self.list.itemSelectionChanged.connect(self._selection)
        hint = QLabel(_("Drag a request onto a lane of the timeline to schedule it."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        self._quiet = False
        self.set_snapshot(None)

    def set_snapshot(self, snap: TripSnapshot | None) -> None:
        self._quiet = True
        self.list.clear()
        requests = [
            m
            for m in (snap.meetings if snap else [])
            if m.start is None and m.status is not MeetingStatus.CANCELLED
        ]
        for m in requests:
            assert snap is not None
            names = ", ".join(snap.delegates[d].name for d in m.delegate_ids if d in snap.delegates)
            priority = {1: _("high priority"), 2: _("normal priority"), 3: _("low priority")}[
                m.priority
            ]
            details = _("{minutes} min · {priority}").format(
                minutes=m.duration_minutes, priority=priority
            )
            text = f"{m.title}\n{details}" + (f"\n{names}" if names else "")
            item = QListWidgetItem(text)
            item.setData(MEETING_ID_ROLE, m.id)
            item.setToolTip(text)
            item.setForeground(QColor("#222222"))
            item.setData(Qt.ItemDataRole.DecorationRole, QColor(PRIORITY_COLOURS[m.priority]))
            self.list.addItem(item)
        count = (
            ngettext("{n} request to schedule", "{n} requests to schedule", len(requests)).format(
                n=len(requests)
            )
            if requests
            else _("No requests to schedule")
        )
        self.title.setText(f"<b>{count}</b>")
        self._quiet = False

    def meeting_ids(self) -> list[int]:
        return [int(self.list.item(i).data(MEETING_ID_ROLE)) for i in range(self.list.count())]

    def set_selection(self, meeting_ids: list[int]) -> None:
        self._quiet = True
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setSelected(int(item.data(MEETING_ID_ROLE)) in meeting_ids)
        self._quiet = False

    def _selection(self) -> None:
        if not self._quiet:
            ids = [int(item.data(MEETING_ID_ROLE)) for item in self.list.selectedItems()]
            self.selectionChanged.emit(ids)

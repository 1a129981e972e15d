"""The Trip toolbar: the trip picker and a one-line summary of the trip shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from ui.shell.formats import format_date
from visitplanner.i18n import _, current, ngettext
from visitplanner.model import Trip
from visitplanner.planning.snapshot import TripSnapshot


class TripBar(QToolBar):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(_("Trip"), parent)
        self.setObjectName("trip_toolbar")
        self.setMovable(False)
        label = QLabel(_("&Trip:"))
        self.combo = QComboBox()
        self.combo.setMinimumWidth(320)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label.setBuddy(self.combo)
        self.addWidget(label)
        self.addWidget(self.combo)
        self.info = QLabel()
        self.info.setContentsMargins(12, 0, 0, 0)
        self.addWidget(self.info)

    def set_trip_actions(self, actions: list[QAction], delete: QAction) -> None:
        """A right-click on the trip picker offers ``actions``; the Delete key there
        triggers ``delete`` (Delete Trip)."""
        self.combo.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.combo.addActions(actions)
        self.delete_key = QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.combo,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.delete_key.activated.connect(delete.trigger)

    @staticmethod
    def label(trip: Trip) -> str:
        """The trip's name in the picker; the shipped demo says so (Delete Trip removes it)."""
        from visitplanner.demo import is_demo

        return _("{name} (Demo)").format(name=trip.name) if is_demo(trip) else trip.name

    def show_summary(self, snap: TripSnapshot | None) -> None:
        """Its days, time zone and counts; without a trip, how to create one."""
        if snap is None:
            self.info.setText(_("No trip yet: create one with Plan > New Trip…"))
            return
        tr = current()
        t = snap.trip
        scheduled = sum(1 for m in snap.meetings if m.start is not None)
        requested = len(snap.meetings) - scheduled
        self.info.setText(
            _("{first} – {last} · {zone}").format(
                first=format_date(t.first_day, "medium", tr),
                last=format_date(t.last_day, "medium", tr),
                zone=t.timezone,
            )
            + " · "
            + ngettext("{n} delegate", "{n} delegates", len(snap.delegates)).format(
                n=len(snap.delegates)
            )
            + " · "
            + ngettext("{n} meeting", "{n} meetings", scheduled).format(n=scheduled)
            + " · "
            + ngettext("{n} request", "{n} requests", requested).format(n=requested)
        )

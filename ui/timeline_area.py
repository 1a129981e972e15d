"""The schedule area of the main window: the day list, the timeline and the week overview,
the requests beside the timeline, and the Plan menu that edits trips, delegates and meetings.

``install(window)`` plugs all of it into the main window (one call from MainWindow).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ui import editors
from ui.undo import context_for
from visitplanner.i18n import _


class ScheduleArea(QObject):
    """Owns the schedule's extra views and menu actions for one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self._build_actions()
        self._build_menu()
        window.schedule_view.activated.connect(self._list_activated)
        window.tripChanged.connect(self._trip_changed)
        self._trip_changed(window.trip_id)

    # -- actions and menu --------------------------------------------------------------------

    def _action(self, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        w = self.window
        self.new_trip_action = self._action(_("New &Trip…"), lambda: editors.new_trip(w))
        self.edit_trip_action = self._action(_("&Edit Trip…"), lambda: editors.edit_trip(w))
        self.delegates_action = self._action(
            _("&Delegates…"), lambda: editors.edit_delegates(w), "Ctrl+D"
        )
        self.new_meeting_action = self._action(
            _("New &Meeting…"), lambda: editors.new_meeting(w), "Ctrl+M"
        )
        self.edit_meeting_action = self._action(
            _("Edit Meeting…"), self.edit_selected_meeting, "Ctrl+E"
        )

    def _build_menu(self) -> None:
        w = self.window
        self.plan_menu = QMenu(_("&Plan"), w)
        w.menuBar().insertMenu(w.help_menu.menuAction(), self.plan_menu)
        for action in (self.new_trip_action, self.edit_trip_action, self.delegates_action):
            self.plan_menu.addAction(action)
        self.plan_menu.addSeparator()
        self.plan_menu.addAction(self.new_meeting_action)
        self.plan_menu.addAction(self.edit_meeting_action)
        self.plan_menu_end = self.plan_menu.addSeparator()

    # -- reacting to the window --------------------------------------------------------------

    def _trip_changed(self, trip_id: int | None) -> None:
        has_trip = trip_id is not None
        for action in (
            self.edit_trip_action,
            self.delegates_action,
            self.new_meeting_action,
            self.edit_meeting_action,
        ):
            action.setEnabled(has_trip)
        ctx = context_for(self.window, self.window.library)
        ctx.report = lambda message: self.window.statusBar().showMessage(message, 8000)

    def _list_activated(self, index: QModelIndex) -> None:
        meeting_id = self.window.schedule_model.meeting_id(index)
        if meeting_id is not None:
            editors.edit_meeting(self.window, meeting_id)

    def edit_selected_meeting(self) -> None:
        ids = self.window.selected_meeting_ids()
        if ids:
            editors.edit_meeting(self.window, ids[0])


def install(window: Any) -> ScheduleArea:
    area = ScheduleArea(window)
    window.schedule_area = area
    return area

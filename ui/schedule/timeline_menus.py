"""The schedule area's context menus (a block, a list row, a request, a delegate's name) and
the guide an empty trip shows: a mixin of :class:`ui.schedule.timeline_area.ScheduleArea`,
kept apart so that the area stays readable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.schedule import actions
from visitplanner.i18n import _
from visitplanner.planning.snapshot import TripSnapshot

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QTreeView

    from ui.schedule.import_meetings import ImportMeetingsController
    from ui.schedule.requests_panel import RequestsPanel
    from ui.schedule.timeline import DayTimeline
    from ui.shell.context import AppContext


def _key(action: QAction) -> str:
    """ ", Ctrl+D": an action's key as the menu shows it, after its name (or nothing)."""
    key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f", {key}" if key else ""


class AreaMenus:
    """Right-click menus and the empty trip's guide; the area provides these views,
    actions and edits."""

    context: AppContext
    guide: QLabel
    list_view: QTreeView
    requests: RequestsPanel
    timeline: DayTimeline
    snapshot: TripSnapshot | None
    importer: ImportMeetingsController
    delegates_action: QAction
    new_meeting_action: QAction

    def cancel_meetings(self, meeting_ids: list[int]) -> None:
        raise NotImplementedError

    def delete_meetings(self, meeting_ids: list[int]) -> None:
        raise NotImplementedError

    def delete_delegate(self, delegate_id: int) -> None:
        raise NotImplementedError

    def _show_guide(self, snap: TripSnapshot | None) -> None:
        """A trip with no meetings yet: the next steps, each a link that does it."""
        if snap is None or snap.meetings:
            self.guide.hide()
            return
        steps = []
        if not snap.delegates:
            steps.append(
                _("<a href='delegates'>Add the delegates</a> (Plan > Delegates…{key}).").format(
                    key=_key(self.delegates_action)
                )
            )
        steps.append(
            _(
                "<a href='import'>Import the meetings</a> from a spreadsheet or a partnering "
                "system (File > Import Meetings…)."
            )
        )
        steps.append(
            _("Or <a href='meeting'>add a meeting</a> by hand (Plan > New Meeting…{key}).").format(
                key=_key(self.new_meeting_action)
            )
        )
        title = _("This trip has no meetings yet. Next:")
        items = "".join(f"<li>{step}</li>" for step in steps)
        self.guide.setText(f"<b>{title}</b><ol style='margin: 0'>{items}</ol>")
        self.guide.show()

    def _guide_link(self, link: str) -> None:
        if link == "delegates":
            self.delegates_action.trigger()
        elif link == "import":
            self.importer.action.trigger()
        elif link == "meeting":
            self.new_meeting_action.trigger()

    def meeting_menu(self, meeting_ids: list[int]) -> QMenu:
        """What a right-click on a meeting offers: edit, cancel (kept), delete."""
        menu = QMenu(self.context.window)
        if meeting_ids:
            self.context.select_meetings(list(meeting_ids))
            edit = menu.addAction(_("Ed&it Meeting…"))
            edit.triggered.connect(lambda: actions.edit_meeting(self.context, meeting_ids[0]))
            cancel = menu.addAction(_("&Cancel Meeting"))
            cancel.triggered.connect(lambda: self.cancel_meetings(list(meeting_ids)))
            delete = menu.addAction(_("De&lete Meeting"))
            delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
            delete.triggered.connect(lambda: self.delete_meetings(list(meeting_ids)))
        else:
            menu.addAction(self.new_meeting_action)
        return menu

    def _popup(self, menu: QMenu, where: QPoint) -> None:
        from ui.shell import popup

        popup.popup(menu, where)

    def _timeline_menu(
        self, meeting_id: int | None, delegate_id: int | None, where: QPoint
    ) -> None:
        if meeting_id is not None:
            ids = self.timeline.selected if meeting_id in self.timeline.selected else [meeting_id]
            self._popup(self.meeting_menu(list(ids)), where)
            return
        menu = self.meeting_menu([])
        if delegate_id is not None and self.snapshot is not None:
            name = self.snapshot.delegates[delegate_id].name
            menu.addSeparator()
            remove = menu.addAction(_("&Remove Delegate “{name}”").format(name=name))
            remove.triggered.connect(lambda: self.delete_delegate(delegate_id))
        self._popup(menu, where)

    def _list_menu(self, pos: QPoint) -> None:
        index = self.list_view.indexAt(pos)
        meeting_id = self.context.schedule_model.meeting_id(index) if index.isValid() else None
        selected = self.context.selected_meeting_ids
        ids = selected if meeting_id in selected else ([meeting_id] if meeting_id else [])
        self._popup(self.meeting_menu(ids), self.list_view.viewport().mapToGlobal(pos))

    def _requests_menu(self, pos: QPoint) -> None:
        item = self.requests.list.itemAt(pos)
        ids = [] if item is None else [int(item.data(Qt.ItemDataRole.UserRole + 1))]
        self._popup(self.meeting_menu(ids), self.requests.list.viewport().mapToGlobal(pos))

"""The schedule area of the main window: the day list, the timeline and the week overview,
the requests beside the timeline, and the Plan menu that edits trips, delegates and meetings.

The shell builds one :class:`ScheduleArea` with the application context and the widgets it
extends (the day list, the schedule's splitter, the window's pages). The views send requests
(move, resize, schedule, cancel); this controller answers each with one undo step that calls
the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.schedule import actions
from ui.schedule.arrange import ArrangeController
from ui.schedule.import_delegates import ImportDelegatesController
from ui.schedule.import_meetings import ImportMeetingsController
from ui.schedule.model import STATUS_COLOURS
from ui.schedule.requests_panel import RequestsPanel
from ui.schedule.timeline import DayTimeline
from ui.schedule.timeline_layout import layout_day
from ui.schedule.timeline_menus import AreaMenus
from ui.schedule.timeline_week import WeekOverview
from ui.shell.context import AppContext
from ui.shell.formats import format_date
from ui.shell.undo import push_edit
from visitplanner import edits
from visitplanner.edits import Operation
from visitplanner.errors import InputError
from visitplanner.i18n import _, ngettext
from visitplanner.localtime import check_wall_time
from visitplanner.model import STATUS_LABELS, Meeting, MeetingStatus
from visitplanner.planning.checks import Problem
from visitplanner.planning.snapshot import TripSnapshot

Proposal = dict[int, tuple[dt.datetime, list[int]]]


class ScheduleArea(AreaMenus, QObject):
    """Owns the schedule's extra views and menu actions for one main window."""

    def __init__(
        self, context: AppContext, list_view: QTreeView, splitter: QSplitter, pages: QTabWidget
    ) -> None:
        """``list_view``: the day list, which joins the timeline and the week as a tab of
        ``splitter``; ``pages``: the window's tabs (the schedule is the first)."""
        super().__init__(context)
        self.context = context
        self.list_view = list_view
        self.pages = pages
        self.snapshot: TripSnapshot | None = None
        self.problems: list[Problem] = []
        self.day: dt.date | None = None
        self.proposal: Proposal = {}
        self._from_timeline = False
        self._build_actions()
        self._build_menu()
        self._build_views(splitter)
        list_view.activated.connect(self._list_activated)
        context.tripChanged.connect(self._trip_changed)
        context.scheduleReloaded.connect(self.reload)
        context.meetingsSelected.connect(self._window_selected)
        context.dayShown.connect(self.follow_day)
        self.arrange = ArrangeController(self)
        self.importer = ImportMeetingsController(context)
        self.delegates_importer = ImportDelegatesController(context)
        self._trip_changed(context.trip_id)

    # -- actions and menu --------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self.context.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        c = self.context
        self.new_trip_action = self._action(
            _("New &Trip…"), lambda: actions.new_trip(c), "Ctrl+Shift+N"
        )
        self.edit_trip_action = self._action(_("&Edit Trip…"), lambda: actions.edit_trip(c))
        self.delegates_action = self._action(
            _("&Delegates…"), lambda: actions.edit_delegates(c), "Ctrl+D"
        )
        # New (Ctrl+N on every desktop) makes what is made most often, a meeting, as in
        # Outlook's and Thunderbird's calendars; Ctrl+M stays for those used to it. A new
        # trip is Ctrl+Shift+N; a new library, made once, has no key (File > New Library…).
        self.new_meeting_action = self._action(_("New &Meeting…"), lambda: actions.new_meeting(c))
        new_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.New) or [
            QKeySequence("Ctrl+N")
        ]
        self.new_meeting_action.setShortcuts([*new_keys, QKeySequence("Ctrl+M")])
        self.edit_meeting_action = self._action(
            _("Ed&it Meeting…"), self.edit_selected_meeting, "Ctrl+E"
        )
        # Delete removes the meeting (Undo brings it back); Cancel keeps it for the record.
        self.delete_meeting_action = self._action(
            _("De&lete Meeting"), self.delete_selected_meetings, QKeySequence.StandardKey.Delete
        )
        self.cancel_meeting_action = self._action(
            _("&Cancel Meeting"), self.cancel_selected_meetings
        )
        self.delete_trip_action = self._action(_("Delete T&rip"), lambda: self.delete_trip())
        self.fit_day_action = self._action(_("&Fit Day"), self.fit_day, "Ctrl+0")
        self.fit_day_action.setToolTip(_("Show the whole day in the timeline's width"))
        self.list_action = self._action(_("Day &List"), lambda: self.show_view(0), "Ctrl+4")
        self.timeline_action = self._action(_("&Timeline"), lambda: self.show_view(1), "Ctrl+5")
        self.week_action = self._action(_("&Week Overview"), lambda: self.show_view(2), "Ctrl+6")

    def _build_menu(self) -> None:
        menus = self.context.menus
        self.plan_menu = QMenu(_("&Plan"), self.context.window)
        self.context.window.menuBar().insertMenu(menus.help.menuAction(), self.plan_menu)
        for action in (self.new_trip_action, self.edit_trip_action, self.delegates_action):
            self.plan_menu.addAction(action)
        self.plan_menu.addAction(self.delete_trip_action)
        self.plan_menu.addSeparator()
        self.plan_menu.addAction(self.new_meeting_action)
        self.plan_menu.addAction(self.edit_meeting_action)
        self.plan_menu.addAction(self.cancel_meeting_action)
        self.plan_menu.addAction(self.delete_meeting_action)
        self.plan_menu.addSeparator()
        menus.view.addSeparator()
        for action in (self.list_action, self.timeline_action, self.week_action):
            menus.view.addAction(action)
        menus.view.addAction(self.fit_day_action)

    # -- views -------------------------------------------------------------------------------

    def _build_views(self, splitter: QSplitter) -> None:
        index = max(0, splitter.indexOf(self.list_view))
        self.views = QTabWidget()
        self.views.setObjectName("schedule_views")
        self.views.setDocumentMode(True)
        self.views.addTab(self.list_view, _("List"))
        # Timeline: requests on the left, the day's lanes on the right.
        self.timeline = DayTimeline()
        self.requests = RequestsPanel()
        self.day_combo = QComboBox()
        self.day_combo.setMinimumContentsLength(16)
        self.day_combo.currentIndexChanged.connect(self._day_picked)
        previous = QToolButton()
        previous.setArrowType(Qt.ArrowType.LeftArrow)
        previous.setToolTip(_("Previous day"))
        previous.clicked.connect(lambda: self._step_day(-1))
        following = QToolButton()
        following.setArrowType(Qt.ArrowType.RightArrow)
        following.setToolTip(_("Next day"))
        following.clicked.connect(lambda: self._step_day(1))
        legend = QLabel(
            "&nbsp; ".join(  # a square stays with its word when the legend wraps
                f"<span style='color:{STATUS_COLOURS[s]}'>■</span>&nbsp;{_(STATUS_LABELS[s])}"
                for s in MeetingStatus
            )
        )
        legend.setWordWrap(True)  # two lines rather than squeezing the requests beside
        self.bar = QHBoxLayout()
        self.bar.addWidget(previous)
        self.bar.addWidget(self.day_combo)
        self.bar.addWidget(following)
        self.bar.addStretch(1)
        self.bar.addWidget(legend)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.timeline)
        self.scroll.setWidgetResizable(True)
        # The hour ruler stays on top: repaint it when the lanes scroll.
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _v: self.timeline.update())
        self.timeline_page = QWidget()
        page_layout = QVBoxLayout(self.timeline_page)
        page_layout.setContentsMargins(0, 4, 0, 0)
        page_layout.addLayout(self.bar)
        self.proposal_slot = QVBoxLayout()
        page_layout.addLayout(self.proposal_slot)
        page_layout.addWidget(self.scroll, 1)
        self.timeline_split = QSplitter(Qt.Orientation.Horizontal)
        self.timeline_split.addWidget(self.requests)
        self.timeline_split.addWidget(self.timeline_page)
        self.timeline_split.setStretchFactor(1, 1)
        # The requests read in lines, not a word per line: the panel keeps a useful width.
        self.timeline_split.setStretchFactor(0, 0)
        self.timeline_split.setSizes([260, 900])
        self._requests_sized = False  # set once, at the first real width; then the user's
        self.timeline_split.installEventFilter(self)
        self.views.addTab(self.timeline_split, _("Timeline"))
        self.week = WeekOverview()
        week_scroll = QScrollArea()
        week_scroll.setWidget(self.week)
        week_scroll.setWidgetResizable(True)
        self.views.addTab(week_scroll, _("Week"))
        # An empty trip says what to do next, above its (empty) views.
        self.guide = QLabel()
        self.guide.setObjectName("empty_trip_guide")
        self.guide.setWordWrap(True)
        self.guide.setTextFormat(Qt.TextFormat.RichText)
        self.guide.setStyleSheet("background: palette(alternate-base); padding: 8px;")
        self.guide.linkActivated.connect(self._guide_link)
        self.guide.hide()
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.guide)
        holder_layout.addWidget(self.views, 1)
        splitter.insertWidget(index, holder)
        splitter.setStretchFactor(index, 1)
        # The Delete key deletes the selected meetings where they are shown (not in the
        # directory's list or a text field elsewhere in the window).
        self.delete_meeting_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.views.addAction(self.delete_meeting_action)
        self.scroll.horizontalScrollBar().valueChanged.connect(lambda _v: self.timeline.update())
        for view in (self.list_view, self.requests.list):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self._list_menu)
        self.requests.list.customContextMenuRequested.connect(self._requests_menu)
        t = self.timeline
        t.selectionChanged.connect(self._view_selected)
        t.editRequested.connect(self._edit)
        t.newRequested.connect(lambda start, ids: actions.new_meeting(self.context, start, ids))
        t.moveRequested.connect(self.move_meeting)
        t.resizeRequested.connect(self.resize_meeting)
        t.scheduleRequested.connect(self.schedule_request)
        t.cancelRequested.connect(self.cancel_meetings)
        t.deleteRequested.connect(self.delete_meetings)
        t.menuRequested.connect(self._timeline_menu)
        t.undoRequested.connect(self.context.undo_stack.undo)
        t.redoRequested.connect(self.context.undo_stack.redo)
        self.requests.selectionChanged.connect(self._view_selected)
        self.requests.editRequested.connect(self._edit)
        self.week.selectionChanged.connect(self._view_selected)
        self.week.editRequested.connect(self._edit)
        self.week.dayActivated.connect(self.show_day)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.timeline_split
            and event.type() == QEvent.Type.Resize
            and not self._requests_sized
            and self.timeline_split.width() > 500
        ):
            # A word per line is unreadable: the requests get a third, 220 to 300 pixels.
            self._requests_sized = True
            width = self.timeline_split.width()
            side = min(300, max(220, width // 3))
            self.timeline_split.setSizes([side, width - side])
        return super().eventFilter(watched, event)

    def show_view(self, index: int) -> None:
        self.pages.setCurrentIndex(0)
        self.views.setCurrentIndex(index)
        if index == 1:
            self.timeline.setFocus()

    def show_day(self, day: dt.date) -> None:
        index = self.day_combo.findData(day.toordinal())
        if index >= 0:
            self.day_combo.setCurrentIndex(index)
        self.show_view(1)

    def _step_day(self, step: int) -> None:
        index = self.day_combo.currentIndex() + step
        if 0 <= index < self.day_combo.count():
            self.day_combo.setCurrentIndex(index)

    def _day_picked(self) -> None:
        data = self.day_combo.currentData()
        day = dt.date.fromordinal(data) if isinstance(data, int) else None
        if day is not None and day != self.day:
            self.day = day
            self._relayout()
            self.context.show_day(day)  # the map beside shows the same day

    def follow_day(self, day: dt.date) -> None:
        """Show ``day`` (picked on the map) without leaving the current view."""
        index = self.day_combo.findData(day.toordinal())
        if index >= 0 and index != self.day_combo.currentIndex():
            self.day_combo.setCurrentIndex(index)

    # -- data ----------------------------------------------------------------------------------

    def _trip_changed(self, trip_id: int | None) -> None:
        has_trip = trip_id is not None
        for action in (
            self.edit_trip_action,
            self.delegates_action,
            self.new_meeting_action,
            self.edit_meeting_action,
            self.delete_trip_action,
            self.delete_meeting_action,
            self.cancel_meeting_action,
            self.fit_day_action,
            self.arrange.action,  # (Arrange… with no trip did nothing, silently)
        ):
            action.setEnabled(has_trip)
        if self.proposal:
            self.context.proposalShown.emit({})
        self.proposal = {}
        self.day = None
        self.reload()

    def reload(self) -> None:
        snap = self.snapshot = self.context.snapshot
        self.problems = self.context.problems
        days = snap.trip.days() if snap is not None else []
        self.day_combo.blockSignals(True)
        self.day_combo.clear()
        for day in days:
            self.day_combo.addItem(format_date(day), day.toordinal())
        if days and (self.day is None or self.day not in days):
            self.day = days[0]
        self.day_combo.setCurrentIndex(days.index(self.day) if self.day in days else -1)
        self.day_combo.blockSignals(False)
        self.requests.set_snapshot(snap)
        self.week.set_data(snap, self.problems)
        self._relayout()
        self._show_guide(snap)

    def _relayout(self) -> None:
        snap = self.snapshot
        if snap is None or self.day is None:
            self.timeline.set_layout(None, [])
            return
        layout = layout_day(snap, self.day, self.problems, self.proposal)
        self.timeline.set_layout(layout, sorted(snap.delegates))

    def set_proposal(self, proposal: Proposal) -> None:
        """Show proposed starts and attendees as ghost blocks (nothing is stored)."""
        self.proposal = dict(proposal)
        self._relayout()
        self.context.proposalShown.emit(dict(proposal))  # the map draws it too

    # -- selection shared with the window ------------------------------------------------------

    def _view_selected(self, meeting_ids: list[int]) -> None:
        self._from_timeline = True
        try:
            self.context.select_meetings(list(meeting_ids))
        finally:
            self._from_timeline = False

    def _window_selected(self, meeting_ids: list[int]) -> None:
        ids = list(meeting_ids)
        if not self._from_timeline and ids and self.snapshot is not None:
            starts = [m.start for m in self.snapshot.meetings if m.id in ids and m.start]
            if starts and self.day != starts[0].date():
                index = self.day_combo.findData(starts[0].date().toordinal())
                if index >= 0:
                    self.day_combo.setCurrentIndex(index)
        self.timeline.set_selection(ids)
        if ids and self.timeline.layout_ is not None:
            block = next((b for b in self.timeline.layout_.blocks if b.meeting_id in ids), None)
            if block is not None:
                rect = self.timeline.block_rect(block).toRect()
                self.scroll.ensureVisible(rect.center().x(), rect.center().y(), 200, 60)
        self.week.set_selection(ids)
        self.requests.set_selection(ids)

    def _list_activated(self, index: QModelIndex) -> None:
        meeting_id = self.context.schedule_model.meeting_id(index)
        if meeting_id is not None:
            actions.edit_meeting(self.context, meeting_id)

    def _edit(self, meeting_id: int) -> None:
        actions.edit_meeting(self.context, meeting_id)

    def edit_selected_meeting(self) -> None:
        ids = self.context.selected_meeting_ids or self.timeline.selected
        if ids:
            actions.edit_meeting(self.context, ids[0])

    # -- edits from the views ------------------------------------------------------------------

    def _push(self, text: str, operation: Operation) -> bool:
        return push_edit(self.context, text, operation) is not None

    def _push_delete(self, text: str, operation: Operation) -> bool:
        """A deletion, said in the status bar with the key that brings it back (the last
        message there may be an unrelated "Redone: …")."""
        if not self._push(text, operation):
            return False
        key = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.context.show_status(
            _("Done: {action}. {key} brings it back.").format(action=text, key=key)
        )
        return True

    def _meeting(self, meeting_id: int) -> Meeting | None:
        if self.snapshot is not None:
            for m in self.snapshot.meetings:
                if m.id == meeting_id:
                    return m
        return None

    def _title(self, meeting_id: int) -> str:
        m = self._meeting(meeting_id)
        return m.title if m is not None else ""

    def _start_allowed(self, start: dt.datetime) -> bool:
        """False (and the sentence in the status bar) for a start the trip's clocks skip;
        a start they repeat goes through, with the warning in the status bar."""
        if self.snapshot is None:
            return True
        try:
            warning = check_wall_time(start, self.snapshot.trip.timezone)
        except InputError as error:
            self.context.show_status(str(error))
            return False
        if warning:
            self.context.show_status(warning)
        return True

    def move_meeting(self, meeting_id: int, start: dt.datetime, attendees: list[int]) -> None:
        title = self._title(meeting_id)
        before = self._meeting(meeting_id)
        moved = before is None or before.start != start
        if moved and not self._start_allowed(start):
            return
        text = (
            _("Move “{title}”").format(title=title)
            if moved
            else _("Reassign “{title}”").format(title=title)
        )
        self._push(text, edits.MoveMeeting(meeting_id, start, delegate_ids=tuple(attendees)))

    def resize_meeting(self, meeting_id: int, start: dt.datetime, duration: int) -> None:
        before = self._meeting(meeting_id)
        if (before is None or before.start != start) and not self._start_allowed(start):
            return
        text = _("Resize “{title}”").format(title=self._title(meeting_id))
        self._push(text, edits.MoveMeeting(meeting_id, start, duration_minutes=duration))

    def schedule_request(
        self, meeting_id: int, start: dt.datetime, delegate_id: int | None
    ) -> None:
        snap = self.snapshot
        if snap is None:
            return
        request = self._meeting(meeting_id)
        if request is None or not self._start_allowed(start):
            return
        text = _("Schedule “{title}”").format(title=request.title)
        self._push(text, edits.ScheduleRequest(meeting_id, start, delegate_id))
        self.context.select_meetings([meeting_id])

    def cancel_meetings(self, meeting_ids: list[int]) -> None:
        snap = self.snapshot
        if snap is None:
            return
        todo = [
            m
            for m in snap.meetings
            if m.id in meeting_ids and m.status is not MeetingStatus.CANCELLED
        ]
        if not todo:
            return
        if len(todo) == 1:
            text = _("Cancel “{title}”").format(title=todo[0].title)
        else:
            text = ngettext("Cancel {n} meeting", "Cancel {n} meetings", len(todo)).format(
                n=len(todo)
            )
        ids = tuple(m.id or 0 for m in todo)
        self._push(text, edits.SetStatus(ids, MeetingStatus.CANCELLED))

    def selected_ids(self) -> list[int]:
        return list(self.context.selected_meeting_ids or self.timeline.selected)

    def cancel_selected_meetings(self) -> None:
        self.cancel_meetings(self.selected_ids())

    def delete_selected_meetings(self) -> None:
        self.delete_meetings(self.selected_ids())

    def delete_meetings(self, meeting_ids: list[int]) -> None:
        """Delete the meetings (one undo step; Undo brings them back as they were)."""
        snap = self.snapshot
        if snap is None:
            return
        todo = [m for m in snap.meetings if m.id in meeting_ids]
        if not todo:
            return
        if len(todo) == 1:
            text = _("Delete “{title}”").format(title=todo[0].title)
        else:
            text = ngettext("Delete {n} meeting", "Delete {n} meetings", len(todo)).format(
                n=len(todo)
            )
        operations = tuple(edits.Delete("meeting", m.id or 0) for m in todo)
        if self._push_delete(
            text, operations[0] if len(operations) == 1 else edits.Batch(operations)
        ):
            self.context.select_meetings([])

    def delete_trip(self, trip_id: int | None = None) -> None:
        """Delete the trip with its delegates and meetings (one undo step)."""
        trip_id = self.context.trip_id if trip_id is None else trip_id
        if trip_id is None:
            return
        from visitplanner.library import trips

        name = trips.get_trip(self.context.library, trip_id).name
        self._push_delete(
            _("Delete Trip “{name}”").format(name=name), edits.Delete("trip", trip_id)
        )

    def delete_delegate(self, delegate_id: int) -> None:
        """Take the delegate off the trip: their meetings stay, without them (one step)."""
        snap = self.snapshot
        if snap is None or delegate_id not in snap.delegates:
            return
        name = snap.delegates[delegate_id].name
        text = _("Remove Delegate “{name}”").format(name=name)
        self._push_delete(text, edits.Delete("delegate", delegate_id))

    def fit_day(self) -> None:
        """View > Fit Day: the whole day in the timeline's width, no sideways scrolling."""
        self.show_view(1)
        width = self.scroll.viewport().width()
        self.timeline.fit_width(width)

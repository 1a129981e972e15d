"""The main window: trip picker, schedule, directory, problems; menus and window state.

The window is the composition root: it opens the :class:`AppContext` (library, undo stack,
current trip, snapshot, selection, services) and builds the areas of the other sub-packages
(the timeline, the map, the directory's editing, the itinerary), handing each the context and
the widgets it extends. Views and models read from the library and refresh on its change
events.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.directory.model import DirectoryModel
from ui.directory.panel import DirectoryPanel
from ui.itinerary.print import PrintController
from ui.map.actions import OfflineMapActions
from ui.map.view import MapView
from ui.schedule.model import ScheduleModel
from ui.schedule.timeline_area import ScheduleArea
from ui.shell import settings
from ui.shell.context import AppContext, Menus
from ui.shell.dialogs import PreferencesDialog, show_about
from ui.shell.formats import format_time
from ui.shell.problems import ProblemsDock
from ui.shell.trip_bar import TripBar
from ui.shell.window_fit import FirstShowFit
from visitplanner import APP_NAME
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import N_, _, ngettext
from visitplanner.library import ChangeSet, Library, trips

LIBRARY_FILTER = N_("Visit Planner library (*.visitplanner);;All files (*)")


def redo_shortcuts(platform: list[QKeySequence] | None = None) -> list[QKeySequence]:
    """The platform's Redo keys (Ctrl+Shift+Z on Linux desktops) and Ctrl+Shift+Z and Ctrl+Y,
    each once: a key bound twice is ambiguous and Qt then does nothing."""
    if platform is None:
        platform = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    keys: list[QKeySequence] = []
    for key in [*platform, QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]:
        if key.toString() not in {k.toString() for k in keys}:
            keys.append(key)
    return keys


def _standard_or(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    return QKeySequence.keyBindings(key) or [QKeySequence(fallback)]


class MainWindow(QMainWindow):
    def __init__(self, library: Library, *, defer_checks: bool = False) -> None:
        """``defer_checks``: at start-up, paint the window first and list the trip's
        problems a moment later (the checks' first run loads the travel model)."""
        super().__init__()
        self._selecting = False  # the list's selection is being set from the context
        self._from_list = False  # the context's selection comes from the list
        self._kept_selection: list[int] = []  # selected meetings across a reload of the list
        self.fit = FirstShowFit(self)  # with its frame on the screen, once shown
        self._build_actions()
        self._build_menus()
        schedule = ScheduleModel(library)
        schedule.defer_checks = defer_checks
        menus = Menus(self.file_menu, self.file_menu_end, self.view_menu, self.help_menu)
        self.context = AppContext(self, library, schedule, menus)
        self.undo_stack = self.context.undo_stack
        self._build_undo_actions()
        self.context.tripChanged.connect(self._trip_shown)
        self.context.meetingsSelected.connect(self._show_selection)
        self._build_central()
        self._build_problems_dock()
        self._build_toolbar()
        self.statusBar()
        self._attach(library)
        self.tabs.currentChanged.connect(self._tab_changed)
        # The areas of the other sub-packages, each given the context and what it extends.
        self.schedule_area = ScheduleArea(
            self.context, self.schedule_view, self.schedule_splitter, self.tabs
        )
        area = self.schedule_area  # the trip picker's right-click menu and Delete key
        trip_actions = [area.new_trip_action, area.edit_trip_action, area.delete_trip_action]
        self.trip_bar.set_trip_actions(trip_actions, area.delete_trip_action)
        self.print_controller = PrintController(self.context)
        from ui.publish import PublishController

        self.publish_controller = PublishController(self.context)
        self.directory_panel = DirectoryPanel(self.context, self.directory_view)
        self._restore_state()

    @property
    def library(self) -> Library:
        return self.context.library

    @property
    def trip_id(self) -> int | None:
        return self.context.trip_id

    @property
    def schedule_model(self) -> ScheduleModel:
        return self.context.schedule_model

    # -- construction ------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object = None,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        # No key: Ctrl+N (New) makes a meeting, the thing made most often (Plan menu).
        self.new_library_action = self._action(_("&New Library…"), self.new_library)
        self.open_library_action = self._action(
            _("&Open Library…"), self.open_library_dialog, QKeySequence.StandardKey.Open
        )
        self.quit_action = self._action(_("&Quit"), self.close)
        # Some platforms bind no key to Quit or Preferences: give them the usual ones.
        self.quit_action.setShortcuts(_standard_or(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        self.preferences_action = self._action(_("&Preferences…"), self.show_preferences)
        self.preferences_action.setShortcuts(
            _standard_or(QKeySequence.StandardKey.Preferences, "Ctrl+,")
        )
        self.about_action = self._action(_("&About Visit Planner"), lambda: show_about(self))
        self.shortcuts_action = self._action(_("&Keyboard Shortcuts"), self.show_shortcuts)
        help_keys = _standard_or(QKeySequence.StandardKey.HelpContents, "F1")
        self.shortcuts_action.setShortcuts(help_keys)
        self.schedule_view_action = self._action(
            _("&Schedule"), lambda: self.tabs.setCurrentIndex(0), "Ctrl+1"
        )
        self.directory_view_action = self._action(
            _("&Directory"), lambda: self.tabs.setCurrentIndex(1), "Ctrl+2"
        )
        self.find_action = self._action(
            _("&Find in Directory"), self.focus_search, QKeySequence.StandardKey.Find
        )

    def _build_undo_actions(self) -> None:
        """Edit > Undo and Redo, over the context's undo stack, first in the Edit menu."""
        self.undo_action = self.undo_stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, _("&Redo"))
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts(redo_shortcuts())
        first = self.edit_menu.actions()[0]
        self.edit_menu.insertActions(first, [self.undo_action, self.redo_action])

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(_("&File"))
        self.file_menu.addAction(self.new_library_action)
        self.file_menu.addAction(self.open_library_action)
        self.recent_menu = self.file_menu.addMenu(_("Open Rec&ent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addSeparator()
        self.file_menu_end = self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu(_("&Edit"))  # Undo and Redo come first (the context's)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.preferences_action)
        self.view_menu = bar.addMenu(_("&View"))
        self.view_menu.addAction(self.schedule_view_action)
        self.view_menu.addAction(self.directory_view_action)
        self.view_menu.addSeparator()
        self.help_menu = bar.addMenu(_("&Help"))
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        self.trip_bar = TripBar(self)
        self.addToolBar(self.trip_bar)
        self.trip_combo = self.trip_bar.combo
        self.trip_info = self.trip_bar.info
        self.trip_combo.currentIndexChanged.connect(self._trip_picked)

    def _build_central(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # Schedule: the day list on the left; the map (and timeline) join this splitter.
        self.schedule_view = QTreeView()
        self.schedule_view.setAlternatingRowColors(True)
        self.schedule_view.setUniformRowHeights(True)
        self.schedule_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.schedule_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._fitting_columns = False
        self._columns_set_by_user = False
        self.schedule_view.header().sectionResized.connect(self._schedule_column_resized)
        self.schedule_view.viewport().installEventFilter(self)
        self.schedule_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.schedule_splitter.setObjectName("schedule_splitter")
        self.schedule_splitter.addWidget(self.schedule_view)
        self.map_view = MapView(self.context)
        self.schedule_splitter.addWidget(self.map_view)
        self.offline_map = OfflineMapActions(self.context, self.map_view)
        self.tabs.addTab(self.schedule_splitter, _("Schedule"))
        # Directory: search as you type over organizations and contacts.
        directory_page = QWidget()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            _("Search names, organizations, titles, emails, cities, notes…")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.directory_kind = QComboBox()
        self.directory_kind.addItem(_("Everything"), None)
        self.directory_kind.addItem(_("Organizations"), "organization")
        self.directory_kind.addItem(_("Contacts"), "contact")
        self.directory_view: QTableView = QTableView()
        self.directory_view.setAlternatingRowColors(True)
        self.directory_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.directory_view.verticalHeader().hide()
        self.directory_view.horizontalHeader().setStretchLastSection(True)
        self.directory_count = QLabel()
        self.directory_empty = QLabel()  # says why the list is empty and what to do
        self.directory_empty.setWordWrap(True)
        self.directory_empty.setStyleSheet("color: palette(placeholder-text); padding: 6px;")
        self.directory_empty.hide()
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.directory_kind)
        top.addWidget(self.directory_count)
        layout = QVBoxLayout(directory_page)
        layout.addLayout(top)
        layout.addWidget(self.directory_empty)
        layout.addWidget(self.directory_view)
        self.tabs.addTab(directory_page, _("Directory"))
        self.setCentralWidget(self.tabs)
        self.search_edit.textChanged.connect(self._search_changed)
        self.directory_kind.currentIndexChanged.connect(self._search_changed)

    def _build_problems_dock(self) -> None:
        self.problems_dock = ProblemsDock(self)
        self.problems_list = self.problems_dock.list
        self.problems_dock.meetingsActivated.connect(self._problem_activated)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.view_menu.addAction(self.problems_dock.toggleViewAction())

    # -- library ------------------------------------------------------------------------

    def _attach(self, library: Library) -> None:
        """Show the context's library (its schedule model is the context's)."""
        from visitplanner import boundary

        boundary.set_library(library.path)  # storage errors name this file
        self.schedule_view.setModel(self.schedule_model)
        self.schedule_model.aboutToReload.connect(self._keep_selection)
        self.schedule_model.reloaded.connect(self._schedule_reloaded)
        self.schedule_view.selectionModel().selectionChanged.connect(self._schedule_selection)
        # The directory (20,000 contacts) is listed when its tab is first shown.
        self.directory_model = DirectoryModel(library, load=False)
        # The search in the box (typed before File > Open) applies to this library too.
        self.directory_model.text = self.search_edit.text()
        self.directory_model.kind = self.directory_kind.currentData()
        if self.tabs.currentIndex() == 1:
            self.directory_model.refresh()
        # Edits made anywhere (a dialog, undo, another window) refresh the count and the hint.
        self.directory_model.modelReset.connect(self._update_directory_count)
        self.directory_view.setModel(self.directory_model)
        header = self.directory_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((220, 240, 200, 240, 150)):
            header.resizeSection(column, width)
        self._update_directory_count()
        library.subscribe(self._on_change)
        self.statusBar().showMessage(str(library.path))
        self.reload_trips()

    def _detach(self) -> None:
        self.library.unsubscribe(self._on_change)
        self.schedule_model.detach()
        self.directory_model.detach()
        self.library.close()

    def switch_library(self, library: Library) -> None:
        """File > Open: the context switches (``libraryChanged``), then the views follow."""
        self._detach()
        self.context.set_library(library, ScheduleModel(library))
        self._attach(library)
        settings.add_recent_library(str(library.path))
        settings.set_last_library(str(library.path))

    def _open_path(self, path: Path, create: bool = False) -> None:
        if not create and path.resolve() == self.library.path.resolve():
            return
        try:
            library = Library.open(path, create=create)
        except VisitPlannerError as error:
            QMessageBox.warning(self, _("Cannot open the library"), str(error))
            return
        self.switch_library(library)

    def new_library(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("New Library"), str(Path.home() / "mission.visitplanner"), _(LIBRARY_FILTER)
        )
        if name:
            path = Path(name)
            if path.suffix == "":
                path = path.with_suffix(".visitplanner")
            if path.exists():
                QMessageBox.warning(
                    self,
                    _("New Library"),
                    _("{path} already exists; choose another name.").format(path=path),
                )
                return
            self._open_path(path, create=True)

    def open_library_dialog(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Open Library"), str(self.library.path.parent), _(LIBRARY_FILTER)
        )
        if name:
            self._open_path(Path(name))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = [p for p in settings.recent_libraries() if Path(p).exists()]
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self._open_path(Path(p)))
        if not paths:
            empty = self.recent_menu.addAction(_("No recent libraries"))
            empty.setEnabled(False)

    # -- trips --------------------------------------------------------------------------

    def reload_trips(self) -> None:
        current = self.context.trip_id
        self.trip_combo.blockSignals(True)
        self.trip_combo.clear()
        for summary in trips.trip_summaries(self.library):
            self.trip_combo.addItem(self.trip_bar.label(summary.trip), summary.trip.id)
        self.trip_combo.blockSignals(False)
        index = self.trip_combo.findData(current) if current is not None else -1
        if index < 0:
            stored = settings.settings().value(f"last_trip/{self.library.path}", None)
            index = self.trip_combo.findData(_int_or_none(stored))
        self.trip_combo.setCurrentIndex(max(index, 0) if self.trip_combo.count() else -1)
        self._trip_picked()

    def _trip_picked(self) -> None:
        self.context.set_trip(_int_or_none(self.trip_combo.currentData()))

    def _trip_shown(self, trip_id: int | None) -> None:
        """The context shows another trip (picked here, or created by Plan > New Trip)."""
        index = self.trip_combo.findData(trip_id) if trip_id is not None else -1
        if index >= 0 and index != self.trip_combo.currentIndex():
            self.trip_combo.blockSignals(True)
            self.trip_combo.setCurrentIndex(index)
            self.trip_combo.blockSignals(False)
        if trip_id is not None:
            settings.settings().setValue(f"last_trip/{self.library.path}", trip_id)
        self._fit_schedule_columns()
        self._update_title()

    def _update_title(self) -> None:
        """“Trip — library file — Visit Planner”: which trip and which file, at a glance."""
        parts = [self.trip_combo.currentText()] if self.trip_id is not None else []
        self.setWindowTitle(" — ".join([*parts, self.library.path.name, APP_NAME]))

    def _fit_schedule_columns(self) -> None:
        """Time and status as wide as their text; the rest shared so that the status and the
        attendees stay in sight on a laptop screen (no sideways scrolling to see them)."""
        import datetime as dt

        from visitplanner.model import STATUS_LABELS

        view = self.schedule_view
        metrics = view.fontMetrics()
        sample = f"{format_time(dt.time(10, 15))} – {format_time(dt.time(11, 15))}"
        time_width = metrics.horizontalAdvance(sample) + 2 * view.indentation() + 16
        status_width = max(metrics.horizontalAdvance(_(t)) for t in STATUS_LABELS.values()) + 24
        rest = max(view.viewport().width(), 560) - time_width - status_width
        widths = (time_width, rest * 40 // 100, rest * 21 // 100, rest * 21 // 100, status_width)
        self._fitting_columns = True
        try:
            for column, width in enumerate(widths):
                view.setColumnWidth(column, width)
        finally:
            self._fitting_columns = False

    def _schedule_column_resized(self, column: int, _old: int, _new: int) -> None:
        # The last column stretches by itself; any other resize not ours is the user's.
        if not self._fitting_columns and column < self.schedule_model.columnCount() - 1:
            self._columns_set_by_user = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.schedule_view.viewport():
            # Painted: the start-up's deferred checks may run now (once; later a no-op).
            QTimer.singleShot(0, self.schedule_model.run_deferred_checks)
        # The schedule's columns follow the window's width until the user sets one.
        if (
            event.type() == QEvent.Type.Resize
            and watched is self.schedule_view.viewport()
            and not self._columns_set_by_user
        ):
            self._fit_schedule_columns()
        return super().eventFilter(watched, event)

    def _keep_selection(self) -> None:
        """Before the list is rebuilt (an edit, an undo): what was selected, to select again."""
        self._kept_selection = list(self.context.selected_meeting_ids)

    def _schedule_reloaded(self) -> None:
        """Day headers span the whole row; every day is open; the selection is kept."""
        root = self.schedule_model.invisibleRootItem().index()
        for row in range(self.schedule_model.rowCount()):
            self.schedule_view.setFirstColumnSpanned(row, root, True)
        self.schedule_view.expandAll()
        kept = [
            i for i in self._kept_selection if self.schedule_model.index_of_meeting(i).isValid()
        ]
        self._kept_selection = []
        if kept:
            self.context.select_meetings(kept)
        self.trip_bar.show_summary(self.context.snapshot)
        self.refresh_problems()

    def _on_change(self, changes: ChangeSet) -> None:
        # The schedule model reloads the trip itself (and says so with `reloaded`).
        if changes.touches("trip"):
            self.reload_trips()

    # -- problems -----------------------------------------------------------------------

    def refresh_problems(self) -> None:
        self.problems_dock.show_problems(self.context.problems)

    def _problem_activated(self, meeting_ids: list[int]) -> None:
        self.tabs.setCurrentIndex(0)
        self.select_meetings(meeting_ids)

    # -- selection shared between views --------------------------------------------------

    def select_meetings(self, meeting_ids: list[int]) -> None:
        """Select these meetings in every view (the list, the map, the timeline)."""
        self.context.select_meetings(meeting_ids)

    def _show_selection(self, meeting_ids: list[int]) -> None:
        """Select in the list what the context says is selected (unless it came from here)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        if self._from_list:
            return
        self._selecting = True
        try:
            selection = QItemSelection()
            for meeting_id in meeting_ids:
                index = self.schedule_model.index_of_meeting(meeting_id)
                if index.isValid():
                    last = index.siblingAtColumn(self.schedule_model.columnCount() - 1)
                    selection.select(index, last)
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.schedule_view.selectionModel().select(selection, flags)
            if meeting_ids:
                index = self.schedule_model.index_of_meeting(meeting_ids[0])
                if index.isValid():
                    self.schedule_view.scrollTo(index)
        finally:
            self._selecting = False

    def selected_meeting_ids(self) -> list[int]:
        ids: list[int] = []
        for index in self.schedule_view.selectionModel().selectedRows():
            meeting_id = self.schedule_model.meeting_id(index)
            if meeting_id is not None and meeting_id not in ids:
                ids.append(meeting_id)
        return ids

    def _schedule_selection(self) -> None:
        if self._selecting:
            return
        self._from_list = True
        try:
            self.context.select_meetings(self.selected_meeting_ids())
        finally:
            self._from_list = False

    # -- directory ----------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.directory_model.ensure_loaded()
            self._update_directory_count()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _search_changed(self) -> None:
        self.directory_model.set_filter(self.search_edit.text(), self.directory_kind.currentData())
        self._update_directory_count()

    def _update_directory_count(self) -> None:
        n = self.directory_model.rowCount()
        self.directory_count.setText(ngettext("{n} entry", "{n} entries", n).format(n=n))
        text = self.search_edit.text().strip()
        if n or not self.directory_model.loaded:
            self.directory_empty.hide()
            return
        if text:
            self.directory_empty.setText(
                _("Nothing matches “{text}”. Try fewer letters, or look in Everything.").format(
                    text=text
                )
            )
        else:
            self.directory_empty.setText(
                _(
                    "The directory is empty. Add an organization or a contact below, or "
                    "import contacts with File > Import Contacts."
                )
            )
        self.directory_empty.show()

    # -- window state --------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        from ui.shell.shortcuts import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_preferences(self) -> None:
        if PreferencesDialog(self, self.library.path).exec():
            # An approximate place's fix offers online lookups only while they are off.
            self.schedule_model.recheck()

    def _restore_state(self) -> None:
        store = settings.settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:  # first start: 1280x800, or the screen's free space (with a frame) if smaller
            self.fit.first_start(QSize(1280, 800))
        state = store.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:  # first start: a short problems list, the map beside the schedule
            self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical)
        splitter = store.value("window/schedule_splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            QTimer.singleShot(0, lambda: self.schedule_splitter.restoreState(splitter))
        else:
            width = self.width()
            self.schedule_splitter.setSizes([width * 3 // 5, width * 2 // 5])
        self.fit.plan()  # this size is fitted on the screen when shown

    def closeEvent(self, event: QCloseEvent) -> None:
        store = settings.settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.setValue("window/schedule_splitter", self.schedule_splitter.saveState())
        settings.set_last_library(str(self.library.path))
        self._detach()
        super().closeEvent(event)


def _int_or_none(value: object) -> int | None:
    """A trip id from a combo box's data or the settings (QSettings may give a string)."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None

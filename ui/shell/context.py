"""The application context: what a controller uses, passed to it in its constructor.

The shell (:class:`ui.shell.main_window.MainWindow`) creates one :class:`AppContext` and hands
it to every controller and view of the sub-packages (schedule, map, directory, itinerary).
They read the current library, trip, snapshot and selection from it, push their edits on its
undo stack, run slow work through its task runner and follow its signals; they never look a
sibling up on the window. A service one area offers another (the tile cache, the day shown)
lives here, typed, so that mypy and a reader see every dependency.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from visitplanner.i18n import _
from visitplanner.library import ChangeSet, Library
from visitplanner.planning.checks import Problem
from visitplanner.planning.snapshot import TripSnapshot

if TYPE_CHECKING:
    from ui.schedule.model import ScheduleModel
    from ui.shell.tasks import Progress
    from visitplanner.geo.tiles import MBTiles

T = TypeVar("T")

STATUS_SECONDS = 10


@dataclass(frozen=True)
class Menus:
    """The window's menus, where the areas add their entries."""

    file: QMenu
    file_end: QAction  # the File menu's entries of an area go before this separator
    view: QMenu
    help: QMenu  # the Plan menu goes before it


class AppContext(QObject):
    """The current library, undo stack, trip, snapshot and selection, and shared services.

    Signals:
      ``libraryChanged(Library)``: File > Open or New switched the library (the old one is
      closed); the snapshot, the trip and the undo history are the new library's.
      ``tripChanged(int | None)``: another trip is shown (its snapshot is loaded already).
      ``scheduleReloaded()``: the current trip's snapshot and problems were reloaded.
      ``meetingsSelected(list[int])``: meetings were selected in a view; the others follow.
      ``dayShown(dt.date)``: a view shows another day; the others follow.
      ``proposalShown(dict)``: Arrange proposes starts and attendees (meeting id -> (start,
      delegate ids)), not stored; an empty dict when the proposal goes. The map draws it.
    """

    libraryChanged = Signal(object)
    tripChanged = Signal(object)
    scheduleReloaded = Signal()
    meetingsSelected = Signal(list)
    dayShown = Signal(object)
    proposalShown = Signal(object)

    def __init__(
        self, window: QMainWindow, library: Library, schedule: ScheduleModel, menus: Menus
    ) -> None:
        super().__init__(window)
        self.window = window  # the parent of dialogs and message boxes
        self.menus = menus
        self.undo_stack = QUndoStack(self)
        self._library = library
        self._schedule = schedule
        self._trip_id: int | None = None
        self._selected: list[int] = []
        self._tiles: MBTiles | None = None
        self._tiles_for = ""
        schedule.reloaded.connect(self.scheduleReloaded)

    # -- the library ------------------------------------------------------------------------

    @property
    def library(self) -> Library:
        """The open library; another one after File > Open (see ``libraryChanged``)."""
        return self._library

    @property
    def schedule_model(self) -> ScheduleModel:
        """The current trip as a tree model; also its snapshot and problems."""
        return self._schedule

    def set_library(self, library: Library, schedule: ScheduleModel) -> None:
        """Switch to ``library`` (the shell closed the previous one) and say so."""
        self._schedule.reloaded.disconnect(self.scheduleReloaded)
        self._library, self._schedule = library, schedule
        schedule.reloaded.connect(self.scheduleReloaded)
        self._trip_id = None
        self._selected = []
        self.undo_stack.clear()
        self.libraryChanged.emit(library)

    # -- the trip and its snapshot ------------------------------------------------------------

    @property
    def trip_id(self) -> int | None:
        return self._trip_id

    def set_trip(self, trip_id: int | None) -> None:
        """Show ``trip_id``: its snapshot is loaded, then ``tripChanged`` is emitted."""
        self._trip_id = trip_id
        self._selected = []
        self._schedule.set_trip(trip_id)
        self.tripChanged.emit(trip_id)

    @property
    def snapshot(self) -> TripSnapshot | None:
        """The current trip, loaded once per change (None without a trip)."""
        return self._schedule.snapshot

    @property
    def problems(self) -> list[Problem]:
        return self._schedule.problems

    # -- selection and the day shown ------------------------------------------------------------

    @property
    def selected_meeting_ids(self) -> list[int]:
        """The meetings last selected in any view."""
        return list(self._selected)

    def select_meetings(self, meeting_ids: list[int]) -> None:
        """Select these meetings in every view (the list, the map, the timeline)."""
        self._selected = list(meeting_ids)
        self.meetingsSelected.emit(list(meeting_ids))

    def show_changes(self, changes: ChangeSet, what: str) -> None:
        """After Edit > Undo or Redo: a change to another trip's schedule is not made out of
        sight; that trip is shown, and the status bar says what was undone or redone."""
        trips_changed = {
            change.trip_id
            for change in changes.changes
            if change.entity in ("meeting", "delegate", "trip") and change.trip_id is not None
        }
        if self.trip_id not in trips_changed and len(trips_changed) == 1:
            (other,) = trips_changed
            from visitplanner.errors import NotFoundError
            from visitplanner.library import trips

            try:
                name = trips.get_trip(self.library, other).name
            except NotFoundError:  # the step deleted that trip: nothing to show
                name = None
            if name is not None:
                self.set_trip(other)
                what = _("{what} The trip “{name}” is shown.").format(what=what, name=name)
        self.show_status(what)

    def show_day(self, day: dt.date) -> None:
        """A view shows ``day``: the others (the timeline, the map) follow."""
        self.dayShown.emit(day)

    # -- services --------------------------------------------------------------------------------

    def show_status(self, message: str, seconds: int = STATUS_SECONDS) -> None:
        """A sentence in the status bar for a few seconds."""
        self.window.statusBar().showMessage(message, seconds * 1000)

    def tile_cache(self) -> MBTiles | None:
        """The library's map tile cache (thread-safe reads); None for a library in memory.

        One per library file, opened when first asked for: the map draws from it, the
        itinerary's day maps read it, View > Offline Map fills it."""
        from visitplanner.geo import tiles

        path = self._library.path
        if str(path) == ":memory:":
            return None
        if self._tiles is None or self._tiles_for != str(path):
            if self._tiles is not None:
                self._tiles.close()
            self._tiles = tiles.MBTiles(tiles.cache_path_for(path))
            self._tiles_for = str(path)
        return self._tiles

    def run_task(
        self,
        work: Callable[[Progress], T],
        on_done: Callable[[T], None],
        *,
        title: str = "",
        on_error: Callable[[str], None] | None = None,
        show_progress: bool = True,
    ) -> threading.Event:
        """Run ``work`` off the GUI thread with a progress dialog on the window
        (:func:`ui.shell.tasks.run_task`); returns the event that cancels it."""
        from ui.shell import tasks

        return tasks.run_task(
            self.window,
            work,
            on_done,
            title=title,
            on_error=on_error,
            show_progress=show_progress,
        )

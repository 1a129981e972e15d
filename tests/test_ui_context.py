"""The application context: the one object the areas receive (library, undo stack, trip,
snapshot, selection, services), and what it says when the library or the trip changes."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot

from ui.shell.main_window import MainWindow
from visitplanner import edits
from visitplanner.library import Library, directory

ROOT = Path(__file__).resolve().parent.parent


def test_file_open_switches_the_context_and_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    context = window.context
    old = context.library
    old_cache = context.tile_cache()
    from ui.shell.undo import push_edit

    place = next(iter(directory.places(old)))

    assert push_edit(context, "Move", edits.MovePlace(place, 42.3, -71.1)) is not None
    assert context.undo_stack.count() == 1
    seen: list[Library] = []
    trips: list[int | None] = []
    context.libraryChanged.connect(seen.append)
    context.tripChanged.connect(trips.append)
    window._open_path(tmp_path / "other.visitplanner", create=True)
    assert seen == [context.library] and context.library is not old
    assert context.library.path == tmp_path / "other.visitplanner"
    assert context.undo_stack.count() == 0  # no undo into a closed library
    assert trips == [None] and context.trip_id is None and context.snapshot is None
    assert window.trip_info.text().startswith("No trip yet")
    cache = context.tile_cache()
    assert cache is not None and cache is not old_cache  # the tiles beside the new file


def test_a_new_trip_becomes_the_current_trip(qtbot: QtBot, window: MainWindow) -> None:
    from ui.shell.undo import push_edit
    from visitplanner.model import Trip

    context = window.context
    first = context.trip_id
    trips: list[int | None] = []
    context.tripChanged.connect(trips.append)
    applied = push_edit(
        context, "New Trip", edits.Add(Trip("Lyon", dt.date(2031, 3, 3), dt.date(2031, 3, 5)))
    )
    assert applied is not None
    trip_id = applied.created_id("trip")
    context.set_trip(trip_id)
    assert trips[-1] == trip_id != first
    assert window.trip_combo.currentData() == trip_id  # the picker follows the context
    assert window.windowTitle().startswith("Lyon — ")
    snap = context.snapshot
    assert snap is not None and snap.trip.name == "Lyon"


def test_a_selection_made_anywhere_reaches_every_view(qtbot: QtBot, window: MainWindow) -> None:
    context = window.context
    snap = context.snapshot
    assert snap is not None
    meeting = next(m for m in snap.meetings if m.start is not None)
    assert meeting.id is not None
    with qtbot.waitSignal(context.meetingsSelected) as blocker:
        window.schedule_area.timeline.selectionChanged.emit([meeting.id])
    assert blocker.args == [[meeting.id]]
    assert window.selected_meeting_ids() == [meeting.id]  # the day list
    assert window.map_view.selected_ids == [meeting.id]  # the map
    assert context.selected_meeting_ids == [meeting.id]


def test_the_timeline_and_the_map_show_the_same_day(qtbot: QtBot, window: MainWindow) -> None:
    snap = window.context.snapshot
    assert snap is not None
    days = snap.trip.days()
    window.context.show_day(days[2])
    assert window.schedule_area.day == days[2]
    assert window.map_view.shown_day() == days[2]


def _untyped_window_lookups(path: Path) -> list[str]:
    """``getattr(...)`` / ``hasattr(...)`` calls and parameters annotated ``Any``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
        ):
            found.append(f"{path.name}:{node.lineno} {node.func.id}")
        elif (
            isinstance(node, ast.arg)
            and node.annotation is not None
            and ast.unparse(node.annotation) == "Any"
        ):
            found.append(f"{path.name}:{node.lineno} {node.arg}: Any")
    return found


def test_controllers_receive_the_context_and_look_nothing_up() -> None:
    found = [
        hit for path in sorted((ROOT / "ui").rglob("*.py")) for hit in _untyped_window_lookups(path)
    ]
    assert found == []


def test_the_lookup_scan_sees_one(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def f(window: Any) -> None:\n    getattr(window, 'map_view', None)\n", encoding="utf-8"
    )
    assert _untyped_window_lookups(module) == ["m.py:1 window: Any", "m.py:2 getattr"]

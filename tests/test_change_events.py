"""Fine-grained change events: a change set names the records an edit touched, and the
schedule reloads the trip and reruns its checks only when the edit concerns that trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from visitplanner import edits
from visitplanner.library import Library, directory, trips
from visitplanner.model import Contact, Organization
from visitplanner.planning.snapshot import load_snapshot

# In the demo library, trip 1 uses organizations, contacts and places 1, 2, 3...; trip 2
# uses 23, 24, 25 (organizations and contacts) and place 21, which trip 1 does not.


def _renamed(lib: Library, entity: str, record_id: int) -> edits.Update:
    getter = {
        "contact": directory.get_contact,
        "organization": directory.get_organization,
        "place": directory.get_place,
    }[entity]
    field = {"contact": "title", "organization": "notes", "place": "name"}[entity]
    record: Any = getter(lib, record_id)
    return edits.Update(dataclasses.replace(record, **{field: "Changed Example"}))


@pytest.mark.parametrize(
    ("entity", "record_id", "concerns_trip_1"),
    [
        ("contact", 1, True),  # hosts a meeting of trip 1
        ("contact", 23, False),
        ("organization", 3, True),
        ("organization", 23, False),
        ("place", 1, True),
        ("place", 21, False),
    ],
)
def test_a_directory_edit_concerns_only_the_trips_using_the_record(
    demo_library: Library, entity: str, record_id: int, concerns_trip_1: bool
) -> None:
    snap = load_snapshot(demo_library, 1)
    applied = _renamed(demo_library, entity, record_id).apply(demo_library)
    assert applied.changes.ids(entity) == {record_id}
    assert snap.concerned_by(applied.changes) is concerns_trip_1


def test_meeting_edits_concern_their_own_trip(demo_library: Library) -> None:
    lib = demo_library
    one, two = load_snapshot(lib, 1), load_snapshot(lib, 2)
    m = next(m for m in two.meetings if m.start is not None)
    assert m.start is not None and m.id is not None
    applied = edits.MoveMeeting(m.id, m.start + dt.timedelta(hours=1)).apply(lib)
    assert applied.changes.ids("meeting") == {m.id}
    assert two.concerned_by(applied.changes) and not one.concerned_by(applied.changes)
    new_org = edits.Add(Organization("Unused Example Inc.")).apply(lib)
    assert not one.concerned_by(new_org.changes) and not two.concerned_by(new_org.changes)
    deleted = edits.Delete("contact", 1).apply(lib)  # a host of trip 1's meetings
    assert one.concerned_by(deleted.changes) and not two.concerned_by(deleted.changes)


@pytest.fixture
def window(qtbot: Any, demo_path: Path) -> Any:
    from ui.shell.app import make_application
    from ui.shell.main_window import MainWindow

    make_application()
    window = MainWindow(Library.open(demo_path))
    qtbot.addWidget(window)
    assert window.trip_id == 1
    yield window
    window.close()


def test_the_schedule_reloads_and_checks_only_for_edits_that_concern_it(
    window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.schedule.model

    runs: list[int] = []
    real = ui.schedule.model.check_snapshot

    def counting(snap: Any, **options: Any) -> Any:
        runs.append(snap.trip.id)
        return real(snap, **options)

    monkeypatch.setattr(ui.schedule.model, "check_snapshot", counting)
    lib = window.library
    reloads: list[int] = []
    window.schedule_model.reloaded.connect(lambda: reloads.append(1))

    def edit(operation: edits.Operation) -> tuple[int, int]:
        runs.clear()
        reloads.clear()
        from ui.shell.undo import push_edit

        assert push_edit(window.context, "Edit", operation) is not None
        return len(runs), len(reloads)

    assert edit(_renamed(lib, "contact", 23)) == (0, 0)  # trip 2's contact
    assert edit(_renamed(lib, "organization", 23)) == (0, 0)
    assert edit(_renamed(lib, "place", 21)) == (0, 0)
    assert edit(edits.Add(Contact("Ana", "Example"))) == (0, 0)
    assert edit(_renamed(lib, "contact", 1)) == (1, 1)  # hosts one of trip 1's meetings
    assert edit(_renamed(lib, "organization", 3)) == (1, 1)
    assert edit(_renamed(lib, "place", 1)) == (1, 1)
    other = next(m for m in trips.meetings(lib, 2) if m.start is not None)
    assert other.id is not None and other.start is not None
    assert edit(edits.MoveMeeting(other.id, other.start + dt.timedelta(hours=1))) == (0, 0)
    mine = next(m for m in trips.meetings(lib, 1) if m.start is not None)
    assert mine.id is not None and mine.start is not None
    assert edit(edits.MoveMeeting(mine.id, mine.start + dt.timedelta(hours=1))) == (1, 1)
    window.undo_action.trigger()  # undo names the same meeting
    assert runs and runs[-1] == 1

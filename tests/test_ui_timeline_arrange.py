"""Plan > Arrange shows a proposal (ghost blocks) accepted as one undo step; File > Import
Meetings previews a CSV and writes nothing until confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from ui.schedule.import_meetings import ImportMeetingsDialog
from ui.schedule.timeline_area import ScheduleArea
from ui.shell.main_window import MainWindow
from visitplanner.library import trips


@pytest.fixture
def window(window: MainWindow, sync_tasks: None) -> MainWindow:
    window.resize(1400, 900)
    window.trip_combo.setCurrentIndex(0)
    return window


def _requests(win: MainWindow) -> list[int]:
    return [m.id or 0 for m in trips.meetings(win.library, win.trip_id or 0) if m.start is None]


def test_arrange_proposes_ghosts_then_accept_is_one_undo_step(window: MainWindow) -> None:
    area: ScheduleArea = window.schedule_area
    area.arrange.time_limit = 2.0
    before = _requests(window)
    assert before
    area.arrange.action.trigger()
    arrangement = area.arrange.arrangement
    assert arrangement is not None and arrangement.placed
    assert area.arrange.bar.isVisible()
    # Nothing stored yet; the proposal shows as ghost blocks on the timeline.
    assert _requests(window) == before
    layout = area.timeline.layout_
    assert layout is not None
    ghosts = {b.meeting_id for b in layout.blocks if b.ghost}
    assert ghosts and ghosts <= {p.meeting_id for p in arrangement.placed}
    placed = {p.meeting_id: p.start for p in arrangement.placed}
    count = window.undo_stack.count()
    area.arrange.bar.accept_button.click()
    assert window.undo_stack.count() == count + 1
    assert not area.arrange.bar.isVisible() and not area.proposal
    for meeting_id, start in placed.items():
        assert trips.get_meeting(window.library, meeting_id).start == start
    assert window.undo_action.text().startswith("&Undo Arrange")
    window.undo_action.trigger()
    assert sorted(_requests(window)) == sorted(before)
    window.redo_action.trigger()
    assert all(trips.get_meeting(window.library, i).start == s for i, s in placed.items())


def test_discard_leaves_everything_as_it_was(window: MainWindow) -> None:
    area: ScheduleArea = window.schedule_area
    area.arrange.time_limit = 1.0
    before = _requests(window)
    area.arrange.action.trigger()
    area.arrange.bar.discard_button.click()
    assert _requests(window) == before
    assert window.undo_stack.count() == 0
    layout = area.timeline.layout_
    assert layout is not None and not any(b.ghost for b in layout.blocks)


CSV = (
    "titre;organisation;lieu;date;début;durée;participants;priorité\n"
    "Rencontre Moderna;Moderna;Kendall Square;2023-06-07;09:00;45;Léa Morin;1\n"
    "Visite Ginkgo;Ginkgo Bioworks;;;;60;Nouvelle Personne;2\n"
    "Sans durée;Acme;;;;beaucoup;;2\n"
)


def test_import_meetings_preview_then_confirm_is_one_undo_step(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demandes.csv"
    path.write_bytes(CSV.encode("cp1252"))
    area: ScheduleArea = window.schedule_area
    count = len(trips.meetings(window.library, window.trip_id or 0))
    seen: dict[str, int] = {}

    def cancel(dialog: ImportMeetingsDialog) -> int:
        seen["rows"] = dialog.table.rowCount()
        seen["rejected"] = dialog.rejected_list.count()
        seen["warnings"] = dialog.warnings_list.count()
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(ImportMeetingsDialog, "exec", cancel)
    assert not area.importer.import_file(path)
    assert seen["rows"] == 2 and seen["rejected"] == 1 and seen["warnings"] >= 1
    assert len(trips.meetings(window.library, window.trip_id or 0)) == count
    monkeypatch.setattr(ImportMeetingsDialog, "exec", lambda d: int(QDialog.DialogCode.Accepted))
    assert area.importer.import_file(path)
    after = trips.meetings(window.library, window.trip_id or 0)
    assert len(after) == count + 2
    assert any(
        d.name == "Nouvelle Personne" for d in trips.delegates(window.library, window.trip_id or 0)
    )
    assert window.undo_action.text() == "&Undo Import 2 meetings"
    window.undo_action.trigger()
    assert len(trips.meetings(window.library, window.trip_id or 0)) == count
    assert not any(
        d.name == "Nouvelle Personne" for d in trips.delegates(window.library, window.trip_id or 0)
    )


def test_arrangement_finishing_after_a_library_switch_is_dropped(
    window: MainWindow, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other library has a trip with the same id: the old proposal must not show there."""
    import shutil

    import ui.shell.tasks

    pending: list[object] = []
    monkeypatch.setattr(
        ui.shell.tasks,
        "run_task",
        lambda parent, work, done, **kw: pending.append((work, done)),
    )
    area: ScheduleArea = window.schedule_area
    area.arrange.time_limit = 2.0
    trip_id = window.trip_id
    area.arrange.action.trigger()
    other = tmp_path / "copy.visitplanner"
    shutil.copyfile(demo_path, other)
    window._open_path(other)
    window.trip_combo.setCurrentIndex(window.trip_combo.findData(trip_id))
    assert window.trip_id == trip_id and window.library.path == other
    ((work, done),) = pending
    done(work(lambda fraction, text: None))  # type: ignore[operator]
    assert area.arrange.arrangement is None and not area.proposal
    assert not area.arrange.bar.isVisible()

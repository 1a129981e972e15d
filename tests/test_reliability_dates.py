"""Dates and times that are never silently wrong: year-less dates on a trip over New Year,
meetings past midnight, local times the clocks skip or repeat, and .ics lines that a CR/LF
in a field cannot break or add to."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_helper import run
from icalendar import Calendar

from visitplanner.errors import InputError
from visitplanner.library import Library, trips
from visitplanner.model import Delegate, Meeting, MeetingStatus

NNBSP = "\u202f"  # what Babel puts between 2:30 and AM


def _trip(
    capsys: pytest.CaptureFixture[str],
    db: Path,
    first: str,
    last: str,
    *options: str,
) -> str:
    code, out, err = run(
        capsys, "trip", "new", "--db", str(db), "--name", f"Trip {first}",
        "--from", first, "--to", last, *options,
    )  # fmt: skip
    assert code == 0, err
    return out.strip()


def _import(
    capsys: pytest.CaptureFixture[str], db: Path, trip: str, csv: Path, *more: str
) -> tuple[int, str, str]:
    return run(capsys, "import", "meetings", str(csv), "--db", str(db), "--trip", trip, *more)


def _starts(db: Path, trip: str) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    with Library.open(db) as lib:
        return {m.title: (m.start, m.end) for m in trips.meetings(lib, int(trip))}


# -- year-less dates on a trip over New Year ------------------------------------------------


def test_year_less_dates_on_a_new_year_trip_english_and_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lib.visitplanner"
    trip = _trip(capsys, db, "2025-12-29", "2026-01-03", "--region", "quebec")
    csv = tmp_path / "rencontres.csv"
    csv.write_text(
        "Titre;Date;Début;Durée\n"
        "Dec 30 EN;Dec 30;10:00;30\n"
        "Jan 2 EN;Jan 2;10:00;30\n"
        "Friday January 2 EN;Friday, January 2nd;11:00;30\n"
        "2 janv. FR;2 janv.;9:00;30\n"
        "1er janvier FR;1er janvier;14 h;30\n"
        "31 déc. FR;31 déc.;15 h 30;30\n"
        "30/12 num;30/12;16:00;30\n"
        "02/01 num;02/01;16:00;30\n"
        "Explicit year;2 janv. 2025;9:00;30\n",
        encoding="utf-8",
    )
    code, out, err = _import(capsys, db, trip, csv, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["imported"] == 9 and result["rejected"] == []
    # Every year-less date lands within the trip: no "outside the trip's days" warning
    # but the one for the date whose year was written.
    outside = [w for w in result["warnings"] if "outside the trip" in w]
    assert outside == ["Line 10: 2025-01-02 is outside the trip's days."]
    starts = {title: start for title, (start, _end) in _starts(db, trip).items()}
    assert starts == {
        "Dec 30 EN": dt.datetime(2025, 12, 30, 10, 0),
        "Jan 2 EN": dt.datetime(2026, 1, 2, 10, 0),
        "Friday January 2 EN": dt.datetime(2026, 1, 2, 11, 0),
        "2 janv. FR": dt.datetime(2026, 1, 2, 9, 0),
        "1er janvier FR": dt.datetime(2026, 1, 1, 14, 0),
        "31 déc. FR": dt.datetime(2025, 12, 31, 15, 30),
        "30/12 num": dt.datetime(2025, 12, 30, 16, 0),
        "02/01 num": dt.datetime(2026, 1, 2, 16, 0),  # day first: the only reading in the trip
        "Explicit year": dt.datetime(2025, 1, 2, 9, 0),  # a written year is kept
    }


def test_a_year_less_date_no_year_puts_in_the_trip_is_reported(demo_library: Library) -> None:
    from visitplanner.exchange.meetings_csv import preview

    data = b"title,date,start\nLate,Mar 5,9:00\nFine,Jun 6,9:00\n"
    result = preview(demo_library, data, 1)  # Boston, June 5-8, 2023
    late, fine = (r.meeting.start for r in result.rows)
    assert late == dt.datetime(2023, 3, 5, 9, 0) and fine == dt.datetime(2023, 6, 6, 9, 0)
    assert result.warnings == [
        "Line 2: “Mar 5” has no year, and no year puts it within the trip's days; it was read "
        "as 2023-03-05, the nearest to the trip."
    ]


# -- a meeting past midnight ----------------------------------------------------------------


def test_a_meeting_from_23_30_to_00_30_is_imported_and_shown_past_midnight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lib.visitplanner"
    trip = _trip(capsys, db, "2025-12-29", "2026-01-03", "--region", "quebec")
    csv = tmp_path / "late.csv"
    csv.write_text(
        "title,date,start,end,attendees\n"
        "Réveillon call,2025-12-30,23:30,00:30,Zoë Tremblay\n"
        "Breakfast,2025-12-31,00:00,00:45,Zoë Tremblay\n"
        "Backwards,2025-12-30,14:00,09:00,Zoë Tremblay\n",
        encoding="utf-8",
    )
    code, out, err = _import(capsys, db, trip, csv)
    assert code == 0, err
    assert "Line 4 rejected: The meeting ends (09:00) before it starts (14:00)." in out
    assert (
        f"Line 2: the meeting runs past midnight; it ends at 12:30{NNBSP}AM on 2025-12-31." in out
    )
    assert "2 meetings imported." in out
    late = _starts(db, trip)["Réveillon call"]
    assert late == (dt.datetime(2025, 12, 30, 23, 30), dt.datetime(2025, 12, 31, 0, 30))
    # The day plan shows it on its start day, with its real end.
    code, out, err = run(capsys, "plan", "--db", str(db), "--trip", trip)
    assert code == 0, err
    day_30 = out.split("Tuesday, December 30, 2025")[1].split("Wednesday")[0]
    assert f"11:30{NNBSP}PM–12:30{NNBSP}AM  Réveillon call" in day_30
    code, out, err = run(capsys, "plan", "--db", str(db), "--trip", trip, "--json")
    stops = [
        s for d in json.loads(out)["days"] for s in d["stops"] if s["title"] == "Réveillon call"
    ]
    assert stops and {(s["start"], s["end"]) for s in stops} == {("23:30", "00:30")}
    # The checks see it overlap the next day's 00:00 meeting.
    code, out, err = run(capsys, "check", "--db", str(db), "--trip", trip, "--json")
    assert code == 0, err
    overlaps = [p for p in json.loads(out)["problems"] if p["kind"] == "overlap"]
    assert (
        len(overlaps) == 1 and "“Réveillon call” and “Breakfast” overlap" in overlaps[0]["message"]
    )
    # The calendar ends it the next day.
    ics = tmp_path / "trip.ics"
    code, _out, err = run(
        capsys, "export", "ics", "--db", str(db), "--trip", trip, "--out", str(ics)
    )
    assert code == 0, err
    events = {str(e["summary"]): e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    event = events["Réveillon call"]
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(hours=1)
    assert event.decoded("dtend").replace(tzinfo=None) == dt.datetime(2025, 12, 31, 0, 30)
    # The PDF itinerary lists it with its times.
    from pypdf import PdfReader

    pdf = tmp_path / "trip.pdf"
    code, _out, err = run(
        capsys, "export", "pdf", "--db", str(db), "--trip", trip, "--out", str(pdf)
    )
    assert code == 0, err
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Réveillon call" in text and "11:30" in text and "12:30" in text


def test_a_meeting_past_midnight_on_the_last_day_is_said_to_end_after_the_trip(
    demo_library: Library,
) -> None:
    from visitplanner.planning.checks import ProblemKind, check_snapshot
    from visitplanner.planning.snapshot import load_snapshot

    with demo_library.write():  # Boston: June 5-8, 2023
        late = trips.add_meeting(
            demo_library,
            Meeting(
                1, "Late", status=MeetingStatus.CONFIRMED, start=dt.datetime(2023, 6, 8, 23, 30)
            ),
        )
        trips.add_meeting(
            demo_library,
            Meeting(1, "Until midnight", start=dt.datetime(2023, 6, 8, 23, 0), duration_minutes=60),
        )
    problems = [
        p
        for p in check_snapshot(load_snapshot(demo_library, 1))
        if p.kind is ProblemKind.OUTSIDE_TRIP
    ]
    assert [(p.meeting_ids, p.message) for p in problems] == [
        ((late,), "“Late” ends on Jun 9, 2023, after the trip's last day.")
    ]


# -- local times the clocks skip or repeat --------------------------------------------------


def test_a_time_in_the_spring_gap_is_rejected_with_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lib.visitplanner"
    trip = _trip(capsys, db, "2025-03-07", "2025-03-10", "--tz", "America/Toronto")
    csv = tmp_path / "spring.csv"
    csv.write_text(
        "title,date,start,end\n"
        "Gap,2025-03-09,2:30,3:30\n"
        "Ends in the gap,2025-03-09,1:30 AM,2:15 AM\n"
        "After,2025-03-09,3:00,4:00\n",
        encoding="utf-8",
    )
    code, out, err = _import(capsys, db, trip, csv)
    assert code == 0, err
    sentence = (
        "March 9, 2025 at {time} does not exist in the time zone America/Toronto: that night "
        f"the clocks go forward from 2:00{NNBSP}AM to 3:00{NNBSP}AM. Choose a time before "
        f"2:00{NNBSP}AM or from 3:00{NNBSP}AM on."
    )
    assert f"Line 2 rejected: {sentence.format(time=f'2:30{NNBSP}AM')}" in out
    assert f"Line 3 rejected: {sentence.format(time=f'2:15{NNBSP}AM')}" in out
    assert "1 meetings imported." in out
    assert list(_starts(db, trip)) == ["After"]
    # In French, on the command line.
    code, out, err = run(
        capsys, "--lang", "fr", "import", "meetings", str(csv), "--db", str(db),
        "--trip", trip, "--dry-run", "--json",
    )  # fmt: skip
    assert code == 0, err
    reason = json.loads(out)["rejected"][0]["reason"]
    assert reason == (
        "Dans le fuseau horaire America/Toronto, le 9 mars 2025 à 2 h 30 n’existe pas\u00a0: "
        "cette nuit-là, on avance l’heure de 2 h à 3 h. Choisissez une heure avant "
        "2 h ou à partir de 3 h."
    )


def test_a_time_in_the_fall_repeat_is_imported_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "lib.visitplanner"
    trip = _trip(capsys, db, "2025-10-31", "2025-11-03", "--region", "boston")
    csv = tmp_path / "fall.csv"
    csv.write_text("title,date,start,duration\nTwice,11/02/2025,1:30 AM,30\n", encoding="utf-8")
    code, out, err = _import(capsys, db, trip, csv)
    assert code == 0, err
    assert (
        f"Warning: Line 2: November 2, 2025 at 1:30{NNBSP}AM happens twice in the time zone "
        f"America/New_York: that night the clocks go back from 2:00{NNBSP}AM to "
        f"1:00{NNBSP}AM. The first one (EDT, before the change) is used."
    ) in out
    assert "1 meetings imported." in out
    # The calendar places it at the first 1:30 (EDT, UTC-4), as the warning says.
    ics = tmp_path / "fall.ics"
    code, _out, err = run(
        capsys, "export", "ics", "--db", str(db), "--trip", trip, "--out", str(ics)
    )
    assert code == 0, err
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.astimezone(dt.UTC) == dt.datetime(2025, 11, 2, 5, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        ("Europe/Paris", dt.datetime(2025, 3, 30, 2, 15), "from 2:00\u202fAM to 3:00\u202fAM"),
        # Lord Howe Island moves its clocks by half an hour.
        ("Australia/Lord_Howe", dt.datetime(2025, 10, 5, 2, 15), "to 2:30\u202fAM"),
    ],
)
def test_the_gap_is_found_in_any_zone(zone: str, moment: dt.datetime, expected: str) -> None:
    from visitplanner.localtime import check_wall_time

    with pytest.raises(InputError, match=expected):
        check_wall_time(moment, zone)
    assert check_wall_time(moment - dt.timedelta(minutes=30), zone) is None
    assert check_wall_time(moment.replace(month=7), zone) is None


def test_the_meeting_editor_refuses_the_gap_and_warns_of_the_repeat(
    qtbot: object, demo_library: Library
) -> None:
    from PySide6.QtCore import QDate, QTime

    from ui.schedule.meeting_dialog import MeetingDialog
    from ui.shell.app import make_application
    from visitplanner.model import Trip

    make_application()
    with demo_library.write():
        trip_id = trips.add_trip(
            demo_library,
            Trip("Toronto", dt.date(2025, 3, 8), dt.date(2025, 3, 10), "America/Toronto"),
        )
    trip = trips.get_trip(demo_library, trip_id)
    meeting = Meeting(trip_id, "Night call", start=dt.datetime(2025, 3, 9, 1, 0))
    dialog = MeetingDialog(None, demo_library, trip, meeting)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    assert dialog.time_note.isHidden()
    dialog.start.setTime(QTime(2, 30))
    assert "does not exist in the time zone America/Toronto" in dialog.time_note.text()
    assert dialog.time_note.isVisible()
    dialog.buttons.accepted.emit()  # OK
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.error_label.text() == (
        "March 9, 2025 at 2:30\u202fAM does not exist in the time zone America/Toronto: that "
        "night the clocks go forward from 2:00\u202fAM to 3:00\u202fAM. Choose a time before "
        "2:00\u202fAM or from 3:00\u202fAM on."
    )
    assert dialog.error_label.isHidden()  # said once, beside the time, not twice
    dialog.notes.setPlainText("Bring the samples.")  # a change elsewhere: still wrong, OK
    dialog.buttons.accepted.emit()
    dialog.start.setTime(QTime(3, 30))
    dialog.start.editingFinished.emit()  # the person changes the time
    assert dialog.error_label.isHidden() and dialog.time_note.isHidden()
    dialog.start.setTime(QTime(2, 30))
    # The fall-back hour: a warning beside the time, and OK goes through.
    dialog.date.setDate(QDate(2025, 11, 2))
    dialog.start.setTime(QTime(1, 30))
    assert "happens twice" in dialog.time_note.text() and "EDT" in dialog.time_note.text()
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible() and dialog.result() == 1
    assert dialog.value().start == dt.datetime(2025, 11, 2, 1, 30)
    # Unscheduled: nothing to say.
    dialog.scheduled.setChecked(False)
    assert dialog.time_note.isHidden()


# -- a CR/LF in a field reaching the .ics writer --------------------------------------------


def test_a_cr_lf_in_an_email_or_name_cannot_add_a_calendar_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "\r\nATTENDEE:mailto:evil@example.invalid"
    with Library.open(demo_path) as lib, lib.write():  # as another program could leave it
        eve = trips.add_delegate(
            lib, Delegate(1, f"Eve Lambert{evil}", email=f"eve@example.com{evil}")
        )
        ann = trips.add_delegate(lib, Delegate(1, "Ann Roy", email="ann.roy@example.com"))
        tea = trips.add_meeting(
            lib,
            Meeting(
                1,
                "Tea",
                status=MeetingStatus.CONFIRMED,
                start=dt.datetime(2023, 6, 7, 16, 0),
                delegate_ids=[eve, ann],
            ),
        )
        # The app refuses control characters; another program writing the file may not.
        lib.db.execute(
            "UPDATE meeting SET title = ?, notes = ? WHERE id = ?",
            (f"Tea{evil}\x1b[31m", f"First line\r\nSecond\x00 line{evil}", tea),
        )
    out_path = tmp_path / "trip.ics"
    code, _out, err = run(
        capsys, "export", "ics", "--db", str(demo_path), "--trip", "1", "--out", str(out_path)
    )
    assert code == 0, err
    data = out_path.read_bytes()
    assert b"\x1b" not in data and b"\x00" not in data
    # Every line of the file is a property or a folded continuation: no raw CR or LF.
    assert all(line == b"" or b":" in line or line[:1] == b" " for line in data.split(b"\r\n"))
    calendar = Calendar.from_ical(data)  # the file parses
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["summary"]).startswith("Tea")]
    attendee = event["attendee"]
    attendees = attendee if isinstance(attendee, list) else [attendee]
    assert [str(a) for a in attendees] == ["mailto:ann.roy@example.com"]
    assert not any("evil" in str(a) for e in calendar.walk("VEVENT") for a in _all(e))
    assert str(event["summary"]) == "Tea ATTENDEE:mailto:evil@example.invalid[31m"
    assert str(event["description"]).endswith(
        "First line\nSecond line\nATTENDEE:mailto:evil@example.invalid"
    )
    assert "Eve Lambert ATTENDEE:mailto:evil@example.invalid, Ann Roy" in str(event["description"])


def _all(event: object) -> list[object]:
    value = event.get("attendee", [])  # type: ignore[attr-defined]
    return value if isinstance(value, list) else [value]


def test_the_delegate_editor_refuses_a_line_break_in_an_email(
    qtbot: object, demo_library: Library
) -> None:
    from ui.schedule.delegates import DelegateDialog
    from ui.shell.app import make_application

    make_application()
    dialog = DelegateDialog(None, Delegate(1, ""))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    dialog.name.setText("Eve Lambert")
    for email in ("eve@example.com\nATTENDEE:evil", "eve@example.com\r\nX:y", "eve@exa\tmple.com"):
        dialog.email.setText(email)
        dialog.buttons.accepted.emit()
        assert dialog.isVisible() and "is not a valid email address" in dialog.error_label.text()
    dialog.email.setText("eve@example.com")
    dialog.buttons.accepted.emit()
    assert dialog.result() == 1 and dialog.value().email == "eve@example.com"


# -- the timeline keeps a meeting's end past midnight --------------------------------------


def test_resizing_the_start_of_a_meeting_past_midnight_keeps_its_end(window: object) -> None:
    from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from ui.shell.main_window import MainWindow

    assert isinstance(window, MainWindow)
    lib = window.library
    day = dt.date(2023, 6, 6)
    with lib.write():
        late = trips.add_meeting(
            lib,
            Meeting(
                1,
                "Late call",
                status=MeetingStatus.CONFIRMED,
                start=dt.datetime(2023, 6, 6, 23, 0),
                duration_minutes=90,
            ),
        )
    window.resize(1500, 900)
    window.trip_combo.setCurrentIndex(0)
    window.schedule_area.show_view(1)
    window.schedule_area.show_day(day)
    timeline = window.schedule_area.timeline
    block = timeline._find(late, 0)
    assert block is not None and (block.start, block.end) == (23 * 60, 24 * 60)  # drawn to 24:00
    rect = timeline.block_rect(block)
    edge = QPoint(int(rect.left()) + 2, int(rect.center().y()))
    target = edge - QPoint(round(30 * timeline.px_per_min), 0)

    def mouse(kind: QEvent.Type, pos: QPoint, held: bool = True) -> None:
        button = Qt.MouseButton.LeftButton
        event = QMouseEvent(
            kind,
            QPointF(pos),
            QPointF(timeline.mapToGlobal(pos)),
            button if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
            button if held else Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(timeline, event)

    mouse(QEvent.Type.MouseButtonPress, edge)
    mouse(QEvent.Type.MouseMove, (edge + target) / 2)
    mouse(QEvent.Type.MouseMove, target)
    mouse(QEvent.Type.MouseButtonRelease, target, held=False)
    after = trips.get_meeting(lib, late)
    assert after.start == dt.datetime(2023, 6, 6, 22, 30)
    assert after.end == dt.datetime(2023, 6, 7, 0, 30)  # the end stays, past midnight


def test_the_timeline_refuses_a_move_into_the_gap(window: object) -> None:
    from ui.shell.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.trip_combo.setCurrentIndex(0)  # Boston: America/New_York
    area = window.schedule_area
    mit = next(m for m in trips.meetings(window.library, 1) if m.title.startswith("MIT"))
    assert mit.id is not None and mit.start is not None
    count = window.undo_stack.count()
    area.move_meeting(mit.id, dt.datetime(2023, 3, 12, 2, 30), list(mit.delegate_ids))
    assert trips.get_meeting(window.library, mit.id).start == mit.start  # not moved
    assert window.undo_stack.count() == count
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "March 12, 2023 at 2:30\u202fAM does not exist in the time zone America/New_York"
        )
    )
    area.move_meeting(mit.id, dt.datetime(2023, 11, 5, 1, 30), list(mit.delegate_ids))
    assert trips.get_meeting(window.library, mit.id).start == dt.datetime(2023, 11, 5, 1, 30)
    assert "happens twice" in window.statusBar().currentMessage()


def test_the_week_overview_stops_a_meeting_past_midnight_at_24_00(demo_library: Library) -> None:
    from ui.schedule.timeline_week import HEAD, WeekOverview
    from ui.shell.app import make_application
    from visitplanner.planning.snapshot import load_snapshot

    make_application()
    with demo_library.write():
        late = trips.add_meeting(
            demo_library,
            Meeting(1, "Late", start=dt.datetime(2023, 6, 6, 23, 30), duration_minutes=60),
        )
    week = WeekOverview()
    week.set_data(load_snapshot(demo_library, 1), [])
    placed = next(p for p in week.placed if p.meeting.id == late)
    rect = week._rect(placed)
    assert week.last == 24 * 60
    bottom = HEAD + (week.last - week.first) * week.px_per_min
    assert rect.bottom() <= bottom
    assert rect.height() == pytest.approx(30 * week.px_per_min - 1)
    week.deleteLater()

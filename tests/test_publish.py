"""Publishing a trip to a real CalDAV/CardDAV server (Radicale on 127.0.0.1).

The server is read back with the caldav client (what a phone's calendar does), the
requests it received are counted from its log, and it is killed halfway through a publish.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helper import run
from tests.dav_server import Radicale

USER, PASSWORD = "lead", "s3cret-Öß"
BOSTON = "1"


class MemoryKeyring:
    """An in-memory keyring backend: the tests never touch the user's keyring."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    import keyring
    from keyring.backend import KeyringBackend

    backend_class = type("TestKeyring", (MemoryKeyring, KeyringBackend), {})
    backend = backend_class()
    previous = keyring.core._keyring_backend
    keyring.set_keyring(backend)
    yield backend
    keyring.core._keyring_backend = previous


@pytest.fixture(scope="module")
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(tmp_path_factory.mktemp("radicale"), {USER: PASSWORD, "other": "x"})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(_server: Radicale, tmp_path: Path) -> Iterator[Radicale]:
    """The running server, its storage emptied (each test starts from no calendars)."""
    import shutil

    _server.kill()
    shutil.rmtree(_server.folder / "collections", ignore_errors=True)
    _server.start()
    _server.mark()
    yield _server


@pytest.fixture
def keyed(memory_keyring: MemoryKeyring, server: Radicale) -> MemoryKeyring:
    from visitplanner.publish.settings import set_password

    set_password(server.url, USER, PASSWORD)
    return memory_keyring


def _publish(capsys: pytest.CaptureFixture[str], db: Path, server: Radicale, *extra: str):
    return run(
        capsys,
        "publish",
        "--db",
        str(db),
        "--trip",
        BOSTON,
        "--server",
        server.url,
        "--user",
        USER,
        *extra,
    )


def _read_calendars(server: Radicale) -> dict[str, dict[str, object]]:
    """Calendar key -> {UID: VEVENT} as a CalDAV client reads them."""
    from caldav.davclient import DAVClient
    from icalendar import Calendar

    out: dict[str, dict[str, object]] = {}
    with DAVClient(server.url, username=USER, password=PASSWORD) as client:
        for calendar in client.principal().calendars():
            key = str(calendar.url).rstrip("/").rsplit("/", 1)[-1]
            events: dict[str, object] = {}
            for obj in calendar.events():
                parsed = Calendar.from_ical(obj.data)
                assert parsed.walk("VTIMEZONE"), "each event carries its time zone"
                for event in parsed.walk("VEVENT"):
                    events[str(event["UID"])] = event
            out[key] = events
    return out


def _expected(source: Path | Any) -> dict[str, set[str]]:
    """Calendar key -> the UIDs it must hold, from a library file or an open library."""
    from contextlib import nullcontext

    from visitplanner.exchange.ics import meeting_uid
    from visitplanner.library import Library, trips
    from visitplanner.model import MeetingStatus

    opened = Library.open(source) if isinstance(source, Path) else nullcontext(source)
    with opened as lib:
        meetings = [
            m
            for m in trips.meetings(lib, int(BOSTON))
            if m.start is not None and m.status is not MeetingStatus.CANCELLED
        ]
        delegates = trips.delegates(lib, int(BOSTON))
    uid = {m.id: meeting_uid(m.id, int(BOSTON)) for m in meetings if m.id is not None}
    expected = {f"visitplanner-trip{BOSTON}": set(uid.values())}
    for d in delegates:
        expected[f"visitplanner-trip{BOSTON}-delegate{d.id}"] = {
            uid[m.id]
            for m in meetings
            if m.id is not None and (not m.delegate_ids or d.id in m.delegate_ids)
        }
    return expected


def _all_travel_notes(db: Path) -> dict[tuple[str, str], str]:
    """(calendar key, UID) -> the event's travel line, for every calendar of the trip."""
    from visitplanner.library import Library, trips
    from visitplanner.publish.content import _travel_notes

    notes: dict[tuple[str, str], str] = {}
    with Library.open(db) as lib:
        for did in [None, *(d.id for d in trips.delegates(lib, int(BOSTON)))]:
            key = f"visitplanner-trip{BOSTON}" + (f"-delegate{did}" if did else "")
            for uid, note in _travel_notes(lib, int(BOSTON), did).items():
                notes[(key, uid)] = note
    return notes


def test_publish_boston_each_delegate_holds_exactly_their_meetings_in_trip_time(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: Radicale, keyed: MemoryKeyring
) -> None:
    from zoneinfo import ZoneInfo

    from visitplanner.library import Library, trips

    code, out, err = _publish(capsys, demo_path, server)
    assert code == 0, err
    assert "Published to 127.0.0.1:" in out
    calendars = _read_calendars(server)
    expected = _expected(demo_path)
    assert len(expected) == 11  # the delegation and its ten delegates
    for key, uids in expected.items():
        assert set(calendars[key]) == uids, key
    with Library.open(demo_path) as lib:
        meetings = {m.id: m for m in trips.meetings(lib, int(BOSTON))}
        zone = trips.get_trip(lib, int(BOSTON)).timezone
    assert zone == "America/New_York"
    # the phone-side check: the times read back are the meetings' wall times in Boston
    for uid, event in calendars[f"visitplanner-trip{BOSTON}"].items():
        meeting = meetings[int(uid.split("meeting")[1].split("@")[0])]
        start = event["DTSTART"]  # type: ignore[index]
        assert start.params["TZID"] == zone
        assert start.dt.tzinfo is not None
        assert start.dt.utcoffset() == meeting.start.replace(tzinfo=ZoneInfo(zone)).utcoffset()
        assert start.dt.replace(tzinfo=None) == meeting.start
        assert str(event["SUMMARY"]) == meeting.title  # type: ignore[index]
    assert f"visitplanner-trip{BOSTON}-contacts" not in calendars  # an address book
    # each event says how to get there from the delegate's previous stop, as the itinerary
    from visitplanner.publish.content import _travel_notes

    with Library.open(demo_path) as lib:
        first = trips.delegates(lib, int(BOSTON))[0]
        notes = _travel_notes(lib, int(BOSTON), first.id)
    held = calendars[f"visitplanner-trip{BOSTON}-delegate{first.id}"]
    assert len(notes) > 5
    for uid, note in notes.items():
        assert str(held[uid]["DESCRIPTION"]).endswith("\n\n" + note)  # type: ignore[index]
    assert "0 updated, 0 deleted" in out

    # the hosts' address book, read back from the server's storage as vCards
    import vobject

    from visitplanner.exchange.contact_export import contacts_to_export

    folder = server.folder / "collections" / "collection-root" / USER
    cards = [
        vobject.readOne(p.read_text(encoding="utf-8"))
        for p in (folder / f"visitplanner-trip{BOSTON}-contacts").glob("*.vcf")
    ]
    with Library.open(demo_path) as lib:
        people = contacts_to_export(lib, BOSTON)
    assert sorted(c.uid.value for c in cards) == sorted(
        f"visitplanner-contact-{p.id}" for p in people
    )
    assert sorted(c.fn.value for c in cards) == sorted(p.full_name for p in people)

    # an unchanged re-publish sends nothing
    server.mark()
    code, out, err = _publish(capsys, demo_path, server)
    assert code == 0, err
    assert "0 created, 0 updated, 0 deleted" in out
    assert server.writes() == []
    assert server.requests(), "it did read the server"


def test_move_cancel_delete_then_republish_updates_in_place(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: Radicale, keyed: MemoryKeyring
) -> None:
    from visitplanner.library import Library, trips
    from visitplanner.model import MeetingStatus

    code, _out, err = _publish(capsys, demo_path, server, "--contacts", "none")
    assert code == 0, err
    before = _read_calendars(server)
    travel_before = _all_travel_notes(demo_path)
    with Library.open(demo_path) as lib, lib.write():
        scheduled = [
            m
            for m in trips.meetings(lib, int(BOSTON))
            if m.start is not None and m.status is MeetingStatus.CONFIRMED and m.delegate_ids
        ]
        moved, cancelled, deleted = scheduled[:3]
        moved.start = moved.start + dt.timedelta(hours=1)
        trips.update_meeting(lib, moved)
        cancelled.status = MeetingStatus.CANCELLED
        trips.update_meeting(lib, cancelled)
        trips.delete_meeting(lib, deleted.id)
    uid = {m.id: f"visitplanner-trip{BOSTON}-meeting{m.id}@visitplanner.invalid" for m in scheduled}
    delegation = f"visitplanner-trip{BOSTON}"
    touched = 1 + len(moved.delegate_ids)  # calendars holding the moved meeting
    gone = 2 + len(cancelled.delegate_ids) + len(deleted.delegate_ids)
    # the next stops' way there changes too ("From …"): those events are updated as well
    travel_after = _all_travel_notes(demo_path)
    edited = {uid[moved.id], uid[cancelled.id], uid[deleted.id]}
    new_way = {
        key
        for key in set(travel_before) | set(travel_after)
        if travel_before.get(key) != travel_after.get(key) and key[1] not in edited
    }
    assert new_way, "moving a meeting changes how one gets to the next"
    updated = touched + len(new_way)

    # --dry-run lists it all and sends nothing
    server.mark()
    code, out, err = _publish(capsys, demo_path, server, "--contacts", "none", "--dry-run")
    assert code == 0, err
    assert f"would create 0, update {updated}, delete {gone}" in out
    lines = out.splitlines()
    updates = [line for line in lines if line.startswith("update: ")]
    deletes = [line for line in lines if line.startswith("delete: ")]
    assert len(updates) == updated
    assert sum(line.endswith(moved.title) for line in updates) == touched
    assert len(deletes) == gone
    assert all(line.endswith((cancelled.title, deleted.title)) for line in deletes)
    assert sum(line.endswith(cancelled.title) for line in deletes) == gone - 1 - len(
        deleted.delegate_ids
    )
    assert server.writes() == []

    server.mark()
    code, out, err = _publish(capsys, demo_path, server, "--contacts", "none", "--json")
    assert code == 0, err
    methods = [m for m, _p in server.writes()]
    assert methods.count("PUT") == updated
    assert methods.count("DELETE") == gone
    after = _read_calendars(server)
    assert uid[moved.id] in after[delegation]
    start = after[delegation][uid[moved.id]]["DTSTART"].dt  # type: ignore[index]
    assert start.replace(tzinfo=None) == moved.start
    old = before[delegation][uid[moved.id]]["DTSTART"].dt  # type: ignore[index]
    assert start - old == dt.timedelta(hours=1)
    for key in after:
        assert uid[cancelled.id] not in after[key]
        assert uid[deleted.id] not in after[key]
    assert {k: set(v) for k, v in after.items()} == _expected(demo_path)
    # the sequence grew, so a phone that had the event takes the new one
    assert int(after[delegation][uid[moved.id]]["SEQUENCE"]) >= int(  # type: ignore[index]
        before[delegation][uid[moved.id]]["SEQUENCE"]  # type: ignore[index]
    )

    # a delegate who leaves the trip: their calendar is emptied (and the meetings that
    # named them among the attendees are updated)
    with Library.open(demo_path) as lib, lib.write():
        leaving = trips.delegates(lib, int(BOSTON))[0]
        trips.delete_delegate(lib, leaving.id)
    leaving_key = f"visitplanner-trip{BOSTON}-delegate{leaving.id}"
    held = len(after[leaving_key])
    server.mark()
    code, out, err = _publish(capsys, demo_path, server, "--contacts", "none", "--json")
    assert code == 0, err
    assert json.loads(out)["deleted"] == held > 0
    assert [m for m, _p in server.writes()].count("DELETE") == held
    assert _read_calendars(server)[leaving_key] == {}


def test_server_killed_halfway_next_publish_completes_it(
    demo_path: Path, server: Radicale, keyed: MemoryKeyring
) -> None:
    from visitplanner.library import Library
    from visitplanner.publish.content import ContactScope
    from visitplanner.publish.sync import PublishError, ServerSettings, publish

    settings = ServerSettings(server.url, USER, PASSWORD)
    steps: list[int] = []

    def progress(done: int, total: int, label: str) -> None:
        steps.append(done)
        if done == 40:
            server.kill()

    with Library.open(demo_path) as lib:
        with pytest.raises(PublishError) as caught:
            publish(lib, BOSTON, settings, contacts=ContactScope.NONE, progress=progress)
        assert "Could not reach 127.0.0.1" in str(caught.value)
        assert "publish again" in str(caught.value)
        assert PASSWORD not in str(caught.value)
        assert max(steps) == 40
        server.start()
        server.mark()
        plan, result = publish(lib, BOSTON, settings, contacts=ContactScope.NONE)
    assert result is not None
    assert plan.new_collections == []  # created before the kill
    assert result.created > 0
    assert plan.unchanged > 0  # what was sent before the kill is not sent again
    assert len(server.writes()) == result.created + result.updated + result.deleted
    assert {k: set(v) for k, v in _read_calendars(server).items()} == _expected(demo_path)


def test_unreachable_wrong_password_and_plain_http(
    capsys: pytest.CaptureFixture[str], demo_path: Path, server: Radicale, keyed: MemoryKeyring
) -> None:
    from visitplanner.publish.settings import set_password

    set_password(server.url, "other", "wrong")
    code, _out, err = run(
        capsys,
        "publish",
        "--db",
        str(demo_path),
        "--trip",
        BOSTON,
        "--server",
        server.url,
        "--user",
        "other",
    )
    assert code == 2
    assert err.strip() == "visitplanner: The server 127.0.0.1 refused the user name or password."
    assert "wrong" not in err and "Traceback" not in err

    code, _out, err = run(
        capsys,
        "publish",
        "--db",
        str(demo_path),
        "--trip",
        BOSTON,
        "--server",
        "http://dav.example.com/",
        "--user",
        USER,
    )
    assert code == 2
    assert "must start with https://" in err

    server.kill()
    try:
        code, _out, err = _publish(capsys, demo_path, server)
    finally:
        server.start()
    assert code == 2
    assert err.startswith("visitplanner: Could not reach 127.0.0.1")
    assert "Traceback" not in err


def test_password_lives_in_the_keyring_only(
    capsys: pytest.CaptureFixture[str],
    demo_path: Path,
    server: Radicale,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from visitplanner.publish.settings import config_path, load_setup

    # no password anywhere: one sentence, exit 2
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _out, err = _publish(capsys, demo_path, server, "--dry-run")
    assert code == 2
    assert "No password for lead" in err

    # typed at the prompt: kept in the keyring, nowhere else
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    code, out, err = _publish(capsys, demo_path, server, "--dry-run", "--contacts", "none")
    assert code == 0, err
    events = sum(len(uids) for uids in _expected(demo_path).values())
    assert f"Dry run, nothing sent to 127.0.0.1: would create {events}, update 0, delete 0" in out
    assert "new calendar: Mission Québec — BIO 2023 Boston\n" in out
    assert list(memory_keyring.store.values()) == [PASSWORD]
    assert load_setup(demo_path).url == server.url
    assert load_setup(demo_path).user == USER
    secret = PASSWORD.encode("utf-8")
    assert secret not in config_path().read_bytes()
    for path in demo_path.parent.iterdir():
        assert secret not in path.read_bytes(), path

    # the server and user are remembered for the library
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, out, err = run(
        capsys, "publish", "--db", str(demo_path), "--trip", BOSTON, "--dry-run", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] is True
    assert (data["created"], data["updated"], data["deleted"]) == (events + 22, 0, 0)
    assert len(data["new_collections"]) == 12
    assert server.writes() == []


def test_no_server_given_says_how(capsys: pytest.CaptureFixture[str], demo_path: Path) -> None:
    code, out, err = run(capsys, "publish", "--db", str(demo_path), "--trip", BOSTON)
    assert code == 2
    assert out == ""
    assert err == (
        "visitplanner: No server to publish to: give --server URL and --user NAME "
        "(they are remembered for this library).\n"
    )


# -- the window: File > Publish…, Preferences -----------------------------------------------


def test_window_publishes_in_the_background_and_cancel_leaves_it_resumable(
    window: Any,
    server: Radicale,
    memory_keyring: MemoryKeyring,
    sync_tasks: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.publish import PublishChoice
    from visitplanner.errors import Cancelled
    from visitplanner.publish.settings import config_path, get_password, load_setup

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    controller = window.publish_controller
    window.context.set_trip(int(BOSTON))
    assert controller.action.isEnabled()
    assert controller.action in window.file_menu.actions()
    choice = PublishChoice(server.url, USER, PASSWORD, "none")
    monkeypatch.setattr(controller, "dialog", lambda: choice)

    # Cancel pressed halfway: the task's progress raises Cancelled, as the dialog's button does
    run_task = window.context.run_task
    calls: list[float] = []

    def cancelling(work: Any, on_done: Any, **kwargs: Any) -> Any:
        def cut(progress: Any) -> Any:
            def counting(fraction: float, text: str = "") -> None:
                calls.append(fraction)
                if len(calls) == 30:
                    raise Cancelled("Cancelled.")
                progress(fraction, text)

            return work(counting)

        return run_task(cut, on_done, **kwargs)

    monkeypatch.setattr(window.context, "run_task", cancelling)
    controller.action.trigger()
    assert len(calls) == 30 and warnings == [] and controller.last_message == ""
    partial = sum(len(v) for v in _read_calendars(server).values())
    events = sum(len(uids) for uids in _expected(window.library).values())
    assert 0 < partial < events

    monkeypatch.setattr(window.context, "run_task", run_task)
    server.mark()
    controller.action.trigger()
    assert warnings == []
    assert controller.last_message == (
        f"Published to 127.0.0.1: {events - partial} created, 0 updated, 0 deleted, "
        f"{partial} unchanged."
    )
    assert window.statusBar().currentMessage() == controller.last_message
    assert {k: set(v) for k, v in _read_calendars(server).items()} == _expected(window.library)
    # the setup is remembered for the library, the password kept in the keyring only
    assert load_setup(window.library.path).url == server.url
    assert get_password(server.url, USER) == PASSWORD
    assert PASSWORD.encode() not in config_path().read_bytes()

    # the server gone: one sentence, no traceback
    server.kill()
    try:
        controller.action.trigger()
    finally:
        server.start()
    assert len(warnings) == 1 and warnings[0].startswith("Could not reach 127.0.0.1")


def test_preferences_keep_the_server_of_the_library_and_the_dialog_offers_it(
    qtbot: Any, window: Any, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.publish import PublishDialog
    from ui.shell.dialogs import PreferencesDialog
    from visitplanner.publish.settings import load_setup, set_password

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog = PreferencesDialog(window, window.library.path)
    qtbot.addWidget(dialog)
    dialog.publish_server.setText("http://dav.example.com/")
    dialog.accept()
    assert warnings and "https://" in warnings[0]
    dialog.publish_server.setText("https://dav.example.com/")
    dialog.publish_user.setText("lead")
    dialog.accept()
    assert load_setup(window.library.path).url == "https://dav.example.com/"
    assert load_setup(window.library.path).user == "lead"

    set_password("https://dav.example.com/", "lead", "kept")
    publish = PublishDialog(window, window.library.path, "Boston")
    qtbot.addWidget(publish)
    assert publish.url.text() == "https://dav.example.com/"
    assert publish.user.text() == "lead"
    assert publish.password.text() == ""  # never shown
    assert publish.choice().password == "kept"

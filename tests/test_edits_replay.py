"""Undo and redo replay every kind of edit exactly: the whole library (every table's rows,
ids included, and the search index) is the same after an undo as before the edit, and the
same after a redo as after the edit. Core level here; through the QUndoStack in
tests/test_ui_undo.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from visitplanner import edits
from visitplanner.edits import Applied, Operation
from visitplanner.edits.rows import LINKS
from visitplanner.errors import ChangedElsewhereError, InputError, NotFoundError
from visitplanner.exchange.contact_import import parse_contact_bytes, plan_import
from visitplanner.exchange.meetings_csv import preview
from visitplanner.exchange.tripfile import export_trip
from visitplanner.exchange.tripfile_reader import read_trip_file
from visitplanner.library import Library, directory, trips
from visitplanner.model import (
    BusyBlock,
    Contact,
    Delegate,
    Meeting,
    MeetingStatus,
    Organization,
    Place,
    Precision,
    Stay,
    Trip,
    Window,
)

Dump = dict[str, list[tuple[object, ...]]]
Step = Callable[[Library, list[Applied]], Operation]

CONTACTS_CSV = (
    "First Name,Last Name,Organization,Title,E-mail Address\n"
    "Maëlle,Fictive,Harbor Assay Example Inc,Scientist,maelle@example.com\n"
    "Olu,Imaginary,Brand New Example Labs,CEO,olu@example.org\n"
).encode()
MEETINGS_CSV = (
    b"title,organization,place,duration,attendees\n"
    b"Lab tour,Brand New Example Labs,,45,Newcomer Example\n"
    b"Coffee,Another Example Co,,30,\n"
)


def dump(lib: Library) -> Dump:
    """Every row of every table (ids included) and of the search index."""
    tables = [
        r[0]
        for r in lib.query(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'directory_fts%'"
        )
    ]
    out = {t: sorted(tuple(r) for r in lib.query(f"SELECT * FROM {t}")) for t in tables}
    out["directory_fts"] = [
        tuple(r) for r in lib.query("SELECT rowid, text, kind, ref FROM directory_fts ORDER BY 1")
    ]
    return out


@pytest.fixture
def lib(demo_library: Library) -> Iterator[Library]:
    yield demo_library


def replay(lib: Library, steps: list[Step]) -> list[Applied]:
    """Apply ``steps``, then twice undo them all and redo them all, checking the whole
    library against the state after each step every time; ends with every step done."""
    states = [dump(lib)]
    done: list[Applied] = []
    for make in steps:
        done.append(make(lib, done).apply(lib))
        states.append(dump(lib))
        assert states[-1] != states[-2], "a step that changes nothing tests nothing"
    forward: list[Operation] = [a.inverse for a in done]
    for _round in range(2):
        backward: list[Operation] = []
        for i in reversed(range(len(forward))):
            backward.append(forward[i].apply(lib).inverse)
            assert dump(lib) == states[i], f"undo of step {i + 1}"
        backward.reverse()
        forward = []
        for i, operation in enumerate(backward):
            forward.append(operation.apply(lib).inverse)
            assert dump(lib) == states[i + 1], f"redo of step {i + 1}"
    return done


def _meeting(lib: Library, trip_id: int = 1) -> Meeting:
    return next(m for m in trips.meetings(lib, trip_id) if m.delegate_ids and m.host_ids)


def _request(lib: Library, trip_id: int = 1) -> Meeting:
    return next(m for m in trips.meetings(lib, trip_id) if m.start is None)


def test_link_list_is_the_schema(lib: Library) -> None:
    """The row capture follows every foreign key of the schema, with its delete rule."""
    found = set()
    for (table,) in lib.query("SELECT name FROM sqlite_schema WHERE type = 'table'"):
        for fk in lib.query(f"PRAGMA foreign_key_list({table})"):
            found.add((table, fk["from"], fk["table"], fk["on_delete"]))
    assert found == set(LINKS)


# -- add, update, delete of every kind of record ------------------------------------------


def _trip() -> Trip:
    return Trip("Example Mission", dt.date(2025, 5, 5), dt.date(2025, 5, 8), "America/Toronto")


RECORDS: dict[str, Callable[[Library], object]] = {
    "trip": lambda lib: _trip(),
    "delegate": lambda lib: Delegate(1, "Newcomer Example", "Example Co"),
    "meeting": lambda lib: Meeting(
        1,
        "Example visit",
        organization_id=3,
        place_id=1,
        delegate_ids=[d.id or 0 for d in trips.delegates(lib, 1)][:2],
        host_ids=[3],
        windows=[Window(dt.datetime(2023, 6, 6, 9), dt.datetime(2023, 6, 6, 12))],
    ),
    "contact": lambda lib: Contact("Ana", "Example", organization_id=3, email="ana@example.com"),
    "organization": lambda lib: Organization("Example Holdings", tags=["diagnostics", "ai"]),
    "place": lambda lib: Place("Example Hall", city="Boston", lat=42.35, lon=-71.05),
    "stay": lambda lib: Stay(1, dt.date(2023, 6, 4), dt.date(2023, 6, 5), 1),
    "busy": lambda lib: BusyBlock(
        trips.delegates(lib, 1)[0].id or 0,
        dt.datetime(2023, 6, 6, 10),
        dt.datetime(2023, 6, 6, 10, 30),
        "Partnering",
        place_id=1,
    ),
}


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_add_then_update_then_delete(lib: Library, kind: str) -> None:
    def add(lib: Library, done: list[Applied]) -> Operation:
        return edits.Add(RECORDS[kind](lib))  # type: ignore[arg-type]

    def update(lib: Library, done: list[Applied]) -> Operation:
        new_id = done[0].created_id(kind)
        current = edits.KINDS[type(RECORDS[kind](lib))].get(lib, new_id)
        field = {
            "trip": "name",
            "delegate": "name",
            "meeting": "title",
            "contact": "title",
            "organization": "name",
            "place": "name",
            "busy": "title",
            "stay": "last_night",
        }[kind]
        value = dt.date(2023, 6, 7) if kind == "stay" else "Renamed Example"
        changed = dataclasses.replace(current, **{field: value})
        if kind == "meeting":
            changed.host_ids, changed.windows = [], []
        if kind == "organization":
            changed.tags = ["robotics"]
        return edits.Update(changed)

    def delete(lib: Library, done: list[Applied]) -> Operation:
        return edits.Delete(kind, done[0].created_id(kind))

    done = replay(lib, [add, update, delete])
    assert set(done[0].created) == {kind}


@pytest.mark.parametrize(
    ("kind", "record_id"),
    [
        ("trip", 1),  # its delegates, meetings, windows, attendees and hosts
        ("delegate", 1),  # the meetings they attend
        ("meeting", 1),
        ("contact", 3),  # host of three meetings
        ("organization", 3),  # two contacts and its meetings
        ("place", 1),  # a trip's hotel and the place of eight meetings
    ],
)
def test_delete_with_links_comes_back_under_its_own_id(
    lib: Library, kind: str, record_id: int
) -> None:
    before = dump(lib)
    done = replay(lib, [lambda lib, done: edits.Delete(kind, record_id)])
    assert done[0].changes.ids(kind) >= {record_id}
    done[0].inverse.apply(lib)  # an inverse is a value: it undoes whenever the state matches
    assert dump(lib) == before


def test_new_records_never_take_an_undone_records_id(lib: Library) -> None:
    added = edits.Add(Contact("Ana", "Example")).apply(lib)
    added.inverse.apply(lib)
    again = edits.Add(Contact("Bea", "Example")).apply(lib)
    assert again.created_id("contact") > added.created_id("contact")


# -- merges and the map --------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "keep", "drop"), [("contact", 3, 23), ("organization", 3, 1)])
def test_merge(lib: Library, kind: str, keep: int, drop: int) -> None:
    replay(lib, [lambda lib, done: edits.Merge(kind, keep, drop)])


def test_merge_places_moves_every_reference(lib: Library) -> None:
    replay(lib, [lambda lib, done: edits.Merge("place", 2, 1)])
    assert lib.query("SELECT count(*) FROM meeting WHERE place_id = 1")[0][0] == 0
    assert trips.get_trip(lib, 1).base_place_id == 2


def test_pin_move_then_place_deleted_then_undo_redo(lib: Library) -> None:
    replay(
        lib,
        [
            lambda lib, done: edits.MovePlace(1, 42.0, -71.0),
            lambda lib, done: edits.Delete("place", 1),
        ],
    )


def test_undo_of_a_pin_move_whose_place_was_deleted_elsewhere_refuses(lib: Library) -> None:
    moved = edits.MovePlace(1, 42.0, -71.0).apply(lib)
    assert directory.get_place(lib, 1).precision is Precision.MANUAL
    directory.delete_place(lib, 1)  # as the command line would, outside the undo history
    before = dump(lib)
    with pytest.raises(ChangedElsewhereError):
        moved.inverse.apply(lib)
    assert dump(lib) == before


def test_undo_refuses_to_overwrite_a_change_made_elsewhere(lib: Library) -> None:
    contact = directory.get_contact(lib, 3)
    edited = edits.Update(dataclasses.replace(contact, title="Chief Example Officer")).apply(lib)
    directory.update_contact(lib, dataclasses.replace(contact, title="Changed elsewhere"))
    with pytest.raises(ChangedElsewhereError):
        edited.inverse.apply(lib)
    assert directory.get_contact(lib, 3).title == "Changed elsewhere"


def test_undo_of_an_add_refuses_when_something_new_refers_to_it(lib: Library) -> None:
    added = edits.Add(Organization("Example Holdings")).apply(lib)
    org_id = added.created_id("organization")
    directory.add_contact(lib, Contact("Ana", "Example", organization_id=org_id))
    with pytest.raises(ChangedElsewhereError):
        added.inverse.apply(lib)  # would silently unlink the new contact
    directory.get_organization(lib, org_id)


def test_missing_records_and_bad_values_are_sentences(lib: Library) -> None:
    before = dump(lib)
    with pytest.raises(NotFoundError):
        edits.Update(Contact("Ana", "Gone", id=9999)).apply(lib)
    with pytest.raises(NotFoundError):
        edits.Delete("meeting", 9999).apply(lib)
    with pytest.raises(NotFoundError):
        edits.MovePlace(9999, 1.0, 1.0).apply(lib)
    with pytest.raises(InputError):
        edits.Add(Meeting(1, "  ")).apply(lib)
    with pytest.raises(InputError):
        edits.Merge("contact", 3, 3).apply(lib)
    assert dump(lib) == before


# -- the schedule's rules ------------------------------------------------------------------


def test_schedule_request_makes_it_proposed_and_the_lane_sets_who_attends(lib: Library) -> None:
    request = _request(lib)
    delegate = trips.delegates(lib, 1)[0].id or 0
    start = dt.datetime(2023, 6, 6, 14, 0)
    (done,) = replay(
        lib, [lambda lib, done: edits.ScheduleRequest(request.id or 0, start, delegate)]
    )
    m = trips.get_meeting(lib, request.id or 0)
    assert (m.start, m.status) == (start, MeetingStatus.PROPOSED)
    assert m.delegate_ids == sorted(set(request.delegate_ids) | {delegate})
    assert done.changes.ids("meeting") == {request.id}


def test_schedule_request_in_the_delegations_lane_invites_everyone(lib: Library) -> None:
    request = _request(lib)
    edits.ScheduleRequest(request.id or 0, dt.datetime(2023, 6, 6, 14, 0), None).apply(lib)
    everyone = sorted(d.id or 0 for d in trips.delegates(lib, 1))
    assert trips.get_meeting(lib, request.id or 0).delegate_ids == everyone


def test_change_lane_and_move_and_unschedule(lib: Library) -> None:
    everyone = {d.id for d in trips.delegates(lib, 1)}
    m = next(m for m in trips.meetings(lib, 1) if m.delegate_ids and set(m.delegate_ids) < everyone)
    source = m.delegate_ids[0]
    target = next(d.id or 0 for d in trips.delegates(lib, 1) if d.id not in m.delegate_ids)
    start = dt.datetime(2023, 6, 7, 9, 0)
    replay(
        lib,
        [
            lambda lib, done: edits.ChangeLane(m.id or 0, start, source, target),
            lambda lib, done: edits.MoveMeeting(m.id or 0, start, duration_minutes=90),
            lambda lib, done: edits.Unschedule(m.id or 0),
            lambda lib, done: edits.SetStatus((m.id or 0, 1), MeetingStatus.CANCELLED),
        ],
    )
    moved = trips.get_meeting(lib, m.id or 0)
    assert moved.delegate_ids == sorted((set(m.delegate_ids) - {source}) | {target})


@pytest.mark.parametrize(
    ("attendees", "source", "target", "shared", "expected"),
    [
        ([1, 2], 1, 3, False, [2, 3]),  # from one delegate's lane to another's
        ([1, 2], None, 3, False, [3]),  # from the delegation's lane to a delegate's
        ([1], 1, None, False, [1, 2, 3]),  # to the delegation's lane: everyone
        ([1, 2, 3], 1, 2, True, [1, 2, 3]),  # a shared block stays shared
        ([1, 2], 1, 1, False, [1, 2]),  # same lane: a move in time only
    ],
)
def test_lane_rule(
    attendees: list[int], source: int | None, target: int | None, shared: bool, expected: list[int]
) -> None:
    assert (
        edits.attendees_after_lane_change(attendees, [1, 2, 3], source, target, shared=shared)
        == expected
    )


# -- imports -------------------------------------------------------------------------------


def test_contact_import_then_edit_its_title_undo_twice_redo_twice(lib: Library) -> None:
    report = plan_import(lib, parse_contact_bytes(CONTACTS_CSV))

    def edit_title(lib: Library, done: list[Applied]) -> Operation:
        contact = directory.get_contact(lib, done[0].created["contact"][0])
        return edits.Update(dataclasses.replace(contact, title="Chief Scientist"))

    done = replay(lib, [lambda lib, done: edits.ImportContacts(report), edit_title])
    assert len(done[0].created["contact"]) == 2
    assert done[0].created["organization"]  # the organizations it needed
    # after the replay the library holds both steps again, under the same ids
    contact = directory.get_contact(lib, done[0].created["contact"][0])
    assert contact.title == "Chief Scientist"


def test_meeting_import_then_undo(lib: Library) -> None:
    result = preview(lib, MEETINGS_CSV, 1)
    assert len(result.rows) == 2
    (done,) = replay(lib, [lambda lib, done: edits.ImportMeetings(result)])
    assert len(done.created["meeting"]) == 2
    assert done.created["delegate"] and done.created["organization"]


def test_trip_import_then_undo(lib: Library, tmp_path: Path) -> None:
    export_trip(lib, "1", tmp_path / "trip.visitplanner")
    content = read_trip_file(tmp_path / "trip.visitplanner")
    directory.delete_contact(lib, 3)  # so that the import adds a contact too
    (done,) = replay(lib, [lambda lib, done: edits.ImportTrip(content)])
    assert done.created["trip"] and done.created["meeting"] and done.created["contact"]


def test_arrange_accepted_then_a_meeting_moved_undo_both(lib: Library) -> None:
    from visitplanner.planning.arrange import arrange
    from visitplanner.planning.snapshot import load_snapshot

    arrangement = arrange(load_snapshot(lib, 1), time_limit=5)
    assert arrangement.placed
    first = arrangement.placed[0]
    later = first.start + dt.timedelta(minutes=30)
    done = replay(
        lib,
        [
            lambda lib, done: edits.AcceptArrangement(arrangement),
            lambda lib, done: edits.MoveMeeting(first.meeting_id, later),
        ],
    )
    assert done[0].changes.ids("meeting") == {p.meeting_id for p in arrangement.placed}
    before = dump(lib)
    with pytest.raises(InputError):  # a stale proposal writes nothing
        edits.AcceptArrangement(arrangement).apply(lib)
    assert dump(lib) == before


def test_a_batch_is_one_transaction_and_one_change_event(lib: Library) -> None:
    events: list[object] = []
    lib.subscribe(events.append)
    replay(
        lib,
        [
            lambda lib, done: edits.Batch(
                (edits.Add(Contact("Ana", "Example")), edits.Delete("meeting", 1))
            )
        ],
    )
    assert len(events) == 1 + 4  # the step, then two undos and two redos


def test_a_meeting_at_a_place_found_by_geocoding_is_one_step(lib: Library) -> None:
    found = Place("Example Institute", city="Cambridge", lat=42.36, lon=-71.09)
    m = _meeting(lib)
    done = replay(
        lib,
        [
            lambda lib, done: edits.AtNewPlace(Meeting(1, "Visit"), found),
            lambda lib, done: edits.AtNewPlace(m, found),
        ],
    )
    assert set(done[0].created) == {"place", "meeting"}
    new_place = done[1].created_id("place")
    assert trips.get_meeting(lib, m.id or 0).place_id == new_place

"""Library storage: schema rules, transactions, change events, search, migrations."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from visitplanner.errors import InputError, NotFoundError
from visitplanner.library import ChangeSet, Library, directory, schema, trips
from visitplanner.model import Contact, Meeting, Organization, OrgKind, Place, Precision, Trip


def _trip(lib: Library) -> int:
    return trips.add_trip(
        lib, Trip(name="Test", first_day=dt.date(2023, 6, 5), last_day=dt.date(2023, 6, 8))
    )


def test_new_library_is_private_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new.visitplanner"
    with Library.open(path, create=True) as lib:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert lib.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert lib.db.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        _trip(lib)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                assert stat.S_IMODE(side.stat().st_mode) == 0o600


def test_edits_refuse_invalid_values_with_a_sentence(empty_library: Library) -> None:
    lib = empty_library
    with pytest.raises(InputError, match="latitude"):
        directory.add_place(lib, Place(name="Nowhere", lat=123.0, lon=10.0))
    with pytest.raises(InputError, match="last day"):
        trips.add_trip(
            lib, Trip(name="Back", first_day=dt.date(2023, 6, 8), last_day=dt.date(2023, 6, 5))
        )
    trip_id = _trip(lib)
    with pytest.raises(InputError, match="24 hours"):
        trips.add_meeting(lib, Meeting(trip_id=trip_id, title="Zero", duration_minutes=0))
    with pytest.raises(NotFoundError, match="999"):
        trips.add_meeting(lib, Meeting(trip_id=999, title="Orphan"))
    with pytest.raises(InputError, match="name"):
        directory.add_contact(lib, Contact(given_name="  "))
    assert lib.query("SELECT count(*) FROM meeting")[0][0] == 0


def test_check_constraints_hold_under_the_edit_functions(empty_library: Library) -> None:
    """The schema refuses what the edit functions refuse, whoever writes."""
    lib = empty_library
    with pytest.raises(sqlite3.IntegrityError):
        lib.db.execute("INSERT INTO place (name, lat, lon) VALUES ('Nowhere', 123, 10)")
    with pytest.raises(sqlite3.IntegrityError):
        lib.db.execute(
            "INSERT INTO trip (name, first_day, last_day, timezone) "
            "VALUES ('Back', '2023-06-08', '2023-06-05', 'UTC')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        lib.db.execute("INSERT INTO meeting (trip_id, title) VALUES (999, 'Orphan')")


def test_a_reference_to_a_missing_record_is_a_sentence(empty_library: Library) -> None:
    with pytest.raises(NotFoundError, match="does not exist; nothing was changed"):
        directory.add_contact(empty_library, Contact("Ana", "Example", organization_id=999))
    assert directory.contacts(empty_library) == {}


@pytest.mark.parametrize(
    "update",
    [
        lambda lib: directory.update_contact(lib, Contact(given_name="Ana", id=999)),
        lambda lib: directory.update_organization(lib, Organization(name="Gone", id=999)),
        lambda lib: directory.update_place(lib, Place(name="Gone", id=999)),
        lambda lib: trips.update_trip(
            lib, Trip("Gone", dt.date(2023, 6, 5), dt.date(2023, 6, 6), id=999)
        ),
        lambda lib: trips.update_delegate(lib, trips.Delegate(1, "Gone", id=999)),
        lambda lib: trips.update_meeting(lib, Meeting(1, "Gone", id=999)),
    ],
)
def test_an_update_that_matches_nothing_says_so(empty_library: Library, update: Any) -> None:
    with pytest.raises(NotFoundError, match="999"):
        update(empty_library)


def test_each_edit_is_one_transaction_with_one_event(empty_library: Library) -> None:
    lib = empty_library
    seen: list[ChangeSet] = []
    lib.subscribe(seen.append)
    trip_id = _trip(lib)
    assert len(seen) == 1 and seen[0].touches("trip", trip_id)
    with lib.write():
        trips.add_meeting(lib, Meeting(trip_id=trip_id, title="A"))
        trips.add_meeting(lib, Meeting(trip_id=trip_id, title="B"))
    assert len(seen) == 2 and len(seen[1].ids("meeting")) == 2


def test_a_failed_write_leaves_nothing_behind(empty_library: Library) -> None:
    lib = empty_library
    trip_id = _trip(lib)
    seen: list[ChangeSet] = []
    lib.subscribe(seen.append)
    with pytest.raises(InputError), lib.write():
        trips.add_meeting(lib, Meeting(trip_id=trip_id, title="Kept?"))
        trips.add_meeting(lib, Meeting(trip_id=trip_id, title="Bad", priority=9))
    assert trips.meetings(lib, trip_id) == []
    assert seen == []


def test_meeting_round_trip_keeps_links(empty_library: Library) -> None:
    lib = empty_library
    trip_id = _trip(lib)
    delegate_id = trips.add_delegate(lib, trips.Delegate(trip_id=trip_id, name="Zoë Tremblay"))
    contact_id = directory.add_contact(lib, Contact(given_name="Ana", family_name="Souza"))
    start = dt.datetime(2023, 6, 6, 9, 30)
    window = trips.Window(dt.datetime(2023, 6, 6, 9), dt.datetime(2023, 6, 6, 12))
    meeting_id = trips.add_meeting(
        lib,
        Meeting(
            trip_id=trip_id,
            title="Pitch",
            start=start,
            duration_minutes=45,
            windows=[window],
            delegate_ids=[delegate_id],
            host_ids=[contact_id],
        ),
    )
    meeting = trips.get_meeting(lib, meeting_id)
    assert meeting.start == start and meeting.end == dt.datetime(2023, 6, 6, 10, 15)
    assert meeting.windows == [window]
    assert meeting.delegate_ids == [delegate_id] and meeting.host_ids == [contact_id]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("montreal", "Émilie"),
        ("cote", "Émilie"),
        ("COTÉ", "Émilie"),
        ("gene", "Geneviève"),
        ("biotech mont", "Émilie"),
    ],
)
def test_search_is_accent_and_case_insensitive(
    empty_library: Library, query: str, expected: str
) -> None:
    lib = empty_library
    place_id = directory.add_place(lib, Place(name="HQ", city="Montréal"))
    org_id = directory.add_organization(lib, Organization(name="Biotech Nord", place_id=place_id))
    directory.add_contact(
        lib, Contact(given_name="Émilie", family_name="Côté", organization_id=org_id)
    )
    directory.add_contact(lib, Contact(given_name="Geneviève", family_name="Ouellet"))
    hits = directory.search(lib, query, kind="contact")
    names = [directory.get_contact(lib, ref).given_name for _kind, ref in hits]
    assert expected in names


def test_search_follows_renames_and_ignores_query_syntax(empty_library: Library) -> None:
    lib = empty_library
    org_id = directory.add_organization(lib, Organization(name="Old Name"))
    directory.add_contact(lib, Contact(given_name="Ana", organization_id=org_id))
    org = directory.get_organization(lib, org_id)
    org.name = "Nouvelle Société"
    directory.update_organization(lib, org)
    assert ("contact", 1) in directory.search(lib, "societe")
    assert directory.search(lib, "old") == []
    assert directory.search(lib, 'NEAR( "x" * OR ^') == []  # never an FTS5 syntax error


def test_migration_takes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.visitplanner"
    with Library.open(path, create=True) as lib:
        _trip(lib)
    newer = [*schema.MIGRATIONS, "ALTER TABLE trip ADD COLUMN extra TEXT NOT NULL DEFAULT ''"]
    monkeypatch.setattr("visitplanner.library.database.MIGRATIONS", newer)
    monkeypatch.setattr("visitplanner.library.database.SCHEMA_VERSION", len(newer))
    with Library.open(path) as lib:
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == len(newer)
        assert lib.query_one("SELECT extra FROM trip") is not None
    backup = tmp_path / f"old.visitplanner.v{len(newer) - 1}.bak"
    assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT count(*) FROM trip").fetchone()[0] == 1
    copy.close()


@pytest.mark.parametrize(
    "name", ["mission#1.visitplanner", "100%.visitplanner", "a?b.visitplanner"]
)
def test_library_names_with_uri_characters_open(tmp_path: Path, name: str) -> None:
    # "#", "?" and "%" are URI syntax to SQLite: the probe once opened (and created) another
    # file, and the library was refused as "not a Visit Planner library".
    path = tmp_path / name
    Library.open(path, create=True).close()
    with Library.open(path) as lib:
        assert trips.trips(lib) == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(path.name)) == []


def test_directory_listing_and_rows(empty_library: Library) -> None:
    lib = empty_library
    place_id = directory.add_place(lib, Place(name="HQ", city="Laval"))
    org_id = directory.add_organization(
        lib, Organization(name="Zymo Santé", kind=OrgKind.BIOTECH, place_id=place_id)
    )
    first = directory.add_contact(
        lib, Contact(given_name="Léa", family_name="Morin", title="CSO", organization_id=org_id)
    )
    second = directory.add_contact(lib, Contact(given_name="Ana", family_name="Côté"))
    entries = directory.listing(lib)
    assert entries == [("organization", org_id), ("contact", second), ("contact", first)]
    assert directory.listing(lib, "contact") == entries[1:]
    rows = directory.directory_rows(lib, entries)
    assert rows[("organization", org_id)].kind is OrgKind.BIOTECH
    assert rows[("contact", first)] == directory.DirectoryRow(
        "Léa Morin", "Zymo Santé", "CSO", None, "", "", "Laval"
    )


def test_a_deleted_id_is_never_given_again(empty_library: Library) -> None:
    """Undo recreates records under new ids: an id must never come back to another record."""
    lib = empty_library
    trip_id = _trip(lib)
    first = trips.add_meeting(lib, Meeting(trip_id=trip_id, title="Created, then undone"))
    trips.delete_meeting(lib, first)
    second = trips.add_meeting(lib, Meeting(trip_id=trip_id, title="Added from the CLI"))
    assert second != first


def test_version_1_library_upgrades_keeping_places_references_and_ids(tmp_path: Path) -> None:
    """Version 2 rebuilds the place table (precision 'street'): nothing that points at a place
    is cleared, a deleted place's id is not given again, and search still follows places."""
    from visitplanner.library.database import _split_sql

    path = tmp_path / "v1.visitplanner"
    db = sqlite3.connect(path)
    db.isolation_level = None
    for statement in _split_sql(schema.SCHEMA_V1):
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO place (name, city) VALUES ('Lab', 'Boston'), ('Gone', 'Laval')")
    db.execute("DELETE FROM place WHERE name = 'Gone'")
    db.execute("INSERT INTO organization (name, place_id) VALUES ('Acme Bio', 1)")
    db.close()
    with Library.open(path) as lib:
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert lib.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert lib.query_one("SELECT place_id FROM organization")["place_id"] == 1
        org = next(iter(directory.organizations(lib).values()))
        assert ("organization", org.id) in directory.search(lib, "boston")
        new_id = directory.add_place(lib, Place(name="New", precision=Precision.STREET))
        assert new_id == 3  # not 2: that id belonged to a deleted place
        lib.db.execute("UPDATE place SET city = 'Cambridge' WHERE id = 1")
        assert ("organization", org.id) in directory.search(lib, "cambridge")
        assert lib.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
